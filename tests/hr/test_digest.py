"""Monthly HR digest: content, scope, exactly once per officer and month."""

from __future__ import annotations

import datetime

from django.core import mail

from academy.competences.models import Requirement
from academy.competences.services import send_hr_digests
from academy.core.models import OutboxMessage


def test_digest_once_per_month_with_expiring_and_missing(site, make_course, make_person, make_officer, certify,
                                                          django_capture_on_commit_callbacks):
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    nazareth = site.organisations["Cooperativa Nazareth"]
    course = make_course(days=(-400,))
    Requirement.objects.create(organisation=gamma, course=course, renewal_months=12, label="Privacy annuale")
    today = datetime.date(2026, 5, 3)
    soon = make_person(org=gamma, first_name="Sara", last_name="Scadenza")
    certify(soon, course, on=datetime.date(2025, 6, 1))  # expires 2026-06-01: within 60 days
    make_person(org=gamma, first_name="Mario", last_name="Mancante")
    make_person(org=nazareth, first_name="Nora", last_name="Altrove")
    officer = make_officer(gamma)
    officer_row = officer.hr_roles.get()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_hr_digests(today) == 1
    message = OutboxMessage.objects.get(key=f"hr-digest:{officer_row.pk}:2026-05")
    assert message.to == officer.email
    # the officer has no language of their own: Italian
    assert "Sara Scadenza — Privacy annuale: in scadenza il 01/06/2026" in message.body
    assert "Mario Mancante — Privacy annuale: mai svolto" in message.body
    assert "Altrove" not in message.body and "Altrove" not in message.html_body
    assert len(mail.outbox) == 1
    # Same month: nothing new; next month: a new digest.
    assert send_hr_digests(today + datetime.timedelta(days=20)) == 0
    assert send_hr_digests(datetime.date(2026, 6, 1)) == 1
    assert OutboxMessage.objects.filter(key__startswith="hr-digest:").count() == 2
