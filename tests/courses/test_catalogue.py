"""The catalogue query: which live courses a locale lists for a set of filters and a text search."""

from __future__ import annotations

import pytest

from academy.courses import catalogue

pytestmark = pytest.mark.django_db


def test_filters_parse_get_parameters_and_ignore_bad_input():
    filters = catalogue.CatalogueFilters.from_query({"period": "x", "format": "zzz", "month": "2026-13",
                                                     "area": "educazione", "q": "  privacy "})
    assert filters.as_kwargs() == {"period": catalogue.UPCOMING, "area": "educazione", "kind": "",
                                   "month": "", "query": "privacy"}
    assert catalogue.CatalogueFilters.from_query({"format": "masterclass", "month": "2026-12",
                                                  "period": "past"}).as_kwargs()["kind"] == "masterclass"


def test_catalogue_filters_by_area_format_month_and_period(site, make_course):
    education = make_course(title="Nidi e infanzia", areas=("educazione",), days=(5,))
    digital = make_course(title="Piattaforme digitali", areas=("digitale",), days=(40,))
    masterclass = make_course(kind="masterclass", title="Leadership", areas=("educazione",), days=(10, 20))
    past = make_course(title="Edizione passata", areas=("educazione",), days=(-20,))
    it = site.it

    def titles(**kwargs):
        return {c.title for c in catalogue.find_courses(it, **kwargs)}

    assert titles() == {education.title, digital.title, masterclass.title}
    assert titles(area="educazione") == {education.title, masterclass.title}
    assert titles(kind="masterclass") == {masterclass.title}
    assert titles(kind="webinar", area="educazione") == {education.title}
    assert titles(period=catalogue.PAST) == {past.title}
    month = digital.first_starts_at.astimezone(digital.first_starts_at.tzinfo).strftime("%Y-%m")
    assert digital.title in titles(month=month)


def test_catalogue_text_search(site, make_course):
    make_course(title="Rischio clinico nei servizi", abstract="<p>incident reporting e fattore umano</p>")
    make_course(title="Privacy e salute")
    assert {c.title for c in catalogue.find_courses(site.it, query="clinico")} == {"Rischio clinico nei servizi"}
    assert {c.title for c in catalogue.find_courses(site.it, query="incident")} == {
        "Rischio clinico nei servizi"}
