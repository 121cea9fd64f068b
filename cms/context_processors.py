"""Navigation shared by every page: menu pages of the current site in the active language."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Locale, Site


def roles(request: HttpRequest) -> dict:
    """Which areas the signed-in user has, for links in the menu and My Academy (lazily: most pages
    served to visitors never ask)."""
    from django.utils.functional import SimpleLazyObject

    from academy.competences.scope import is_hr_user
    from academy.courses.permissions import trainer_of

    user = getattr(request, "user", None)
    return {"has_trainer_area": SimpleLazyObject(lambda: trainer_of(user) is not None),
            "has_hr_area": SimpleLazyObject(lambda: is_hr_user(user))}


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
