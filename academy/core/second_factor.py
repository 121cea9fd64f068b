"""Second factor: who must have one, whether this session proved one, and the gate that sends them to it.

Staff, HR officers and inspectors see many people's personal data (codici fiscali included), so OWASP
ASVS level 2 asks for multi-factor authentication on their accounts. The factors themselves (TOTP,
passkeys/WebAuthn, recovery codes) are django-allauth's ``allauth.mfa``; this module only decides.

* **Roles** live in several layers (staff and the Wagtail admin here, HR officers in ``academy.network``, inspectors in
  ``academy.funding``): the apps above answer the ``second_factor_required`` signal with the name of a role the
  user holds (``""`` for none).
* **Proved in this session**: allauth records every second factor it checks (at sign-in, or on its
  "reauthenticate" page) in the session (``allauth.account.authentication``); a Microsoft sign-in from a
  registered tenant whose token says MFA was performed (``amr``) counts too (``mark_proved``).
* **The gate** (``SecondFactorMiddleware``): anybody who enrolled a factor proves it before anything else
  (their own choice protects their account); a person in a required role without one is sent to enrol
  before the protected areas (admin, HR area, inspector pages, roster import).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.dispatch import Signal, receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .language import language_of_path, remember_language
from .permissions import is_staff

IDENTITY_SESSION_KEY = "academy_second_factor_identity"
#: Sent with ``user`` (signed in); each receiver returns the name of a role of ``user`` that requires a
#: second factor, or ``""``.
second_factor_required = Signal()
# This layer's own roles. Editors and moderators: the Wagtail admin shows forms' submissions and users' names.
OWN_ROLES: dict[str, Callable[[object], bool]] = {
    "staff": is_staff, "wagtail_admin": lambda user: user.has_perm("wagtailadmin.access_admin")}


def required_roles(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = [name for name, holds in OWN_ROLES.items() if holds(user)]
    return roles + [answer for _receiver, answer in second_factor_required.send(sender=type(user), user=user)
                    if answer]


def requires_second_factor(user) -> bool:
    """Whether ``user`` must prove a second factor before the protected areas."""
    return bool(required_roles(user))


def has_second_factor(user) -> bool:
    """An enrolled TOTP app or passkey (recovery codes alone are a fallback, not a factor)."""
    return bool(getattr(user, "is_authenticated", False)) and is_mfa_enabled(
        user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def mark_proved(request, how: str) -> None:
    """A second factor was proved outside allauth's own check: the identity provider performed MFA for
    this sign-in (``academy.network.sso``), or the person just enrolled one (which proves possession)."""
    request.session[IDENTITY_SESSION_KEY] = {"user": str(request.user.pk), "how": how}


@receiver(authenticator_added, dispatch_uid="academy.core.second_factor.enrolled")
def _enrolled(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # generated with a factor, not a factor of their own
    if request is not None and getattr(request, "user", None) == user:
        mark_proved(request, f"enrolled {authenticator.type}")


def proved_this_session(request) -> bool:
    user = request.user
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return True
    marker = request.session.get(IDENTITY_SESSION_KEY)
    return isinstance(marker, dict) and marker.get("user") == str(user.pk)


class MFAAdapter(DefaultMFAAdapter):
    """allauth's second factors, with the Academy's name in authenticator apps."""

    def get_totp_issuer(self) -> str:
        return settings.MFA_TOTP_ISSUER


# --- the gate ------------------------------------------------------------------------------------------

def _protected(path: str) -> bool:
    """The areas that show other people's data (the language prefix is the first path segment), and the
    API tokens page: a token would otherwise read the same data without the second factor."""
    if path.startswith("/admin/") and not path.startswith(("/admin/login/", "/admin/logout/")):
        return True
    if path.startswith(("/api/v1/hr/", "/api/v1/staff/")):
        return True
    parts = path.split("/", 3)
    rest = "/" + parts[2] + "/" if len(parts) > 2 else ""
    return (rest in ("/hr/", "/funding/") or "/my-academy/api-tokens/" in path
            or path.endswith(("/accounts/roster/import/", "/accounts/tenants/")))


def _exempt(path: str) -> bool:
    """Pages needed to prove or enrol a factor, to leave, and files that reveal nothing."""
    return (path.startswith(("/auth/", "/static/", "/i18n/", "/healthz", "/readyz"))
            or path.endswith(("/accounts/logout/", "/accounts/login/")))


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Sends signed-in people who owe a second factor to prove it (or to enrol one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.ACADEMY_SECOND_FACTOR_ENFORCED and user is not None and user.is_authenticated
                and not _exempt(request.path_info)):
            response = self.gate(request)
            if response is not None:
                return response
        return self.get_response(request)

    def gate(self, request):
        response = self._gate(request)
        if response is not None and request.path_info.startswith("/api/"):
            # A program cannot follow the prompt: it gets a refusal (a session's API call; tokens are
            # created only after the second factor, on the protected tokens page).
            return JsonResponse({"detail": _("Prove your second factor in the browser first.")}, status=403)
        if response is not None:  # the prompt (under /auth/) in the language of the page asked for
            remember_language(response, language_of_path(request.path_info))
        return response

    def _gate(self, request):
        user = request.user
        if has_second_factor(user):
            if proved_this_session(request):
                return None
            # The code form takes TOTP and recovery codes; someone with passkeys only gets the passkey prompt.
            only_passkeys = not is_mfa_enabled(user, [Authenticator.Type.TOTP])
            return redirect(_with_next(reverse("mfa_reauthenticate_webauthn" if only_passkeys
                                               else "mfa_reauthenticate"), request))
        if _protected(request.path_info) and requires_second_factor(user) and not proved_this_session(request):
            messages.warning(request, _("Your role gives you access to other people's personal data: "
                                        "set up a second factor (an authenticator app or a passkey) to continue."))
            return redirect(_with_next(reverse("mfa_index"), request))
        return None
