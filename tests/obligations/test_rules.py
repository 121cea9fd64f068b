"""The hours-within-windows rule at its edges (no database: obligations are built unsaved)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from academy.obligations.models import DeliveryMode, Obligation
from academy.obligations.rules import COMPLIANT, DUE, LAPSED, OVERDUE, Credit, ecm_cycle, evaluate

D = datetime.date
CLASS, VIDEO, ELEARN = DeliveryMode.CLASSROOM, DeliveryMode.VIDEOCONFERENCE, DeliveryMode.ELEARNING


def workers(**fields) -> Obligation:
    values = {"code": "w", "title": "Lavoratori", "role": "worker", "initial_hours": Decimal(12),
              "refresher_hours": Decimal(6), "window_months": 60}
    values.update(fields)
    return Obligation(**values)


def c(day: datetime.date, hours, mode=CLASS) -> Credit:
    return Credit(day, Decimal(str(hours)), mode)


def test_no_training_is_overdue_with_all_the_initial_hours_missing():
    result = evaluate(workers(), [], D(2026, 1, 1))
    assert (result.status, result.hours_missing, result.due_on) == (OVERDUE, Decimal(12), None)


def test_initial_hours_split_over_several_courses_qualify_on_the_last_end_date():
    credits = [c(D(2024, 3, 1), 4), c(D(2024, 2, 1), 4), c(D(2024, 5, 20), 4)]
    result = evaluate(workers(), credits, D(2025, 1, 1))
    assert result.status == COMPLIANT
    assert result.qualified_on == D(2024, 5, 20)
    assert result.due_on == D(2029, 5, 20)
    partial = evaluate(workers(), credits[:2], D(2025, 1, 1))
    assert (partial.status, partial.hours_done, partial.hours_missing) == (OVERDUE, Decimal(8), Decimal(4))


def test_window_of_exactly_five_years_includes_the_deadline_day():
    credits = [c(D(2021, 3, 15), 12)]
    on_deadline = evaluate(workers(), credits, D(2026, 3, 15))
    assert (on_deadline.status, on_deadline.due_on) == (DUE, D(2026, 3, 15))
    day_after = evaluate(workers(), credits, D(2026, 3, 16))
    assert (day_after.status, day_after.hours_missing) == (LAPSED, Decimal(6))
    refreshed_on_deadline = evaluate(workers(), credits + [c(D(2026, 3, 15), 6)], D(2026, 3, 16))
    assert refreshed_on_deadline.status == COMPLIANT
    assert refreshed_on_deadline.due_on == D(2031, 3, 15)


def test_refresher_hours_split_over_several_courses_within_the_window():
    credits = [c(D(2020, 1, 10), 12), c(D(2022, 6, 1), 2), c(D(2023, 6, 1), 2), c(D(2024, 11, 30), 2)]
    result = evaluate(workers(), credits, D(2025, 6, 1))
    assert (result.status, result.qualified_on, result.due_on) == (COMPLIANT, D(2024, 11, 30), D(2029, 11, 30))
    short = evaluate(workers(), credits[:3], D(2024, 11, 1))
    assert (short.status, short.hours_done, short.hours_missing, short.due_on) == (
        DUE, Decimal(4), Decimal(2), D(2025, 1, 10))


def test_disallowed_delivery_mode_is_not_counted():
    supervisors = workers(initial_hours=Decimal(12), window_months=24, allow_elearning=False)
    credits = [c(D(2024, 1, 10), 12, VIDEO), c(D(2025, 6, 1), 6, ELEARN)]
    result = evaluate(supervisors, credits, D(2026, 2, 1))
    assert (result.status, result.qualified_on, result.hours_missing) == (LAPSED, D(2024, 1, 10), Decimal(6))
    allowed = evaluate(workers(window_months=24, allow_elearning=True), credits, D(2026, 2, 1))
    assert allowed.status == COMPLIANT
    no_video = evaluate(workers(allow_videoconference=False), credits, D(2026, 2, 1))
    assert no_video.status == OVERDUE


def test_lapsed_qualification_is_restored_by_a_late_refresher_from_its_own_date():
    credits = [c(D(2015, 4, 1), 12)]
    lapsed = evaluate(workers(), credits, D(2022, 1, 1))
    assert (lapsed.status, lapsed.due_on) == (LAPSED, D(2020, 4, 1))
    late = evaluate(workers(), credits + [c(D(2021, 9, 1), 3), c(D(2022, 2, 1), 3)], D(2022, 3, 1))
    assert (late.status, late.qualified_on, late.due_on) == (COMPLIANT, D(2022, 2, 1), D(2027, 2, 1))


def test_training_after_today_and_on_the_qualifying_day_does_not_count_as_refresher():
    credits = [c(D(2021, 3, 15), 12), c(D(2021, 3, 15), 6), c(D(2026, 4, 1), 6)]
    result = evaluate(workers(), credits, D(2026, 3, 20))
    assert (result.status, result.hours_done) == (LAPSED, Decimal(0))


def test_obligation_without_refresher_stays_compliant_once_done():
    once = workers(refresher_hours=None, window_months=None)
    assert evaluate(once, [c(D(2001, 1, 1), 12)], D(2026, 1, 1)).status == COMPLIANT


def test_ecm_counts_credits_in_the_fixed_triennium():
    ecm = workers(unit=Obligation.Unit.CREDITS, initial_hours=Decimal(150), refresher_hours=None,
                  window_months=None)
    assert ecm_cycle(D(2026, 12, 2)) == (D(2026, 1, 1), D(2028, 12, 31))
    assert ecm_cycle(D(2025, 12, 31)) == (D(2023, 1, 1), D(2025, 12, 31))
    credits = [c(D(2025, 12, 1), 100, "ecm"), c(D(2026, 2, 1), 50, "ecm"), c(D(2027, 5, 1), 60, "ecm")]
    mid = evaluate(ecm, credits, D(2027, 6, 1))
    assert (mid.status, mid.hours_done, mid.hours_missing, mid.due_on) == (
        COMPLIANT, Decimal(110), Decimal(40), D(2028, 12, 31))
    late = evaluate(ecm, credits, D(2028, 11, 1))
    assert late.status == DUE
    done = evaluate(ecm, credits + [c(D(2028, 1, 1), 40, "ecm")], D(2028, 11, 1))
    assert (done.status, done.hours_missing) == (COMPLIANT, Decimal(0))
