"""Training done elsewhere becomes one record: every ``obligations.ObligationTraining`` and
``obligations.EcmCredit`` row is copied into ``competences.ExternalTraining`` (no row lost; the tables are
dropped by obligations 0003 afterwards). An attestato keeps its obligation, end date, hours, delivery mode
and number; ECM credits keep provider, event and credits, with 0 hours (credits are not hours)."""

from decimal import Decimal

from django.db import migrations


def copy_rows(apps, schema_editor):
    ExternalTraining = apps.get_model("competences", "ExternalTraining")
    ObligationTraining = apps.get_model("obligations", "ObligationTraining")
    EcmCredit = apps.get_model("obligations", "EcmCredit")
    batch = []
    for row in ObligationTraining.objects.order_by("pk").iterator():
        batch.append(ExternalTraining(
            person_id=row.person_id, title=row.title, provider=row.provider, date=row.end_date, hours=row.hours,
            obligation_id=row.obligation_id, delivery_mode=row.delivery_mode,
            attestato_reference=row.attestato_reference, entered_by_id=row.entered_by_id))
    for row in EcmCredit.objects.order_by("pk").iterator():
        batch.append(ExternalTraining(
            person_id=row.person_id, title=row.title or f"ECM {row.event_id}", provider=row.provider_name,
            date=row.date, hours=Decimal(0), credits=row.credits, ecm_provider_id=row.provider_id,
            ecm_event_id=row.event_id))
    ExternalTraining.objects.bulk_create(batch, batch_size=1000)
    # created_at is set on insert (auto_now_add); keep the original entry time
    originals = [r.created_at for r in ObligationTraining.objects.order_by("pk")] + \
        [r.created_at for r in EcmCredit.objects.order_by("pk")]
    if batch and all(t.pk for t in batch):
        for training, created_at in zip(batch, originals, strict=True):
            training.created_at = created_at
        ExternalTraining.objects.bulk_update(batch, ["created_at"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("competences", "0003_external_training_is_the_one_record"),
        ("obligations", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
