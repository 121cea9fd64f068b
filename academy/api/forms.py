from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What will use it, e.g. \"payroll system\"."))
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Address (https)"), max_length=500, assume_scheme="https")
    organisation = forms.ChoiceField(label=_("Organisation"))
    events = forms.MultipleChoiceField(label=_("Events"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisations, allow_all: bool, event_types: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(o.pk), str(o)) for o in organisations]
        if allow_all:
            choices.insert(0, ("", _("All organisations (staff)")))
        self.fields["organisation"].choices = choices
        self.fields["organisation"].required = not allow_all
        self.fields["events"].choices = [(e, f"{label} ({e})") for e, label in event_types.items()]
