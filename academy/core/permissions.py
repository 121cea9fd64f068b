"""Who counts as the Academy office (staff), in one place for views and the Wagtail admin."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.snippets.views.chooser import SnippetChooserViewSet


def is_staff(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def require_staff(request) -> None:
    """Raise 403 unless the request comes from the Academy office."""
    if not is_staff(request.user):
        raise PermissionDenied


class StaffMenuItem(MenuItem):
    """An admin menu entry shown only to the Academy office (editors and moderators do not see it)."""

    def is_shown(self, request):
        return is_staff(request.user)


def staff_users():
    """Active accounts of the Academy office, as a queryset (for Wagtail's permission policies)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)


class StaffPermissionPolicy(BasePermissionPolicy):
    """Admin screens of the Academy office: staff may do ``actions`` on the model (by default only look and
    export; changes go through the services), nobody else sees the model at all."""

    def __init__(self, model, actions: frozenset[str] = frozenset({"view", "export"})):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return is_staff(user) and action in self.actions

    def user_has_any_permission(self, user, actions):
        return is_staff(user) and bool(self.actions.intersection(actions))

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return staff_users().none()
        return staff_users()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class StaffModelPermissionPolicy(ModelPermissionPolicy):
    """The model's Django permissions, granted only to the Academy office."""

    def user_has_permission(self, user, action):
        return is_staff(user) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return is_staff(user) and super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).filter(pk__in=staff_users().values("pk"))


def staff_only_view(view):
    """``view`` behind ``require_staff`` (a 403 for everybody else)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        require_staff(request)
        return view(request, *args, **kwargs)

    return wrapped


class StaffChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser (the modal that lists and picks rows) for the Academy office only.

    Wagtail's choosers check no model permission, so any admin user (an editor, a moderator) could list
    people, HR officers or external training through them; every chooser URL is wrapped instead."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = staff_only_view(pattern.callback)
        return patterns
