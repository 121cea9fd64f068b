"""The demo's funded plan: a past webinar with several Teams intervals per person, an in-person session
with check-in and check-out, an inspector; loading twice changes nothing."""

from __future__ import annotations

import pytest

from academy.attendance.models import AttendanceInterval, RawAttendanceReport
from academy.funding.models import FundedPlan, InspectorAccess
from academy.funding.services.completeness import plan_gaps, register_gaps
from academy.funding.services.registers import plan_sessions, plan_summary, session_register
from cms import demo
from cms.demo.funding import PLAN_CODE


@pytest.mark.django_db
def test_demo_plan_registers():
    demo.load_all()
    counts = (AttendanceInterval.objects.count(), RawAttendanceReport.objects.count())
    demo.load_all()
    assert (AttendanceInterval.objects.count(), RawAttendanceReport.objects.count()) == counts

    plan = FundedPlan.objects.get(plan_code=PLAN_CODE)
    online, in_person = plan_sessions(plan)
    webinar = session_register(online)
    assert len(webinar.rows) >= 3 and all(len(r.spans) >= 2 for r in webinar.rows)
    assert RawAttendanceReport.objects.filter(session=online).exists()
    workshop = session_register(in_person)
    assert workshop.in_person and {i.source for i in AttendanceInterval.objects.filter(session=in_person)} == {"checkin"}
    assert any(len(r.spans) == 2 for r in workshop.rows)  # a break between check-out and check-in
    reaching = {r.learner.full_name: r.reaches_minimum for r in plan_summary(plan).rows}
    assert True in reaching.values() and False in reaching.values()
    assert InspectorAccess.objects.get(plan=plan).is_valid()
    # The webinar's register is incomplete (a learner without codice fiscale, no tutor); the workshop's is not.
    webinar_gaps = register_gaps(webinar)
    assert [learner.full_name for learner in webinar_gaps.missing_fiscal_code] == ["Marco Ricci"]
    assert webinar_gaps.tutor_missing and register_gaps(workshop).complete
    assert not plan_gaps(plan_summary(plan)).complete
