"""The authorization sweep of the Wagtail snippet screens and choosers that hold personal data
(people, HR officers, organisations, external training), as an editor and as a moderator: Wagtail's
choosers check no model permission, so each must refuse them (staff still get in)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import get_resolver, reverse

from academy.network.models import HROfficer

from .test_url_sweep import _is_login_redirect, _walk

PERSONAL = ("network/person", "network/hrofficer", "network/organisation", "competences/externaltraining")


def _snippet_urls(world) -> list[str]:
    hr = HROfficer.objects.first()
    pks = {"network/person": world.registrant.pk, "network/hrofficer": hr.pk,
           "network/organisation": world.registrant.organisation_id, "competences/externaltraining": world.training.pk}
    urls = []
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        label = next((m for m in PERSONAL if f"admin/snippets/{m}/" in route
                      or f"admin/snippets/choose/{m}/" in route), None)
        if label is None or not name:
            continue
        keys = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if any(k != "pk" for k in keys):
            continue
        urls.append(reverse(name, kwargs={"pk": pks[label]} if keys else {}))
    return urls


def _admin_user(username: str, group: str):
    user = get_user_model().objects.create_user(username, username, "pw-12345!")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_get_no_snippet_screen_or_chooser_with_personal_data(world, group):
    urls = _snippet_urls(world)
    assert any("/choose/network/person/" in u for u in urls) and any("/chosen/" in u for u in urls)
    client = Client(raise_request_exception=False)
    client.force_login(_admin_user(f"{group.lower()}@example.coop", group))
    problems = []
    for url in urls:
        response = client.get(url)
        text = response.content.decode(errors="replace") if not response.streaming else ""
        refused = response.status_code in (403, 404) or _is_login_redirect(response)
        if not refused or world.registrant.email in text or "Segreto" in text:
            problems.append(f"{group} GET {url} → {response.status_code}")
    assert not problems, "\n".join(problems)


def test_staff_still_choose_people(world):
    client = Client()
    client.force_login(world.staff)
    response = client.get(reverse("wagtailsnippetchoosers_network_person:choose"))
    assert response.status_code == 200 and "Segreto" in response.content.decode()
