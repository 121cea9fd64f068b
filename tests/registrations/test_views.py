"""Pages and permissions: the course page's registration box, register/cancel over HTTP, My Academy,
calendar and data downloads, erasure, the registrant list (staff / trainers / others), the staff admin,
and the new-user journey (sign up, register, last seat, waiting list, promotion)."""

from __future__ import annotations

import datetime
import io
import json
import re
import threading

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from wagtail.models import Locale, Page

from academy.core.models import OutboxMessage
from academy.network.models import HROfficer, Person
from academy.registrations import services
from academy.registrations.models import Registration

pytestmark = pytest.mark.django_db


def register_url(course) -> str:
    return reverse("registrations:register", args=[course.pk])


def test_anonymous_sees_login_and_cannot_register(client, make_course):
    course = make_course()
    page = client.get(course.url)
    assert 'data-testid="login-to-register"' in page.content.decode()
    response = client.post(register_url(course), {"consent": "2026-12"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_non_member_sees_why_and_can_ask(client, make_course, make_person):
    course = make_course()
    outsider = make_person(org=None, email="mario@gmail.com")
    client.force_login(outsider.user)
    html = client.get(course.url).content.decode()
    assert 'data-testid="reg-blocker"' in html and "gmail.com" in html
    assert reverse("accounts:membership_request") in html
    client.post(register_url(course), {"consent": "2026-12"})
    assert not Registration.objects.exists()


def test_member_registers_with_consent_and_cancels(client, make_course, make_person):
    course = make_course(capacity=1)
    member = make_person()
    client.force_login(member.user)
    html = client.get(course.url).content.decode()
    assert 'data-testid="register-form"' in html and 'name="consent"' in html
    client.post(register_url(course), {})  # no consent: refused
    assert not Registration.objects.exists()
    client.post(register_url(course), {"consent": "2026-12"})
    registration = Registration.objects.get(person=member)
    assert registration.status == "confirmed" and registration.consent_version == "2026-12"
    html = client.get(course.url).content.decode()
    assert "You are registered" in html or "Sei iscritt" in html or 'data-testid="reg-status"' in html
    my = client.get(reverse("my_academy")).content.decode()
    assert course.title in my and reverse("registrations:calendar", args=[registration.pk]) in my
    ics = client.get(reverse("registrations:calendar", args=[registration.pk]))
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
    client.post(reverse("registrations:cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_json_api_and_duplicate(client, make_course, make_person):
    course = make_course(capacity=1)
    a, b = make_person(), make_person()
    client.force_login(a.user)
    response = client.post(register_url(course), {"consent": "v"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    again = client.post(register_url(course), {"consent": "v"}, HTTP_ACCEPT="application/json")
    assert again.status_code == 409
    client.force_login(b.user)
    waiting = client.post(register_url(course), {"consent": "v"}, HTTP_ACCEPT="application/json")
    assert waiting.json()["status"] == "waiting"
    html = client.get(course.url).content.decode()
    assert 'data-testid="reg-status"' in html


def test_registering_through_the_english_page_registers_on_the_italian_course(client, make_course, make_person):
    course = make_course(capacity=1, english=True)
    english = course.get_translation(Locale.objects.get(language_code="en"))
    first, second = make_person(), make_person()
    client.force_login(first.user)
    response = client.post(f"/en/my-academy/register/{english.pk}/", {"consent": "v"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    client.force_login(second.user)
    response = client.post(register_url(course), {"consent": "v"}, HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "waiting"  # one course, one capacity, whatever the language
    assert set(Registration.objects.values_list("course_id", flat=True)) == {course.pk}
    assert client.post("/it/my-academy/register/999999/", {"consent": "v"}).status_code == 404
    home = Page.objects.get(depth=2, locale__language_code="it")  # a page that is not a course
    assert client.post(f"/it/my-academy/register/{home.pk}/", {"consent": "v"}).status_code == 404


def test_the_register_read_carries_the_seat_counts_and_schedule_version(make_course, make_person):
    course = make_course(capacity=1, days=(3, 10))
    services.register(make_person(), course)
    services.register(make_person(), course)
    session = course.sessions.first()
    session.starts_at += datetime.timedelta(hours=1)
    session.save()  # a moved session: its SEQUENCE goes up
    read = services.registrable_course(course.pk)
    expected_sequence = sum(s.sequence for s in course.sessions.filter(cancelled=False))
    assert expected_sequence >= 1
    assert read.schedule_sequence == expected_sequence
    assert (read.capacity, read.live, read.canonical) == (1, True, read)


def test_other_people_cannot_touch_my_registration(client, make_course, make_person):
    course = make_course()
    owner, other = make_person(), make_person()
    registration = services.register(owner, course)
    client.force_login(other.user)
    assert client.post(reverse("registrations:cancel", args=[registration.pk])).status_code == 404
    assert client.get(reverse("registrations:calendar", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    # nor register someone else
    client.post(register_url(make_course()), {"consent": "v", "person": owner.pk})
    assert Registration.objects.filter(person=owner).count() == 1


def test_hr_officer_registers_own_staff_over_http(client, make_course, make_person, site):
    course = make_course()
    gamma, stripes = site.organisations["Cooperativa Gruppo Gamma"], site.organisations["Stripes Cooperativa Sociale"]
    employee = make_person(org=gamma, user=False)
    User = get_user_model()
    foreign_hr = User.objects.create_user("hr-stripes")
    HROfficer.objects.create(user=foreign_hr, organisation=stripes)
    client.force_login(foreign_hr)
    client.post(register_url(course), {"consent": "v", "person": employee.pk})
    assert not Registration.objects.exists()
    own_hr = User.objects.create_user("hr-gamma")
    HROfficer.objects.create(user=own_hr, organisation=gamma)
    client.force_login(own_hr)
    client.post(register_url(course), {"consent": "v", "person": employee.pk})
    assert Registration.objects.get(person=employee).registered_by == own_hr


def test_registrants_visibility(client, make_course, make_person, site):
    course = make_course()
    member = make_person(first_name="Lucia")
    services.register(member, course)
    url = reverse("registrations:registrants", args=[course.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(make_person().user)
    assert client.get(url).status_code == 403  # member
    User = get_user_model()
    hr = User.objects.create_user("hr")
    HROfficer.objects.create(user=hr, organisation=site.organisations["Stripes Cooperativa Sociale"])
    client.force_login(hr)
    assert client.get(url).status_code == 403  # another cooperative's HR officer
    trainer_user = User.objects.create_user("trainer")
    trainer = site.trainers["Mario Iesurum"]
    trainer.user = trainer_user
    trainer.save()
    course.trainers.add(trainer)
    course.save_revision().publish()
    client.force_login(trainer_user)
    html = client.get(url).content.decode()
    assert "Lucia" in html and "Cooperativa Gruppo Gamma" in html and member.email not in html
    staff = User.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert member.email in client.get(url).content.decode()


def test_my_data_and_erasure(client, make_course, make_person):
    course = make_course()
    member = make_person()
    services.register(member, course)
    client.force_login(member.user)
    data = json.loads(client.get(reverse("registrations:my_data")).content)
    assert data["person"]["email"] == member.email and data["registrations"][0]["consent_version"]
    client.post(reverse("registrations:erase"), {"confirm": "yes"})
    member.refresh_from_db()
    assert member.first_name == "Anonimo" and member.anonymised_at
    assert client.get(reverse("my_academy")).status_code == 302  # logged out
    assert services.counts(course)["cancelled"] == 1


def test_staff_admin_lists_filters_acts_and_exports(client, make_course, make_person):
    course, other = make_course(capacity=1), make_course(capacity=5)
    a, b, c = make_person(), make_person(), make_person()
    ra, rb = services.register(a, course), services.register(b, course)
    services.register(c, other)
    index = reverse("academy_registrations:index")
    client.force_login(a.user)
    assert client.get(index).status_code in (302, 403)
    assert client.post(reverse("academy_registration_action", args=[ra.pk, "cancel"])).status_code in (302, 403)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.coop", "pw")
    client.force_login(admin)
    html = client.get(index, {"course": course.pk}).content.decode()
    assert a.full_name in html and b.full_name in html and c.full_name not in html
    waiting = client.get(index, {"course": course.pk, "status": "waiting"}).content.decode()
    assert b.full_name in waiting and a.full_name not in waiting
    label = re.search(r'aria-controls="drilldown-id_status"[^\n]*#open">\s*([^<]+?)\s*<', html)
    assert label and label.group(1) == str(Registration._meta.get_field("status").verbose_name).capitalize()
    redirect_to = client.get(reverse("academy_course_registrations", args=[course.pk]))["Location"]
    assert redirect_to == f"{reverse('academy_course_operations', args=[course.pk])}?tab=registrations"
    assert client.get(reverse("academy_registration_action", args=[ra.pk, "cancel"])).status_code == 200
    client.post(reverse("academy_registration_action", args=[ra.pk, "cancel"]))
    ra.refresh_from_db()
    rb.refresh_from_db()
    assert (ra.status, rb.status) == ("cancelled", "confirmed")  # b promoted automatically
    csv = client.get(index, {"course": course.pk, "export": "csv"})
    text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert csv.status_code == 200 and b.email in text and c.email not in text
    xlsx = client.get(index, {"course": course.pk, "export": "xlsx"})
    body = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    assert xlsx.status_code == 200 and body[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    headings = [cell.value for cell in sheet[1]]
    assert "first_name" not in headings and "Nome" in headings  # the fields' Italian names
    assert sheet.title == "Iscrizioni"
    statuses = {row[headings.index("Stato")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert statuses == {str(Registration.Status.CONFIRMED.label), str(Registration.Status.CANCELLED.label)}


def test_new_user_journey(client, make_course, site):
    """Sign up with a member domain, register, a second fills the last seat, a third waits and is
    promoted when the first cancels."""
    course = make_course(capacity=2)
    users = []
    for name in ("uno", "due", "tre"):
        c = client.__class__()
        c.post(reverse("accounts:signup"), {
            "first_name": name, "last_name": "Prova", "email": f"{name}@gruppogamma.coop",
            "preferred_language": "it", "password1": "a-Long-passw0rd!", "password2": "a-Long-passw0rd!"})
        person_user = get_user_model().objects.get(username=f"{name}@gruppogamma.coop")
        message = OutboxMessage.objects.get(key__startswith=f"account:{person_user.pk}:verify:")
        c.get("/" + re.search(r"https?://[^/]+/(\S+)", message.body).group(1))
        c.post(register_url(course), {"consent": "2026-12"})
        users.append(Person.objects.get(email=f"{name}@gruppogamma.coop"))
        users[-1].client = c
    statuses = [Registration.objects.get(person=p).status for p in users]
    assert statuses == ["confirmed", "confirmed", "waiting"]
    first = Registration.objects.get(person=users[0])
    users[0].client.post(reverse("registrations:cancel", args=[first.pk]))
    third = Registration.objects.get(person=users[2], status__in=["confirmed", "waiting"])
    assert third.status == "confirmed"
    assert OutboxMessage.objects.filter(key__startswith=f"registration:{third.pk}:promoted:").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook(make_course, make_person):
    """Threads with their own connections race for 3 seats: exactly 3 confirmed, no duplicates."""
    course = make_course(capacity=3)
    people = [make_person() for _ in range(12)]
    barrier = threading.Barrier(len(people) + 2)
    errors: list[Exception] = []

    def attempt(person, twice=False):
        try:
            barrier.wait()
            for _ in range(2 if twice else 1):
                try:
                    services.register(person, course)
                except services.AlreadyRegistered:
                    pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    # the same person twice at once, too
    threads += [threading.Thread(target=attempt, args=(people[0], True)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    regs = Registration.objects.filter(course=course)
    assert regs.filter(status="confirmed").count() == 3
    assert regs.filter(status="waiting").count() == 9
    assert regs.count() == 12


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_waiting_list_joins_run_side_by_side_while_cancellations_hand_seats_on(make_course, make_person):
    """A full course: many join the waiting list while confirmed people cancel
    (exclusive lock). Seats freed are always filled, never more than capacity, nobody twice."""
    course = make_course(capacity=4)
    confirmed = [make_person() for _ in range(4)]
    for person in confirmed:
        services.register(person, course)
    joiners = [make_person() for _ in range(16)]
    leaving = list(Registration.objects.filter(course=course, status="confirmed")[:2])
    barrier = threading.Barrier(len(joiners) + len(leaving))
    errors: list[Exception] = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(lambda p=p: services.register(p, course),)) for p in joiners]
    threads += [threading.Thread(target=run, args=(lambda r=r: services.cancel(r, by=None),)) for r in leaving]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    regs = Registration.objects.filter(course=course)
    assert regs.filter(status="confirmed").count() == 4  # the two freed seats went to people waiting
    assert regs.filter(status="waiting").count() == 14
    assert regs.filter(status="cancelled").count() == 2
    promoted = set(regs.filter(status="confirmed").values_list("person_id", flat=True)) - {p.pk for p in confirmed}
    waiting_first = list(regs.filter(status__in=["confirmed", "waiting"], person_id__in=[p.pk for p in joiners])
                         .order_by("created_at", "pk").values_list("person_id", flat=True)[:2])
    assert promoted == set(waiting_first)  # first come, first promoted
