from django.db import migrations, models


class Migration(migrations.Migration):
    """OutboxMessage becomes an academy.core.retrying.RetryableOperation (attempts as a plain integer)."""

    dependencies = [
        ("core", "0004_outbox_claim_before_sending"),
    ]

    operations = [
        migrations.AlterField("outboxmessage", "attempts", models.PositiveIntegerField(default=0)),
    ]
