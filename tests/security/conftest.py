"""Realistic data for the security tests: one registrant with every kind of personal trace (a
registration with a Teams link, attendance, a certificate, a masterclass application, external training
with an attachment), the people involved with it, and outsiders who must see none of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academy.attendance.intervals import replace_intervals
from academy.attendance.services import checkin_token, record_minutes
from academy.competences.models import ExternalTraining
from academy.courses.models import Session, Trainer
from academy.funding.models import FundedPlan
from academy.funding.services import inspectors
from academy.materials import services as materials
from academy.network.models import HROfficer, MembershipRequest, Person
from academy.registrations import services as registrations
from academy.registrations.models import Registration
from certificates.services import issue_certificate
from cms.editorial import setup_editorial_roles
from masterclass import services as masterclass
from webinars.models import TeamsMeeting, UnmatchedAttendance

JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRETJOINLINK%40thread.v2/0"
FISCAL_CODE = "RSSMRA85T10A562S"
OTHER_FISCAL_CODE = "NZRNDA80A41D150X"


@dataclass
class World:
    past_course: object
    course: object
    masterclass: object
    other_course: object
    registrant: Person
    registration: object
    past_registration: object
    certificate: object
    application: object
    material: object
    training: ExternalTraining
    membership_request: MembershipRequest
    unmatched: UnmatchedAttendance
    trainer_user: object
    staff: object
    viewers: dict = field(default_factory=dict)
    plan: object = None
    inspector_user: object = None
    other_plan: object = None
    other_worker: Person | None = None

    @property
    def secrets(self) -> dict[str, str]:
        return {"e-mail": self.registrant.email, "codice fiscale": FISCAL_CODE, "Teams join URL": JOIN_URL,
                "Teams meeting id": "SECRETJOINLINK", "certificate code": self.certificate.code}


def move_into_the_past(course) -> None:
    yesterday = datetime.timedelta(days=1)
    for session in Session.objects.filter(course=course):
        delta = (session.starts_at.date() - datetime.date.today()) + yesterday
        Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - delta,
                                                     ends_at=session.ends_at - delta)
    course.refresh_schedule()


def _user(username: str, **extra):
    return get_user_model().objects.create_user(username, username, "pw-12345!", **extra)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(site, make_course, make_person, member_org) -> World:
    staff = _user("staff@example.coop", is_staff=True, is_superuser=True)
    trainer_user = _user("formatrice@example.coop")
    trainer = Trainer.objects.create(name="Formatrice Coinvolta", user=trainer_user)
    other_trainer_user = _user("altro.formatore@example.coop")
    other_trainer = Trainer.objects.create(name="Formatore Estraneo", user=other_trainer_user)

    past_course = make_course(title="Privacy: aggiornamento", days=(7,))
    course = make_course(title="Webinar futuro", days=(14,))
    mc = make_course(kind="masterclass", title="Masterclass welfare", days=(10, 20), capacity=5,
                     registration_mode="application").specific
    other_course = make_course(title="Corso di altri", days=(21,))
    for page, who in ((past_course, trainer), (course, trainer), (mc, trainer), (other_course, other_trainer)):
        page.trainers.add(who)
        page.save()

    registrant = make_person(org=member_org, email="mario.segreto@gruppogamma.coop", fiscal_code=FISCAL_CODE,
                             first_name="Mario", last_name="Segreto")
    for page in (past_course, course):
        for session in page.sessions.all():
            TeamsMeeting.objects.create(session=session, meeting_id="SECRETJOINLINK-meeting", join_url=JOIN_URL,
                                        backend="dry-run")
    past_registration = registrations.register(registrant, past_course, by=registrant.user, consent_version="v1")
    registration = registrations.register(registrant, course, by=registrant.user, consent_version="v1")
    for session in past_course.sessions.all():
        record_minutes(session, registrant, session.planned_minutes, "teams")
    move_into_the_past(past_course)
    certificate = issue_certificate(past_course, registrant)

    application = masterclass.submit_application(
        registrant, mc, role="Coordinatore", motivation="Motivazione", endorser_name="Presidente",
        endorser_email="presidente@gruppogamma.coop", organisation=member_org)
    material = materials.add_material(
        mc.sessions.first(), title="Slide", by=trainer_user,
        upload=SimpleUploadedFile("slide.pdf", b"%PDF-1.4\n% slides\n", content_type="application/pdf"))
    training = ExternalTraining.objects.create(person=registrant, title="Corso esterno", date=datetime.date(2024, 5, 2),
                                               hours=4)
    training.attachment.save("attestato.pdf", ContentFile(b"%PDF-1.4\n% attestato\n"))
    membership_request = MembershipRequest.objects.create(person=registrant, organisation_name="Gruppo Gamma")
    unmatched = UnmatchedAttendance.objects.create(session=past_course.sessions.first(),
                                                   email=registrant.email, display_name="Mario Segreto",
                                                   minutes=30)

    nazareth = site.organisations["Cooperativa Nazareth"]
    hr_other = _user("hr@nazareth.coop")
    HROfficer.objects.create(user=hr_other, organisation=nazareth)
    make_person(org=nazareth, email="collega@nazareth.coop")
    non_member_user = _user("esterno@gmail.com")
    Person.objects.create(user=non_member_user, first_name="Esterno", last_name="Privato",
                          email="esterno@gmail.com", organisation=None, email_verified=True)
    member_not_involved = make_person(org=member_org, email="luigi.estraneo@gruppogamma.coop").user

    world = World(past_course=past_course, course=course, masterclass=mc, other_course=other_course,
                  registrant=registrant, registration=registration, past_registration=past_registration,
                  certificate=certificate, application=application, material=material, training=training,
                  membership_request=membership_request, unmatched=unmatched, trainer_user=trainer_user,
                  staff=staff)
    editorial = setup_editorial_roles()
    editor, moderator = _user("redattrice@example.coop"), _user("moderatore@example.coop")
    editor.groups.add(editorial.editors)
    moderator.groups.add(editorial.moderators)
    world.viewers = {"anonymous": None, "non-member": non_member_user, "member not involved": member_not_involved,
                     "other cooperative's HR officer": hr_other, "trainer of another course": other_trainer_user,
                     "editor": editor, "moderator": moderator}
    world.checkin_token = checkin_token(registration)
    return world


@pytest.fixture
def funded_world(world, site, make_person) -> World:
    """The world with two funded plans of two cooperatives sharing the past course: Gruppo Gamma's plan
    (the registrant's) and Nazareth's, with a Nazareth worker at the same session. Nazareth's responsible
    person and inspector are among the viewers and must see nothing of Gamma's workers. Separate from
    ``world``: a plan puts the registrant's course file under a legal hold, which the erasure tests do
    not expect."""
    staff, past_course, other_course = world.staff, world.past_course, world.other_course
    gamma, nazareth = world.registrant.organisation, site.organisations["Cooperativa Nazareth"]
    plan = FundedPlan.objects.create(title="Piano finanziato", plan_code="SWEEP/1", responsible_name="Resp",
                                     proposer=gamma, responsible_user=_user("presidente@gruppogamma.coop"),
                                     starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2030, 1, 1))
    plan.courses.add(past_course)
    other_plan = FundedPlan.objects.create(title="Altro piano", plan_code="SWEEP/2", responsible_name="Resp",
                                           proposer=nazareth, responsible_user=_user("presidente@nazareth.coop"),
                                           starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2030, 1, 1))
    other_plan.courses.add(past_course, other_course)
    worker = make_person(org=nazareth, email="nadia.nazareno@nazareth.coop", fiscal_code=OTHER_FISCAL_CODE,
                         first_name="Nadia", last_name="Nazareno")
    Registration.objects.create(course=past_course, person=worker, status=Registration.Status.CONFIRMED)
    session = past_course.sessions.first()
    replace_intervals(session, worker, "teams", [(session.starts_at, session.ends_at)])
    now = timezone.now()
    own_inspector, _pw = inspectors.create_inspector(plan, name="Ispettore", email="ispettore@fondo.example",
                                                     valid_from=now - datetime.timedelta(days=1),
                                                     valid_until=now + datetime.timedelta(days=1), by=staff)
    other_inspector, _pw = inspectors.create_inspector(other_plan, name="Ispettore estraneo",
                                                       email="altro.ispettore@fondo.example",
                                                       valid_from=now - datetime.timedelta(days=1),
                                                       valid_until=now + datetime.timedelta(days=1), by=staff)
    world.plan, world.inspector_user = plan, own_inspector.user
    world.other_plan, world.other_worker = other_plan, worker
    world.viewers["inspector of another plan"] = other_inspector.user
    world.viewers["responsible person of another plan"] = other_plan.responsible_user
    return world
