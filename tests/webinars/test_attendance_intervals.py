"""The Teams import keeps every join/leave interval and archives the report as imported."""

from __future__ import annotations

import datetime

from academy.attendance.models import AttendanceInterval, AttendanceRecord, RawAttendanceReport
from academy.registrations.models import Registration
from webinars import teams
from webinars.backends import GraphBackend
from webinars.graph import GraphClient
from webinars.models import TeamsMeeting


def test_teams_import_keeps_intervals_and_the_raw_report(make_course, make_person, graph_emulator, sleeps):
    course = make_course(minutes=90)
    session = course.sessions.get()
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps))
    teams.ensure_meetings([session], backend=backend)
    meeting = TeamsMeeting.objects.get(session=session)
    anna = make_person(email="anna@gamma.coop")
    Registration.objects.create(course=course, person=anna, status=Registration.Status.CONFIRMED)
    start = session.starts_at
    graph_emulator.add_attendance_report(meeting.meeting_id, [{"email": "anna@gamma.coop", "intervals": [
        {"join": start - datetime.timedelta(minutes=10), "leave": start + datetime.timedelta(minutes=30)},
        {"join": start + datetime.timedelta(minutes=25), "leave": start + datetime.timedelta(minutes=40)},
        {"join": start + datetime.timedelta(minutes=60), "leave": start + datetime.timedelta(minutes=120)},
    ]}])

    teams.import_attendance(session, backend=backend)

    intervals = list(AttendanceInterval.objects.filter(session=session, person=anna).order_by("joined_at"))
    assert [(i.joined_at, i.left_at) for i in intervals][0] == (start - datetime.timedelta(minutes=10),
                                                                start + datetime.timedelta(minutes=30))
    assert len(intervals) == 3  # stored as Teams reported them; the rule clips and merges
    assert AttendanceRecord.objects.get(session=session, person=anna, source="teams").minutes == 40 + 30
    raw = RawAttendanceReport.objects.get(session=session)
    record = raw.payload["attendanceRecords"][0]
    assert record["emailAddress"] == "anna@gamma.coop" and len(record["attendanceIntervals"]) == 3
    assert raw.imported_at is not None

    teams.import_attendance(session, backend=backend)  # re-import: archived again, intervals replaced

    assert RawAttendanceReport.objects.filter(session=session).count() == 2
    assert AttendanceInterval.objects.filter(session=session, person=anna).count() == 3
