"""Who a Microsoft identity is: the rules behind the allauth adapters (``adapters``).

An identity is its tenant id + object id. A known identity signs its account in. A new one:

* is linked to an existing account only when the account's owner connects it while signed in (allauth's
  "connect", which proves both), or when its tenant is the registered tenant of an organisation whose
  verified domain the address is on, and the account holds no role that needs a second factor;
* is refused when its ``email`` claim names an account it may not be linked to, or an address of a member
  organisation that has not registered this tenant: the claim is whatever the tenant's administrator
  typed, so it proves nothing about the address ("nOAuth");
* otherwise becomes a new account and person: a member of the organisation of a registered tenant, or an
  ordinary account that still needs a member domain (a verification link is sent) or a membership request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core.second_factor import requires_second_factor

from .. import services
from ..models import Organisation, OrganisationSource, Person
from .tenants import PROVIDER_ID, is_guest, organisation_for_tenant


class LinkRefused(Exception):
    """The sign-in may not go on; the message is shown to the person."""


def claims_of(sociallogin) -> dict:
    return sociallogin.account.extra_data.get("id_token", {})


def tenant_organisation(sociallogin) -> Organisation | None:
    """The member organisation whose registered tenant the identity belongs to (its own staff, not guests)."""
    claims = claims_of(sociallogin)
    return None if is_guest(claims) else organisation_for_tenant(claims.get("tid"))


def check_nonce(sociallogin) -> None:
    """The token answers this sign-in's request (OpenID Connect Core §3.1.3.7, point 11)."""
    expected = (sociallogin.state or {}).get("nonce")
    if not expected or claims_of(sociallogin).get("nonce") != expected:
        raise LinkRefused(_("The sign-in with Microsoft could not be verified. Please try again."))


def claimed_email(sociallogin) -> str:
    claims = claims_of(sociallogin)
    email = (claims.get("email") or "").strip().lower()
    if not email and "@" in (claims.get("preferred_username") or ""):
        email = claims["preferred_username"].strip().lower()
    return email


def _account_for(email: str):
    User = get_user_model()
    account = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()
    if account is None:
        person = Person.objects.filter(email__iexact=email, user__isnull=False).select_related("user").first()
        account = person.user if person else None
    return account


def existing_account_to_link(sociallogin):
    """For a new identity: the account it is linked to, or None for a new account; ``LinkRefused`` when its
    address belongs to an account or a roster entry it may not take."""
    email = claimed_email(sociallogin)
    if not email:
        raise LinkRefused(_("Your Microsoft account has no e-mail address: sign up with your e-mail instead."))
    vouched = _tenant_vouches_for(sociallogin, email)
    if not vouched and services.organisation_for_domain(email.rsplit("@", 1)[-1]) is not None:
        # A member organisation's address from a tenant it has not registered: an unverified account
        # would only squat the address (its owner could not even reset a password it never had).
        raise LinkRefused(_(
            "Your organisation has not registered its Microsoft tenant with the Academy yet: sign up with "
            "your e-mail address, or ask your HR officer to propose the tenant."))
    account = _account_for(email)
    roster_entry = Person.objects.filter(email__iexact=email, anonymised_at__isnull=True).exists()
    if account is None and not roster_entry:
        return None
    if vouched and (account is None or (
            account.is_active and not requires_second_factor(account))):
        return account  # None: the new account claims the roster entry (``place``)
    raise LinkRefused(_(
        "An Academy account already uses this e-mail address. Sign in with your password, then connect "
        "your Microsoft account from My Academy (\"Second factor and sign-in\")."))


def _tenant_vouches_for(sociallogin, email: str) -> bool:
    """The identity's tenant is the registered tenant of the organisation that owns the address's domain."""
    org = tenant_organisation(sociallogin)
    return org is not None and email.rsplit("@", 1)[-1] in org.domains


def new_username(sociallogin) -> str:
    claims = claims_of(sociallogin)
    return f"microsoft:{claims['tid']}:{claims['oid']}".lower()[:150]


def place(user, sociallogin) -> Person:
    """The person behind ``user`` after a sign-in: created for a new account (claiming a roster entry of
    the same address that has no account yet), placed in the organisation of a registered tenant."""
    claims = claims_of(sociallogin)
    org = tenant_organisation(sociallogin)
    person = Person.objects.filter(user=user).first()
    if person is None:
        email = claimed_email(sociallogin)
        person = None
        if _tenant_vouches_for(sociallogin, email):
            person = Person.objects.filter(email__iexact=email, user__isnull=True, anonymised_at__isnull=True).first()
        if person is None:
            person = Person(email=email, preferred_language=(translation.get_language() or "it")[:2],
                            first_name=claims.get("given_name") or claims.get("name") or email,
                            last_name=claims.get("family_name") or "")
        person.user = user
        if org is None:
            person.save()
            services.send_verification(user, language=person.preferred_language)
            return person
    if org is not None:
        _place_by_tenant(person, org)
    person.save()
    return person


def _place_by_tenant(person: Person, org: Organisation) -> None:
    """A sign-in from a registered tenant is as strong as a verified domain: it wins over an unknown or
    imported placement, never over one the person or staff confirmed."""
    if person.organisation_id == org.pk:
        if person.organisation_source in (OrganisationSource.UNKNOWN, OrganisationSource.ROSTER):
            person.organisation_source = OrganisationSource.TENANT
        return
    if person.organisation_id is None or person.organisation_source in (
            OrganisationSource.UNKNOWN, OrganisationSource.ROSTER, OrganisationSource.DOMAIN,
            OrganisationSource.TENANT):
        if person.organisation_id is not None:
            person.on_roster = False
        person.organisation, person.organisation_source = org, OrganisationSource.TENANT


def counts_as_second_factor(sociallogin) -> bool:
    """The registered tenant says it performed multi-factor authentication for this sign-in (``amr``)."""
    return "mfa" in (claims_of(sociallogin).get("amr") or []) and tenant_organisation(sociallogin) is not None


def microsoft_only(user) -> bool:
    """An account that signs in with Microsoft alone: no password, and no second factor yet, so none of
    allauth's ways to reauthenticate (password, e-mailed code, second factor) is open to it."""
    from allauth.mfa.utils import is_mfa_enabled
    from allauth.socialaccount.models import SocialAccount

    return (bool(getattr(user, "is_authenticated", False)) and not user.has_usable_password()
            and not is_mfa_enabled(user)
            and SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).exists())


def reauthenticated_with_microsoft(request) -> bool:
    """For such an account, a Microsoft sign-in in the last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds
    stands for allauth's reauthentication (before enrolling a second factor)."""
    from allauth.account.authentication import get_authentication_records

    if request is None or not microsoft_only(request.user):
        return False
    records = [r for r in get_authentication_records(request, request.user)
               if r.get("method") == "socialaccount" and r.get("provider") == PROVIDER_ID]
    return bool(records) and time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
