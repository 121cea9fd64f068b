"""``attendance.imported`` and ``obligation.status_changed`` delivered to a real HTTP receiver on loopback:
the bodies and signatures as received, each organisation's endpoint hearing only about its own people,
statuses moved by a training record and by the calendar, and bulk-issued certificates announced."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from academy.api import obligation_events, webhooks
from academy.api.models import KnownObligationStatus, WebhookEvent
from academy.api.tasks import compare_obligation_statuses
from academy.attendance.models import AttendanceRecord
from academy.attendance.services import record_minutes
from academy.competences.external import record_external_training
from academy.competences.models import ExternalTraining
from academy.obligations.catalogue import load_catalogue
from academy.obligations.models import CourseModule, Obligation, RiskProfile
from academy.obligations.services import set_employment
from academy.registrations.models import Registration
from certificates.services import bulk, issue_certificate, revoke
from tests.api.test_webhooks import receiver  # noqa: F401  (the loopback receiver fixture)
from tests.security.conftest import move_into_the_past
from tests.webinars.conftest import graph_emulator, sleeps  # noqa: F401  (Graph emulator fixtures)
from webinars import teams
from webinars.backends import GraphBackend
from webinars.graph import GraphClient
from webinars.models import TeamsMeeting, UnmatchedAttendance

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def verified(received, endpoint) -> list[dict]:
    """The bodies received for ``endpoint``, after checking each signature as a receiver would."""
    bodies = []
    for headers, body, raw in received:
        timestamp, signed = (part.split("=", 1)[1] for part in headers["Academy-Signature"].split(","))
        expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
        if hmac.compare_digest(signed, expected):
            assert headers["Academy-Event-Id"] == body["id"] and headers["Academy-Event-Type"] == body["type"]
            bodies.append(body)
    return bodies


@pytest.fixture
def endpoints(site, receiver, staff_user):  # noqa: F811
    def make(events):
        return {name: webhooks.create_endpoint(by=staff_user, organisation=org, url=receiver.url, events=events)
                for name, org in (("gamma", site.organisations["Cooperativa Gruppo Gamma"]),
                                  ("nazareth", site.organisations["Cooperativa Nazareth"]), ("staff", None))}

    return make


def test_a_teams_import_is_announced_with_only_each_receivers_people(
        site, receiver, endpoints, make_course, make_person, graph_emulator, sleeps, admin_user,  # noqa: F811
        django_capture_on_commit_callbacks):
    hooks = endpoints(["attendance.imported"])
    course = make_course()
    session = course.sessions.get()
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps))
    teams.ensure_meetings([session], backend=backend)
    meeting = TeamsMeeting.objects.get(session=session)
    anna = make_person(email="anna@gamma.coop")
    nadia = make_person(org=site.organisations["Cooperativa Nazareth"])
    for person in (anna, nadia):
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
    graph_emulator.add_attendance_report(meeting.meeting_id, [{"email": anna.email, "seconds": 3000},
                                                              {"email": nadia.email, "seconds": 600},
                                                              {"email": "guest@else.where", "seconds": 60}])
    with django_capture_on_commit_callbacks(execute=True):
        teams.import_attendance(session, backend=backend)

    assert AttendanceRecord.objects.filter(session=session, source="teams").count() == 2
    by_endpoint = {name: verified(receiver.received, hook) for name, hook in hooks.items()}
    assert [len(bodies) for bodies in by_endpoint.values()] == [1, 1, 1]  # each signed with its own secret
    gamma, nazareth, staff = (by_endpoint[name][0] for name in ("gamma", "nazareth", "staff"))
    assert gamma["type"] == "attendance.imported"
    assert gamma["data"] == {"session": session.pk, "course": course.pk, "source": "teams", "people": [anna.pk],
                             "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat(),
                             "links": gamma["data"]["links"]}
    assert gamma["data"]["links"]["course"].endswith(f"/api/v1/catalogue/courses/{course.pk}/")
    assert nazareth["data"]["people"] == [nadia.pk]
    assert staff["data"]["people"] == sorted([anna.pk, nadia.pk])
    assert len({gamma["id"], nazareth["id"], staff["id"]}) == 3
    raw_bodies = b"".join(raw for _h, _b, raw in receiver.received)
    assert anna.email.encode() not in raw_bodies and nadia.email.encode() not in raw_bodies

    # Staff match the guest's entry to a person of Gamma: announced after the import (same subject)
    giulio = make_person(org=site.organisations["Cooperativa Gruppo Gamma"])
    with django_capture_on_commit_callbacks(execute=True):
        teams.resolve_unmatched(UnmatchedAttendance.objects.get(session=session), giulio, admin_user)
    assert [b["data"]["people"] for b in verified(receiver.received, hooks["gamma"])] == [[anna.pk], [giulio.pk]]
    assert [b["data"]["people"] for b in verified(receiver.received, hooks["staff"])][-1] == [giulio.pk]
    assert len(verified(receiver.received, hooks["nazareth"])) == 1
    assert set(WebhookEvent.objects.values_list("subject", flat=True)) == {f"session:{session.pk}"}


def test_obligation_status_changes_are_announced_from_a_training_record_and_from_the_calendar(
        site, receiver, endpoints, make_person, staff_user, django_capture_on_commit_callbacks):  # noqa: F811
    load_catalogue(Obligation)  # an earlier transactional test on this worker may have truncated it
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    RiskProfile.objects.create(organisation=gamma, risk_class="medium", first_aid_group="B")
    hooks = endpoints(["obligation.status_changed"])
    worker = make_person(org=gamma, job_role="OSS")
    workers = Obligation.objects.get(code="workers-medium")

    with django_capture_on_commit_callbacks(execute=True):
        assert obligation_events.sweep(TODAY) == 0  # first statuses known: recorded, not announced
    assert KnownObligationStatus.objects.get(person=worker, obligation=workers).status == "overdue"

    # 12 hours five years (less 40 days) ago: covered, the refresher due in 40 days
    trained_on = TODAY.replace(year=TODAY.year - 5) + datetime.timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        record_external_training(worker, by=staff_user, obligation=workers, title="Formazione lavoratori",
                                 date=trained_on, hours=Decimal(12), delivery_mode="classroom")
    # gamma's and staff's endpoints (delivered as the change committed); Nazareth's hears nothing
    assert sorted(WebhookEvent.objects.values_list("endpoint_id", "status")) == [
        (hooks["gamma"].pk, "sent"), (hooks["staff"].pk, "sent")]
    with django_capture_on_commit_callbacks(execute=True):
        obligation_events.refresh([worker.pk])  # nothing changed: nothing announced twice
        later = timezone.now() + datetime.timedelta(days=41)
        assert compare_obligation_statuses(sender=None, now=later) == 2  # the deadline passed
        assert compare_obligation_statuses(sender=None, now=later) == 0  # at most once an hour
    webhooks.deliver_pending()

    assert verified(receiver.received, hooks["nazareth"]) == []
    staff_bodies = verified(receiver.received, hooks["staff"])
    gamma_bodies = verified(receiver.received, hooks["gamma"])
    assert [b["data"] for b in gamma_bodies] == [b["data"] for b in staff_bodies]
    first, second = gamma_bodies
    deadline = trained_on.replace(year=trained_on.year + 5)
    assert first["type"] == second["type"] == "obligation.status_changed"
    assert first["data"] == {
        "person": worker.pk, "obligation": workers.pk, "title": workers.title, "legal_reference":
        workers.legal_reference, "status": "due", "previous_status": "overdue", "deadline": deadline.isoformat(),
        "missing": first["data"]["missing"], "unit": "hours", "as_of": TODAY.isoformat(),
        "links": first["data"]["links"]}
    assert Decimal(first["data"]["missing"]) == Decimal(6)  # the refresher's hours
    assert first["data"]["links"]["person"].endswith(f"/api/v1/hr/people/{worker.pk}/")
    assert (second["data"]["previous_status"], second["data"]["status"]) == ("due", "lapsed")
    assert second["data"]["as_of"] == timezone.localdate(later).isoformat()
    subjects = set(WebhookEvent.objects.values_list("subject", flat=True))
    assert subjects == {f"obligation:{workers.pk}:person:{worker.pk}"}
    assert len({b["id"] for b in gamma_bodies + staff_bodies}) == 4


def test_certificates_issued_in_bulk_are_announced_to_each_receiver_in_scope(
        site, receiver, endpoints, make_course, make_person, django_capture_on_commit_callbacks):  # noqa: F811
    hooks = endpoints(["certificate.issued"])
    course = make_course(days=(-2,), minutes=60)
    session = course.sessions.get()
    people = [make_person(), make_person(org=site.organisations["Cooperativa Nazareth"])]
    for person in people:
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
        AttendanceRecord.objects.create(session=session, person=person, minutes=60, source="checkin")
    with django_capture_on_commit_callbacks(execute=True):
        result = bulk.issue_for_course(course)
    assert result.created == 2
    webhooks.deliver_pending()
    assert [b["data"]["person"] for b in verified(receiver.received, hooks["gamma"])] == [people[0].pk]
    assert sorted(b["data"]["person"] for b in verified(receiver.received, hooks["staff"])) == sorted(
        p.pk for p in people)
    assert {b["type"] for b in verified(receiver.received, hooks["staff"])} == {"certificate.issued"}


def test_a_certificate_issued_then_revoked_moves_the_obligation_status_both_ways(
        site, receiver, endpoints, make_course, make_person, staff_user,  # noqa: F811
        django_capture_on_commit_callbacks):
    load_catalogue(Obligation)
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    RiskProfile.objects.create(organisation=gamma, risk_class="medium", first_aid_group="B")
    workers = Obligation.objects.get(code="workers-medium")
    hooks = endpoints(["obligation.status_changed"])
    worker = make_person(org=gamma, job_role="OSS")
    ExternalTraining.objects.create(person=worker, obligation=workers, title="Formazione lavoratori",
                                    date=TODAY.replace(year=TODAY.year - 5) + datetime.timedelta(days=40),
                                    hours=Decimal(12), delivery_mode="classroom")
    refresher = make_course(days=(-3,), minutes=360)
    CourseModule.objects.create(course=refresher, obligation=workers, title="Aggiornamento", hours=6,
                                delivery_mode="videoconference")
    move_into_the_past(refresher)
    Registration.objects.create(course=refresher, person=worker, status=Registration.Status.CONFIRMED)
    record_minutes(refresher.sessions.get(), worker, 360, "checkin")
    with django_capture_on_commit_callbacks(execute=True):
        obligation_events.sweep(TODAY)  # known: due (the refresher is not certified yet)

    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue_certificate(refresher, worker)
    with django_capture_on_commit_callbacks(execute=True):
        revoke(certificate, "Registro firme incompleto", by=staff_user)

    moves = [(b["data"]["previous_status"], b["data"]["status"]) for b in verified(receiver.received, hooks["gamma"])]
    assert moves == [("due", "compliant"), ("compliant", "due")]
    assert verified(receiver.received, hooks["nazareth"]) == []


def test_training_records_of_several_people_in_one_transaction_are_all_compared(
        site, receiver, endpoints, make_person, staff_user, django_capture_on_commit_callbacks):  # noqa: F811
    load_catalogue(Obligation)
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    RiskProfile.objects.create(organisation=gamma, risk_class="medium", first_aid_group="B")
    workers = Obligation.objects.get(code="workers-medium")
    hooks = endpoints(["obligation.status_changed"])
    people = [make_person(org=gamma, job_role="OSS") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        obligation_events.sweep(TODAY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # as an HR import does
        for person in people[:2]:
            record_external_training(person, by=staff_user, obligation=workers, title="Formazione lavoratori",
                                     date=TODAY - datetime.timedelta(days=30), hours=Decimal(12),
                                     delivery_mode="classroom")
    moves = sorted((b["data"]["person"], b["data"]["previous_status"], b["data"]["status"])
                   for b in verified(receiver.received, hooks["gamma"]))
    assert moves == [(people[0].pk, "overdue", "compliant"), (people[1].pk, "overdue", "compliant")]


def test_a_hire_date_set_by_hr_is_announced_as_a_status_change(
        site, receiver, endpoints, make_person, staff_user, django_capture_on_commit_callbacks):  # noqa: F811
    load_catalogue(Obligation)
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    RiskProfile.objects.create(organisation=gamma, risk_class="medium", first_aid_group="B")
    hooks = endpoints(["obligation.status_changed"])
    worker = make_person(org=gamma, job_role="OSS")
    workers = Obligation.objects.get(code="workers-medium")
    with django_capture_on_commit_callbacks(execute=True):
        obligation_events.sweep(TODAY)  # untrained, no start date: overdue, recorded without an event
    with django_capture_on_commit_callbacks(execute=True):
        set_employment(worker, hired_on=TODAY + datetime.timedelta(days=10), by=staff_user)
    webhooks.deliver_pending()

    changes = [(b["data"]["obligation"], b["data"]["previous_status"], b["data"]["status"], b["data"]["deadline"])
               for b in verified(receiver.received, hooks["gamma"])]
    assert (workers.pk, "overdue", "due", (TODAY + datetime.timedelta(days=10)).isoformat()) in changes
    assert verified(receiver.received, hooks["nazareth"]) == []
