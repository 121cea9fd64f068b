"""The case-study library as the home page shows it (found by content type, so the site needs no
import of the app that defines the pages)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page


def latest_case_studies(locale: Locale, limit: int = 3) -> list[Page]:
    """Newest live case studies in the locale (empty until the case-study library exists)."""
    try:
        content_type = ContentType.objects.get_by_natural_key("masterclass", "casestudypage")
    except ContentType.DoesNotExist:
        return []
    return list(
        Page.objects.live().public().filter(locale=locale, content_type=content_type)
        .order_by("-first_published_at")[:limit]
    )
