"""Member pages (the questionnaire and the learning test) and the results for trainers and staff.

Views parse and render; every rule is in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from academy.core.permissions import is_staff
from academy.courses.models import CoursePage
from academy.courses.permissions import may_run_course, trainer_courses
from academy.network.services import person_of

from . import exports, services
from .models import Question

ERROR_SUMMARY = "error-summary"  # the tag of a message the test page shows as its own error summary


def _course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage, pk=course_id).specific.canonical


def _participant(request, course):
    person = person_of(request.user)
    try:
        services.check_may_evaluate(person, course)
    except services.EvaluationError as exc:
        raise PermissionDenied(exc.message) from exc
    return person


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request, course_id: int):
    course = _course(course_id)
    person = _participant(request, course)
    form = services.questionnaire_for(course)
    if form is None:
        raise PermissionDenied
    page = course.localized
    if services.has_answered(person, course):
        return render(request, "evaluation/thanks.html", {"course": page, "has_test": services.has_test(course)})
    questions = list(form.questions.all())
    errors: dict[int, str] = {}
    posted: dict[int, list[str]] = {}
    if request.method == "POST":
        answers = {}
        for question in questions:
            posted[question.pk] = request.POST.getlist(f"q{question.pk}")
            try:
                answers[question.pk] = services.clean_answer(question, posted[question.pk])
            except ValueError as exc:
                errors[question.pk] = str(exc)
        if not errors:
            try:
                services.submit_response(person, course, answers)
            except services.EvaluationError as exc:
                messages.error(request, exc.message)
                return redirect("evaluation:questionnaire", course_id=course.pk)
            messages.success(request, _("Thank you: your answers have been recorded anonymously."))
            return redirect("evaluation:questionnaire", course_id=course.pk)
    rows = [{"question": q, "error": errors.get(q.pk, ""), "values": posted.get(q.pk, []),
             "choices": [(str(i), label) for i, label in enumerate(q.choices)]} for q in questions]
    return render(request, "evaluation/questionnaire.html", {
        "course": page, "questionnaire": form, "rows": rows, "errors": [r for r in rows if r["error"]],
        "ratings": ["1", "2", "3", "4", "5"], "kinds": Question.Kind,
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def learning_test(request, course_id: int):
    course = _course(course_id)
    person = _participant(request, course)
    if not services.has_test(course):
        raise PermissionDenied
    evaluation = services.evaluation_of(course)
    attempts = services.attempts_left(person, course)
    passed = services.has_passed(person, course)
    open_attempt = services.open_attempt(person, course)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                services.start_attempt(person, course)
            elif request.POST.get("action") == "submit" and open_attempt is not None:
                answers = {}
                for question, _choices in services.shown_questions(open_attempt):
                    value = request.POST.get(f"t{question.pk}", "")
                    answers[question.pk] = int(value) if value.isdigit() else None
                done = services.submit_attempt(open_attempt, answers)
                if done.passed:
                    messages.success(request, _("You passed the test with %(score)s%%.") % {"score": done.score_percent})
                else:
                    messages.error(request, _("You did not reach the pass mark (%(score)s%%, %(mark)s%% needed).")
                                   % {"score": done.score_percent, "mark": done.pass_mark}, extra_tags=ERROR_SUMMARY)
        except services.EvaluationError as exc:
            messages.error(request, exc.message, extra_tags=ERROR_SUMMARY)
        return redirect("evaluation:test", course_id=course.pk)
    # A failed submit comes back here as a message: the page shows it as its error summary (focused, and
    # the title says so) instead of among the site's notices.
    shown = list(messages.get_messages(request))
    errors = [m for m in shown if ERROR_SUMMARY in (m.extra_tags or "").split()]
    return render(request, "evaluation/test.html", {
        "errors": errors, "notices": [m for m in shown if m not in errors],
        "course": course.localized, "evaluation": evaluation, "attempts_left": attempts, "passed": passed,
        "attempt": open_attempt, "questions": services.shown_questions(open_attempt) if open_attempt else [],
        "best": services.best_attempt(person, course),
    })


def _results_course(request, course_id: int) -> CoursePage:
    course = _course(course_id)
    if not may_run_course(request.user, course):
        raise PermissionDenied
    return course


@login_required
def results(request, course_id: int):
    course = _results_course(request, course_id)
    return render(request, "evaluation/results.html", {
        "course": course.localized, "results": services.course_results(course), "editions": services.editions(course, request.user),
    })


@login_required
def results_export(request, course_id: int):
    course = _results_course(request, course_id)
    content = exports.results_xlsx(course, request.user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{course.pk}.xlsx"'
    return response


@login_required
def trainer_results(request):
    """The results of the courses the user trains (staff: every finished course)."""
    if is_staff(request.user):
        courses = list(CoursePage.objects.filter(locale=Locale.get_default(), last_ends_at__lte=timezone.now())
                       .order_by("-last_ends_at")[:200])
    else:
        courses = [c for c in trainer_courses(request.user) if c.is_over()]
        if not courses and not trainer_courses(request.user):
            raise PermissionDenied
    rows = services.trainer_results(courses)
    return render(request, "evaluation/trainer_results.html", {
        "rows": rows, "trainers": services.by_trainer(rows) if is_staff(request.user) else []})
