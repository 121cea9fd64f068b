"""Absolute URLs for everything that leaves the site (e-mails, calendars, PDFs, QR codes)."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """``path_or_url`` made absolute against ``settings.SITE_URL``; absolute URLs pass unchanged.

    The one rule for links sent outside the site, so that e-mails, calendar files and certificates all
    point at the same public address whatever request (if any) produced them.
    """
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    base = settings.SITE_URL.rstrip("/")
    if not path_or_url:
        return base + "/"
    return base + (path_or_url if path_or_url.startswith("/") else "/" + path_or_url)
