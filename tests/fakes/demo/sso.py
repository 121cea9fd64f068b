"""The Microsoft sign-in emulator set up for the demo: one standing account of a cooperative whose
tenant is registered, so "Accedi con Microsoft" signs that person in as if Microsoft already knew them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from academy.network.models import Organisation
from academy.network.sso import tenants
from tests.fakes.oidc_emulator import OIDCEmulator

DEMO_TENANT = "7b0e5c9a-3f1d-4c2b-9e8a-d1c0ffee2026"
DEMO_ORGANISATION = "Cooperativa Gruppo Gamma"
DEMO_EMAIL = "anna.demo@gruppogamma.coop"


class DemoSetupError(Exception):
    """The demo cannot start; the message says what to do."""


@dataclass
class DemoIdentity:
    email: str = DEMO_EMAIL
    given_name: str = "Anna"
    family_name: str = "Demo"
    tenant_id: str = DEMO_TENANT
    mfa: bool = False

    def claims(self) -> dict:
        # The object id is derived from the address, so the same person comes back after a restart.
        oid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{self.email.lower()}"))
        return {"tid": self.tenant_id, "oid": oid, "email": self.email, "preferred_username": self.email,
                "given_name": self.given_name, "family_name": self.family_name,
                "name": f"{self.given_name} {self.family_name}", "amr": ["pwd", "mfa"] if self.mfa else ["pwd"]}


def register_tenant(organisation_name: str, tenant_id: str) -> Organisation:
    """Register the tenant for the organisation, as the office would (by the first superuser)."""
    organisation = Organisation.objects.filter(name=organisation_name).first()
    if organisation is None:
        raise DemoSetupError(f"No organisation named {organisation_name!r}: load the demo first (make run).")
    office = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if office is None:
        raise DemoSetupError("No superuser to register the tenant: run `manage.py ensure_admin` (make run does).")
    try:
        tenants.propose_tenant(organisation, tenant_id, by=office)
    except ValidationError as exc:
        raise DemoSetupError(" ".join(exc.messages)) from exc
    return organisation


def start(identity: DemoIdentity, *, organisation_name: str = DEMO_ORGANISATION, port: int = 0,
          tls: bool = True) -> OIDCEmulator:
    """Register the tenant, start the emulator signing ``identity`` in; the caller stops it."""
    register_tenant(organisation_name, identity.tenant_id)
    emulator = OIDCEmulator(tls=tls, port=port)
    emulator.next_identity = identity.claims()
    return emulator.start()


def environment(emulator: OIDCEmulator) -> dict[str, str]:
    """What the Academy's server needs to show the button and trust the emulator."""
    env = {"MICROSOFT_CLIENT_ID": emulator.client_id, "MICROSOFT_CLIENT_SECRET": emulator.client_secret,
           "MICROSOFT_AUTHORITY": emulator.authority}
    if emulator.ca_bundle:
        env["REQUESTS_CA_BUNDLE"] = emulator.ca_bundle  # the system's CAs plus the emulator's
    return env
