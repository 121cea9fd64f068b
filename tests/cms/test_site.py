"""The public site: pages render in both languages, the catalogue filters and searches, query
counts do not grow with the number of courses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from academy.courses.models import CoursePage

pytestmark = pytest.mark.django_db


def test_home_programme_and_webinar_answer_in_both_languages(client, site, make_course):
    course = make_course(title="La gestione della privacy", english=True)
    english = course.get_translation(site.en)
    for url in ["/it/", "/en/", site.programme.url, site.programme.get_translation(site.en).url,
                course.url, english.url]:
        response = client.get(url)
        assert response.status_code == 200, url
    it_page = client.get(course.url).content.decode()
    en_page = client.get(english.url).content.decode()
    assert "La gestione della privacy" in it_page and 'lang="it"' in it_page
    assert "Test course" in en_page and 'lang="en"' in en_page
    # Both languages show the same (canonical) session date.
    assert "Training is free and open exclusively" in en_page
    assert en_page.count('data-testid="session"') == it_page.count('data-testid="session"') == 1


def test_root_redirects_to_italian(client, site):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/it/")


def test_public_course_page_shows_no_join_link_and_states_members_only(client, make_course):
    course = make_course()
    html = client.get(course.url).content.decode()
    assert "teams.microsoft.com" not in html
    assert "riservat" in html.lower() or "esclusivamente" in html.lower() or "exclusively" in html


def test_catalogue_page_renders_filters_and_ignores_bad_input(client, site, make_course):
    make_course(title="Nidi e infanzia", areas=("educazione",))
    make_course(title="Piattaforme digitali", areas=("digitale",))
    html = client.get(site.programme.url, {"area": "educazione"}).content.decode()
    assert "Nidi e infanzia" in html and "Piattaforme digitali" not in html
    response = client.get(site.programme.url, {"month": "2026-13", "format": "zzz", "period": "x"})
    assert response.status_code == 200
    assert "Piattaforme digitali" in response.content.decode()


def test_english_catalogue_lists_english_pages(client, site, make_course):
    make_course(title="Corso italiano", english=True)
    html = client.get(site.programme.get_translation(site.en).url).content.decode()
    assert "Test course" in html and "Corso italiano" not in html


@pytest.mark.parametrize("lang", ["it", "en"])
def test_catalogue_query_count_does_not_grow_with_courses(client, site, make_course, lang):
    def count_queries():
        url = site.programme.url if lang == "it" else site.programme.get_translation(site.en).url
        client.get(url)  # warm caches (site root paths, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        make_course(english=True, areas=("educazione", "digitale"))
    at_five = count_queries()
    for _ in range(20):
        make_course(english=True, areas=("educazione",))
    assert count_queries() == at_five


def test_course_page_query_count_does_not_grow_with_courses(client, site, make_course):
    target = make_course(kind="masterclass", days=(10, 20, 30))
    client.get(target.url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(target.url)
    before = len(ctx.captured_queries)
    for _ in range(10):
        make_course()
    with CaptureQueriesContext(connection) as ctx:
        client.get(target.url)
    assert len(ctx.captured_queries) == before


def test_dates_are_shown_in_europe_rome(client, make_course):
    course = make_course(days=(7,))  # 15:00 Rome time
    html = client.get(course.url).content.decode()
    assert "15:00" in html


def test_translation_shares_the_canonical_schedule(site, make_course):
    course = make_course(english=True, days=(3, 9))
    english = CoursePage.objects.get(translation_key=course.translation_key, locale=site.en)
    assert english.canonical.pk == course.pk
    assert english.sessions.count() == 0  # sessions are not copied into translations
    assert [s.pk for s in english.scheduled_sessions()] == [s.pk for s in course.scheduled_sessions()]
    assert english.first_starts_at == course.first_starts_at


def test_menu_and_language_switcher_present(client, site):
    with translation.override("it"):
        html = client.get("/it/").content.decode()
    assert 'data-testid="lang-en"' in html and "Programma" in html
