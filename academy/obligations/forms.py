from __future__ import annotations

from django import forms

from .models import EcmCredit, JobRoleMapping, Obligation, ObligationTraining, RiskProfile


class RiskProfileForm(forms.ModelForm):
    class Meta:
        model = RiskProfile
        fields = ["risk_class", "fire_level", "first_aid_group", "sector", "workforce", "everyone_is_worker"]


class JobRoleMappingForm(forms.ModelForm):
    class Meta:
        model = JobRoleMapping
        fields = ["job_role", "role"]


class ObligationTrainingForm(forms.ModelForm):
    class Meta:
        model = ObligationTraining
        fields = ["obligation", "title", "provider", "end_date", "hours", "delivery_mode", "attestato_reference"]
        widgets = {"end_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = Obligation.objects.filter(active=True).exclude(
            unit=Obligation.Unit.CREDITS)


class EcmCreditForm(forms.ModelForm):
    class Meta:
        model = EcmCredit
        fields = ["provider_name", "provider_id", "event_id", "title", "credits", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
