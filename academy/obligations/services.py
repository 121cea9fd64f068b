"""What an organisation declares about itself for mandatory training: its risk profile and which job
roles hold which legal role. Called by the HR area and usable from admin, commands and the demo; the
caller checks that the user may act for the organisation (``academy.competences.scope``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from academy.core.users import acting_user

from .models import Employment, JobRoleMapping, LegalRole, RiskClass, RiskProfile


@transaction.atomic
def set_risk_profile(organisation, *, risk_class: str = "", fire_level: str = "", first_aid_group: str = "",
                     sector: str = "", workforce: str = "", everyone_is_worker: bool = True) -> RiskProfile:
    profile, _created = RiskProfile.objects.update_or_create(organisation=organisation, defaults={
        "risk_class": risk_class, "fire_level": fire_level, "first_aid_group": first_aid_group,
        "sector": sector, "workforce": workforce, "everyone_is_worker": everyone_is_worker})
    return profile


@transaction.atomic
def set_employment(person, *, hired_on=None, job_since=None, risk_class: str = "", by=None) -> Employment:
    """When the person's employment and current job began, and their job's own risk class (empty: the
    organisation's). Bad input raises ``ValueError`` (a translated message) for the caller to show. A change
    is written to the admin's history of the record (Wagtail's audit log) with ``by`` as its author."""
    if risk_class and risk_class not in RiskClass.values:
        raise ValueError(_("Unknown risk class “%(value)s” (use one of: %(choices)s).") % {
            "value": risk_class, "choices": ", ".join(RiskClass.values)})
    if hired_on and job_since and job_since < hired_on:
        raise ValueError(_("The current job cannot start before the employment."))
    values = {"hired_on": hired_on, "job_since": job_since, "risk_class": risk_class}
    before = Employment.objects.filter(person=person).values(*values).first()
    employment, created = Employment.objects.update_or_create(person=person, defaults=values)
    if before != values:
        log(employment, "wagtail.create" if created else "wagtail.edit", user=acting_user(by),
            data={key: str(value or "") for key, value in values.items()})
    return employment


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


def legal_test(course) -> tuple[bool, int | None]:
    """What the law asks of the final test of ``course``, from the obligations its modules satisfy:
    whether one is required (every Agreement course, FAQ 2025 nn. 14, 51) and the pass mark its legal
    frame sets (workers: 70 %, Part IV 6.3; the highest when several apply; None: the law sets none)."""
    from .models import Obligation

    obligations = Obligation.objects.filter(course_modules__course_id=course.canonical.pk).distinct()
    required, marks = False, []
    for required_here, mark in obligations.values_list("final_test_required", "pass_mark"):
        required = required or required_here
        if mark is not None:
            marks.append(mark)
    return required, max(marks, default=None)


@transaction.atomic
def apply_legal_test(course):
    """Make the course's learning test follow its legal frame: required when the law asks for a final
    test, and the legal pass mark instead of the Academy's default (75 %, the ECM figure). A pass mark
    staff chose themselves is kept. Returns the course's evaluation settings, or None if nothing applies."""
    from academy.evaluation.models import DEFAULT_PASS_MARK, CourseEvaluation

    required, mark = legal_test(course)
    if not required and mark is None:
        return None
    evaluation, _created = CourseEvaluation.objects.get_or_create(course=course.canonical)
    changed = []
    if required and not evaluation.test_required:
        evaluation.test_required = True
        changed.append("test_required")
    if mark is not None and evaluation.pass_mark == DEFAULT_PASS_MARK and mark != DEFAULT_PASS_MARK:
        evaluation.pass_mark = mark
        changed.append("pass_mark")
    if changed:
        evaluation.save(update_fields=changed)
    return evaluation
