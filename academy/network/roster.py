"""Staff rosters: who may put whom on an organisation's roster.

An HR officer answers only for addresses on the e-mail domains of the organisations they manage. A row
on any other domain (a personal mailbox, another cooperative) is never written to the person's record:
it becomes a ``RosterClaim`` that the person confirms through a link sent to that address, or that staff
confirm in the admin. Otherwise an officer could take over a record that has no employer yet, or pre-claim
an address of another cooperative before its owner signs up. Staff imports apply directly.

The confirmation e-mails go to addresses the officer typed, so an officer could use the import to mail
strangers: each officer gets ``ACADEMY_ROSTER_CLAIM_EMAILS_PER_HOUR`` (default 10) e-mails in any hour;
the claims above it are recorded but held (``RosterClaim.held``) until staff send or decline them
(``docs/abuse-limits.md``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import tablib
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core.outbox import queue_email
from academy.core.permissions import is_staff
from academy.core.tabular import ImportReport, read_upload
from academy.core.urls import absolute_url

from .imports import run_import
from .links import address_digest, same_address
from .models import Organisation, OrganisationSource, Person, RosterClaim
from .resources import RosterResource

CLAIM_SALT = "academy.network.roster-claim"
CLAIM_MAX_AGE = 60 * 60 * 24 * 30  # the link in the e-mail works for a month
CLAIM_EMAILS_PER_HOUR = 10


class RosterClaimError(ValidationError):
    pass


def may_manage_roster(user, organisation: Organisation) -> bool:
    return is_staff(user) or Organisation.objects.managed_by(user).filter(pk=organisation.pk).exists()


def own_domains(user) -> set[str] | None:
    """The e-mail domains ``user`` answers for as HR officer (None for staff: every domain)."""
    if is_staff(user):
        return None
    return {domain for org in Organisation.objects.managed_by(user) for domain in org.domains}


def import_roster(file, organisation: Organisation, by_user, *, filename: str = "",
                  on_row: Callable[[], None] | None = None,
                  after: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Import a staff roster into ``organisation``: everyone listed is put on its roster (eligible while
    the organisation is an active member). HR officers may import only for organisations they manage,
    may not move a person who works for another organisation (staff may), and rows outside their own
    domains wait for confirmation (``report.pending``). A file with any bad row changes nothing.
    ``on_row`` is called after each row is read (progress of a background import). ``file`` may be a
    dataset already read. ``after`` runs in the import's transaction once the people are saved (a layer
    above records more of each row); errors it adds to the report roll the whole file back."""
    if not may_manage_roster(by_user, organisation):
        raise PermissionError(_("You cannot manage the roster of this organisation."))
    staff = is_staff(by_user)
    resource = RosterResource(organisation, may_move=staff, own_domains=own_domains(by_user))
    resource.on_row = on_row

    def record_claims(report: ImportReport) -> None:
        report.pending, report.held = _record_claims(organisation, by_user, resource.claims)
        if after is not None:
            after(report)

    dataset = file if isinstance(file, tablib.Dataset) else read_upload(file, filename)
    return run_import(resource, dataset, after=record_claims)


def claim_emails_per_hour() -> int:
    return int(getattr(settings, "ACADEMY_ROSTER_CLAIM_EMAILS_PER_HOUR", CLAIM_EMAILS_PER_HOUR))


def _record_claims(organisation: Organisation, by_user, rows: list[dict[str, str]]) -> tuple[int, int]:
    """Record the claims; e-mail the new ones within the officer's hourly allowance and hold the rest.
    Returns (claims, held)."""
    since = timezone.now() - datetime.timedelta(hours=1)
    allowance = claim_emails_per_hour() - RosterClaim.objects.filter(
        requested_by=by_user, created_at__gte=since, held=False).count()
    held = 0
    for row in rows:
        claim, created = RosterClaim.objects.update_or_create(
            organisation=organisation, email__iexact=row["email"], status=RosterClaim.Status.PENDING,
            defaults={**row, "requested_by": by_user},
            create_defaults={**row, "organisation": organisation, "requested_by": by_user})
        if not created:
            continue
        if allowance > 0:
            _send_claim(claim)
            allowance -= 1
        else:
            RosterClaim.objects.filter(pk=claim.pk).update(held=True)
            held += 1
    return len(rows), held


@transaction.atomic
def release_roster_claim(claim: RosterClaim, *, by) -> RosterClaim:
    """Staff send the confirmation e-mail of a held claim."""
    if not is_staff(by):
        raise PermissionError(_("Only the Academy staff can send a held confirmation e-mail."))
    claim = _pending(claim)
    if claim.held:
        claim.held = False
        claim.save(update_fields=["held"])
        _send_claim(claim)
    return claim


def claim_token(claim: RosterClaim) -> str:
    return signing.dumps({"c": claim.pk, "h": address_digest(claim.email, CLAIM_SALT)}, salt=CLAIM_SALT)


def _send_claim(claim: RosterClaim) -> None:
    """Ask the owner of the address. The mail repeats nothing the officer typed (only the organisation's
    registered name): it goes to an address that may not be theirs to write to."""
    url = absolute_url(reverse("accounts:roster_claim", args=[claim_token(claim)]))
    with translation.override(claim.preferred_language):
        body = render_to_string("emails/accounts/roster_claim.txt",
                                {"organisation": claim.organisation.name, "url": url})
        queue_email(f"roster-claim:{claim.pk}", claim.email,
                    _("%(org)s lists you on its staff roster: please confirm") % {"org": claim.organisation.name},
                    body)


def roster_claim_from_token(token: str) -> RosterClaim:
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature as exc:
        raise RosterClaimError(_("This confirmation link is invalid or has expired.")) from exc
    claim = RosterClaim.objects.select_related("organisation").filter(pk=data.get("c")).first()
    if claim is None or not same_address(data, claim.email, CLAIM_SALT):
        raise RosterClaimError(_("This confirmation link is invalid or has expired."))
    return claim


def _pending(claim: RosterClaim) -> RosterClaim:
    claim = RosterClaim.objects.select_for_update().select_related("organisation").get(pk=claim.pk)
    if claim.status != RosterClaim.Status.PENDING:
        raise RosterClaimError(_("This request has already been answered."))
    return claim


def _check_decider(by) -> None:
    if by is not None and not is_staff(by):
        raise PermissionError(_("Only the person or the Academy staff can answer this request."))


@transaction.atomic
def confirm_roster_claim(claim: RosterClaim, *, by=None) -> Person:
    """The person (``by=None``, through the e-mailed link) or staff confirm: the person joins the roster.
    Names, codice fiscale and job role typed by the officer only fill what the record lacks: the
    person's own data are never overwritten by somebody else's file."""
    _check_decider(by)
    claim = _pending(claim)
    person = Person.objects.select_for_update().filter(email__iexact=claim.email).first()
    if person is None:
        person = Person(email=claim.email, first_name=claim.first_name, last_name=claim.last_name,
                        preferred_language=claim.preferred_language)
    if person.anonymised_at:
        raise RosterClaimError(_("This person's data have been erased."))
    for field in ("first_name", "last_name", "fiscal_code", "job_role"):
        if not getattr(person, field) and getattr(claim, field):
            setattr(person, field, getattr(claim, field))
    person.organisation, person.on_roster = claim.organisation, True
    person.organisation_source = OrganisationSource.PERSON if by is None else OrganisationSource.STAFF
    person.save()
    now = timezone.now()
    claim.status, claim.decided_at, claim.decided_by = RosterClaim.Status.CONFIRMED, now, by
    claim.save(update_fields=["status", "decided_at", "decided_by"])
    RosterClaim.objects.filter(email__iexact=claim.email, status=RosterClaim.Status.PENDING).exclude(
        pk=claim.pk).update(status=RosterClaim.Status.SUPERSEDED, decided_at=now)
    return person


@transaction.atomic
def decline_roster_claim(claim: RosterClaim, *, by=None) -> RosterClaim:
    _check_decider(by)
    claim = _pending(claim)
    claim.status, claim.decided_at, claim.decided_by = RosterClaim.Status.DECLINED, timezone.now(), by
    claim.save(update_fields=["status", "decided_at", "decided_by"])
    return claim
