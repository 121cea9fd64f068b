"""Certificate pages: public verification (rate-limited), PDF download and Open Badges export.

Verification shows no more personal data than the participant's name, the course title, its dates and
the certified hours; a revocation's reason is shown to staff only.
It is rate-limited per client IP with django-ratelimit (``settings.CERTIFICATES["VERIFY_RATE_LIMIT"]``,
e.g. ``20/m``; a reverse proxy must set REMOTE_ADDR), on top of the 95 random bits of every code, so
codes cannot be enumerated. Downloads and badges are for the certificate's person and staff only;
anyone else gets a 404 (not 403: the page must not confirm that a code exists).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.core.ratelimits import over_limit, retry_after

from . import services
from .codes import normalize_code
from .models import Certificate

RATE_LIMIT_GROUP = "certificates.verify"


def verify_rate(group: str, request) -> str:
    """``settings.CERTIFICATES["VERIFY_RATE_LIMIT"]``, read per request so deployments and tests can set it."""
    return settings.CERTIFICATES.get("VERIFY_RATE_LIMIT") or "20/m"


def _over_limit(request) -> HttpResponse | None:
    """Count one verification for this client IP; the 429 page once it is over the limit.

    Typed codes and QR links share one budget (one group), so neither path can be used to enumerate.
    """
    # Fail open: verifying a certificate is a public read, and its 95-bit codes resist enumeration even
    # while the counter is unreadable (Redis down, docs/reliability.md).
    if not over_limit(request, group=RATE_LIMIT_GROUP, key="ip", rate=verify_rate, fail_open=True):
        return None
    response = render(request, "certificates/verify.html", {"state": "limited"}, status=429)
    response["Retry-After"] = str(retry_after(request, group=RATE_LIMIT_GROUP, key="ip", rate=verify_rate))
    return response


def verify(request):
    """The form where a code is typed (``?code=``); a valid-looking code goes to its page."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return render(request, "certificates/verify.html", {"state": "form"})
    if (limited := _over_limit(request)) is not None:
        return limited
    code = normalize_code(typed)
    if code is None:
        return render(request, "certificates/verify.html", {"state": "mistyped", "typed": typed}, status=404)
    return redirect("certificates:verify_code", code=code)


def verify_code(request, code: str):
    """Target of the printed QR code: valid / revoked / unknown."""
    if (limited := _over_limit(request)) is not None:
        return limited
    normalized = normalize_code(code)
    if normalized is None:
        return render(request, "certificates/verify.html", {"state": "mistyped", "typed": code}, status=404)
    if normalized != code:
        return redirect("certificates:verify_code", code=normalized)
    certificate = Certificate.objects.filter(code=normalized).select_related("person", "course").first()
    if certificate is None:
        return render(request, "certificates/verify.html", {"state": "unknown", "typed": code}, status=404)
    course = certificate.course.specific.localized  # in the page's language (Wagtail)
    return render(request, "certificates/verify.html", {
        "state": "valid" if certificate.is_valid else "revoked", "code": normalized,
        "name": certificate.person.full_name, "course_title": course.title,
        "first_date": certificate.first_date, "last_date": certificate.last_date,
        "hours": certificate.hours, "issued_at": certificate.issued_at, "revoked_at": certificate.revoked_at,
        # The reason may name the person's circumstances: the public sees only that it was revoked.
        "revoked_reason": certificate.revoked_reason if is_staff(request.user) else "",
        "signature": services.stored_signature(certificate) if certificate.is_valid else None,
    })


def _own_certificate(request, code: str) -> Certificate:
    normalized = normalize_code(code)
    certificate = (Certificate.objects.filter(code=normalized).select_related("person", "course").first()
                   if normalized else None)
    if certificate is None or not services.may_download(request.user, certificate):
        raise Http404
    return certificate


@login_required
def pdf(request, code: str):
    certificate = _own_certificate(request, code)
    response = HttpResponse(services.pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_("certificate")}-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def badge_json(request, code: str):
    certificate = _own_certificate(request, code)
    if not certificate.is_valid:
        return HttpResponse(_("A revoked certificate cannot be exported."), status=410)
    response = JsonResponse(services.open_badge(certificate), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.json"'
    return response


@login_required
def badge_jwt(request, code: str):
    certificate = _own_certificate(request, code)
    if not certificate.is_valid:
        return HttpResponse(_("A revoked certificate cannot be exported."), status=410)
    token = services.signed_open_badge(certificate)
    if token is None:
        raise Http404
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.jwt"'
    return response
