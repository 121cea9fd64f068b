# Materials moved to ``academy.materials`` (same table): drop the model from this app's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("masterclass", "0002_applications_materials_case_studies"),
        ("materials", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Material")],
            database_operations=[],
        ),
    ]
