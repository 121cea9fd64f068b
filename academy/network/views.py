"""Account views: sign-up, e-mail verification, membership request, roster import by HR officers.

Thin: every rule is in ``academy.network.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.core.ratelimits import over_limit
from academy.core.tabular import TabularFileError

from . import services
from .forms import MembershipRequestForm, RosterImportForm, SignupForm
from .models import MembershipRequest, Organisation
from .tasks import send_password_reset


def safe_next(request) -> str:
    """The ``next`` parameter when it points back into this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "my_academy")
    form = SignupForm(request.POST or None,
                      initial={"preferred_language": translation.get_language() or "it"})
    if request.method == "POST" and over_limit(request, group="accounts.signup", key="ip",
                                               rate=settings.ACCOUNTS_RATE_LIMITS["signup"], fail_open=True):
        return render(request, "accounts/rate_limited.html", status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same answer whether or not the address has an account (services.sign_up sends the notice).
        services.sign_up(first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                         password=data["password1"], language=data["preferred_language"],
                         job_role=data["job_role"], next_url=next_url)
        return render(request, "accounts/signup_done.html", {"email": data["email"].strip().lower()})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def verify(request, token: str):
    try:
        person, first_time = services.verify_email(token)
    except services.SignupError as exc:
        return render(request, "accounts/verify_failed.html", {"reason": str(exc)}, status=400)
    # Sign-up does not log in (its answer must not depend on whether the address had an account): the
    # first use of the link, which proves the mailbox, does.
    if first_time and not request.user.is_authenticated:
        login(request, person.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    status = services.eligibility(person)
    if not status.eligible:
        messages.info(request, status.reason)
    return redirect(safe_next(request) or "my_academy")


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request):
    person = services.person_of(request.user)
    if person is None:
        messages.info(request, _("Please confirm your e-mail address first: we sent you a link."))
        return redirect("my_academy")
    status = services.eligibility(person)
    pending = person.membership_requests.filter(status=MembershipRequest.Status.PENDING).first()
    form = MembershipRequestForm(request.POST or None, initial={
        "organisation_name": pending.organisation_name if pending else
        (person.organisation.name if person.organisation else "")})
    if request.method == "POST" and not status.eligible and form.is_valid():
        try:
            services.request_membership(person, form.cleaned_data["organisation_name"],
                                        form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request has been sent to the Academy staff."))
            return redirect("my_academy")
    return render(request, "accounts/membership_request.html",
                  {"form": form, "status": status, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    """HR officers (and staff) upload a staff roster for an organisation they manage."""
    organisations = Organisation.objects.visible_to(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = RosterImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_roster(upload, form.cleaned_data["organisation"], request.user,
                                            filename=upload.name)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except TabularFileError as exc:  # unreadable file: say so instead of a server error
            form.add_error("file", str(exc))
    return render(request, "accounts/roster_import.html", {"form": form, "report": report},
                  status=400 if report is not None and not report.ok else 200)


def _reset_address(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, rate-limited: per client address (a 429 page) and per e-mail address
    (the usual "sent" page, without sending), so it cannot be used to flood somebody's mailbox."""

    def post(self, request, *args, **kwargs):
        limits = settings.ACCOUNTS_RATE_LIMITS
        if over_limit(request, group="accounts.password_reset", key="ip", rate=limits["password_reset_ip"],
                      fail_open=False):
            return render(request, "accounts/rate_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        """Queue the reset (``tasks.send_password_reset``) for every address, known or not: the request
        does the same work either way and the worker decides whether there is anyone to mail."""
        if not over_limit(self.request, group="accounts.password_reset.address", key=_reset_address,
                          rate=settings.ACCOUNTS_RATE_LIMITS["password_reset_address"], fail_open=False):
            send_password_reset.enqueue(form.cleaned_data["email"], translation.get_language() or "it")
        return redirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
def roster_claim(request, token: str):
    """The owner of an address confirms or declines an HR officer's roster entry (the signed link in the
    e-mail is the proof; no login needed, since many listed workers have no account yet)."""
    try:
        claim = services.roster_claim_from_token(token)
    except ValidationError as exc:
        return render(request, "accounts/roster_claim.html", {"error": " ".join(exc.messages)}, status=400)
    done = None
    if request.method == "POST" and claim.status == claim.Status.PENDING:
        try:
            if request.POST.get("decision") == "confirm":
                services.confirm_roster_claim(claim)
                done = "confirmed"
            else:
                services.decline_roster_claim(claim)
                done = "declined"
        except ValidationError as exc:
            return render(request, "accounts/roster_claim.html", {"error": " ".join(exc.messages)}, status=400)
        claim.refresh_from_db()
    return render(request, "accounts/roster_claim.html", {"claim": claim, "done": done})
