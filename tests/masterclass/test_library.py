"""The case-study library: combinable filters, full-text search with highlighted snippets,
pagination, languages, and each masterclass listing its case studies."""

from __future__ import annotations

import pytest
from django.conf import settings
from wagtail.rich_text import RichText

from cms import demo
from masterclass import library
from masterclass.models import CaseStudyIndexPage, CaseStudyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(site, make_course):
    """A library with four case studies, two of them presented in a masterclass."""
    index = CaseStudyIndexPage(title="Casi studio", slug="casi-studio")
    site.home.add_child(instance=index)
    demo.publish(index)
    masterclass = make_course(kind="masterclass", english=True).specific
    other = make_course(kind="masterclass").specific

    def add(slug, *, area, sector, territory, body, masterclasses=(), live=True, title=None):
        page = CaseStudyPage(title=title or slug.replace("-", " ").title(), slug=slug, area=site.areas[area],
                             sector=sector, territory=territory, body=[("paragraph", RichText(body))], live=live)
        page.masterclasses.set(list(masterclasses))
        index.add_child(instance=page)
        if live:
            demo.publish(page)
        else:
            page.save_revision()
        return page

    pages = {
        "rho": add("rhowelfare", area="digitale", sector="childhood", territory="Rho",
                   body="<p>Tutoring online e lettura di favole per i più piccoli.</p>", masterclasses=[masterclass]),
        "milano": add("welfarex-milano", area="cultura-rigenerazione", sector="culture", territory="Milano",
                      body="<p>Si vendono i biglietti per l'Abbazia di Chiaravalle &lt;script&gt;.</p>",
                      masterclasses=[masterclass, other]),
        "cremona": add("experience-the-change", area="digitale", sector="digital", territory="Cremona",
                       body="<p>I coordinatori ripensano i servizi in funzione digitale.</p>",
                       masterclasses=[other]),
        "napoli": add("napoliwelfare", area="socio-sanitario", sector="elderly", territory="Napoli",
                      body="<p>Assistenza domiciliare ad anziani e persone con disabilità.</p>"),
        "draft": add("bozza", area="digitale", sector="digital", territory="Rho",
                     body="<p>Una bozza su Chiaravalle non ancora pubblicata.</p>", live=False),
    }
    return {"index": index, "masterclass": masterclass, "other": other, "pages": pages, "site": site}


def titles(response) -> set[str]:
    return {page.title for page in response.context["results"]}


def test_filters_are_combinable(client, shelf):
    url = shelf["index"].url
    assert titles(client.get(url)) == {"Rhowelfare", "Welfarex Milano", "Experience The Change", "Napoliwelfare"}
    assert titles(client.get(url, {"area": "digitale"})) == {"Rhowelfare", "Experience The Change"}
    assert titles(client.get(url, {"area": "digitale", "sector": "digital"})) == {"Experience The Change"}
    assert titles(client.get(url, {"territory": "rho"})) == {"Rhowelfare"}
    key = str(shelf["masterclass"].translation_key)
    assert titles(client.get(url, {"masterclass": key})) == {"Rhowelfare", "Welfarex Milano"}
    assert titles(client.get(url, {"masterclass": key, "sector": "culture"})) == {"Welfarex Milano"}
    assert titles(client.get(url, {"masterclass": key, "area": "socio-sanitario"})) == set()
    assert titles(client.get(url, {"sector": "nonsense"})) == titles(client.get(url))  # ignored


def test_search_finds_a_word_of_the_body_with_highlighted_snippet(client, shelf):
    response = client.get(shelf["index"].url, {"q": "chiaravalle"})
    assert titles(response) == {"Welfarex Milano"}  # the draft mentioning it is not listed
    [study] = response.context["results"]
    assert "<mark>Chiaravalle</mark>" in study.snippet
    assert "&lt;script&gt;" in study.snippet and "<script>" not in study.snippet
    assert b"<mark>Chiaravalle</mark>" in response.content


def test_search_and_filters_combine(client, shelf):
    url = shelf["index"].url
    assert titles(client.get(url, {"q": "servizi"})) == {"Experience The Change"}
    assert titles(client.get(url, {"q": "favole", "area": "digitale"})) == {"Rhowelfare"}
    assert titles(client.get(url, {"q": "favole", "area": "socio-sanitario"})) == set()


def test_pagination_keeps_the_filters(client, shelf, monkeypatch):
    monkeypatch.setattr(library, "PAGE_SIZE", 1)
    first = client.get(shelf["index"].url, {"area": "digitale"})
    assert first.context["results"].paginator.num_pages == 2
    assert b"area=digitale&amp;page=2" in first.content
    second = client.get(shelf["index"].url, {"area": "digitale", "page": 2})
    assert titles(first) | titles(second) == {"Rhowelfare", "Experience The Change"}


def test_masterclass_page_lists_its_case_studies_in_each_language(client, shelf):
    content = client.get(shelf["masterclass"].url).content.decode()
    assert "Rhowelfare" in content and "Welfarex Milano" in content and "Napoliwelfare" not in content
    site = shelf["site"]
    demo.translate(shelf["index"], site.en, title="Case studies", slug="case-studies")
    demo.translate(shelf["pages"]["rho"], site.en, title="Rho welfare (EN)", slug="rhowelfare")
    english = shelf["masterclass"].get_translation(site.en)
    content = client.get(english.url).content.decode()
    assert "Rho welfare (EN)" in content and "Welfarex Milano" not in content


def test_snippet_escapes_and_marks():
    text = "Prima <b>grassetto</b> poi una piattaforma di welfare " + "parola " * 80 + "welfare finale"
    result = library.snippet(text, library.query_terms("Welfare piattaforma"), length=80)
    assert result.startswith("Prima &lt;b&gt;grassetto&lt;/b&gt;")
    assert "<mark>piattaforma</mark>" in result and "<mark>welfare</mark>" in result
    assert result.endswith("…")
    far = library.snippet(text, ["finale"], length=60)
    assert far.startswith("… ") and "<mark>finale</mark>" in far


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL full-text search")
def test_postgres_full_text_search(client, shelf):
    from wagtail.search.backends import get_search_backend

    assert "postgres" in type(get_search_backend()).__module__
    response = client.get(shelf["index"].url, {"q": "Abbazia Chiaravalle"})
    assert titles(response) == {"Welfarex Milano"}
    assert "<mark>Abbazia</mark>" in response.context["results"][0].snippet
    assert titles(client.get(shelf["index"].url, {"q": "domiciliare anziani", "territory": "Napoli"})) == {
        "Napoliwelfare"}


def test_a_case_study_shows_no_empty_separator(site):
    """Issue 27: sector, area and territory joined with " · " only where they have a value."""
    study = CaseStudyPage(title="Senza territorio", slug="senza-territorio", sector="culture", territory="  ")
    assert study.facts == [str(study.get_sector_display())]
    study.area, study.territory = site.areas["digitale"], "Rho"
    assert study.facts == [str(study.get_sector_display()), site.areas["digitale"].display_name, "Rho"]
