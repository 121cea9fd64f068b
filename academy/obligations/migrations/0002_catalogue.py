from django.db import migrations


def forwards(apps, schema_editor):
    from academy.obligations.catalogue import load_catalogue

    load_catalogue(apps.get_model("obligations", "Obligation"))


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
