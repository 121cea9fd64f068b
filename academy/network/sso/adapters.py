"""django-allauth adapters: its documented hooks, each calling one rule of ``linking``."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from academy.core.clientip import client_ip
from academy.core.second_factor import mark_proved

from . import linking
from .provider import PROVIDER_ID

MEMBER_BACKEND = "academy.network.auth.MemberBackend"


def _refuse(request, message: str):
    raise ImmediateHttpResponse(render(request, "accounts/sso_refused.html", {"message": message}, status=403))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return True  # only reached by a sign-in with Microsoft: the e-mail sign-up is the Academy's own view

    def get_client_ip(self, request) -> str:
        return client_ip(request)  # the same address as django-axes and django-ratelimit (proxies counted)

    def login(self, request, user) -> None:
        # allauth would pick the first backend with get_user (django-axes'), which loads nobody.
        user.backend = MEMBER_BACKEND
        super().login(request, user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not linking.reauthenticated_with_microsoft(self.request)

    def get_reauthentication_methods(self, user) -> list[dict]:
        methods = super().get_reauthentication_methods(user)
        if not methods and linking.microsoft_only(user):
            # allauth would answer 403: such an account reauthenticates by signing in with Microsoft again.
            methods = [{"id": "microsoft", "description": _("Sign in with Microsoft"),
                        "url": reverse("accounts:login")}]
        return methods

    def get_login_stages(self) -> list[str]:
        return [MicrosoftAwareAuthenticateStage.path if stage == "allauth.mfa.stages.AuthenticateStage" else stage
                for stage in super().get_login_stages()]


class MicrosoftAwareAuthenticateStage(AuthenticateStage):
    """allauth's "enter your second factor" step, skipped when the registered tenant's token says MFA
    was performed (``linking.counts_as_second_factor``)."""

    path = "academy.network.sso.adapters.MicrosoftAwareAuthenticateStage"

    def handle(self):
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.account.provider == PROVIDER_ID \
                and linking.counts_as_second_factor(sociallogin):
            return None, True
        return super().handle()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        try:
            linking.check_nonce(sociallogin)
            if sociallogin.is_existing or (sociallogin.state or {}).get("process") == "connect":
                return
            account = linking.existing_account_to_link(sociallogin)
        except linking.LinkRefused as exc:
            _refuse(request, str(exc))
        if account is not None:
            sociallogin.connect(request, account)

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.username = linking.new_username(sociallogin)
        user.email = linking.claimed_email(sociallogin)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # allauth records the claimed address as an unverified EmailAddress; the Academy keeps none
        # (Person.email is the address, verified by the Academy), and allauth's MFA would refuse to
        # enrol a second factor while an unverified one exists.
        EmailAddress.objects.filter(user=user).delete()
        return user


@receiver(user_logged_in, dispatch_uid="academy.network.sso.signed_in")
def _signed_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None or sociallogin.account.provider != PROVIDER_ID:
        return
    linking.place(user, sociallogin)
    if linking.counts_as_second_factor(sociallogin):
        mark_proved(request, "microsoft amr")
