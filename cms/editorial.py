"""Editorial roles and the moderation workflow: editors write, moderators publish.

``setup_editorial_roles`` is idempotent (run it again after adding pages: it only adds what is missing)
and is called by ``manage.py setup_editorial_roles`` and by the demo loader, after the library and
the programme pages exist. It lives in ``cms`` (the top layer) because it spans the site's pages and
the masterclass case-study library.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Revisione editoriale"
TASK_NAME = "Approvazione dei moderatori"
PRIVATE_COLLECTION = "Materiali riservati"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = (("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
                     ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"))


@dataclass
class EditorialSetup:
    editors: Group
    moderators: Group
    workflow: Workflow
    private_collection: Collection


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group: Group, pages, codenames) -> None:
    for page in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=page,
                                                      permission=_perm("wagtailcore", codename))


@transaction.atomic
def setup_editorial_roles() -> EditorialSetup:
    """Groups, page permissions, the "Revisione editoriale" workflow on every home page tree, and the
    private collection for documents that must not be public."""
    from masterclass.models import CaseStudyIndexPage

    from .models import HomePage, ProgrammePage

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    access_admin = _perm("wagtailadmin", "access_admin")
    editors.permissions.add(access_admin)
    moderators.permissions.add(access_admin)

    homes = list(Page.objects.type(HomePage))
    libraries = list(Page.objects.type(CaseStudyIndexPage))
    programmes = list(Page.objects.type(ProgrammePage))
    # Editors write case studies and programme pages; moderators publish anything in the site tree.
    # Wagtail's initial data gives its own "Editors" group add/change on the tree root: narrowed here to
    # the library and the programme, so editors cannot change the home page or the privacy notice.
    GroupPagePermission.objects.filter(group=editors).exclude(
        page__in=libraries + programmes).delete()
    _grant_pages(editors, libraries + programmes, EDITOR_PAGE_PERMISSIONS)
    _grant_pages(moderators, homes, MODERATOR_PAGE_PERMISSIONS)

    root_collection = Collection.get_first_root_node()
    for group in (editors, moderators):
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection,
                                                            permission=_perm(app_label, codename))

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    for home in homes:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})

    private = root_collection.get_children().filter(name=PRIVATE_COLLECTION).first()
    if private is None:
        private = root_collection.add_child(name=PRIVATE_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=private).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.GROUPS)
    restriction.groups.add(moderators)
    return EditorialSetup(editors=editors, moderators=moderators, workflow=workflow,
                          private_collection=private)
