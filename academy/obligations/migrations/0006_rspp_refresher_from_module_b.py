"""RSPP and ASPP: the refresher runs from module B common (2025 Agreement Part III 3), where the initial
course is recorded by module. Set on the shipped rows unless staff already set something."""

from django.db import migrations


def forwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    Obligation.objects.filter(code__in=["rspp", "aspp"], refresher_from_module="").update(refresher_from_module="B")


class Migration(migrations.Migration):
    dependencies = [("obligations", "0005_refresher_from_module")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
