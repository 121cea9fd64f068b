from django.db import migrations, models
from django.utils import timezone


class Migration(migrations.Migration):
    """ImportJob becomes an academy.core.jobs.BackgroundJob: rows_total is its total, with progress and a start time."""

    dependencies = [
        ("competences", "0005_external_training_frame_kind_module"),
    ]

    operations = [
        migrations.RenameField("importjob", "rows_total", "total"),
        migrations.AddField("importjob", "done", models.PositiveIntegerField(default=0)),
        migrations.AddField("importjob", "started_at", models.DateTimeField(blank=True, null=True)),
        migrations.AlterField("importjob", "created_at", models.DateTimeField(db_index=True, default=timezone.now)),
    ]
