from __future__ import annotations

from django import forms

from .models import JobRoleMapping, RiskProfile


class RiskProfileForm(forms.ModelForm):
    class Meta:
        model = RiskProfile
        fields = ["risk_class", "fire_level", "first_aid_group", "sector", "workforce", "everyone_is_worker"]


class JobRoleMappingForm(forms.ModelForm):
    class Meta:
        model = JobRoleMapping
        fields = ["job_role", "role"]
