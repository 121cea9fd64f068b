"""Legal cases from the texts, run against the shipped catalogue and the pure rule (no database).

Each case's id names its source: ASR = Accordo Stato-Regioni 59/CSR of 17/04/2025 (Part, point);
FAQ25 = interregional FAQ of 31/07/2025 (n.); FAQ26 = interregional FAQ of 27/03/2026 (q.); DM388 =
DM 388/2003; DM2021 = DM 2/9/2021; DLGS81 = D.Lgs. 81/2008. Entry into force: 19/05/2025 (FAQ26 q. 11,
the default setting) unless a case says otherwise.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from academy.obligations.catalogue import CATALOGUE, prepared
from academy.obligations.models import Obligation
from academy.obligations.rules import (
    COMPLIANT,
    DUE,
    FRAME_2011,
    FRAME_2025,
    GENERAL,
    LAPSED,
    MODULE,
    OVERDUE,
    REFRESHER,
    Credit,
    evaluate,
)

D = datetime.date
ROWS = {row["code"]: row for row in CATALOGUE}
IN_FORCE = D(2025, 5, 19)


def ob(code: str) -> Obligation:
    return Obligation(code=code, **prepared(ROWS[code]))


def c(day, hours, mode="classroom", **extra) -> Credit:
    return Credit(day, Decimal(str(hours)), mode, **extra)


# (id with source, obligation code, credits, today, keyword arguments, status, due_on, hours missing)
CASES = [
    # --- workers: refresher 6 h every five years from the end date on the attestato (ASR Part III 1.1) ---
    ("ASR-III-1.1-deadline-day-is-due", "workers-medium", [c(D(2021, 3, 15), 12)], D(2026, 3, 15), {},
     DUE, D(2026, 3, 15), 6),
    ("ASR-III-1.1-day-after-deadline-lapsed", "workers-medium", [c(D(2021, 3, 15), 12)], D(2026, 3, 16), {},
     LAPSED, D(2026, 3, 15), 6),
    ("FAQ25-53-refresher-split-over-three-courses", "workers-medium",
     [c(D(2020, 1, 10), 12), c(D(2022, 6, 1), 2), c(D(2023, 6, 1), 2), c(D(2024, 11, 30), 2)], D(2025, 6, 1), {},
     COMPLIANT, D(2029, 11, 30), 0),
    ("FAQ25-22-partial-refresher-of-a-lapsed-window-not-carried-over", "workers-medium",
     [c(D(2019, 1, 10), 12), c(D(2023, 5, 1), 2), c(D(2024, 6, 1), 4)], D(2024, 7, 1), {},
     LAPSED, D(2024, 1, 10), 2),
    ("ASR-III-no-10-year-limit-for-workers-late-refresher-requalifies", "workers-medium",
     [c(D(2010, 1, 10), 12), c(D(2024, 2, 1), 6)], D(2025, 1, 1), {}, COMPLIANT, D(2029, 2, 1), 0),
    ("ASR-VII-FAQ25-39-2011-workers-course-full-credit", "workers-low", [c(D(2015, 4, 1), 8)],
     D(2019, 1, 1), {}, COMPLIANT, D(2020, 4, 1), 0),
    ("ASR-IV-3.5-FAQ25-57-elearning-low-risk-job-counts", "workers-low", [c(D(2024, 1, 10), 8, "elearning")],
     D(2025, 1, 1), {"person_risk_class": "low"}, COMPLIANT, D(2029, 1, 10), 0),
    ("FAQ25-57-elearning-not-for-medium-risk-job-in-low-risk-firm", "workers-low",
     [c(D(2024, 1, 10), 8, "elearning")], D(2025, 1, 1), {"person_risk_class": "medium"}, OVERDUE, None, 8),
    ("FAQ25-57-elearning-never-in-medium-risk-class", "workers-medium", [c(D(2024, 1, 10), 12, "elearning")],
     D(2025, 1, 1), {}, OVERDUE, None, 12),
    ("ASR-IV-3.2-videoconference-equals-presence", "workers-high", [c(D(2024, 1, 10), 16, "videoconference")],
     D(2025, 1, 1), {}, COMPLIANT, D(2029, 1, 10), 0),
    ("ASR-IV-3.2-FAQ26-33-practical-module-by-videoconference-not-counted", "workers-high",
     [c(D(2024, 1, 10), 12, "videoconference"), c(D(2024, 1, 11), 4, "videoconference", practical=True)],
     D(2025, 1, 1), {}, OVERDUE, None, 4),
    ("training-after-today-does-not-count", "workers-medium", [c(D(2026, 1, 10), 12)], D(2025, 12, 1), {},
     OVERDUE, None, 12),
    # --- new hires and job changes: at the start, no 60 days (DLGS81 art. 37 c. 4; FAQ25 n. 5; FAQ26 q. 9) ---
    ("DLGS81-37c4-FAQ26-9-new-hire-due-on-the-hiring-day", "workers-medium", [], D(2026, 3, 2),
     {"assigned_on": D(2026, 3, 2)}, DUE, D(2026, 3, 2), 12),
    ("DLGS81-37c4-FAQ25-5-new-hire-overdue-the-day-after-no-60-days", "workers-medium", [], D(2026, 3, 3),
     {"assigned_on": D(2026, 3, 2)}, OVERDUE, D(2026, 3, 2), 12),
    ("FAQ26-1-new-hire-trained-by-a-previous-employer", "workers-medium", [c(D(2024, 10, 1), 12)],
     D(2026, 3, 3), {"assigned_on": D(2026, 3, 2)}, COMPLIANT, D(2029, 10, 1), 0),
    ("ASR-II-2.1-DLGS81-37c4b-risk-class-change-only-general-module-carries-over", "workers-high",
     [c(D(2022, 2, 1), 4, module=GENERAL, obligation_code="workers-low"),
      c(D(2022, 2, 2), 4, module="specific", obligation_code="workers-low")], D(2026, 1, 10),
     {"assigned_on": D(2026, 1, 5)}, OVERDUE, D(2026, 1, 5), 12),
    # --- supervisors (ASR Part II 2.2, Part III 1.2, Part VII; DLGS81 art. 37 c. 7-ter) ---
    ("ASR-VII-FAQ25-22-39-supervisor-8h-2011-course-no-top-up", "supervisors", [c(D(2024, 6, 1), 8)],
     D(2025, 6, 1), {}, COMPLIANT, D(2027, 5, 19), 0),
    ("ASR-II-2.2-supervisor-8h-2025-course-is-4h-short", "supervisors", [c(D(2026, 9, 1), 8, frame=FRAME_2025)],
     D(2026, 10, 1), {}, OVERDUE, None, 4),
    ("ASR-VII-2-FAQ25-16-8h-course-under-2011-rules-in-the-12-month-tail", "supervisors",
     [c(D(2026, 3, 1), 8, frame=FRAME_2011)], D(2026, 10, 1), {}, COMPLIANT, D(2028, 3, 1), 0),
    ("ASR-VII-FAQ26-37-trained-over-2-years-before-refresher-by-19-05-2026", "supervisors",
     [c(D(2022, 1, 10), 8)], D(2026, 5, 19), {}, DUE, D(2026, 5, 19), 6),
    ("ASR-VII-FAQ26-37-day-after-19-05-2026-lapsed", "supervisors", [c(D(2022, 1, 10), 8)], D(2026, 5, 20), {},
     LAPSED, D(2026, 5, 19), 6),
    ("FAQ26-37-boundary-18-05-2023-is-group-a", "supervisors", [c(D(2023, 5, 18), 8)], D(2026, 1, 1), {},
     COMPLIANT, D(2026, 5, 19), 0),
    ("FAQ26-37-boundary-19-05-2023-is-group-b-by-19-05-2027", "supervisors", [c(D(2023, 5, 19), 8)],
     D(2026, 1, 1), {}, COMPLIANT, D(2027, 5, 19), 0),
    ("FAQ25-17-entry-24-05-2025-trained-23-05-2023-by-24-05-2026", "supervisors", [c(D(2023, 5, 23), 8)],
     D(2026, 1, 1), {"entry_into_force": D(2025, 5, 24)}, COMPLIANT, D(2026, 5, 24), 0),
    ("FAQ25-17-entry-24-05-2025-trained-24-05-2023-by-24-05-2027", "supervisors", [c(D(2023, 5, 24), 8)],
     D(2026, 1, 1), {"entry_into_force": D(2025, 5, 24)}, COMPLIANT, D(2027, 5, 24), 0),
    ("ASR-III-1.2-supervisor-trained-after-entry-biennial", "supervisors", [c(D(2025, 9, 1), 12)],
     D(2026, 1, 1), {}, COMPLIANT, D(2027, 9, 1), 0),
    ("DLGS81-37c7ter-FAQ25-18-supervisor-elearning-not-counted", "supervisors",
     [c(D(2025, 9, 1), 12, "elearning")], D(2026, 1, 1), {}, OVERDUE, None, 12),
    ("FAQ25-10-supervisor-videoconference-counts", "supervisors", [c(D(2025, 9, 1), 12, "videoconference")],
     D(2026, 1, 1), {}, COMPLIANT, D(2027, 9, 1), 0),
    # --- employers and managers (ASR Part II 2.3 and 3, Part VII 24 months; FAQ25 nn. 44-45) ---
    ("ASR-VII-employer-untrained-due-by-19-05-2027", "employers", [], D(2026, 12, 5), {}, DUE, D(2027, 5, 19), 16),
    ("ASR-VII-employer-untrained-overdue-20-05-2027", "employers", [], D(2027, 5, 20), {}, OVERDUE,
     D(2027, 5, 19), 16),
    ("DLGS81-37c4-employer-appointed-after-transition-due-at-appointment", "employers", [], D(2028, 1, 11),
     {"assigned_on": D(2028, 1, 10)}, OVERDUE, D(2028, 1, 10), 16),
    ("ASR-III-1.4-employer-refresher-five-years", "employers", [c(D(2026, 2, 1), 16)], D(2026, 12, 5), {},
     COMPLIANT, D(2031, 2, 1), 0),
    ("FAQ25-45-construction-module-employer-24-months", "employers-construction", [], D(2026, 12, 5), {},
     DUE, D(2027, 5, 19), 6),
    ("ASR-III-construction-module-has-no-refresher", "employers-construction", [c(D(2026, 1, 10), 6)],
     D(2040, 1, 1), {}, COMPLIANT, None, 0),
    ("FAQ25-44-manager-construction-module-no-transition", "managers-construction", [], D(2026, 2, 1),
     {"assigned_on": D(2026, 1, 1)}, OVERDUE, D(2026, 1, 1), 6),
    ("ASR-VII-FAQ25-39-manager-16h-2011-course-full-credit", "managers", [c(D(2021, 4, 1), 16)],
     D(2025, 6, 1), {}, COMPLIANT, D(2026, 4, 1), 0),
    ("221CSR-6-manager-12h-2011-course-was-short", "managers", [c(D(2021, 4, 1), 12)], D(2025, 6, 1), {},
     OVERDUE, None, 4),
    # --- abilitanti: a late refresher only within 10 years (ASR Part III; FAQ25 n. 12; FAQ26 q. 8) ---
    ("FAQ26-8-rspp-2014-no-refresher-full-course-again", "rspp", [c(D(2014, 6, 30), 100)], D(2026, 1, 1), {},
     LAPSED, D(2019, 6, 30), 100),
    ("ASR-III-rspp-late-refresher-within-10-years-requalifies", "rspp",
     [c(D(2014, 6, 30), 100), c(D(2023, 6, 1), 40)], D(2026, 1, 1), {}, COMPLIANT, D(2028, 6, 1), 0),
    ("ASR-III-rspp-refresher-on-the-10th-anniversary-counts", "rspp",
     [c(D(2014, 6, 30), 100), c(D(2024, 6, 30), 40)], D(2026, 1, 1), {}, COMPLIANT, D(2029, 6, 30), 0),
    ("FAQ26-8-rspp-refresher-after-10-years-does-not-count", "rspp",
     [c(D(2014, 6, 30), 100), c(D(2024, 7, 1), 40, kind=REFRESHER)], D(2026, 1, 1), {}, LAPSED,
     D(2019, 6, 30), 100),
    ("ASR-III-3-rspp-40h-distributed-over-the-five-years", "rspp",
     [c(D(2020, 3, 1), 100), c(D(2021, 3, 1), 10), c(D(2022, 3, 1), 10), c(D(2023, 3, 1), 10),
      c(D(2024, 3, 1), 10)], D(2025, 1, 1), {}, COMPLIANT, D(2029, 3, 1), 0),
    ("ASR-III-modules-are-not-refreshers", "rspp",
     [c(D(2020, 3, 1), 100), c(D(2024, 3, 1), 12, kind=MODULE, module="B-SP4")], D(2025, 4, 1), {},
     LAPSED, D(2025, 3, 1), 40),
    ("ASR-II-5.3-B-SP4-residential-care-12h", "rspp-b-sp4", [c(D(2024, 3, 1), 12)], D(2035, 1, 1), {},
     COMPLIANT, None, 0),
    ("ASR-VII-p113-dl-spp-2011-16h-credit-refresher-8h-within-10-years", "employer-spp",
     [c(D(2017, 5, 1), 16), c(D(2026, 1, 15), 8)], D(2026, 2, 1), {}, COMPLIANT, D(2031, 1, 15), 0),
    ("FAQ26-8-dl-spp-2014-beyond-10-years", "employer-spp", [c(D(2014, 3, 1), 16), c(D(2025, 1, 1), 8)],
     D(2025, 2, 1), {}, LAPSED, D(2019, 3, 1), 8),
    # --- fire wardens (DM2021 Annex III 3.2.5-3.2.6, art. 5 c. 5, art. 7 c. 2) ---
    ("DM2021-7c2-older-than-5-years-refresher-by-04-10-2023", "fire-2", [c(D(2015, 3, 1), 8)], D(2023, 10, 4),
     {}, DUE, D(2023, 10, 4), 5),
    ("DM2021-7c2-recent-course-keeps-its-window", "fire-2", [c(D(2019, 3, 1), 8)], D(2023, 1, 1), {},
     COMPLIANT, D(2024, 3, 1), 0),
    ("DM2021-III-level-3-needs-16h", "fire-3", [c(D(2024, 3, 1), 8)], D(2025, 1, 1), {}, OVERDUE, None, 8),
    ("DM2021-III-level-1-refresher-2h", "fire-1", [c(D(2020, 3, 1), 4), c(D(2024, 6, 1), 2)], D(2025, 1, 1),
     {}, COMPLIANT, D(2029, 6, 1), 0),
    ("DM2021-fire-videoconference-not-counted-conservative", "fire-2", [c(D(2024, 3, 1), 8, "videoconference")],
     D(2025, 1, 1), {}, OVERDUE, None, 8),
    # --- first aiders (DM388 art. 1 groups, Annexes 3-4, art. 3 c. 5 three years) ---
    ("DM388-3c5-group-A-three-years-deadline-day", "first-aid-a", [c(D(2023, 1, 10), 16)], D(2026, 1, 10), {},
     DUE, D(2026, 1, 10), 6),
    ("DM388-3c5-group-A-day-after-lapsed", "first-aid-a", [c(D(2023, 1, 10), 16)], D(2026, 1, 11), {},
     LAPSED, D(2026, 1, 10), 6),
    ("DM388-1-moved-to-group-A-the-12h-course-does-not-count", "first-aid-a",
     [c(D(2024, 5, 1), 12, obligation_code="first-aid-bc")], D(2025, 1, 1), {}, OVERDUE, None, 16),
    ("DM388-annex4-group-B-refresher", "first-aid-bc", [c(D(2021, 5, 1), 12), c(D(2024, 4, 1), 4)],
     D(2025, 1, 1), {}, COMPLIANT, D(2027, 4, 1), 0),
    # --- RLS (DLGS81 art. 37 c. 11 as amended by D.L. 159/2025) ---
    ("DLGS81-37c11-rls-15-50-yearly-4h", "rls-15-50", [c(D(2025, 1, 10), 32), c(D(2026, 1, 9), 4)],
     D(2026, 6, 1), {}, COMPLIANT, D(2027, 1, 9), 0),
    ("DLGS81-37c11-FAQ25-22-rls-over-50-4h-of-8-lapse-and-do-not-carry-over", "rls-gt50",
     [c(D(2025, 1, 10), 32), c(D(2025, 12, 1), 4)], D(2026, 1, 11), {}, LAPSED, D(2026, 1, 10), 8),
]


@pytest.mark.parametrize(("code", "credits", "today", "kwargs", "status", "due_on", "missing"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_legal_case(code, credits, today, kwargs, status, due_on, missing):
    kwargs = {"entry_into_force": IN_FORCE, **kwargs}
    result = evaluate(ob(code), credits, today, **kwargs)
    assert (result.status, result.due_on, result.hours_missing) == (status, due_on, Decimal(missing))


def test_every_training_gets_a_verdict_saying_why():
    credits = [c(D(2022, 2, 1), 4, module=GENERAL, obligation_code="workers-low"),
               c(D(2022, 2, 2), 4, obligation_code="workers-low"), c(D(2024, 1, 1), 12, "elearning"),
               c(D(2027, 1, 1), 12)]
    result = evaluate(ob("workers-high"), credits, D(2026, 1, 1), entry_into_force=IN_FORCE)
    assert [(v.counted, v.reason) for v in result.verdicts] == [
        (True, "initial"), (False, "other_obligation"), (False, "mode_not_allowed"), (False, "after_today")]
    assert all(str(v.label) for v in result.verdicts)


def test_rspp_beyond_ten_years_asks_for_the_full_course():
    result = evaluate(ob("rspp"), [c(D(2014, 6, 30), 100), c(D(2024, 7, 1), 40, kind=REFRESHER)],
                      D(2026, 1, 1), entry_into_force=IN_FORCE)
    assert result.full_course
    assert [v.reason for v in result.verdicts] == ["initial", "beyond_requalify_years"]
    within = evaluate(ob("rspp"), [c(D(2014, 6, 30), 100)], D(2024, 6, 30), entry_into_force=IN_FORCE)
    assert (within.status, within.full_course) == (LAPSED, False)


def test_entry_into_force_is_a_setting(settings):
    settings.ASR_2025_ENTRY_INTO_FORCE = "2025-05-24"
    result = evaluate(ob("supervisors"), [c(D(2022, 1, 10), 8)], D(2026, 1, 1))
    assert result.due_on == D(2026, 5, 24)
    settings.ASR_2025_ENTRY_INTO_FORCE = None  # the documented default, 19/05/2025 (FAQ26 q. 11)
    assert evaluate(ob("supervisors"), [c(D(2022, 1, 10), 8)], D(2026, 1, 1)).due_on == D(2026, 5, 19)


def test_asr_catalogue_final_test_and_workers_pass_mark():
    """ASR Part IV 6.3, FAQ25 nn. 14, 51-52: a final test for every Agreement course; workers' test at least
    30 questions, 3 options, 70 %."""
    for row in CATALOGUE:
        if row.get("legal_frame") == "asr2025":
            assert row["final_test_required"], row["code"]
    for risk in ("low", "medium", "high"):
        row = ROWS[f"workers-{risk}"]
        assert (row["pass_mark"], row["test_min_questions"], row["test_min_options"]) == (70, 30, 3)


def test_catalogue_cites_the_2025_agreement_not_the_repealed_2011_one():
    for row in CATALOGUE:
        assert row["legal_reference"], row["code"]
        if row.get("legal_frame") == "asr2025":
            assert "59/CSR" in row["legal_reference"] and "221/CSR" not in row["legal_reference"]


@pytest.mark.parametrize(("code", "hours", "refresher", "window"), [
    ("workers-low", "8", "6", 60), ("workers-medium", "12", "6", 60), ("workers-high", "16", "6", 60),
    ("supervisors", "12", "6", 24), ("managers", "12", "6", 60), ("employers", "16", "6", 60),
    ("managers-construction", "6", None, None), ("employers-construction", "6", None, None),
    ("employer-spp", "8", "8", 60), ("employer-spp-agriculture", "16", None, None),
    ("employer-spp-fishing", "12", None, None), ("rspp", "100", "40", 60), ("aspp", "76", "20", 60),
    ("rspp-b-sp4", "12", None, None), ("aspp-b-sp4", "12", None, None), ("rspp-b-sp2", "12", None, None),
    ("fire-1", "4", "2", 60), ("fire-2", "8", "5", 60), ("fire-3", "16", "8", 60),
    ("first-aid-a", "16", "6", 36), ("first-aid-bc", "12", "4", 36), ("rls-15-50", "32", "4", 12),
    ("rls-gt50", "32", "8", 12), ("rls-lt15", "32", None, None),
], ids=lambda v: str(v))
def test_catalogue_figures(code, hours, refresher, window):
    """ASR Part II 2.1-5.4 and Part III; DM2021 Annex III; DM388 Annexes 3-4 and art. 3 c. 5; DLGS81 art. 37 c. 11."""
    row = ROWS[code]
    assert (row["initial_hours"], row["refresher_hours"], row["window_months"]) == (hours, refresher, window)


def test_rspp_refresher_runs_from_module_b_common():
    """ASR Part III 3: the RSPP's five years run from module B common, not from the end of module C."""
    credits = [c(D(2020, 1, 20), 28, module="A"), c(D(2020, 3, 1), 48, module="B"), c(D(2021, 2, 1), 24, module="C")]
    result = evaluate(ob("rspp"), credits, D(2025, 1, 1), entry_into_force=IN_FORCE)
    assert (result.status, result.qualified_on, result.due_on) == (DUE, D(2020, 3, 1), D(2025, 3, 1))
    unrecorded = evaluate(ob("rspp"), [c(D(2021, 2, 1), 100)], D(2025, 1, 1), entry_into_force=IN_FORCE)
    assert unrecorded.due_on == D(2026, 2, 1)
