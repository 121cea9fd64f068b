"""Session registers (PDF, XLSX), the plan summary with the minimum-attendance rule, the command."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.attendance.intervals import replace_intervals
from academy.funding.services import documents
from academy.funding.services.registers import plan_summary, reaches_minimum, session_register
from academy.registrations.models import Registration
from certificates.rendering import extract_text


@pytest.mark.parametrize(("attended", "planned", "minimum", "reaches"), [
    (70, 100, 70, True),    # exactly the minimum
    (69, 100, 70, False),   # one minute short
    (700, 1000, 70, True),
    (699, 1000, 70, False),
    (60, 60, 100, True),
    (0, 0, 70, False),      # nothing planned: nobody reaches it
    (0, 100, 0, True),
])
def test_minimum_attendance_edges(attended, planned, minimum, reaches):
    assert reaches_minimum(attended, planned, minimum) is reaches


def test_session_register_has_each_learners_login_and_logout_times(funded):
    register = session_register(funded.session)

    assert register.plan == funded.plan
    rows = {r.learner.full_name: r for r in register.rows}
    anna = rows["Anna Rossi"]
    start = timezone.localtime(funded.session.starts_at)
    # Login and logout as recorded (an early join, a late leave); the minutes only within the session.
    assert anna.first_login == start - datetime.timedelta(minutes=10)
    assert anna.last_logout == start + datetime.timedelta(minutes=150)
    assert len(anna.spans) == 2 and anna.minutes == 110
    assert rows["Bruno Bianchi"].minutes == 84 and len(rows["Bruno Bianchi"].spans) == 2  # overlap counted once
    assert anna.learner.fiscal_code == "RSSNNA80A41H501U"


def test_register_pdf_and_xlsx(funded):
    register = session_register(funded.session)

    text = extract_text(documents.register_pdf(register))
    assert "AVS/055/25I" in text and "Anna Rossi" in text and "RSSNNA80A41H501U" in text
    first_login = timezone.localtime(funded.session.starts_at) - datetime.timedelta(minutes=10)
    assert first_login.strftime("%H:%M:%S") in text

    book = openpyxl.load_workbook(io.BytesIO(documents.register_xlsx(register)))
    intervals = list(book.worksheets[0].iter_rows(values_only=True))
    anna_rows = [r for r in intervals if r[4] == "Anna Rossi"]
    assert len(anna_rows) == 2 and anna_rows[0][7] == first_login.strftime("%H:%M:%S")
    learners = {r[0]: r for r in book.worksheets[1].iter_rows(values_only=True)}
    assert learners["Carla Verdi"][5] == 83


def test_register_xlsx_interval_minutes_are_clipped_to_the_session(funded):
    """Issue 26 item 7: an early join and a late leave are shown as recorded, but their minutes count
    only inside the session, so the rows add up to the minutes attended."""
    register = session_register(funded.session)
    book = openpyxl.load_workbook(io.BytesIO(documents.register_xlsx(register)))

    anna_rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[4] == "Anna Rossi"]

    assert sum(r[9] for r in anna_rows) == 110


def test_register_cells_cannot_be_formulas(funded):
    funded.carla.first_name = "=HYPERLINK(\"http://x\")"
    funded.carla.save()
    book = openpyxl.load_workbook(io.BytesIO(documents.register_xlsx(session_register(funded.session))))
    names = [r[0] for r in book.worksheets[1].iter_rows(values_only=True)]
    assert any(str(n).startswith("'=HYPERLINK") for n in names)


def test_plan_summary_marks_who_reaches_the_minimum(funded):
    summary = plan_summary(funded.plan)

    rows = {r.learner.full_name: r for r in summary.rows}
    assert {n: r.reaches_minimum for n, r in rows.items()} == {"Anna Rossi": True, "Bruno Bianchi": True,
                                                               "Carla Verdi": False}
    assert str(rows["Carla Verdi"].percent) == "69.2" and rows["Anna Rossi"].planned_hours == 2
    assert summary.reaching == 2
    book = openpyxl.load_workbook(io.BytesIO(documents.summary_xlsx(summary)))
    assert [r[6] for r in book.active.iter_rows(values_only=True)][1:] == [_("yes"), _("yes"), _("no")]


def test_plan_minimum_is_a_setting_of_the_plan(funded):
    funded.plan.minimum_attendance = 80
    funded.plan.save()
    rows = {r.learner.full_name: r.reaches_minimum for r in plan_summary(funded.plan).rows}
    assert rows == {"Anna Rossi": True, "Bruno Bianchi": False, "Carla Verdi": False}


def test_register_queries_do_not_grow_with_learners(funded, make_person):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            session_register(funded.session)
            plan_summary(funded.plan)
        return len(ctx)

    before = count()
    start = funded.session.starts_at
    for _n in range(5):
        p = make_person()
        Registration.objects.create(course=funded.course, person=p, status=Registration.Status.CONFIRMED)
        replace_intervals(funded.session, p, "teams", [(start, start + datetime.timedelta(minutes=30))])
    assert count() == before


def test_declaration_is_prefilled(funded):
    text = extract_text(documents.declaration_pdf(funded.plan, plan_summary(funded.plan)))
    assert "Paola Presidente" in text and "445" in text and "AVS/055/25I" in text


def test_command_writes_the_register(funded, tmp_path):
    out = tmp_path / "r.xlsx"
    call_command("attendance_register", funded.course.slug, "--format", "xlsx", "-o", str(out),
                 stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    assert "Anna Rossi" in [r[0] for r in book.worksheets[1].iter_rows(values_only=True)]
    pdf = tmp_path / "s.pdf"
    call_command("attendance_register", funded.course.slug, "--summary", "--format", "pdf", "-o", str(pdf),
                 stdout=io.StringIO())
    assert "Carla Verdi" in extract_text(pdf.read_bytes())


def test_downloads_for_staff_and_the_responsible_person_only(funded, client, admin_user, make_person):
    url = reverse("funding:session_register", args=[funded.plan.pk, funded.session.pk, "xlsx"])
    client.force_login(funded.anna.user)
    assert client.get(url).status_code == 403
    funded.plan.responsible_user = funded.bruno.user
    funded.plan.save()
    client.force_login(funded.bruno.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(admin_user)
    assert client.get(reverse("funding:plan_summary", args=[funded.plan.pk, "pdf"])).content[:4] == b"%PDF"
    assert client.get(reverse("funding:declaration", args=[funded.plan.pk])).status_code == 200
    assert client.get(reverse("funding_plan_files", args=[funded.plan.pk])).status_code == 200
    index = client.get(reverse("funding_plans:index"))
    assert index.status_code == 200 and reverse("funding_plan_files", args=[funded.plan.pk]) in index.content.decode()
