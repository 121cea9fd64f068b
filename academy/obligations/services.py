"""What an organisation declares about itself for mandatory training: its risk profile and which job
roles hold which legal role. Called by the HR area and usable from admin, commands and the demo; the
caller checks that the user may act for the organisation (``academy.competences.scope``)."""

from __future__ import annotations

from django.db import transaction

from .models import JobRoleMapping, LegalRole, RiskProfile


@transaction.atomic
def set_risk_profile(organisation, *, risk_class: str = "", fire_level: str = "", first_aid_group: str = "",
                     everyone_is_worker: bool = True) -> RiskProfile:
    profile, _created = RiskProfile.objects.update_or_create(organisation=organisation, defaults={
        "risk_class": risk_class, "fire_level": fire_level, "first_aid_group": first_aid_group,
        "everyone_is_worker": everyone_is_worker})
    return profile


def map_job_role(organisation, job_role: str, role: str) -> JobRoleMapping:
    if role not in LegalRole.values:
        raise ValueError(f"unknown legal role {role!r}")
    job_role = " ".join(job_role.split())
    mapping, _created = JobRoleMapping.objects.get_or_create(organisation=organisation, job_role=job_role,
                                                             role=role)
    return mapping


def unmap_job_role(organisation, mapping_id: int) -> bool:
    deleted, _ = JobRoleMapping.objects.filter(organisation=organisation, pk=mapping_id).delete()
    return bool(deleted)
