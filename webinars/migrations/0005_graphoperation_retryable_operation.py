import datetime

from django.db import migrations, models


def backoff_from_finish(apps, schema_editor):
    """Failed operations keep their wait: the next try is the former rule's (finish + 2**(n-1) minutes,
    at most an hour, at once after the first failure), and those past six attempts were alerted."""
    GraphOperation = apps.get_model("webinars", "GraphOperation")
    for op in GraphOperation.objects.filter(status="failed").exclude(finished_at=None).iterator():
        wait = datetime.timedelta(0) if op.attempts < 2 else min(
            datetime.timedelta(hours=1), datetime.timedelta(minutes=2 ** (op.attempts - 1)))
        GraphOperation.objects.filter(pk=op.pk).update(next_attempt_at=op.finished_at + wait,
                                                       staff_alerted=op.attempts >= 6)


class Migration(migrations.Migration):
    """GraphOperation becomes an academy.core.retrying.RetryableOperation."""

    dependencies = [
        ("webinars", "0004_trainer_accounts_and_attendance_state"),
    ]

    operations = [
        migrations.RenameField("graphoperation", "error", "last_error"),
        migrations.AddField("graphoperation", "next_attempt_at", models.DateTimeField(blank=True, null=True)),
        migrations.AddField("graphoperation", "staff_alerted", models.BooleanField(default=False)),
        migrations.RunPython(backoff_from_finish, migrations.RunPython.noop),
    ]
