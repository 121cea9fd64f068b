"""axe-core in a real browser on every kind of page (public, signed-in member / HR officer / trainer,
Wagtail admin): no serious or critical finding. axe-core is vendored (``vendor/axe.min.js``, MPL-2.0)
so the test needs no network."""

from __future__ import annotations

import pathlib

import pytest
from django.test import Client
from django.urls import reverse

from .test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]

AXE = (pathlib.Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}
# Moderate rules the review found and that stay fixed: heading levels in order, no empty table header.
ALSO_BLOCKING = {"heading-order", "empty-table-header"}


def _findings(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    assert page.url.split("?")[0] == url.split("?")[0], f"{url} redirected to {page.url}"  # e.g. to log in
    page.evaluate(AXE)  # through the DevTools protocol: the page's own CSP forbids inline script tags
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{url}: {v['impact']} {v['id']} {v['nodes']}" for v in result if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]


def _sign_in(page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_axe_findings_on_any_page_kind(live_server, browser_page):  # noqa: F811
    from django.contrib.auth import get_user_model
    from wagtail.models import Collection, Page

    from academy.courses.models import CoursePage
    from cms import demo
    from cms.demo.certificates import DEMO_MEMBER
    from cms.demo.hr import DEMO_HR_USERNAME

    if not Collection.objects.exists():  # an earlier transactional test flushed the migrations' root collection
        Collection.add_root(name="Root")
    demo.load_all()
    base = live_server.url
    page = browser_page
    course = CoursePage.objects.live().filter(locale__language_code="it").first()
    case_studies = Page.objects.live().filter(locale__language_code="it", slug="casi-studio").first()
    public = [
        "/it/", "/it/programma/", course.url, case_studies.url if case_studies else "/it/casi-studio/",
        "/it/chi-siamo/", "/it/privacy/", reverse("accounts:login"), reverse("accounts:signup"),
        reverse("certificates:verify"),
    ]
    findings: list[str] = []
    for path in public:
        findings += _findings(page, base + path)

    User = get_user_model()
    evaluated = CoursePage.objects.get(slug="valutare-impatto-sociale", locale__language_code="it")  # cms/demo
    signed_in = [
        (User.objects.get(username=DEMO_MEMBER), [reverse("my_academy"),
                                                  reverse("evaluation:questionnaire", args=[evaluated.pk]),
                                                  reverse("evaluation:test", args=[evaluated.pk])]),
        (User.objects.get(username=DEMO_HR_USERNAME), [reverse("hr:dashboard")]),
        (User.objects.get(username="formatrice"), [reverse("materials:trainer_home"),
                                                   reverse("evaluation:trainer_results"),
                                                   reverse("evaluation:results", args=[evaluated.pk])]),
    ]
    admin = User.objects.create_superuser("axe-admin", "axe-admin@example.coop", "pw")
    signed_in.append((admin, [reverse("academy_registrations:index"),
                              reverse("academy_course_operations", args=[course.pk]) + "?tab=certificates"]))
    for user, paths in signed_in:
        _sign_in(page, base, user)
        for path in paths:
            findings += _findings(page, base + path)
    assert findings == []
