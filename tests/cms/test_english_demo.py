"""Issue 14: English pages of the demo show English content, and each page its own language's fields."""

from __future__ import annotations

import pytest
from django.test import override_settings

from academy.core.urls import check_site_url, page_url
from cms import demo

pytestmark = pytest.mark.django_db

ITALIAN = ["Coordinatori", "Scopo e direzioni", "Giovani dirigenti", "Leggere scenari", "Rete nazionale",
           "pedagogista", "ricercatore", "numero chiuso", "Formazione come apprendimento",
           "Aggiornamento quinquennale", "Rischi specifici", "Movimentazione dei carichi"]


@pytest.fixture
def loaded():
    return demo.load_all()


def italian_in(body: str) -> list[str]:
    return [phrase for phrase in ITALIAN if phrase in body]


@pytest.mark.parametrize("path", ["/en/programme/masterclass-new-cooperative-leaders/",
                                  "/en/programme/educational-social-enterprises-resist-restart/",
                                  "/en/programme/workers-safety-refresher-6-hours/",
                                  "/en/about/", "/en/case-studies/the-cer-project-renewable-energy-communities/",
                                  "/en/case-studies/a-territorial-welfare-platform-in-sondrio/"])
def test_english_pages_have_no_italian_content(client, loaded, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert italian_in(response.content.decode()) == []


def test_english_demo_pages_have_english_addresses(loaded):
    """Issue 27: no Italian slug in an English address (the course and case-study pages of the demo)."""
    from academy.courses.models import CoursePage
    from masterclass.models import CaseStudyPage

    for model in (CoursePage, CaseStudyPage):
        for page in model.objects.filter(locale__language_code="en"):
            italian = page.get_translation(page.locale.get_default())
            assert page.slug != italian.slug, page.url


def test_english_case_studies_keep_their_sections(client, loaded):
    from masterclass.models import CaseStudyPage

    english = CaseStudyPage.objects.live().filter(locale__language_code="en")
    assert english.count() == CaseStudyPage.objects.live().filter(locale__language_code="it").count() >= 8
    for page in english:
        assert page.challenge and page.approach, page.slug  # each section in English, none left empty
        body = client.get(page.url).content.decode()
        assert "The challenge" in body and "The approach" in body, page.slug


def test_italian_pages_stay_italian(client, loaded):
    body = client.get("/it/programma/masterclass-nuova-classe-dirigente/").content.decode()
    assert "Scopo e direzioni" in body and "Giovani dirigenti" in body


def test_my_academy_in_english_shows_english_titles(client, loaded, make_person):
    from academy.courses.models import CoursePage
    from academy.registrations import services

    course = CoursePage.objects.get(slug="comunita-energetiche-rinnovabili", locale__language_code="it")
    person = make_person()
    services.register(person, course)
    client.force_login(person.user)
    body = client.get("/en/my-academy/").content.decode()
    assert "Renewable energy communities: a model for the territories" in body
    assert "Comunità energetiche rinnovabili" not in body


@override_settings(SITE_URL="https://academy.example.coop")
def test_page_links_use_site_url_even_with_two_wagtail_sites(loaded):
    from wagtail.models import Site

    from academy.courses.models import CoursePage

    Site.objects.create(hostname="other.example", port=80, root_page=loaded.home, is_default_site=False)
    course = CoursePage.objects.get(slug="comunita-energetiche-rinnovabili", locale__language_code="it")
    assert page_url(course) == "https://academy.example.coop" + course.get_url_parts()[2]


def test_unset_site_url_is_reported_in_production(settings):
    settings.DEBUG, settings.SITE_URL_IS_SET = False, False
    assert [w.id for w in check_site_url()] == ["core.W001"]
    settings.SITE_URL_IS_SET = True
    assert check_site_url() == []
