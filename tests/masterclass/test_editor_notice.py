"""Issue 27: the editor of an Italian case study learns that it is missing from the English site until it
is translated (a message after saving it in the admin)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import translation
from wagtail import hooks
from wagtail.models import Locale

from cms import demo
from masterclass.models import CaseStudyIndexPage, CaseStudyPage

pytestmark = pytest.mark.django_db


def _after_edit(page) -> list[str]:
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with translation.override("it"):
        for hook in hooks.get_hooks("after_edit_page"):
            hook(request, page)
    return [str(m) for m in get_messages(request)]


def test_an_untranslated_case_study_is_announced_until_translated(site):
    index = CaseStudyIndexPage(title="Casi studio", slug="casi-studio")
    site.home.add_child(instance=index)
    demo.publish(index)
    page = CaseStudyPage(title="Il progetto CER", slug="progetto-cer", area=site.areas["digitale"], sector="other",
                         territory="Rho")
    index.add_child(instance=page)
    demo.publish(page)
    said = _after_edit(page)
    assert len(said) == 1 and "non compare sul sito in inglese" in said[0] and "Il progetto CER" in said[0]
    demo.translate(index, Locale.objects.get(language_code="en"), slug="case-studies")
    english = demo.translate(page, Locale.objects.get(language_code="en"), title="The CER project", slug="cer")
    assert _after_edit(page) == [] and _after_edit(english) == []


def test_the_publish_message_is_italian_throughout():
    """Issue 27: Wagtail's "Guarda live" mixed English into the Italian message after publishing."""
    from django.utils.translation import gettext

    with translation.override("it"):
        assert gettext("View live") == "Vedi sul sito"
        assert gettext("Page '%(page_title)s' has been published.") % {"page_title": "Il progetto CER"} == (
            "La pagina “Il progetto CER” è stata pubblicata.")
