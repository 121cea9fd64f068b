"""Forms: they parse input; the rules are in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.network.models import Organisation


class ApplicationForm(forms.Form):
    role = forms.CharField(label=_("Your role"), max_length=150,
                           help_text=_("e.g. coordinator of educational services"))
    organisation = forms.ModelChoiceField(label=_("Cooperative"), queryset=Organisation.objects.all(),
                                          required=False)
    motivation = forms.CharField(label=_("Why do you want to take part?"), widget=forms.Textarea(attrs={"rows": 6}),
                                 max_length=4000)
    endorser_name = forms.CharField(label=_("Endorsed by (your director or HR officer)"), max_length=150)
    endorser_email = forms.EmailField(label=_("Their e-mail address"))
    consent = forms.BooleanField(label=_("I have read the privacy notice"), required=True)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            if person.organisation_id:
                self.fields["organisation"].initial = person.organisation_id
            if person.job_role:
                self.fields["role"].initial = person.job_role


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("wait", _("Waiting list")),
                                          ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note to the applicant"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
