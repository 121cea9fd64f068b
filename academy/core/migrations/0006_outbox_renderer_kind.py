from django.db import migrations

KINDS = {"academy.registrations.invitations.render_queued_invitation": "registration"}


def dotted_path_to_kind(apps, schema_editor):
    """Messages queued for rendering named their renderer's dotted path; they now name their kind."""
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    for path, kind in KINDS.items():
        OutboxMessage.objects.filter(renderer=path).update(renderer=kind)


def kind_to_dotted_path(apps, schema_editor):
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    for path, kind in KINDS.items():
        OutboxMessage.objects.filter(renderer=kind).update(renderer=path)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_outbox_retryable_operation"),
    ]

    operations = [migrations.RunPython(dotted_path_to_kind, kind_to_dotted_path)]
