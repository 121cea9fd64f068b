"""Legal cases for what the engine now feeds the rule: the start of the job or role (``assigned_on``), the
person's own risk class, what an attestato covered (module, frame, kind), Annex III credits, and the
fire-safety and first-aid figures, each at the day before, of and after its deadline. Pure: the shipped
catalogue and ``rules.evaluate``, no database.

Ids name the source: ASR = Accordo Stato-Regioni 59/CSR of 17/04/2025 (Part, point); FAQ25 / FAQ26 =
interregional FAQ of 31/07/2025 (n.) / 27/03/2026 (q.); DLGS81 = D.Lgs. 81/2008; DM388 = DM 388/2003;
DM2021 = DM 2/9/2021. Entry into force 19/05/2025 (FAQ26 q. 11).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from academy.obligations import credits as annex_iii
from academy.obligations.catalogue import CATALOGUE, prepared
from academy.obligations.models import Obligation
from academy.obligations.rules import (
    COMPLIANT,
    DUE,
    FRAME_2011,
    FRAME_2025,
    GENERAL,
    LAPSED,
    OVERDUE,
    REASON_CREDIT_NOT_REFRESHER,
    REASON_INITIAL,
    REASON_OTHER_OBLIGATION,
    REFRESHER,
    Credit,
    annex_credit,
    evaluate,
)

D = datetime.date
ROWS = {row["code"]: row for row in CATALOGUE}
IN_FORCE = D(2025, 5, 19)


def ob(code: str) -> Obligation:
    return Obligation(code=code, **prepared(ROWS[code]))


def c(day, hours, mode="classroom", **extra) -> Credit:
    return Credit(day, Decimal(str(hours)), mode, **extra)


def run(code, credits, today, **kwargs):
    return evaluate(ob(code), credits, today, entry_into_force=IN_FORCE, **kwargs)


# --- the start of the job or role: training at the start, no 60 days (DLGS81 art. 37 c. 4; FAQ25 nn. 5, 56;
# FAQ26 qq. 9, 32): due up to and on the start day, overdue the day after; without a start, overdue ---
@pytest.mark.parametrize(("code", "today", "status"), [
    ("workers-medium", D(2026, 3, 1), DUE),   # the day before the hire
    ("workers-medium", D(2026, 3, 2), DUE),   # the day of the hire
    ("workers-medium", D(2026, 3, 3), OVERDUE),  # the day after: no 60 days any more
    ("supervisors", D(2026, 3, 2), DUE),
    ("supervisors", D(2026, 3, 3), OVERDUE),
    ("managers", D(2026, 3, 3), OVERDUE),
    ("fire-2", D(2026, 3, 3), OVERDUE),
    ("first-aid-bc", D(2026, 3, 2), DUE),
])
def test_DLGS81_37_4_FAQ25_5_training_at_the_start_of_the_role(code, today, status):
    result = run(code, [], today, assigned_on=D(2026, 3, 2))
    assert result.status == status and result.due_on == D(2026, 3, 2) and result.basis == "start"


def test_DLGS81_37_4_no_start_date_is_overdue_not_due():
    result = run("workers-medium", [], D(2026, 3, 1))
    assert result.status == OVERDUE and result.due_on is None and result.hours_missing == 12


def test_DLGS81_37_4_partial_training_before_the_start_is_still_due_with_hours_missing():
    result = run("workers-medium", [c(D(2026, 2, 20), 4, module=GENERAL)], D(2026, 3, 1), assigned_on=D(2026, 3, 2))
    assert result.status == DUE and result.hours_missing == 8


@pytest.mark.parametrize(("assigned_on", "today", "status", "due_on"), [
    # ASR Part VII; FAQ25 n. 45: employers in the role at entry into force have 24 months (to 19/05/2027)
    (D(2024, 1, 1), D(2027, 5, 19), DUE, D(2027, 5, 19)),
    (D(2024, 1, 1), D(2027, 5, 20), OVERDUE, D(2027, 5, 19)),
    # an employer starting after the 24 months is due at the start
    (D(2027, 6, 1), D(2027, 6, 2), OVERDUE, D(2027, 6, 1)),
])
def test_ASR_VII_FAQ25_45_employers_24_months_then_at_the_start(assigned_on, today, status, due_on):
    result = run("employers", [], today, assigned_on=assigned_on)
    assert (result.status, result.due_on) == (status, due_on)


# --- the person's own risk class (ASR Part II 2.1.1; FAQ25 n. 57; Interpello MLPS 1/2025) ---
def test_FAQ25_57_elearning_specific_module_counts_only_for_a_low_risk_job():
    credits = [c(D(2025, 9, 1), 4, module=GENERAL), c(D(2025, 9, 10), 4, "elearning")]
    assert run("workers-low", credits, D(2026, 1, 1), person_risk_class="low").status == COMPLIANT
    high_job = run("workers-low", credits, D(2026, 1, 1), person_risk_class="high")
    assert high_job.status == OVERDUE and high_job.hours_missing == 4


# --- what an attestato covered: the workers' general module (ASR Part II 2.1) ---
def test_ASR_II_2_1_a_general_module_alone_is_not_the_specific_training():
    result = run("workers-medium", [c(D(2025, 9, 1), 4, module=GENERAL)], D(2026, 1, 1))
    assert result.status == OVERDUE and result.hours_missing == 8


def test_ASR_II_2_1_general_module_counts_at_most_its_four_hours():
    result = run("workers-medium", [c(D(2025, 9, 1), 12, module=GENERAL)], D(2026, 1, 1))
    assert result.status == OVERDUE and result.hours_missing == 8


def test_ASR_II_2_1_general_module_of_another_risk_class_is_a_permanent_credit():
    moved = [c(D(2020, 5, 1), 4, module=GENERAL, obligation_code="workers-low"),
             c(D(2026, 2, 1), 12, obligation_code="workers-low")]  # the low-risk specific: does not carry over
    result = run("workers-high", moved + [c(D(2026, 2, 20), 12, obligation_code="workers-high")], D(2026, 3, 1))
    assert result.status == COMPLIANT and result.qualified_on == D(2026, 2, 20)
    reasons = [v.reason for v in result.verdicts]
    assert reasons == [REASON_INITIAL, REASON_OTHER_OBLIGATION, REASON_INITIAL]


# --- the rules it was done under (ASR Part VII point 2; FAQ25 nn. 16, 22, 39; FAQ26 q. 45) ---
@pytest.mark.parametrize(("day", "frame", "status"), [
    (D(2026, 5, 18), FRAME_2011, COMPLIANT),  # a 2011 course ending within the 12 months: 8 h suffice
    (D(2026, 5, 19), FRAME_2011, OVERDUE),  # ending on/after 19/05/2026: the 2025 hours (12)
    (D(2025, 9, 1), FRAME_2025, OVERDUE),  # done under the 2025 rules: 12 h, no 2011 credit
    (D(2025, 5, 18), "", COMPLIANT),  # before entry into force: 2011 rules by date
])
def test_ASR_VII_2_supervisor_course_of_8_hours_by_frame(day, frame, status):
    assert run("supervisors", [c(day, 8, frame=frame)], D(2026, 6, 1)).status == status


# --- refreshers: counted from the end date on the attestato, deadline day included (ASR Part III 1.1; FAQ25
# n. 21); late: the refresher alone re-qualifies (no 10-year limit outside qualifying courses, Part III) ---
@pytest.mark.parametrize(("today", "status"), [
    (D(2030, 9, 9), DUE), (D(2030, 9, 10), DUE), (D(2030, 9, 11), LAPSED)])
def test_ASR_III_1_1_workers_refresher_five_years_from_the_end_date(today, status):
    assert run("workers-medium", [c(D(2025, 9, 10), 12)], today).status == status


def test_ASR_III_late_refresher_requalifies_workers_from_its_own_date():
    result = run("workers-medium", [c(D(2018, 1, 10), 12), c(D(2024, 6, 1), 6, kind=REFRESHER)], D(2025, 1, 1))
    assert result.status == COMPLIANT and result.due_on == D(2029, 6, 1) and not result.full_course


@pytest.mark.parametrize(("refresher_on", "status", "full_course"), [
    (D(2024, 3, 1), COMPLIANT, False),  # within 10 years of the qualifying date: the refresher re-qualifies
    (D(2024, 3, 2), LAPSED, True),  # more than 10 years: the full course again (FAQ26 q. 8)
])
def test_ASR_III_FAQ26_8_qualifying_course_ten_years(refresher_on, status, full_course):
    # a 2014 course under 223/CSR (16 h for the lowest risk: full credit, Part VII p. 113)
    result = run("employer-spp", [c(D(2014, 3, 1), 16), c(refresher_on, 8, kind=REFRESHER)], D(2024, 6, 1))
    assert (result.status, result.full_course) == (status, full_course)


# --- fire safety, DM 2/9/2021: 4/8/16 h, refresher 2/5/8 h at least every five years (art. 5 c. 5, Annex
# III 3.2.5-3.2.6) ---
@pytest.mark.parametrize(("level", "initial", "refresher"), [("1", 4, 2), ("2", 8, 5), ("3", 16, 8)])
def test_DM2021_fire_hours_by_level(level, initial, refresher):
    obligation = ob(f"fire-{level}")
    assert (obligation.initial_hours, obligation.refresher_hours, obligation.window_months) == (
        initial, refresher, 60)
    short = run(f"fire-{level}", [c(D(2023, 1, 10), initial - 1)], D(2024, 1, 1))
    assert short.status == OVERDUE and short.hours_missing == 1
    refreshed = run(f"fire-{level}", [c(D(2023, 1, 10), initial), c(D(2027, 12, 1), refresher)], D(2028, 2, 1))
    assert refreshed.status == COMPLIANT and refreshed.due_on == D(2032, 12, 1)
    too_short = run(f"fire-{level}", [c(D(2023, 1, 10), initial), c(D(2027, 12, 1), refresher - 1)],
                    D(2028, 2, 1))
    assert too_short.status == LAPSED


@pytest.mark.parametrize(("today", "status"), [
    (D(2028, 1, 9), DUE), (D(2028, 1, 10), DUE), (D(2028, 1, 11), LAPSED)])
def test_DM2021_5_5_fire_refresher_five_years(today, status):
    assert run("fire-2", [c(D(2023, 1, 10), 8)], today).status == status


def test_DM2021_7_2_fire_warden_older_than_five_years_at_entry_into_force_by_04_10_2023():
    result = run("fire-2", [c(D(2016, 5, 1), 8)], D(2023, 10, 4))
    assert result.status == DUE and result.due_on == D(2023, 10, 4) and result.basis == "transition"
    assert run("fire-2", [c(D(2016, 5, 1), 8)], D(2023, 10, 5)).status == LAPSED


def test_DM2021_fire_no_videoconference_classroom_only():
    result = run("fire-1", [c(D(2025, 1, 10), 4, "videoconference")], D(2025, 6, 1))
    assert result.status == OVERDUE


# --- first aid, DM 388/2003: group A 16 h, B and C 12 h (Annexes 3-4), repeated every three years (art. 3
# c. 5) ---
@pytest.mark.parametrize(("code", "initial"), [("first-aid-a", 16), ("first-aid-bc", 12)])
def test_DM388_first_aid_hours_by_group(code, initial):
    obligation = ob(code)
    assert (obligation.initial_hours, obligation.window_months) == (initial, 36)
    assert run(code, [c(D(2025, 1, 10), initial - 1)], D(2025, 6, 1)).status == OVERDUE
    assert run(code, [c(D(2025, 1, 10), initial)], D(2025, 6, 1)).status == COMPLIANT


@pytest.mark.parametrize(("today", "status"), [
    (D(2028, 1, 9), DUE), (D(2028, 1, 10), DUE), (D(2028, 1, 11), LAPSED)])
def test_DM388_3_5_first_aid_three_years(today, status):
    assert run("first-aid-bc", [c(D(2025, 1, 10), 12)], today).status == status


def test_DM388_group_b_course_does_not_count_for_group_a():
    result = run("first-aid-a", [c(D(2025, 1, 10), 12, obligation_code="first-aid-bc")], D(2025, 6, 1))
    assert result.status == OVERDUE and result.hours_missing == 16


# --- Annex III (p. 130) ---
@pytest.mark.parametrize(("target", "row", "holds", "grant"), [
    ("employers", "employer_spp", False, "full"),  # FAQ25 n. 7
    ("managers", "employer", False, "full"),
    ("supervisors", "manager", True, "full"),  # TOTALE*: holding the manager's role in the same firm
    ("supervisors", "manager", False, ""),  # otherwise the course must be done
    ("workers-medium", "manager", True, "full"),
    ("workers-medium", "manager", False, "general"),  # general TOTALE, specific TOTALE*
    ("workers-medium", "rls", True, "general"),  # RLS: general only, the specific must be done
    ("rls-15-50", "rspp", False, "full"),
    ("rls-15-50", "employer", True, ""),  # FREQUENZA
    ("employers", "rls", True, ""),
    ("managers", "supervisor", True, ""),  # the supervisor's course credits nothing
    ("employers-construction", "employer", True, ""),  # page 131 not applied (conservative)
    ("managers-construction", "manager", True, ""),
])
def test_ASR_annex_III_p130_matrix(target, row, holds, grant):
    assert annex_iii.credit_for(ob(target), row, holds) == grant


def test_ASR_annex_III_credit_is_the_initial_course_not_a_refresher():
    credits = [c(D(2020, 3, 1), 16), annex_credit(D(2024, 6, 1), Decimal(12), "managers", "employers")]
    result = run("managers", credits, D(2026, 1, 1))
    assert result.status == LAPSED and result.due_on == D(2025, 3, 1)
    assert result.verdicts[1].reason == REASON_CREDIT_NOT_REFRESHER
    fresh = run("managers", [annex_credit(D(2024, 6, 1), Decimal(12), "managers", "employers")], D(2026, 1, 1))
    assert fresh.status == COMPLIANT and fresh.qualified_on == D(2024, 6, 1) and fresh.due_on == D(2029, 6, 1)
    # its own refresher is due in its own window; the crediting role's refresher does not count (Part III)
    assert run("managers", [annex_credit(D(2024, 6, 1), Decimal(12), "managers", "employers")],
               D(2029, 6, 2)).status == LAPSED
