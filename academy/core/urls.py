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


def page_url(page) -> str:
    """The absolute URL of a Wagtail page against ``SITE_URL``. Wagtail's own ``page.url`` is absolute
    (from the Site record, e.g. ``http://localhost``) as soon as there are two sites, so only its path
    is used."""
    parts = page.get_url_parts() if page is not None else None
    return absolute_url(parts[2] if parts else "/")


def check_site_url(app_configs=None, **kwargs) -> list:
    """System check: without ``SITE_URL`` a production site would mail links to localhost."""
    from django.core.checks import Warning

    if settings.DEBUG or getattr(settings, "SITE_URL_IS_SET", True):
        return []
    return [Warning("SITE_URL is not set: e-mails, calendars, certificates and QR codes will link to "
                    f"{settings.SITE_URL}.", hint="Set SITE_URL to the public address, e.g. "
                    "https://academy.example.coop.", id="core.W001")]
