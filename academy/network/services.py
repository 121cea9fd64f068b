"""Network rules: who is a member, sign-up and e-mail verification, membership requests, imports,
and a person's own data (download, erasure).

Every page, admin view, command and task goes through these functions, so the membership rule
lives in exactly one place (``eligibility``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core.outbox import queue_email
from academy.core.permissions import is_staff
from academy.core.urls import absolute_url

from .links import address_digest, same_address
from .models import MembershipRequest, Organisation, OrganisationSource, Person
from .sso.tenants import tenant_membership

VERIFY_SALT = "academy.network.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 7  # a week


# --- who is who -----------------------------------------------------------------------------------------


def person_of(user) -> Person | None:
    """The member behind a signed-in account, or None (anonymous, or an account without a person).
    ``academy.network.auth.MemberBackend`` loads it with the user and its organisation."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)  # a missing person raises an AttributeError subclass


# --- membership --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    organisation: Organisation | None = None

    def __bool__(self) -> bool:
        return self.eligible


def organisation_for_domain(domain: str) -> Organisation | None:
    """The active member organisation that owns this e-mail domain, if any."""
    domain = domain.strip().lower()
    if not domain:
        return None
    for org in Organisation.objects.filter(email_domains__icontains=domain):
        if domain in org.domains and org.is_active_member():
            return org
    return None


def eligibility(person: Person | None) -> Eligibility:
    """Whether ``person`` may take part in training, and why (shown to non-members as is).

    A person is a member when (1) their *verified* e-mail address is on a domain of an active member
    organisation, or (2) an HR officer or staff put them on the roster of an active organisation, or
    (3) staff approved their membership request, or (4) they signed in with Microsoft from a tenant the
    organisation registered (``sso.tenants.tenant_membership``; a removed tenant stops counting).
    """
    if person is None:
        return Eligibility(False, _("Your account is not linked to a person of the network yet."))
    if person.anonymised_at:
        return Eligibility(False, _("This person's data have been erased."))
    if person.email_verified:
        org = person.organisation  # usually the employer owns the domain: no query
        if org is None or person.email_domain not in org.domains or not org.is_active_member():
            org = organisation_for_domain(person.email_domain)
        if org is not None:
            return Eligibility(True, _("Your e-mail address belongs to %(org)s.") % {"org": org.name}, org)
    if person.organisation_source == OrganisationSource.TENANT:
        org = tenant_membership(person)
        if org is not None:
            return Eligibility(True, _("You signed in with the Microsoft account of %(org)s.") % {"org": org.name},
                               org)
    org = person.organisation
    if person.on_roster and org is not None:
        if org.is_active_member():
            return Eligibility(True, _("You are on the staff roster of %(org)s.") % {"org": org.name}, org)
    if person.membership_approved:
        return Eligibility(True, _("The Academy staff approved your membership."), org)
    if person.organisation_source == OrganisationSource.TENANT and not person.email_verified:
        return Eligibility(False, _("Your organisation's Microsoft tenant is no longer registered with the "
                                    "Academy: ask the staff to approve your membership."), org)
    if not person.email_verified:
        return Eligibility(False, _("Please confirm your e-mail address first: we sent you a link."), org)
    if person.on_roster and org is not None:
        return Eligibility(False, _("The membership of %(org)s in the network is not active.") % {
            "org": org.name}, org)
    return Eligibility(
        False,
        _("The domain of your e-mail address (%(domain)s) does not belong to a member organisation of "
          "the network. Training is open exclusively to members: you can ask the staff to approve you.")
        % {"domain": person.email_domain},
        org,
    )


def hr_organisation_ids(user) -> set[int]:
    """Organisations whose staff this user manages as HR officer (a consortium: its members too)."""
    return set(Organisation.objects.managed_by(user).values_list("pk", flat=True))


def is_hr_officer_for(user, person: Person) -> bool:
    return bool(person.organisation_id) and person.organisation_id in hr_organisation_ids(user)


# --- sign-up and verification ---------------------------------------------------------------------------


class SignupError(Exception):
    pass


@transaction.atomic
def sign_up(*, first_name: str, last_name: str, email: str, password: str, language: str = "it",
            job_role: str = "", next_url: str = ""):
    """Create an account (and, for a new address, its Person) and send the verification link; returns
    the new user, or None when the address already has an account.

    An address already known from a roster is linked to the new account only once verified: the link
    proves the mailbox belongs to whoever signed up, so nobody can claim someone else's roster entry.
    An address that already has an account gets a notice instead (at most one an hour) and the caller
    answers exactly as for a new one, so the form does not tell who has an account. Neither mail repeats
    what was typed in the form: it goes to an address nobody has proven yet.
    """
    User = get_user_model()
    email = email.strip().lower()
    account = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()
    existing = Person.objects.filter(email__iexact=email).first()
    if account is None and existing is not None and existing.user_id:
        account = existing.user
    if account is not None:
        send_account_exists(account, email, language=language)
        return None
    user = User.objects.create_user(username=email, email=email, password=password,
                                    first_name=first_name, last_name=last_name)
    if existing is None:
        org = organisation_for_domain(email.rsplit("@", 1)[-1])
        Person.objects.create(user=user, first_name=first_name, last_name=last_name, email=email,
                              job_role=job_role, preferred_language=language, organisation=org,
                              organisation_source=OrganisationSource.DOMAIN if org else OrganisationSource.UNKNOWN)
    send_verification(user, language=language, next_url=next_url)
    return user


def send_account_exists(account, email: str, *, language: str = "it") -> None:
    """Tell the owner of ``email`` that someone tried to sign up with it (once an hour at most)."""
    hour = timezone.now().strftime("%Y%m%d%H")
    with translation.override(language):
        context = {"login_url": absolute_url(reverse("accounts:login")),
                   "reset_url": absolute_url(reverse("accounts:password_reset"))}
        queue_email(f"account:{account.pk}:signup-attempt:{hour}", email,
                    _("Someone tried to sign up to the Academy with your address"),
                    render_to_string("emails/accounts/account_exists.txt", context))


def verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "h": address_digest(user.email, VERIFY_SALT)}, salt=VERIFY_SALT)


def send_verification(user, *, language: str = "it", next_url: str = "") -> None:
    """``next_url`` (a local path the caller has checked) rides along in the link, so that the member
    lands on the course they came from whichever browser opens the mail."""
    token = verification_token(user)
    url = absolute_url(reverse("accounts:verify", args=[token]))
    if next_url:
        url += "?" + urlencode({"next": next_url})
    with translation.override(language):
        context = {"user": user, "url": url}
        queue_email(f"account:{user.pk}:verify:{uuid.uuid4().hex[:12]}", user.email,
                    _("Confirm your e-mail address for the Academy"),
                    render_to_string("emails/registrations/verify_email.txt", context))


@transaction.atomic
def verify_email(token: str) -> tuple[Person, bool]:
    """Mark the address verified and link the account to its Person (creating or claiming it); returns
    the person and whether this was the first verification of the address."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as exc:
        raise SignupError(_("This confirmation link is invalid or has expired.")) from exc
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or not same_address(data, user.email, VERIFY_SALT):
        raise SignupError(_("This confirmation link is invalid or has expired."))
    email = user.email.lower()
    person = Person.objects.select_for_update().filter(user=user).first()
    first_time = person is None or not person.email_verified
    if person is None:
        person = Person.objects.select_for_update().filter(email__iexact=email).first()
        if person is None:
            person = Person(first_name=user.first_name or email, last_name=user.last_name, email=email)
        elif person.user_id and person.user_id != user.pk:
            raise SignupError(_("This e-mail address is already linked to another account."))
        person.user = user
    person.email_verified = True
    _place_by_verified_domain(person)
    person.save()
    return person, first_time


def _place_by_verified_domain(person: Person) -> None:
    """Membership from a verified domain wins over an HR officer's import (or an unknown placement):
    the owner of the domain is the employer. A placement the person or staff confirmed stays."""
    org = organisation_for_domain(person.email_domain)
    if org is None or person.organisation_id == org.pk:
        return
    if person.organisation_id is None or person.organisation_source in (
            OrganisationSource.UNKNOWN, OrganisationSource.ROSTER, OrganisationSource.DOMAIN):
        if person.organisation_id is not None:
            person.on_roster = False  # that roster was somebody else's claim
        person.organisation, person.organisation_source = org, OrganisationSource.DOMAIN


# --- membership requests ------------------------------------------------------------------------------


@transaction.atomic
def request_membership(person: Person, organisation_name: str, message: str = "") -> MembershipRequest:
    """A non-member asks staff for approval; one pending request per person (a second call updates it)."""
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise ValidationError(_("Tell us which organisation you work for."))
    match = Organisation.objects.filter(name__iexact=organisation_name).first()
    pending = MembershipRequest.objects.select_for_update().filter(
        person=person, status=MembershipRequest.Status.PENDING).first()
    if pending:
        pending.organisation_name, pending.message, pending.organisation = organisation_name, message, match
        pending.save()
        return pending
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(person=person, organisation_name=organisation_name,
                                                    organisation=match, message=message)
    except IntegrityError:  # a concurrent request won: return it
        return MembershipRequest.objects.get(person=person, status=MembershipRequest.Status.PENDING)


@transaction.atomic
def decide_membership_request(request: MembershipRequest, *, approve: bool, by,
                              organisation: Organisation | None = None, note: str = "") -> MembershipRequest:
    """Staff approve or reject a request; the person is told by e-mail in their language."""
    request = MembershipRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not is_staff(by):
        raise PermissionError(_("Only staff decide membership requests."))
    request.status = MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note[:300]
    if organisation is not None:
        request.organisation = organisation
    request.save()
    person = request.person
    if approve:
        person.membership_approved = True
        if person.organisation_id is None and request.organisation_id:
            person.organisation_id = request.organisation_id
        person.save(update_fields=["membership_approved", "organisation"])
    with translation.override(person.preferred_language):
        subject = (_("Your membership of the Academy has been approved") if approve
                   else _("Your membership request to the Academy"))
        body = render_to_string("emails/registrations/membership_decided.txt",
                                {"person": person, "request": request, "approved": approve,
                                 "site_url": absolute_url("")})
    queue_email(f"membership:{request.pk}:{request.status}", person.email, subject, body)
    return request


# --- imports (``imports`` and ``roster``; re-exported so callers keep one entry point) --------------------

from .imports import import_organisations  # noqa: E402
from .roster import (  # noqa: E402
    confirm_roster_claim,
    decline_roster_claim,
    import_roster,
    may_manage_roster,
    release_roster_claim,
    roster_claim_from_token,
)

__all__ = ["Eligibility", "SignupError", "confirm_roster_claim", "decide_membership_request",
           "decline_roster_claim", "eligibility", "hr_organisation_ids", "import_organisations",
           "import_roster", "is_hr_officer_for", "may_manage_roster", "organisation_for_domain",
           "release_roster_claim", "request_membership", "roster_claim_from_token", "send_verification", "sign_up", "verify_email"]
