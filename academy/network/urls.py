"""Accounts: login, logout, password reset, sign-up with e-mail verification, membership requests,
roster import for HR officers."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import OutboxPasswordResetForm
from .sso import views as sso_views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("membership/", views.membership_request, name="membership_request"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("tenants/", sso_views.propose, name="tenants"),  # an HR officer proposes the Microsoft tenant
    path("roster/confirm/<str:token>/", views.roster_claim, name="roster_claim"),
    path("password-reset/", views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        success_url=reverse_lazy("accounts:password_reset_done"),
        email_template_name="accounts/email/password_reset.txt",
        form_class=OutboxPasswordResetForm,
    ), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
]
