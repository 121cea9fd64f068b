"""Forms for sign-up, membership requests and roster uploads (input parsing only)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Person
from .validators import validate_single_line


class SignupForm(forms.Form):
    required_css_class = "required"  # the label shows a marker (site.css)

    first_name = forms.CharField(label=_("First name"), max_length=100,
                                 validators=[validate_single_line],
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                validators=[validate_single_line],
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    # The address is also the account's username, so it may not be longer than a username.
    email = forms.EmailField(label=_("Work e-mail address"), max_length=150,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("Use your cooperative's address: it makes you a member at once."))
    job_role = forms.CharField(label=_("Job role"), max_length=120, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Person.Language.choices)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules the validators apply, said before the first attempt rather than after a refusal.
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MembershipRequestForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation you work for"), max_length=200)
    message = forms.CharField(label=_("Message for the staff"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False, max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class RosterImportForm(ImportForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else \
            Organisation.objects.all()


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail sent through the Academy's outbox like every other
    message (recorded, retried, sent once per reset link)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from academy.core.outbox import queue_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(f"password-reset:{context['uid']}:{context['token']}", to_email, subject, body)
