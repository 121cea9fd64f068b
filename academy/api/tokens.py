"""Issuing, checking and revoking API tokens: the one home of token rules (pages, admin and the
authentication class call these)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.network.models import HROfficer, Organisation

from .models import ApiToken, Scope

TOKEN_PREFIX = "acad_"
LAST_USED_PRECISION = datetime.timedelta(minutes=1)  # one write per token per minute, not per request


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _expiry(days: int) -> datetime.datetime:
    if not 1 <= days <= max_days():
        raise ValidationError(_("A token lasts from 1 to %(days)s days.") % {"days": max_days()})
    return timezone.now() + datetime.timedelta(days=days)


def _create(*, user, organisation: Organisation | None, name: str, scope: str, days: int, by) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the system that will use it."))
    if scope not in Scope.values:
        raise ValidationError(_("Unknown scope."))
    prefix, raw = _new_secret()
    token = ApiToken.objects.create(user=user, organisation=organisation, name=name[:100], prefix=prefix,
                                    digest=digest_of(raw), scope=scope, expires_at=_expiry(days), created_by=by)
    return token, raw


@transaction.atomic
def create_personal_token(user, *, name: str, scope: str = Scope.READ, days: int = 90) -> tuple[ApiToken, str]:
    """A token acting as ``user``. Returns the token and its secret, which is never shown again."""
    return _create(user=user, organisation=None, name=name, scope=scope, days=days, by=user)


@transaction.atomic
def issue_organisation_token(*, by, officer, organisation: Organisation, name: str, scope: str = Scope.READ,
                             days: int = 365) -> tuple[ApiToken, str]:
    """Staff issue a server token to an HR officer's organisation (its HR or payroll system)."""
    if not is_staff(by):
        raise PermissionDenied
    if not HROfficer.objects.filter(user=officer, organisation=organisation).exists():
        raise ValidationError(_("%(user)s is not an HR officer of %(org)s.") % {"user": officer, "org": organisation})
    return _create(user=officer, organisation=organisation, name=name, scope=scope, days=days, by=by)


def revoke(token: ApiToken, *, by) -> None:
    if token.user_id != by.pk and not is_staff(by):
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_of(user):
    return ApiToken.objects.filter(user=user).select_related("organisation")


def token_for(raw: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, expired, user inactive, or an
    organisation token whose holder is no longer that organisation's HR officer)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.usable().select_related("user", "organisation").filter(digest=digest_of(raw)).first()
    if token is None:
        return None
    if token.organisation_id and not HROfficer.objects.filter(user_id=token.user_id,
                                                                organisation_id=token.organisation_id).exists():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
