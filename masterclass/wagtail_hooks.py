"""Wagtail admin registrations of the masterclass app (the screens are in ``viewsets``)."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Locale
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy

from .models import Application, CaseStudyPage
from .viewsets import applications_viewset

register_permission_policy(Application, StaffPermissionPolicy(Application))


@hooks.register("register_admin_viewset")
def register_applications_viewset():
    return applications_viewset


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_when_a_case_study_is_not_in_english(request, page):
    """The library shows each language's own pages: an Italian case study without an English translation
    is missing from the English site, which the editor would not otherwise know."""
    english = Locale.objects.filter(language_code="en").first()
    if not isinstance(page.specific, CaseStudyPage) or english is None or page.locale_id == english.pk:
        return
    if not CaseStudyPage.objects.live().filter(translation_key=page.translation_key, locale=english).exists():
        messages.warning(request, _("“%(title)s” is not shown on the English site until it is translated: "
                                    "use “Translate” in the page's actions menu, then publish the English "
                                    "page.") % {"title": page.title})
