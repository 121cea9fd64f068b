"""Demo funded training: one Fon.Coop plan with a past online webinar whose Teams attendance was
imported with several join/leave intervals per person (and the raw report archived), and an in-person
session with check-in and check-out, plus an inspector account for the plan.

Inspector: ``ispettore@foncoop.example`` / ``academy-inspector`` (sees only this plan).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from academy.attendance.models import AttendanceInterval, RawAttendanceReport
from academy.attendance.services import replace_intervals
from academy.courses.models import CoursePage
from academy.funding.models import FundedPlan, InspectorAccess
from academy.network.models import Person
from academy.registrations.models import Registration
from masterclass.models import MasterclassPage

from .base import demo_password, shown_password
from .courses import DemoCourse, ensure_course

PLAN_CODE = "AVS/055/2026/0142"
WEBINAR_SLUG = "attrattivita-professioni-cura"
WORKSHOP_SLUG = "laboratorio-progettazione-finanziata"
INSPECTOR = "ispettore@foncoop.example"
INSPECTOR_PASSWORD = "academy-inspector"

# e-mail → intervals as minutes from the webinar's start (join, leave): drops, rejoins, a second device.
WEBINAR_INTERVALS = {
    "giulia.ferrari@gruppogamma.coop": [(-8, 45), (44, 121)],
    "chiara.galli@gruppogamma.coop": [(2, 38), (41, 80), (75, 113)],
    "marco.ricci@gruppogamma.coop": [(0, 25), (50, 60), (85, 112)],
}
# Codici fiscali of the demo learners (made-up, valid check characters). Marco Ricci has none: the
# webinar's register shows what an incomplete register looks like; the workshop's is complete.
FISCAL_CODES = {
    "giulia.ferrari@gruppogamma.coop": "FRRGLI85A41H501B",
    "chiara.galli@gruppogamma.coop": "GLLCHR90C52F205V",
    "paolo.conti@gruppogamma.coop": "CNTPLA78M12L219I",
}
# e-mail → (check-in, check-out) minutes from the workshop's start; a break means two intervals.
WORKSHOP_CHECKINS = {
    "giulia.ferrari@gruppogamma.coop": [(-5, 95), (110, 215)],
    "chiara.galli@gruppogamma.coop": [(0, 210)],
    "paolo.conti@gruppogamma.coop": [(20, 120)],
}


def workshop_spec() -> DemoCourse:
    return DemoCourse(
        WORKSHOP_SLUG, MasterclassPage,
        "Laboratorio: progettare la formazione finanziata",
        "Workshop: designing funded training",
        "<p>Una giornata in presenza per imparare a leggere un avviso dei fondi interprofessionali e a "
        "progettare un piano formativo condiviso.</p>",
        ["Leggere un avviso", "Dal fabbisogno al piano formativo", "Rendicontare le ore"],
        ["politiche-lavoro"], ["Francesca Battistoni"], [(-20, (9, 30), (13, 30), "in_person")], hours="4",
        capacity=30, abstract_en="<p>A day in person on reading a fund's call and designing a shared "
                                 "training plan.</p>",
        topics_en=["Reading a call", "From needs to a training plan", "Reporting the hours"])


def _person(email: str) -> Person | None:
    return Person.objects.filter(email=email).first()


def _at(start: datetime.datetime, minutes: int) -> datetime.datetime:
    return start + datetime.timedelta(minutes=minutes)


def _import_webinar(webinar: CoursePage) -> None:
    session = webinar.sessions.order_by("starts_at").first()
    if session is None or RawAttendanceReport.objects.filter(session=session).exists():
        return
    start = session.starts_at
    records = []
    for email, spans in WEBINAR_INTERVALS.items():
        person = _person(email)
        if person is None:
            continue
        Registration.objects.get_or_create(course=webinar, person=person,
                                           defaults={"status": Registration.Status.CONFIRMED})
        intervals = [(_at(start, a), _at(start, b)) for a, b in spans]
        replace_intervals(session, person, "teams", intervals)
        records.append({
            "id": f"demo-{person.pk}", "emailAddress": email, "role": "Attendee",
            "totalAttendanceInSeconds": int(sum((b - a).total_seconds() for a, b in intervals)),
            "identity": {"id": "", "displayName": person.full_name, "tenantId": None},
            "attendanceIntervals": [{"joinDateTime": a.isoformat(), "leaveDateTime": b.isoformat(),
                                     "durationInSeconds": int((b - a).total_seconds())} for a, b in intervals]})
    RawAttendanceReport.objects.create(session=session, report_id="demo-report-1", payload={
        "id": "demo-report-1", "totalParticipantCount": len(records),
        "meetingStartDateTime": _at(start, -10).isoformat(), "meetingEndDateTime": _at(start, 125).isoformat(),
        "attendanceRecords": records})


def _check_in_workshop(workshop: CoursePage) -> None:
    session = workshop.sessions.order_by("starts_at").first()
    if session is None or AttendanceInterval.objects.filter(session=session).exists():
        return
    trainer = workshop.trainers.exclude(user=None).first()
    for email, spans in WORKSHOP_CHECKINS.items():
        person = _person(email)
        if person is None:
            continue
        Registration.objects.get_or_create(course=workshop, person=person,
                                           defaults={"status": Registration.Status.CONFIRMED})
        replace_intervals(session, person, "checkin",
                          [(_at(session.starts_at, a), _at(session.starts_at, b)) for a, b in spans],
                          by=trainer.user if trainer else None)


def load_funding(ctx) -> None:
    webinar = CoursePage.objects.filter(locale=ctx.it, slug=WEBINAR_SLUG).first()
    if webinar is None:
        return
    workshop = ensure_course(ctx, workshop_spec())
    gamma = ctx.organisations.get("Cooperativa Gruppo Gamma")
    plan, created = FundedPlan.objects.get_or_create(plan_code=PLAN_CODE, defaults={
        "fund": FundedPlan.Fund.FONCOOP, "title": "Competenze per il lavoro di cura 2026",
        "call_code": "Avviso 55", "protocol_code": "FC-2026-0142", "project_code": "PRG-01",
        "proposer": gamma, "responsible_name": "Maria Bianchi", "responsible_role": "legale rappresentante",
        "responsible_email": "presidenza@gruppogamma.coop", "minimum_attendance": 70,
        "starts_on": ctx.today - datetime.timedelta(days=90), "ends_on": ctx.today + datetime.timedelta(days=90)})
    plan.courses.add(webinar.specific, workshop)
    for email, code in FISCAL_CODES.items():
        Person.objects.filter(email=email, fiscal_code="").update(fiscal_code=code)
    _import_webinar(webinar.specific)
    _check_in_workshop(workshop)
    users = get_user_model()
    if not users.objects.filter(username=INSPECTOR).exists():
        user = users.objects.create_user(username=INSPECTOR, email=INSPECTOR, password=demo_password(INSPECTOR_PASSWORD))
        now = timezone.now()
        InspectorAccess.objects.create(plan=plan, user=user, name="Ispettore Fon.Coop", body="Fon.Coop",
                                       valid_from=now - datetime.timedelta(days=1),
                                       valid_until=timezone.make_aware(datetime.datetime.combine(
                                           plan.ends_on, datetime.time(23, 59))))
        ctx.log.append(f"inspector {INSPECTOR} (password {shown_password(INSPECTOR_PASSWORD)})")
    if created:
        ctx.log.append(f"funded plan {PLAN_CODE}")
