"""Who counts as the Academy office (staff), in one place for views and the Wagtail admin."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem
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
