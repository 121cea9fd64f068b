from django.db import migrations, models
from django.utils import timezone


class Migration(migrations.Migration):
    """BulkIssueJob becomes an academy.core.jobs.BackgroundJob (same columns; created_at indexed)."""

    dependencies = [
        ("certificates", "0002_certificate_language_alter_certificate_pdf_and_more"),
    ]

    operations = [
        migrations.AlterField("bulkissuejob", "created_at", models.DateTimeField(db_index=True, default=timezone.now)),
    ]
