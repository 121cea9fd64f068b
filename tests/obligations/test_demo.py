"""The mandatory-training demo: two risk classes, a supervisor, a first aider, some compliant, two due
for the 6-hour refresher, one overdue, and a course that satisfies the refresher. Idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from academy.competences.mandatory import COMPLIANT, DUE, LAPSED, OVERDUE
from academy.competences.models import ExternalTraining
from academy.competences.services import Period, build_dashboard, people_in_scope
from academy.courses.models import CoursePage
from academy.obligations.course_rules import agreement_course_problems
from academy.obligations.models import CourseModule
from cms import demo
from cms.demo import hr as hr_demo
from cms.demo import obligations as obligations_demo


def test_demo_obligations(site, client):
    demo.load_programme(site)
    hr_demo.load_competences(site)
    obligations_demo.load_obligations(site)
    trained = ExternalTraining.objects.count()
    obligations_demo.load_obligations(site)  # twice: nothing duplicated
    assert ExternalTraining.objects.count() == trained
    officer = get_user_model().objects.get(username=hr_demo.DEMO_HR_USERNAME)
    board = build_dashboard(people_in_scope(officer).order_by("pk"), Period.year(site.today.year))
    rows = {r.last_name: {o.obligation.code: o.status for o in r.obligations} for r in board.people}
    assert rows["Ferrari"] == {"workers-medium": COMPLIANT}
    assert rows["Ricci"]["workers-medium"] == DUE and rows["Conti"]["workers-medium"] == DUE
    assert rows["Conti"]["fire-2"] == COMPLIANT
    assert rows["Marino"] == {"workers-low": OVERDUE}  # an office job: low risk by the risk assessment
    costa = {i.obligation.code: i for i in next(r for r in board.people if r.last_name == "Costa").obligations}
    assert costa["workers-medium"].status == DUE and costa["workers-medium"].deadline > site.today
    assert rows["Galli"] == {"workers-medium": COMPLIANT, "supervisors": COMPLIANT}
    assert rows["Moretti"] == {"workers-high": COMPLIANT, "first-aid-bc": COMPLIANT}
    assert rows["Bruno"]["workers-high"] == COMPLIANT and "ecm" in rows["Bruno"]
    # the legal cases (each needs the 2025 Agreement's rules): a supervisor inside the 2027 transition, an
    # employer inside the 24 months, a first aider due, an RSPP beyond the 10 years
    items = {r.last_name: {i.obligation.code: i for i in r.obligations} for r in board.people}
    lodi = items["Lodi"]["supervisors"]
    assert lodi.status in (COMPLIANT, DUE) and lodi.deadline.year == 2027
    sala = items["Sala"]["employers"]
    assert sala.status in (COMPLIANT, DUE) and sala.deadline.year == 2027
    assert items["Neri"]["first-aid-bc"].status == DUE
    villa = items["Villa"]["rspp"]
    assert villa.status in (LAPSED, OVERDUE) and villa.result.full_course
    overdue = [name for name, codes in rows.items() if OVERDUE in codes.values() and name != "Villa"]
    assert overdue == ["Marino"]
    course = CourseModule.objects.get(obligation__code="workers-medium").course
    assert course.hours == 6 and not course.is_past
    # the webinar passes the admin's checks of a distance course under the Agreement: a tutor who is not a
    # trainer, a required final test of 30 questions with three choices, passed with 70 %
    for page in CoursePage.objects.filter(translation_key=course.translation_key):
        assert agreement_course_problems(page.specific) == []
    evaluation = course.evaluation
    assert evaluation.test_required and evaluation.pass_mark == 70 and evaluation.test_questions.count() == 30
    assert all(len(q.choices) >= 3 for q in evaluation.test_questions.all())
    assert client.login(username=hr_demo.DEMO_HR_USERNAME, password=hr_demo.DEMO_HR_PASSWORD)
    page = client.get(reverse("hr:dashboard")).content.decode()
    assert 'data-testid="obligations-table"' in page and "Formazione lavoratori" in page
    assert "Ricci" in page
    # issue 27: English pages name the obligations in English; the legal reference stays Italian, labelled
    with translation.override("en"):
        english = client.get(reverse("hr:dashboard")).content.decode()
    assert "Workers&#x27; training — medium risk" in english and "Formazione lavoratori" not in english
    assert 'Legal reference (in Italian): <span lang="it">D.Lgs. 81/2008' in english
