"""The reader's language across pages outside the language prefix.

Most pages carry their language in the path (``/it/…``, ``/en/…``); the sign-in with Microsoft and the
second-factor pages live under ``/auth/`` (one redirect URI for Entra, allauth's own URLs), where
Django's ``LocaleMiddleware`` falls back to the language cookie, then to the browser's preference. A
person sent there from an Italian page must keep reading Italian, whatever their browser says.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language_from_path


def language_of_path(path: str) -> str | None:
    """The language prefix of a local path (``/en/hr/`` → ``en``), or None."""
    return get_language_from_path(path) if path.startswith("/") else None


def remember_language(response: HttpResponse, language: str | None) -> HttpResponse:
    """Set Django's language cookie (as its ``set_language`` view does), for the pages without a prefix."""
    if language and language in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
