"""Which organisation a Microsoft tenant belongs to: registering, proposing, confirming, removing, and
the membership a sign-in from a confirmed tenant gives (asked by ``services.eligibility``)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff

from ..models import EntraTenant, Organisation, Person

PROVIDER_ID = "microsoft"


def _tenant_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError as exc:
        raise ValidationError(_("A tenant id is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47.")) from exc


def organisation_for_tenant(tid) -> Organisation | None:
    """The active member organisation whose confirmed tenant this is, if any."""
    try:
        tid = _tenant_uuid(tid)
    except ValidationError:
        return None
    row = (EntraTenant.objects.select_related("organisation")
           .filter(tenant_id=tid, status=EntraTenant.Status.CONFIRMED).first())
    return row.organisation if row is not None and row.organisation.is_active_member() else None


def is_guest(claims: dict) -> bool:
    """A guest of the tenant (homed elsewhere, e.g. a consultant invited into it): ``idp`` names another
    issuer. Microsoft: guests are new users to the application; they are no staff of the organisation."""
    return bool(claims.get("idp")) and claims.get("idp") != claims.get("iss")


def linked_tenant_ids(user) -> list[uuid.UUID]:
    """Tenants of the Microsoft identities linked to ``user`` (uid ``tid:oid``), guest identities left out."""
    from allauth.socialaccount.models import SocialAccount

    if user is None:
        return []
    accounts = SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).only("uid", "extra_data")
    return [_tenant_uuid(a.uid.split(":", 1)[0]) for a in accounts
            if not is_guest(a.extra_data.get("id_token", {}))]


def tenant_membership(person: Person) -> Organisation | None:
    """The organisation ``person`` belongs to through a linked identity of one of its confirmed tenants."""
    if person.organisation_id is None or person.user_id is None:
        return None
    tids = linked_tenant_ids(person.user)
    if not tids or not EntraTenant.objects.filter(organisation_id=person.organisation_id, tenant_id__in=tids,
                                                  status=EntraTenant.Status.CONFIRMED).exists():
        return None
    return person.organisation if person.organisation.is_active_member() else None


def _may_propose(user, organisation: Organisation) -> bool:
    return is_staff(user) or Organisation.objects.managed_by(user).filter(pk=organisation.pk).exists()


@transaction.atomic
def propose_tenant(organisation: Organisation, tenant_id, *, by) -> EntraTenant:
    """Staff register a tenant (confirmed at once); an HR officer of the organisation proposes one."""
    if not _may_propose(by, organisation):
        raise PermissionDenied
    tid = _tenant_uuid(tenant_id)
    live = EntraTenant.objects.select_for_update().filter(tenant_id=tid).exclude(status=EntraTenant.Status.REMOVED)
    if live.exclude(organisation=organisation).exists():
        raise ValidationError(_("This tenant is already registered for another organisation."))
    row = live.first()
    if row is None:
        try:
            with transaction.atomic():
                row = EntraTenant.objects.create(organisation=organisation, tenant_id=tid, proposed_by=by)
        except IntegrityError as exc:  # a concurrent registration won
            raise ValidationError(_("This tenant is already registered.")) from exc
    if is_staff(by) and row.status != EntraTenant.Status.CONFIRMED:
        row = confirm_tenant(row, by=by)
    return row


@transaction.atomic
def confirm_tenant(row: EntraTenant, *, by) -> EntraTenant:
    if not is_staff(by):
        raise PermissionDenied
    row = EntraTenant.objects.select_for_update().get(pk=row.pk)
    if row.status == EntraTenant.Status.REMOVED:
        raise ValidationError(_("A removed tenant cannot be confirmed: register it again."))
    row.status, row.decided_by, row.decided_at = EntraTenant.Status.CONFIRMED, by, timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    return row


@transaction.atomic
def remove_tenant(row: EntraTenant, *, by) -> EntraTenant:
    """From now on a sign-in from this tenant gives no membership (``tenant_membership`` asks each time)."""
    if not is_staff(by):
        raise PermissionDenied
    row = EntraTenant.objects.select_for_update().get(pk=row.pk)
    row.status, row.decided_by, row.decided_at = EntraTenant.Status.REMOVED, by, timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    return row
