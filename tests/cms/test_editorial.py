"""Editorial roles and the moderation workflow: an editor writes and submits, cannot publish; a
moderator approves and the case study goes live and is found in the library."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms import demo
from cms.editorial import MODERATORS, WORKFLOW_NAME, setup_editorial_roles
from masterclass.models import CaseStudyIndexPage, CaseStudyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(site):
    library = CaseStudyIndexPage(title="Casi studio", slug="casi-studio")
    site.home.add_child(instance=library)
    demo.publish(library)
    setup = setup_editorial_roles()
    User = get_user_model()
    editor = User.objects.create_user("redattrice", "r@example.coop", "pw-12345!")
    editor.groups.add(setup.editors)
    moderator = User.objects.create_user("moderatore", "m@example.coop", "pw-12345!")
    moderator.groups.add(setup.moderators)
    return {"library": library, "editor": editor, "moderator": moderator, "setup": setup, "site": site}


def test_setup_is_idempotent(newsroom):
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())
    setup_editorial_roles()
    assert (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count()) == counts
    assert newsroom["library"].get_workflow().name == WORKFLOW_NAME
    assert newsroom["site"].programme.get_workflow().name == WORKFLOW_NAME


def test_editor_cannot_publish_moderator_can(newsroom):
    library = newsroom["library"]
    editor, moderator = newsroom["editor"], newsroom["moderator"]
    assert library.permissions_for_user(editor).can_add_subpage()
    assert not library.permissions_for_user(editor).can_publish_subpage()
    programme = newsroom["site"].programme
    assert programme.permissions_for_user(editor).can_edit()
    assert not programme.permissions_for_user(editor).can_publish()
    assert library.permissions_for_user(moderator).can_publish_subpage()
    assert newsroom["site"].home.permissions_for_user(moderator).can_publish()
    assert not newsroom["site"].home.permissions_for_user(editor).can_edit()


def _case_study_form(title: str, action: str) -> dict:
    data = nested_form_data({
        "title": title, "slug": "cer-oglio-po", "summary": "Una comunità energetica", "territory": "Casalmaggiore",
        "sector": "energy", "challenge": rich_text(""), "approach": rich_text(""), "results": rich_text(""),
        "figures": inline_formset([]),
        "body": streamfield([("paragraph", rich_text("<p>I pannelli fotovoltaici sul tetto della cooperativa.</p>"))]),
        "tags": "",
    })
    data[action] = "1"
    return data


def test_editor_submits_moderator_publishes_and_library_finds_it(client, newsroom, site):
    library = newsroom["library"]
    area = site.areas["sostenibilita"]
    add_url = reverse("wagtailadmin_pages:add", args=("masterclass", "casestudypage", library.pk))

    client.force_login(newsroom["editor"])
    data = _case_study_form("Energia di comunità", "action-publish")
    data["area"] = area.pk
    client.post(add_url, data)  # trying to publish directly only saves a draft
    page = CaseStudyPage.objects.get(slug="cer-oglio-po")
    assert not page.live

    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = _case_study_form("Energia di comunità", "action-submit")
    data["area"] = area.pk
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content[:2000]
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(page, newsroom["editor"]) == []
    page.refresh_from_db()
    assert not page.live
    assert client.get(library.url, {"q": "fotovoltaici"}).context["result_count"] == 0

    client.force_login(newsroom["moderator"])
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(approve_url, {"comment": "Ottimo"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    client.logout()
    found = client.get(library.url, {"q": "fotovoltaici"})
    assert [p.title for p in found.context["results"]] == ["Energia di comunità"]
    assert [p.title for p in client.get(library.url, {"area": "sostenibilita"}).context["results"]] == [
        "Energia di comunità"]


def test_moderators_group_is_the_approver(newsroom):
    task = newsroom["setup"].workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [MODERATORS]
