"""The three tables of training done elsewhere become one: every ``obligations.ObligationTraining`` and
``obligations.EcmCredit`` row is in ``competences.ExternalTraining`` after the migration, nothing lost."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("competences", "0003_attachment_content_matches_extension"), ("obligations", "0006_rspp_refresher_from_module_b")]
AFTER = [("competences", "0004_copy_obligation_training_and_ecm_credits"),
         ("obligations", "0005_training_elsewhere_moved_to_external_training")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_before_are_rows_after():
    try:
        check_rows_before_are_rows_after()
    finally:  # whatever happens, later tests on this database get the current schema back
        migrate(executor_leaves())


def check_rows_before_are_rows_after():
    old = migrate(BEFORE)
    Organisation, Person = old.get_model("network", "Organisation"), old.get_model("network", "Person")
    Obligation = old.get_model("obligations", "Obligation")
    org = Organisation.objects.create(name="Coop migrazione", kind="cooperative")
    people = [Person.objects.create(first_name=f"P{i}", last_name="Migrata", email=f"p{i}@migra.example",
                                    organisation=org) for i in range(3)]
    # The shipped catalogue may have been truncated by an earlier transactional test on this worker.
    workers, supervisors = (Obligation.objects.get_or_create(code=code, defaults={
        "title": code, "role": role, "initial_hours": Decimal(12), "legal_reference": "test"})[0]
        for code, role in (("workers-medium", "worker"), ("supervisors", "supervisor")))
    Old = old.get_model("obligations", "ObligationTraining")
    Ecm = old.get_model("obligations", "EcmCredit")
    External = old.get_model("competences", "ExternalTraining")
    External.objects.create(person=people[0], title="Corso interno", date=datetime.date(2024, 1, 10),
                            hours=Decimal(3))
    Old.objects.create(person=people[0], obligation=workers, title="Lavoratori", provider="Ente",
                       end_date=datetime.date(2023, 5, 2), hours=Decimal(12), delivery_mode="videoconference",
                       attestato_reference="A-1")
    Old.objects.create(person=people[1], obligation=supervisors, title="Preposti", end_date=datetime.date(2024, 6, 3),
                       hours=Decimal(6), delivery_mode="classroom")
    Ecm.objects.create(person=people[2], provider_id="12", provider_name="Provider ECM", event_id="9-1",
                       title="", credits=Decimal("8.5"), date=datetime.date(2026, 2, 1))
    before = External.objects.count() + Old.objects.count() + Ecm.objects.count()

    new = migrate(AFTER)
    Merged = new.get_model("competences", "ExternalTraining")
    assert Merged.objects.count() == before == 4
    rows = {r.title: r for r in Merged.objects.all()}
    lavoratori = rows["Lavoratori"]
    assert (lavoratori.person_id, lavoratori.obligation_id, lavoratori.date, lavoratori.hours,
            lavoratori.delivery_mode, lavoratori.attestato_reference, lavoratori.provider) == (
        people[0].pk, workers.pk, datetime.date(2023, 5, 2), Decimal(12), "videoconference", "A-1", "Ente")
    assert (rows["Preposti"].obligation_id, rows["Preposti"].hours) == (supervisors.pk, Decimal(6))
    ecm = rows["ECM 9-1"]
    assert (ecm.person_id, ecm.credits, ecm.hours, ecm.ecm_provider_id, ecm.ecm_event_id, ecm.provider) == (
        people[2].pk, Decimal("8.5"), Decimal(0), "12", "9-1", "Provider ECM")
    assert rows["Corso interno"].obligation_id is None and rows["Corso interno"].credits is None


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
