"""Calendar files parse back with icalendar and carry what RFC 5545 and calendar apps need."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def assert_valid_event(event: icalendar.Event) -> None:
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "LOCATION"):
        assert prop in event, prop
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime.datetime) and start.tzinfo is not None
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"


def test_course_ics_is_valid_with_rome_timezone(client, make_course):
    course = make_course(kind="masterclass", days=(3, 10))
    cal = parse(client.get(reverse("calendar:course", args=[course.pk])))
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Rome"]
    events = cal.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        assert_valid_event(event)
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART").astimezone(datetime.UTC) == course.scheduled_sessions()[0].starts_at
    assert first.decoded("DTSTART").hour == 15  # Europe/Rome wall time
    assert len({str(e["UID"]) for e in events}) == 2


def test_uid_is_stable_across_downloads_and_languages(client, site, make_course):
    course = make_course(english=True)
    english = course.get_translation(site.en)
    uid_it = parse(client.get(reverse("calendar:course", args=[course.pk]))).walk("VEVENT")[0]["UID"]
    uid_en = parse(client.get(reverse("calendar:course", args=[english.pk]))).walk("VEVENT")[0]["UID"]
    uid_again = parse(client.get(reverse("calendar:course", args=[course.pk]))).walk("VEVENT")[0]["UID"]
    assert uid_it == uid_en == uid_again


def test_public_calendars_never_contain_a_join_link(client, make_course):
    course = make_course()
    body = client.get(reverse("calendar:course", args=[course.pk])).content.decode()
    assert "teams.microsoft.com/l/meetup-join" not in body
    assert "Microsoft Teams" in icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["LOCATION"]


def test_programme_feed_all_and_by_area(client, make_course):
    make_course(title="Nidi", areas=("educazione",))
    make_course(title="Digitale", areas=("digitale",))
    all_events = parse(client.get(reverse("calendar:programme"))).walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in all_events} == {"Nidi", "Digitale"}
    for event in all_events:
        assert_valid_event(event)
    area_events = parse(client.get(reverse("calendar:area", args=["educazione"]))).walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in area_events} == {"Nidi"}
    assert client.get(reverse("calendar:area", args=["no-such-area"])).status_code == 404


def test_unpublished_course_has_no_calendar(client, make_course):
    course = make_course()
    course.unpublish()
    assert client.get(reverse("calendar:course", args=[course.pk])).status_code == 404


def test_rescheduling_bumps_sequence(make_course):
    course = make_course()
    session = course.sessions.get()
    assert session.sequence == 0
    session.title = "Nuovo titolo"
    session.save()
    assert session.sequence == 0
    session.starts_at += datetime.timedelta(hours=1)
    session.ends_at += datetime.timedelta(hours=1)
    session.save()
    session.refresh_from_db()
    assert session.sequence == 1
