"""The demo loader builds a working HR scenario and is idempotent."""

from __future__ import annotations

from django.urls import reverse

from academy.competences.models import Competence, Requirement
from academy.competences.services import DUE, LAPSED, OVERDUE, people_in_scope, training_records
from academy.courses.models import CoursePage
from cms import demo
from cms.demo import hr as hr_demo


def test_demo_loader(site, client):
    demo.load_programme(site)
    hr_demo.load_competences(site)
    hr_demo.load_competences(site)  # twice: nothing duplicated
    assert Competence.objects.count() == len(hr_demo.COMPETENCES)
    assert Requirement.objects.count() == 1
    privacy = CoursePage.objects.get(slug="privacy-tutela-salute-adempimenti", locale=site.it)
    assert set(privacy.competences.values_list("slug", flat=True)) == {"protezione-dati", "competenze-digitali"}
    assert client.login(username=hr_demo.DEMO_HR_USERNAME, password=hr_demo.DEMO_HR_PASSWORD)
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username=hr_demo.DEMO_HR_USERNAME)
    records = training_records(people_in_scope(officer))
    by_email = {r.person.email: r for r in records.values()}
    assert by_email["chiara.galli@gruppogamma.coop"].status == DUE
    assert by_email["marco.ricci@gruppogamma.coop"].status in (LAPSED, OVERDUE)
    assert client.get(reverse("hr:dashboard")).status_code == 200
