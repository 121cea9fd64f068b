"""Where each role lands after signing in (issue 27, item 3; issue 25, the inspector's area): one decision
(``cms.areas``) behind ``LOGIN_REDIRECT_URL`` = ``landing``, and a menu that links every area a person
may use."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from academy.courses.models import Trainer
from academy.funding.models import FundedPlan, InspectorAccess
from academy.funding.services import inspectors
from academy.network.models import HROfficer

pytestmark = pytest.mark.django_db
PASSWORD = "pw-12345!"


@pytest.fixture
def people(site, make_person, member_org, admin_user):
    users = get_user_model()
    member = make_person().user
    trainer = make_person().user
    Trainer.objects.create(name="Docente", user=trainer)
    hr = make_person().user
    HROfficer.objects.create(user=hr, organisation=member_org)
    staff = users.objects.create_superuser("ufficio@academy.example", "ufficio@academy.example", PASSWORD)
    plan = FundedPlan.objects.create(title="Piano", plan_code="P/1", responsible_name="X",
                                     starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    now = timezone.now()
    access, inspector_password = inspectors.create_inspector(
        plan, name="Ispettrice", email="ispettrice@fondo.example", valid_from=now - datetime.timedelta(days=1),
        valid_until=now + datetime.timedelta(days=1), by=admin_user)
    inspector = access.user
    inspector.set_password(PASSWORD)
    inspector.save()
    return {"member": member, "trainer": trainer, "hr": hr, "staff": staff, "inspector": inspector}


AREA = {"member": "my_academy", "trainer": "materials:trainer_home", "hr": "hr:dashboard",
        "inspector": "funding:inspector_home", "staff": "wagtailadmin_home"}


def _sign_in(client, lang: str, username: str, next_url: str | None = None) -> str:
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(f"/{lang}/accounts/login/", data, follow=True)
    assert response.status_code == 200, response.redirect_chain
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("role", list(AREA))
def test_each_role_lands_in_its_area_in_its_language(client, people, role, lang):
    landed = _sign_in(client, lang, people[role].username)
    with translation.override(lang):
        assert landed == reverse(AREA[role])


def test_landing_is_the_login_redirect_and_has_a_stable_url():
    with translation.override("en"):
        assert reverse("landing") == "/en/accounts/landing/"
    with translation.override("it"):
        assert reverse("landing") == "/it/accounts/landing/"


def test_a_member_goes_back_to_the_page_they_came_from(client, people, site):
    programme = site.programme.url
    assert _sign_in(client, "it", people["member"].username, next_url=programme) == programme


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/it/", "/"])
def test_landing_ignores_unsafe_or_home_next(client, people, target):
    client.force_login(people["member"])
    response = client.get(reverse("landing"), {"next": target})
    assert response["Location"] == reverse("my_academy")


def test_an_expired_inspector_lands_on_my_academy_not_a_forbidden_page(client, people):
    inspector = people["inspector"]
    access = InspectorAccess.objects.get(user=inspector)
    access.valid_until = timezone.now() - datetime.timedelta(minutes=1)
    access.save()
    client.force_login(inspector)
    assert client.get(reverse("landing"))["Location"] == reverse("my_academy")


@pytest.mark.parametrize("role, shown, hidden", [
    ("member", ["my-academy"], ["nav-trainer", "nav-hr", "nav-inspector", "nav-admin"]),
    ("trainer", ["my-academy", "nav-trainer"], ["nav-hr", "nav-inspector", "nav-admin"]),
    ("hr", ["my-academy", "nav-hr"], ["nav-trainer", "nav-inspector", "nav-admin"]),
    ("inspector", ["nav-inspector"], ["my-academy", "nav-hr", "nav-trainer", "nav-admin"]),
    ("staff", ["nav-admin", "nav-hr"], ["nav-inspector", "nav-trainer"]),
])
def test_the_menu_links_each_area_a_person_may_use(client, people, role, shown, hidden):
    client.force_login(people[role])
    html = client.get(reverse("my_academy")).content.decode()
    for testid in shown:
        assert f'data-testid="{testid}"' in html, testid
    for testid in hidden:
        assert f'data-testid="{testid}"' not in html, testid


def test_my_academy_does_not_ask_an_inspector_to_confirm_an_e_mail(client, people):
    client.force_login(people["inspector"])
    html = client.get(reverse("my_academy")).content.decode()
    assert 'data-testid="no-person"' not in html
    assert 'data-testid="not-a-member"' in html and reverse("funding:inspector_home") in html
