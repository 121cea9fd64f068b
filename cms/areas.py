"""Where a signed-in person works: the areas of the site they may use, and the one they land on.

The roles are known in different layers (trainer: ``academy.courses``; HR officer:
``academy.competences``; inspector: ``academy.funding``; staff: ``academy.core``), so the decision lives
here, in the top layer, which may import all of them. The menu, My Academy and the ``landing`` view
(``LOGIN_REDIRECT_URL``, and any other way of signing in, e.g. single sign-on) all read ``areas_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from academy.competences.scope import is_hr_user
from academy.courses.permissions import trainer_of
from academy.funding.services.inspectors import active_access


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    applies: Callable[[object], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def testid(self) -> str:
        return "my-academy" if self.key == "member" else f"nav-{self.key}"


def _may_use_admin(user) -> bool:
    """Whoever Wagtail lets into its admin: the office (superusers, or staff given the permission) and
    the editors and moderators (``cms.editorial``). A staff flag alone does not open the admin."""
    return user.has_perm("wagtailadmin.access_admin")


def _is_member(user) -> bool:
    return getattr(user, "person", None) is not None


# In landing order: the first area that applies is where a person lands after signing in. An inspector's
# account exists only for the inspection; staff and editors work in the admin; an HR officer who also
# teaches lands on the dashboard and finds the trainers' area in the menu.
AREAS: tuple[Area, ...] = (
    Area("admin", _("Administration"), "wagtailadmin_home", _may_use_admin),
    Area("inspector", _("Inspection"), "funding:inspector_home", lambda user: active_access(user) is not None),
    Area("hr", _("Staff training"), "hr:dashboard", is_hr_user),
    Area("trainer", _("Trainers' area"), "materials:trainer_home", lambda user: trainer_of(user) is not None),
    Area("member", _("My Academy"), "my_academy", _is_member),
)
MEMBER = AREAS[-1]


def areas_for(user) -> list[Area]:
    """The areas ``user`` may use, in landing order; My Academy is always there for a member, and for an
    account with no other area (a new account whose e-mail is not confirmed yet)."""
    if not getattr(user, "is_authenticated", False):
        return []
    areas = [area for area in AREAS if area.applies(user)]
    return areas or [MEMBER]


def _is_home(path: str) -> bool:
    """The public home page in any language: signing in from there is not a wish to go back there."""
    return path.split("?")[0].strip("/") in {"", *(code for code, _name in settings.LANGUAGES)}


def safe_next(request, target: str | None) -> str:
    """``target`` if it is a path on this site worth going back to, else ''."""
    target = (target or "").strip()
    if not target.startswith("/") or _is_home(target) or target.startswith(reverse("landing")):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return target


def landing_url(request, next_url: str | None = None) -> str:
    """Where ``request.user`` goes after signing in: the page they came from (a safe ``next``), else
    their first area (in the request's language)."""
    return safe_next(request, next_url) or areas_for(request.user)[0].url
