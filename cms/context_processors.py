"""Navigation shared by every page: menu pages of the current site in the active language."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Locale, Site


def roles(request: HttpRequest) -> dict:
    """The areas the signed-in user may use (``cms.areas``), for the menu and My Academy (lazily: most
    pages served to visitors never ask)."""
    from django.utils.functional import SimpleLazyObject

    from .areas import areas_for

    user = getattr(request, "user", None)
    areas = SimpleLazyObject(lambda: areas_for(user))
    return {"areas": areas,
            "menu_areas": SimpleLazyObject(lambda: list(reversed(areas))),  # My Academy first, admin last
            "has_trainer_area": SimpleLazyObject(lambda: any(area.key == "trainer" for area in areas)),
            "has_hr_area": SimpleLazyObject(lambda: any(area.key == "hr" for area in areas))}


def navigation(request: HttpRequest) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return {"nav_pages": [], "nav_home": None, "privacy_page": None}
    try:
        locale = Locale.objects.get(language_code=translation.get_language() or "it")
        home = site.root_page.get_translation_or_none(locale) or site.root_page
    except Locale.DoesNotExist:
        home = site.root_page
    pages = home.get_children().live().in_menu().only("id", "title", "url_path", "path", "depth", "locale_id")
    # The privacy notice is linked from the footer and the sign-up form of every page.
    privacy = home.get_children().live().filter(slug="privacy").first()
    return {"nav_pages": pages, "nav_home": home, "privacy_page": privacy}
