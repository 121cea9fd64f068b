"""Forms: they parse input; the rules are in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("PDF, PowerPoint, Word, Excel, OpenDocument or ZIP."))
    # Text, not URLField: URLField would complete "//evil.example" or "evil.example" into a link nobody typed;
    # the service checks the full address (``services._check_url``).
    url = forms.CharField(label=_("…or a link (e.g. the recording)"), required=False, max_length=500)
    visible_after_session = forms.BooleanField(label=_("Show to registrants only after the session"),
                                               required=False)
