"""A person's own data: the "download my data" export and the erasure, run across every app through
the privacy registry (``academy.core.privacy``), plus the network's own holders (the person and their
membership requests).

The person is anonymised last: the other apps' erasers find their rows by the person's name and address.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from academy.core import privacy

from .models import Person, RosterClaim


def export_person_data(person: Person) -> dict:
    """Everything the Academy stores about ``person``, for the "download my data" button."""
    return privacy.export_person(person)


@transaction.atomic
def anonymise_person(person: Person, *, by=None, now: datetime.datetime | None = None) -> Person:
    """Erase a person's personal data but keep the rows, so course counts and statistics stay right.

    Every app's registered eraser runs, in one transaction (see each app's ``privacy.py``); finally names
    become "Anonimo", the e-mail a unique placeholder, the codice fiscale and job role are removed and
    the account is deactivated and unlinked. Erasing an erased person changes nothing.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at:
        return person
    privacy.erase_person(person, by=by, now=now)
    return person


# --- the network's holders ------------------------------------------------------------------------------


def export_person_fields(person: Person) -> dict:
    return {
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "fiscal_code": person.fiscal_code, "job_role": person.job_role,
        "organisation": person.organisation.name if person.organisation else None,
        "preferred_language": person.preferred_language, "email_verified": person.email_verified,
        "on_roster": person.on_roster, "membership_approved": person.membership_approved,
        "created_at": person.created_at.isoformat(),
    }


def erase_person_fields(person: Person, *, by, now) -> None:
    user = person.user
    person.first_name, person.last_name = "Anonimo", ""
    person.email = f"anonimo-{person.pk}-{uuid.uuid4().hex[:8]}@anonymised.invalid"
    person.fiscal_code = person.job_role = ""
    person.user = None
    person.email_verified = person.on_roster = person.membership_approved = False
    person.anonymised_at = timezone.now()
    person.save()
    if user is not None:
        user.is_active = False
        user.username = f"anonimo-{person.pk}-{uuid.uuid4().hex[:8]}"
        user.email = user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.save()


def export_membership_requests(person: Person) -> list[dict]:
    return [
        {"organisation": m.organisation_name, "message": m.message, "status": m.status,
         "requested_at": m.created_at.isoformat()}
        for m in person.membership_requests.all()
    ]


def erase_membership_requests(person: Person, *, by, now) -> None:
    person.membership_requests.update(message="", organisation_name="—")


def export_roster_claims(person: Person) -> list[dict]:
    return [
        {"organisation": c.organisation.name, "first_name": c.first_name, "last_name": c.last_name,
         "fiscal_code": c.fiscal_code, "job_role": c.job_role, "status": c.status,
         "requested_at": c.created_at.isoformat()}
        for c in RosterClaim.objects.filter(email__iexact=person.email).select_related("organisation")
    ]


def erase_roster_claims(person: Person, *, by, now) -> None:
    """Roster entries awaiting or past confirmation are no legal record: they go."""
    RosterClaim.objects.filter(email__iexact=person.email).delete()


def export_sign_in_methods(person: Person) -> dict:
    """Linked Microsoft identities (tenant, object id, names from the token) and second factors (kind and
    dates only: the secrets and public keys stay out of the download)."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    if person.user_id is None:
        return {"identities": [], "second_factors": []}
    return {
        "identities": [{"provider": a.provider, "tenant_and_object_id": a.uid, "claims": a.extra_data.get("id_token", {}),
                        "linked_at": a.date_joined.isoformat(), "last_sign_in": a.last_login.isoformat()}
                       for a in SocialAccount.objects.filter(user_id=person.user_id)],
        "second_factors": [{"type": a.type, "created_at": a.created_at.isoformat(),
                            "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None}
                           for a in Authenticator.objects.filter(user_id=person.user_id)],
    }


def erase_sign_in_methods(person: Person, *, by, now) -> None:
    """Identities, second factors and allauth's copy of the address go: the erased account cannot sign in."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    if person.user_id is not None:
        SocialAccount.objects.filter(user_id=person.user_id).delete()
        Authenticator.objects.filter(user_id=person.user_id).delete()
        EmailAddress.objects.filter(user_id=person.user_id).delete()


# Export order follows the download's sections; the person is erased last (see the module's note).
privacy.register("person", export=export_person_fields, erase=erase_person_fields, order=1000, export_order=0)
privacy.register("membership_requests", export=export_membership_requests, erase=erase_membership_requests,
                 order=900, export_order=30)
privacy.register("roster_claims", export=export_roster_claims, erase=erase_roster_claims, order=900,
                 export_order=31)
privacy.register("sign_in_methods", export=export_sign_in_methods, erase=erase_sign_in_methods, order=900,
                 export_order=5)

from . import login_records  # noqa: E402,F401  (successful-login records: export, erasure)
