# Materials moved here from ``masterclass``: the table stays (``masterclass_material``), so this
# migration only creates the model in this app's state; masterclass 0003 removes it from its own.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import academy.core.storage
import academy.materials.models


def move_content_type(apps, schema_editor):
    """Keep permissions granted on materials: their content type changes app, not identity."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="materials", model="material").exists():
        ContentType.objects.filter(app_label="masterclass", model="material").update(app_label="materials")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="masterclass", model="material").exists():
        ContentType.objects.filter(app_label="materials", model="material").update(app_label="masterclass")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0002_coursepage_competences"),
        ("masterclass", "0002_applications_materials_case_studies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Material",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("file", models.FileField(blank=True, max_length=300,
                                                  storage=academy.core.storage.PrivateStorage("materials"),
                                                  upload_to=academy.materials.models.material_upload_to,
                                                  verbose_name="file")),
                        ("original_filename", models.CharField(blank=True, editable=False, max_length=255)),
                        ("size", models.PositiveBigIntegerField(default=0, editable=False)),
                        ("url", models.URLField(blank=True, help_text="A link to a recording or an online resource, instead of a file.", max_length=500, verbose_name="link")),  # noqa: E501
                        ("visible_after_session", models.BooleanField(default=False, help_text="Registrants see it once the session has ended.", verbose_name="visible only after the session")),  # noqa: E501
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now,
                                                            verbose_name="uploaded at")),
                        ("session", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="materials", to="courses.session",
                                                      verbose_name="session")),
                        ("uploaded_by", models.ForeignKey(blank=True, null=True,
                                                          on_delete=django.db.models.deletion.SET_NULL,
                                                          related_name="+", to=settings.AUTH_USER_MODEL,
                                                          verbose_name="uploaded by")),
                    ],
                    options={
                        "verbose_name": "material",
                        "verbose_name_plural": "materials",
                        "db_table": "masterclass_material",
                        "ordering": ["session__starts_at", "created_at", "pk"],
                        "constraints": [models.CheckConstraint(
                            condition=models.Q(models.Q(("file", ""), models.Q(("url", ""), _negated=True)),
                                               models.Q(models.Q(("file", ""), _negated=True), ("url", "")),
                                               _connector="OR"),
                            name="material_file_xor_url")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
