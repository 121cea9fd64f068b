"""Forms of the HR area: they parse input; the rules live in services and resources."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.obligations.models import Employment, Obligation, RiskClass
from academy.obligations.rules import DEFAULT_DUE_DAYS

from .compliance import Period
from .models import Competence, ExternalTraining

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _within_bounds(value: datetime.date | None) -> datetime.date | None:
    # Period arithmetic (a year before, days after) must stay within the calendar Python can count.
    if value is not None and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(_("Choose a date between %(start)s and %(end)s.") % {
            "start": EARLIEST.strftime("%d/%m/%Y"), "end": LATEST.strftime("%d/%m/%Y")})
    return value


class PeriodForm(forms.Form):
    """Year, or an explicit from–to range (which wins), plus list filters."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("overdue", _("Overdue")), ("lapsed", _("Lapsed")), ("due", _("Due")),
        ("compliant", _("Compliant"))])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    days = forms.IntegerField(label=_("Due within (days)"), required=False, min_value=1, max_value=730)

    def clean_start(self):
        return _within_bounds(self.cleaned_data.get("start"))

    def clean_end(self):
        return _within_bounds(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") or data.get("end"):
            start = data.get("start") or datetime.date(today.year, 1, 1)
            return Period(start, data.get("end") or today)
        return Period.year(data.get("year") or today.year)

    def due_days(self) -> int:
        return (self.cleaned_data.get("days") if self.is_valid() else None) or DEFAULT_DUE_DAYS


class ExternalTrainingForm(forms.ModelForm):
    competences = forms.ModelMultipleChoiceField(
        Competence.objects.select_related("area"), required=False, label=_("Competences"),
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ExternalTraining
        fields = ["title", "provider", "date", "hours", "competences", "attachment"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return date


class ObligationTrainingForm(forms.ModelForm):
    """An attestato of mandatory training done elsewhere (the obligation it counts towards)."""

    class Meta:
        model = ExternalTraining
        fields = ["obligation", "title", "provider", "date", "hours", "delivery_mode", "attestato_reference",
                  "legal_frame", "training_kind", "module"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        # The form shows in English too, where "attestato" means nothing: the certificate of attendance.
        labels = {"date": _("End date (as on the certificate of attendance)"),
                  "attestato_reference": _("Certificate of attendance number")}
        help_texts = {"obligation": _("Mandatory training under the law that this certificate counts towards.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].required = True
        self.fields["obligation"].queryset = Obligation.objects.filter(active=True).exclude(
            unit=Obligation.Unit.CREDITS)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return date


class EcmCreditForm(forms.Form):
    """ECM credits from an external accredited provider's event."""

    provider = forms.CharField(label=_("accredited provider"), max_length=255)
    ecm_provider_id = forms.CharField(label=_("provider id"), max_length=30)
    ecm_event_id = forms.CharField(label=_("event id"), max_length=30)
    title = forms.CharField(label=_("title"), max_length=255, required=False)
    credits = forms.DecimalField(label=_("credits"), max_digits=5, decimal_places=1, min_value=0)
    date = forms.DateField(label=_("date (completed on)"), widget=forms.DateInput(attrs={"type": "date"}))


class EmploymentForm(forms.Form):
    """When the person's employment and current job began, and the job's own risk class (all optional;
    the rules are in ``academy.obligations.services.set_employment``)."""

    hired_on = forms.DateField(label=_("Employed since"), required=False,
                               input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("Start of the employment (or of the use of an agency worker)."))
    job_since = forms.DateField(label=_("In the current job since"), required=False,
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text=_("Start of the current job (change of job or transfer). Empty: the "
                                            "employment's start."))
    risk_class = forms.ChoiceField(label=_("Risk class of the job"), required=False,
                                   choices=[("", _("As the organisation's")), *RiskClass.choices])

    @classmethod
    def for_person(cls, person) -> EmploymentForm:
        employment = Employment.objects.filter(person=person).first()
        if employment is None:
            return cls()
        return cls(initial={"hired_on": employment.hired_on, "job_since": employment.job_since,
                            "risk_class": employment.risk_class})


def registrable_courses():
    """Courses an HR officer may register staff for: default-locale, live, not yet over."""
    return (CoursePage.objects.live().filter(locale=Locale.get_default())
            .filter(last_ends_at__gt=timezone.now()).order_by("first_starts_at"))


class RegisterForm(forms.Form):
    course = forms.ModelChoiceField(CoursePage.objects.none(), label=_("Course"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = registrable_courses()


class PlanForm(forms.Form):
    """Register several people (of the officer's scope) for one of the courses that satisfy an obligation."""

    course = forms.ModelChoiceField(CoursePage.objects.none(), label=_("Course"))
    people = forms.ModelMultipleChoiceField(Person.objects.none(), label=_("People"))

    def __init__(self, *args, courses=(), people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(pk__in=[c.pk for c in courses])
        if people is not None:
            self.fields["people"].queryset = people


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
