"""Long dates and hours as each language writes them (``academy.core.formats``), and the sites that use
them: page and e-mail templates, the HR chart, certificate history notes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from academy.core.formats import hours, long_date
from certificates.services.issuing import attendance_note

TUESDAY = datetime.date(2026, 12, 8)


@pytest.mark.parametrize("lang, expected", [
    ("it", "martedì 8 dicembre 2026"),
    ("en", "Tuesday 8 December 2026"),
])
def test_long_date_writes_names_as_the_language_does(lang, expected):
    with translation.override(lang):
        assert long_date(TUESDAY, "l j F Y") == expected


def test_long_date_lowercases_abbreviations_and_keeps_times():
    with translation.override("it"):
        assert long_date(datetime.date(2026, 5, 4), "D j M Y") == "lun 4 mag 2026"
        moment = timezone.make_aware(datetime.datetime(2026, 10, 2, 15, 30), timezone.get_default_timezone())
        assert long_date(moment, "l j F Y, H:i") == "venerdì 2 ottobre 2026, 15:30"


@pytest.mark.parametrize("lang, value, expected", [
    ("it", Decimal("2.00"), "2"), ("it", Decimal("2.50"), "2,5"), ("it", Decimal("3.25"), "3,25"),
    ("it", 0, "0"), ("en", Decimal("2.50"), "2.5"), ("en", Decimal("2.00"), "2"),
])
def test_hours_drop_trailing_zeros_and_use_the_decimal_comma(lang, value, expected):
    with translation.override(lang):
        assert hours(value) == expected


def test_template_filters_in_an_italian_page():
    template = Template('{% load academy_formats %}{{ d|long_date:"l j F" }} · {{ h|hours }} h')
    with translation.override("it"):
        assert template.render(Context({"d": TUESDAY, "h": Decimal("2.00")})) == "martedì 8 dicembre · 2 h"


def test_session_list_in_e_mails_is_lower_case(db):
    starts = timezone.make_aware(datetime.datetime(2026, 12, 8, 15, 0), timezone.get_default_timezone())

    class S:  # the fields the e-mail partial reads
        starts_at, ends_at, title, venue, address, is_online = starts, starts, "", "", "", True

    with translation.override("it"):
        text = render_to_string("emails/registrations/_sessions.txt", {"sessions": [S()]})
    assert "martedì 8 dicembre 2026" in text and "Martedì" not in text


def test_certificate_history_notes_use_the_decimal_comma():
    with translation.override("it"):
        assert attendance_note(90, Decimal("1.50")) == "90 min, 1,5 h"
