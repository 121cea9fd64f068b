"""Migration 0004 brings shipped rows to the verified figures without undoing staff edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from academy.obligations.catalogue import update_catalogue
from academy.obligations.models import Obligation

SHIPPED = {"supervisors": {"initial_hours": "12", "refresher_hours": "6", "window_months": 24,
                           "notes": "old note", "legal_reference": "old reference"},
           "managers": {"initial_hours": "12", "notes": "old note", "legal_reference": "old reference"}}


@pytest.mark.django_db
def test_shipped_values_are_updated_and_staff_edits_kept():
    Obligation.objects.filter(code="supervisors").update(notes="old note", legal_reference="old reference",
                                                          transition_overdue_months=None)
    # staff changed the managers' reference by hand: it stays, the untouched note is updated
    Obligation.objects.filter(code="managers").update(notes="old note", legal_reference="Edited by staff",
                                                      initial_hours_previous=None)
    assert update_catalogue(Obligation, SHIPPED) == 2
    supervisors = Obligation.objects.get(code="supervisors")
    assert "59/CSR" in supervisors.legal_reference and supervisors.transition_overdue_months == 12
    managers = Obligation.objects.get(code="managers")
    assert managers.legal_reference == "Edited by staff"
    assert managers.notes != "old note" and managers.initial_hours_previous == Decimal(16)


@pytest.mark.django_db
def test_the_catalogue_ships_the_missing_roles():
    codes = set(Obligation.objects.values_list("code", flat=True))
    assert {"employer-spp", "rspp-b-sp4", "aspp-b-sp4", "employers-construction", "managers-construction",
            "rls-15-50"} <= codes
    b_sp4 = Obligation.objects.get(code="rspp-b-sp4")
    assert (b_sp4.initial_hours, b_sp4.risk_tokens) == (Decimal(12), frozenset({"sector:residential_care"}))


@pytest.mark.django_db
def test_a_workers_course_gets_the_legal_final_test_and_pass_mark(make_course):
    """ASR Part IV 6.3, FAQ 2025 nn. 14, 52: a final test, passed at 70 % (not the ECM 75 %)."""
    from academy.evaluation.models import CourseEvaluation
    from academy.obligations.models import CourseModule

    course = make_course(days=(3,), title="Formazione lavoratori rischio medio")
    CourseModule.objects.create(course=course, obligation=Obligation.objects.get(code="workers-medium"), hours=12)
    evaluation = CourseEvaluation.objects.get(course=course)
    assert (evaluation.test_required, evaluation.pass_mark) == (True, 70)
    evaluation.pass_mark = 80  # chosen by staff: kept
    evaluation.save()
    CourseModule.objects.create(course=course, obligation=Obligation.objects.get(code="workers-high"), hours=4)
    assert CourseEvaluation.objects.get(course=course).pass_mark == 80
