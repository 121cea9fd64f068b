"""allauth's pages the Academy uses, mounted at /auth/ (outside the language prefix, so that the
redirect URI registered in Entra is one address): the Microsoft sign-in, the second-factor pages and
password reauthentication. allauth's own login, sign-up and password pages are not mounted: its URL
names lead to the Academy's views instead."""

from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import provider

urlpatterns = [
    path("login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True), name="account_login"),
    path("signup/", RedirectView.as_view(pattern_name="accounts:signup", query_string=True),
         name="account_signup"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    path("oidc/<str:provider_id>/login/", provider.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", provider.callback, name="openid_connect_callback"),
]
