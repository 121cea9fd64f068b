"""The obligations' English names (issue 27): a new field, filled on the shipped rows where still empty."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from academy.obligations.catalogue import ENGLISH_TITLES

    Obligation = apps.get_model("obligations", "Obligation")
    for code, title in ENGLISH_TITLES.items():
        Obligation.objects.filter(code=code, title_en="").update(title_en=title)


class Migration(migrations.Migration):
    dependencies = [("obligations", "0005_training_elsewhere_moved_to_external_training")]

    operations = [
        migrations.AddField(
            model_name="obligation", name="title_en",
            field=models.CharField(blank=True, help_text="Shown on English pages; empty: the Italian title.",
                                   max_length=200, verbose_name="title in English"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
