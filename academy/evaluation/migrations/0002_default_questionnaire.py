"""Ship the default satisfaction questionnaire (Italian and English) as data."""

from django.db import migrations


def load(apps, schema_editor):
    from academy.evaluation.defaults import ensure_default_questionnaire

    ensure_default_questionnaire(apps.get_model("evaluation", "Questionnaire"), apps.get_model("evaluation", "Question"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
