"""Who counts as the Academy office (staff), in one place for views and the Wagtail admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem


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
