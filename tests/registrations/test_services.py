"""The registration service: eligibility gate, deadline, capacity, waiting list, promotion,
cancellation, duplicates, approval mode, HR officers, and the e-mails with their calendar files."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.core.outbox import render
from academy.courses.models import CoursePage
from academy.network.models import HROfficer, Organisation
from academy.registrations import services
from academy.registrations.models import Registration, RegistrationEvent
from academy.registrations.signals import join_url_wanted

pytestmark = pytest.mark.django_db


def written(key_prefix: str) -> OutboxMessage:
    """The outbox message under that key, written as the worker that delivers it writes it."""
    return render(OutboxMessage.objects.get(key__startswith=key_prefix))


def ics_of(message: OutboxMessage) -> icalendar.Calendar:
    import base64

    [attachment] = [a for a in message.attachments if a["filename"].endswith(".ics")]
    return icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))


def events_of(cal: icalendar.Calendar) -> list:
    return [c for c in cal.walk("VEVENT")]


def test_open_course_confirms_until_full_then_waits(make_course, make_person):
    course = make_course(capacity=2)
    people = [make_person() for _ in range(3)]
    regs = [services.register(p, course) for p in people]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waiting"]
    assert services.waiting_position(regs[2]) == 1
    assert services.counts(course)["confirmed"] == 2
    assert list(regs[0].events.values_list("action", flat=True)) == ["registered"]
    assert list(regs[2].events.values_list("action", flat=True)) == ["waitlisted"]


def test_confirmation_email_has_request_invitation(make_course, make_person):
    course = make_course(capacity=10, days=(5, 12), kind="masterclass")
    CoursePage.objects.filter(pk=course.pk).update(registration_mode="open")
    person = make_person(first_name="Giulia")
    reg = services.register(person, course)
    message = written(f"registration:{reg.pk}:confirmed:")
    assert message.to == person.email
    assert "Giulia" in message.body and course.title in message.body
    cal = ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    uids = sorted(str(e["UID"]) for e in events_of(cal))
    assert uids == sorted(s.ical_uid() for s in course.sessions.all())
    assert all(int(e["SEQUENCE"]) == 0 for e in events_of(cal))
    assert all(person.email in str(e["ATTENDEE"]) for e in events_of(cal))


def test_email_in_preferred_language(make_course, make_person):
    course = make_course(english=True)
    person = make_person(preferred_language="en")
    reg = services.register(person, course)
    message = written(f"registration:{reg.pk}:confirmed:")
    assert message.subject.startswith("Registration confirmed: Test course")
    assert "is confirmed" in message.body


def test_cancel_promotes_first_waiting_who_is_told(make_course, make_person):
    course = make_course(capacity=1)
    first, second, third = make_person(), make_person(), make_person()
    r1 = services.register(first, course)
    r2 = services.register(second, course)
    r3 = services.register(third, course)
    assert (r2.status, r3.status) == ("waiting", "waiting")
    services.cancel(r1, by=first.user)
    r1.refresh_from_db(), r2.refresh_from_db(), r3.refresh_from_db()
    assert (r1.status, r2.status, r3.status) == ("cancelled", "confirmed", "waiting")
    assert services.waiting_position(r3) == 1
    assert r2.events.filter(action="promoted").exists()
    promoted = written(f"registration:{r2.pk}:promoted:")
    assert ics_of(promoted)["METHOD"] == "REQUEST"
    cancelled = written(f"registration:{r1.pk}:cancelled:")
    cal = ics_of(cancelled)
    assert cal["METHOD"] == "CANCEL"
    [event] = events_of(cal)
    session = course.sessions.get()
    assert str(event["UID"]) == session.ical_uid()
    assert int(event["SEQUENCE"]) == session.sequence + 1


def test_cancel_is_idempotent_and_waiting_cancel_promotes_nobody(make_course, make_person):
    course = make_course(capacity=1)
    a, b, c = make_person(), make_person(), make_person()
    services.register(a, course)
    rb = services.register(b, course)
    rc = services.register(c, course)
    services.cancel(rb, by=b.user)
    services.cancel(rb, by=b.user)
    rc.refresh_from_db()
    assert rc.status == "waiting" and services.waiting_position(rc) == 1
    assert rb.events.filter(action="cancelled").count() == 1
    withdrawn = written(f"registration:{rb.pk}:withdrawn:")
    assert withdrawn.attachments == []


def test_duplicate_registration_refused(make_course, make_person):
    course = make_course()
    person = make_person()
    services.register(person, course)
    with pytest.raises(services.AlreadyRegistered):
        services.register(person, course)
    # after cancelling one may register again
    services.cancel(Registration.objects.get(person=person), by=person.user)
    assert services.register(person, course).status == "confirmed"


def test_translation_registers_on_canonical_course(make_course, make_person):
    course = make_course(english=True, capacity=1)
    english = course.get_translation(course.locale.__class__.objects.get(language_code="en")).specific
    a, b = make_person(), make_person()
    assert services.register(a, english).course_id == course.pk
    assert services.register(b, course).status == "waiting"
    with pytest.raises(services.AlreadyRegistered):
        services.register(a, course)


def test_deadline_passed_and_past_course(make_course, make_person):
    course = make_course(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    person = make_person()
    with pytest.raises(services.DeadlinePassed):
        services.register(person, course)
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    assert services.register(person, course, by=staff).status == "confirmed"
    past = make_course(days=(-3,))
    with pytest.raises(services.RegistrationClosed):
        services.register(make_person(), past)


def test_not_eligible_outsider(make_course, make_person):
    course = make_course()
    outsider = make_person(org=None, email="someone@gmail.com")
    with pytest.raises(services.NotEligible) as exc:
        services.register(outsider, course)
    assert "gmail.com" in exc.value.message
    assert not Registration.objects.exists()


def test_approval_mode(make_course, make_person):
    course = make_course(capacity=1, registration_mode="approval")
    a, b = make_person(), make_person()
    ra, rb = services.register(a, course), services.register(b, course)
    assert (ra.status, rb.status) == ("pending", "pending")
    member = a.user
    with pytest.raises(services.NotAllowed):
        services.approve(ra, by=member)
    staff = get_user_model().objects.create_user("boss", is_staff=True)
    assert services.approve(ra, by=staff).status == "confirmed"
    assert services.approve(rb, by=staff).status == "waiting"
    with pytest.raises(services.CourseFull):
        services.promote(rb, by=staff)
    assert services.promote(rb, by=staff, force=True).status == "confirmed"


def test_application_mode_only_via_application(make_course, make_person):
    course = make_course(kind="masterclass", registration_mode="application", capacity=5)
    person = make_person()
    with pytest.raises(services.RegistrationClosed):
        services.register(person, course)
    assert services.register(person, course, via_application=True).status == "confirmed"


def test_hr_officer_registers_own_staff_only(make_course, make_person, site):
    course = make_course()
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    stripes = site.organisations["Stripes Cooperativa Sociale"]
    employee = make_person(org=gamma, user=False)
    User = get_user_model()
    own_hr = User.objects.create_user("hr-gamma")
    HROfficer.objects.create(user=own_hr, organisation=gamma)
    consortium_hr = User.objects.create_user("hr-solco")
    HROfficer.objects.create(user=consortium_hr, organisation=site.organisations["Consorzio Solco Cremona"])
    other_hr = User.objects.create_user("hr-stripes")
    HROfficer.objects.create(user=other_hr, organisation=stripes)
    with pytest.raises(services.NotAllowed):
        services.register(employee, course, by=other_hr)
    with pytest.raises(services.NotAllowed):
        services.register(employee, course, by=make_person().user)
    reg = services.register(employee, course, by=own_hr)
    assert reg.registered_by == own_hr
    services.cancel(reg, by=consortium_hr)
    assert services.register(employee, course, by=consortium_hr).status == "confirmed"


def test_consent_recorded(make_course, make_person, settings):
    settings.ACADEMY = {**settings.ACADEMY, "PRIVACY_NOTICE_VERSION": "2026-07"}
    reg = services.register(make_person(), make_course())
    assert reg.consent_version == "2026-07" and reg.consent_at is not None


def test_reschedule_sends_update_with_bumped_sequence(make_course, make_person, django_capture_on_commit_callbacks):
    course = make_course(capacity=5)
    a, b = make_person(), make_person()
    ra = services.register(a, course)
    services.register(b, course)
    session = course.sessions.get()
    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at += datetime.timedelta(hours=1)
        session.ends_at += datetime.timedelta(hours=1)
        session.save()
    session.refresh_from_db()
    assert session.sequence == 1
    updates = OutboxMessage.objects.filter(key__contains=":updated:")
    assert updates.count() == 2
    cal = ics_of(updates.get(key__startswith=f"registration:{ra.pk}:"))
    [event] = events_of(cal)
    assert cal["METHOD"] == "REQUEST"
    assert str(event["UID"]) == session.ical_uid() and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == session.starts_at


def test_join_url_only_in_personal_invitation(make_course, make_person):
    course = make_course()
    def provider(sender, session, registration, **kwargs):
        return f"https://teams.example/join/{registration.person.pk}"

    join_url_wanted.connect(provider, dispatch_uid="test.join_url")
    try:
        reg = services.register(make_person(), course)
        message = written(f"registration:{reg.pk}:confirmed:")
    finally:
        join_url_wanted.disconnect(dispatch_uid="test.join_url")
    assert f"https://teams.example/join/{reg.person.pk}" in message.body
    [event] = events_of(ics_of(message))
    assert str(event["LOCATION"]) == f"https://teams.example/join/{reg.person.pk}"
    # never in the public course calendar
    from academy.courses.calendar import course_calendar

    assert b"teams.example" not in course_calendar(course)


def test_reminders_due_once(make_course, make_person):
    course = make_course(days=(1,))
    reg = services.register(make_person(), course)
    RegistrationEvent.objects.all()
    Registration.objects.filter(pk=reg.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    session = course.sessions.get()
    now = session.starts_at - datetime.timedelta(hours=23)
    assert services.send_due_reminders(now) == 1
    assert services.send_due_reminders(now + datetime.timedelta(minutes=1)) == 0
    assert services.send_due_reminders(session.starts_at - datetime.timedelta(minutes=50)) == 1
    assert services.send_due_reminders(session.starts_at - datetime.timedelta(minutes=49)) == 0
    kinds = sorted(k.split(":")[2] for k in OutboxMessage.objects.filter(key__contains="reminder")
                   .values_list("key", flat=True))
    assert kinds == ["reminder_1h", "reminder_24h"]
    assert services.send_due_reminders(session.starts_at - datetime.timedelta(hours=30)) == 0


def test_retention_purge(make_course, make_person, settings):
    settings.ACADEMY = {**settings.ACADEMY, "RETENTION_DAYS": 30}
    course = make_course(days=(3,))
    guest = make_person(user=False)
    member = make_person()
    staff = get_user_model().objects.create_user("s", is_staff=True)
    services.register(guest, course, by=staff)
    services.register(member, course)
    later = course.last_ends_at + datetime.timedelta(days=31)
    assert services.purge_expired_personal_data(course.last_ends_at + datetime.timedelta(days=29)) == 0
    assert services.purge_expired_personal_data(later) == 2
    assert services.purge_expired_personal_data(later) == 0
    guest.refresh_from_db(), member.refresh_from_db()
    assert guest.first_name == "Anonimo" and guest.anonymised_at
    assert member.anonymised_at is None
    assert services.counts(course)["confirmed"] == 2
    assert not Registration.objects.filter(registered_by__isnull=False).exists()


def test_inactive_organisation_member_not_eligible(make_course, make_person, site):
    org = Organisation.objects.create(name="Ex socia", tax_code="", email_domains="exsocia.coop",
                                      member_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(services.NotEligible):
        services.register(make_person(org=org), make_course())


def test_waiting_list_email_tells_the_position(make_course, make_person):
    """The waiting-list message tells the place in the queue as it is when the message is written."""
    course = make_course(capacity=1)
    people = [make_person() for _ in range(3)]
    regs = [services.register(p, course) for p in people]
    assert [r.status for r in regs] == ["confirmed", "waiting", "waiting"]
    for position, registration in ((1, regs[1]), (2, regs[2])):
        message = written(f"registration:{registration.pk}:waiting:")
        assert f" {position})." in message.body and message.to == registration.person.email
