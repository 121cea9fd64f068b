"""Inspector access: a time-limited, read-only account for the inspecting body of one plan.

ANPAL's circular 4/2020 asks that the inspecting body receive, before the course starts, credentials to
attend the online sessions unannounced. Staff create the account (``create_inspector``); the inspector
logs in as anyone else and sees only their plan: its sessions, each session's live register and, while
a session runs, its Teams join link (through ``academy.registrations.invitations.join_urls_for``, as a
guest of the course). Every page they open leaves an ``InspectorAccessLog`` row. Outside the validity
window, or once revoked, the account sees nothing (and the periodic pass deactivates it when it expires).
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.courses.models import Session
from academy.registrations.models import Registration
from academy.registrations.services import join_urls_for

from ..models import FundedPlan, InspectorAccess, InspectorAccessLog

JOIN_LINK_OPENS = datetime.timedelta(minutes=30)


class InspectorError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def create_inspector(plan: FundedPlan, *, name: str, email: str, valid_from: datetime.datetime,
                     valid_until: datetime.datetime, by, body: str = "") -> tuple[InspectorAccess, str]:
    """A new inspector account for ``plan``; returns the access and the password, shown once to staff."""
    if not is_staff(by):
        raise InspectorError(_("Only staff may create inspector accounts."))
    email = (email or "").strip().lower()
    if not email or not (name or "").strip():
        raise InspectorError(_("The inspector's name and e-mail are required."))
    if valid_until <= valid_from:
        raise InspectorError(_("The access must end after it starts."))
    users = get_user_model()
    if users.objects.filter(username__iexact=email).exists():
        raise InspectorError(_("An account with this e-mail already exists."))
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = users.objects.create_user(username=email, email=email, password=password)
        access = InspectorAccess.objects.create(plan=plan, user=user, name=name.strip()[:200], body=body[:200],
                                                valid_from=valid_from, valid_until=valid_until, created_by=by)
    return access, password


def revoke(access: InspectorAccess, *, by) -> None:
    if not is_staff(by):
        raise InspectorError(_("Only staff may revoke inspector accounts."))
    with transaction.atomic():
        InspectorAccess.objects.filter(pk=access.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        get_user_model().objects.filter(pk=access.user_id).update(is_active=False)


def active_access(user, now: datetime.datetime | None = None) -> InspectorAccess | None:
    """The user's inspector access if it is valid now, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    access = InspectorAccess.objects.select_related("plan").filter(user=user).first()
    return access if access is not None and access.is_valid(now) else None


def plan_session(access: InspectorAccess, session_id: int) -> Session | None:
    """A session of the inspector's plan, or None (another plan's session is not theirs to see)."""
    from .registers import plan_sessions

    return next((s for s in plan_sessions(access.plan) if s.pk == session_id), None)


def log_access(access: InspectorAccess, path: str, session: Session | None = None) -> InspectorAccessLog:
    return InspectorAccessLog.objects.create(access=access, by=access.user, path=path[:500], session=session)


def join_url(session: Session, now: datetime.datetime | None = None) -> str:
    """The session's Teams join link while it runs (from half an hour before), else ''."""
    now = now or timezone.now()
    if not (session.starts_at - JOIN_LINK_OPENS <= now <= session.ends_at):
        return ""
    guest = Registration(course_id=session.course_id, status=Registration.Status.CONFIRMED)
    return join_urls_for(guest, [session]).get(session.pk, "")


def may_download(user, plan: FundedPlan) -> bool:
    """Registers and the declaration: staff and the plan's responsible person."""
    return is_staff(user) or (getattr(user, "is_authenticated", False) and plan.responsible_user_id == user.pk)


def deactivate_expired(now: datetime.datetime | None = None) -> int:
    """Deactivate the accounts of accesses that ended (periodic)."""
    now = now or timezone.now()
    ids = list(InspectorAccess.objects.filter(valid_until__lt=now, user__is_active=True).values_list("user_id", flat=True))
    return get_user_model().objects.filter(pk__in=ids).update(is_active=False)
