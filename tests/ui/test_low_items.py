"""Smaller things members meet (issue 27, item 9): a full course tells a visitor they can join the waiting
list, a past one offers no sign-in to register, and My Academy lists a re-registered course once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.registrations import services
from academy.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_join_the_waiting_list_on_a_full_course(client, make_course, make_person):
    course = make_course(capacity=1)
    Registration.objects.create(course=course, person=make_person(), status=Registration.Status.CONFIRMED)
    html = client.get(course.url).content.decode()
    assert "Accedi per entrare in lista d&#x27;attesa" in html or "Accedi per entrare in lista d'attesa" in html
    assert "Accedi per iscriverti" not in html


def test_a_visitor_is_not_invited_to_register_for_a_past_course(client, make_course):
    course = make_course(days=(-3,))
    html = client.get(course.url).content.decode()
    assert 'data-testid="login-to-register"' not in html


def test_my_academy_lists_a_re_registered_course_once(client, make_course, make_person):
    course = make_course()
    person = make_person()
    first = services.register(person, course, by=person.user, consent_version="v")
    services.cancel(first, by=person.user)
    services.register(person, course, by=person.user, consent_version="v")
    client.force_login(person.user)
    html = client.get(reverse("my_academy")).content.decode()
    assert html.count(f">{course.title}</a>") == 1


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_the_privacy_checkbox_is_asked_again_only_when_the_notice_changed(client, make_course, make_person, settings):
    settings.ACADEMY = {**settings.ACADEMY, "PRIVACY_NOTICE_VERSION": "2026-01"}
    first, second = make_course(), make_course()
    person = make_person()
    client.force_login(person.user)
    assert 'name="consent" value="2026-01" required' in client.get(first.url).content.decode()
    client.post(reverse("registrations:register", args=[first.pk]), {"consent": "2026-01"})

    html = client.get(second.url).content.decode()
    assert 'type="checkbox" name="consent"' not in html and 'data-testid="consent-on-record"' in html
    client.post(reverse("registrations:register", args=[second.pk]), {})  # nothing ticked: the record holds
    assert Registration.objects.get(course=second, person=person).consent_version == "2026-01"

    settings.ACADEMY = {**settings.ACADEMY, "PRIVACY_NOTICE_VERSION": "2026-06"}  # a new notice
    third = make_course()
    assert 'type="checkbox" name="consent"' in client.get(third.url).content.decode()
    client.post(reverse("registrations:register", args=[third.pk]), {})
    assert not Registration.objects.filter(course=third).exists()


@pytest.mark.parametrize("msgid, name", [
    ("You passed the test with %(score)s%%.", "score"),
    ("To count, attend at least %(minimum)s%% of the hours; your connection times are recorded in the plan's "
     "register.", "minimum"),
])
def test_italian_percentages_read_well_with_80(msgid, name):
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("it"):
        text = gettext(msgid) % {name: 80}
    assert text != msgid % {name: 80} and "il 80" not in text  # translated, and no "il 80%"


@pytest.mark.parametrize("msgid, values", [
    ("%(person)s registered for %(course)s: %(status)s.", {"person": "Anna Rossi", "status": "confermata"}),
    ("A seat is free: you are now registered for %(course)s", {}),
])
def test_italian_course_titles_follow_a_fitting_preposition(msgid, values):
    """Issue 27: "a Aggiornamento sicurezza…" is wrong Italian; "al corso “Aggiornamento…”" fits any title."""
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    with translation.override("it"):
        texts = [gettext(msgid) % {"course": "Aggiornamento sicurezza", **values},
                 ngettext("%(count)s person registered for %(course)s.", "%(count)s people registered for %(course)s.",
                          2) % {"count": 2, "course": "Aggiornamento sicurezza"}]
    for text in texts:
        assert "al corso “Aggiornamento sicurezza”" in text and " a Aggiornamento" not in text


def test_italian_declaration_reads_well_with_80():
    from django.utils import translation
    from django.utils.translation import gettext

    msgid = ("that %(reaching)s of %(total)s learners attended at least %(minimum)s%% of the planned hours, as "
             "shown in the attached summary.")
    with translation.override("it"):
        text = gettext(msgid) % {"reaching": 3, "total": 4, "minimum": 80}
    assert text != msgid % {"reaching": 3, "total": 4, "minimum": 80} and "il 80" not in text
