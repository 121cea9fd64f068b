"""ECM credits: external accredited providers and the Academy's accredited courses, in the current
three-year cycle, on My Academy and in the HR view."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from academy.competences.engine import person_compliance
from academy.competences.external import record_ecm_credits
from academy.obligations.models import CourseEcm, Designation
from academy.obligations.rules import ecm_cycle


def test_ecm_progress_counts_external_and_academy_credits_in_the_cycle(site, make_person, make_course, client,
                                                                         certify, make_officer, member_org):
    nurse = make_person(first_name="Ines", last_name="Infermiera", job_role="Infermiera")
    Designation.objects.create(person=nurse, role="health_professional")
    today = timezone.localdate()
    start, end = ecm_cycle(today)
    record_ecm_credits(nurse, ecm_provider_id="1234", provider="Provider Salute", ecm_event_id="55-1",
                       credits=Decimal("30"), date=start)
    record_ecm_credits(nurse, ecm_provider_id="1234", provider="Provider Salute", ecm_event_id="40-9",
                       credits=Decimal("50"), date=start - datetime.timedelta(days=1))  # previous cycle
    course = make_course(days=(-2,), title="Rischio clinico")
    CourseEcm.objects.create(course=course, provider_id="9876", provider_name="Provider Academy",
                             event_id="777-1", credits=Decimal("12.5"))
    certify(nurse, course, on=today - datetime.timedelta(days=2))
    ecm = next(i for i in person_compliance(nurse).items if i.unit == "credits")
    assert (ecm.done, ecm.missing, ecm.deadline) == (Decimal("42.5"), Decimal("107.5"), end)

    client.force_login(nurse.user)
    page = client.get(reverse("my_academy")).content.decode()
    assert f"triennio {start.year}–{end.year}" in page  # Italian page: "Crediti ECM, triennio 2026–2028"
    assert "42,5" in page or "42.5" in page

    other = make_person(job_role="Educatore")
    client.force_login(other.user)
    assert 'data-testid="ecm-progress"' not in client.get(reverse("my_academy")).content.decode()

    client.force_login(make_officer(member_org))
    hr_page = client.get(reverse("hr:person", args=[nurse.pk])).content.decode()
    assert "ECM" in hr_page and ("107.5" in hr_page or "107,5" in hr_page)
