"""HR area views: parse input, go through ``scope_for`` for every query, render.

Outsiders get 404 for people and files outside their scope, and 403 for the area itself.
"""

from __future__ import annotations

import mimetypes
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from academy.core import tabular
from academy.core.storage import private_response
from academy.courses.catalogue import recent_courses
from academy.courses.models import CoursePage
from academy.registrations.services import RegistrationError, register

from . import external, import_jobs, planning, services
from .engine import status_label
from .forms import (
    EcmCreditForm,
    EmploymentForm,
    ExternalTrainingForm,
    ImportForm,
    ObligationTrainingForm,
    PeriodForm,
    PlanForm,
    RegisterForm,
)
from .models import ExternalTraining
from .resources import (
    ImportFileError,
    attendance_register,
    compliance_sheet,
    import_external_training,
    import_staff_roster,
    staff_report,
)

PAGE_SIZE = 100


def hr_required(view):
    """Logged-in staff or HR officers only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.is_hr_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filtered_people(request, form: PeriodForm):
    """People in the user's scope, narrowed by organisation and search (never widened)."""
    people = services.people_in_scope(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("organisation"):
        people = people.filter(organisation_id=data["organisation"])
    if data.get("q"):
        q = data["q"]
        people = people.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q)
                               | Q(job_role__icontains=q))
    return people.order_by("last_name", "first_name", "pk")


@hr_required
def dashboard(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    people = _filtered_people(request, form)
    board = services.build_dashboard(people, period, due_days=form.due_days())
    rows = board.people
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if status:
        rows = [r for r in rows if r.status == status]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "hr/dashboard.html", {
        "form": form, "board": board, "page": page,
        "period": period, "query": query.urlencode(),
        "organisations": list(services.scope_for(request.user).order_by("name").values("pk", "name")),
        "courses": recent_courses(),
    })


def _person_page(request, person, *, status: int = 200, **forms):
    """The person page: their compliance answer computed now, and every form (``forms`` replaces the
    empty ones, e.g. a form sent back with its errors)."""
    record = services.training_record(person, None, due_days=PeriodForm(request.GET or None).due_days())
    return render(request, "hr/person.html", {
        "person": person, "record": record,
        "mandatory_form": ObligationTrainingForm(), "ecm_form": EcmCreditForm(),
        "external_form": ExternalTrainingForm(), "register_form": RegisterForm(),
        "employment_form": EmploymentForm.for_person(person),
        "registrations": person.registrations.select_related("course").order_by("-created_at")[:20],
        **forms,
    }, status=status)


@hr_required
def person_detail(request, person_id: int):
    return _person_page(request, services.person_in_scope(request.user, person_id))


@hr_required
@require_POST
def set_employment(request, person_id: int):
    """Record when one of the officer's staff was hired and began their current job, and the job's own
    risk class (404 outside their scope); the page then shows the compliance answer with them."""
    from academy.obligations.services import set_employment as record_employment

    person = services.person_in_scope(request.user, person_id)
    form = EmploymentForm(request.POST)
    if form.is_valid():
        try:
            record_employment(person, by=request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
    if not form.is_valid():
        return _person_page(request, person, status=400, employment_form=form)
    status = services.training_record(person).status
    messages.success(request, _("Employment saved. Status now: %(status)s.") % {"status": status_label(status)})
    return redirect("hr:person", person_id=person.pk)


@hr_required
@require_POST
def add_external_training(request, person_id: int):
    person = services.person_in_scope(request.user, person_id)
    form = ExternalTrainingForm(request.POST, request.FILES)
    if form.is_valid():
        training = form.save(commit=False)
        training.person, training.entered_by = person, request.user
        training.save()
        form.save_m2m()
        messages.success(request, _("External training added."))
        return redirect("hr:person", person_id=person.pk)
    return _person_page(request, person, status=400, external_form=form)


@hr_required
@require_POST
def register_person(request, person_id: int):
    """Register one of the officer's own staff through the registrations service (all the rules —
    eligibility, capacity, waiting list, e-mails — are there)."""
    person = services.person_in_scope(request.user, person_id)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a course."))
        return redirect("hr:person", person_id=person.pk)
    try:
        registration = register(person, form.cleaned_data["course"], by=request.user)
    except RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        status = registration.get_status_display()
        messages.success(request, _("%(person)s registered for %(course)s: %(status)s.") % {
            "person": person.full_name, "course": form.cleaned_data["course"].title, "status": status})
    return redirect("hr:person", person_id=person.pk)


@hr_required
def external_attachment(request, training_id: int):
    """Serve an external training attachment to whoever may see the person (404 otherwise)."""
    training = get_object_or_404(ExternalTraining.objects.filter(
        person__in=services.people_in_scope(request.user)), pk=training_id)
    if not training.attachment:
        raise Http404
    name = Path(training.attachment.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:  # streamed, X-Accel-Redirect behind nginx, or a signed URL of the bucket (core.storage)
        return private_response(training.attachment.storage, training.attachment.name, filename=name,
                                content_type=content_type)
    except FileNotFoundError as exc:
        raise Http404 from exc


def _file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@hr_required
def export_report(request, fmt: str):
    form = PeriodForm(request.GET or None)
    period = form.period()
    records = services.training_records(_filtered_people(request, form), period,
                                        due_days=form.due_days())
    stem = f"training-report-{slugify(period.label)}"
    if fmt == "xlsx":
        return _file_response(tabular.export_xlsx(staff_report(records, period)), f"{stem}.xlsx", XLSX)
    return _file_response(tabular.export_csv(compliance_sheet(records)), f"{stem}.csv", "text/csv; charset=utf-8")


@hr_required
def export_attendance_register(request, course_id: int, fmt: str):
    """A course's attendance register: staff see every participant, HR officers their own staff."""
    course = get_object_or_404(CoursePage, pk=course_id).canonical
    data = attendance_register(course, services.people_in_scope(request.user))
    stem = f"register-{course.slug}"
    if fmt == "xlsx":
        return _file_response(tabular.export_xlsx(data), f"{stem}.xlsx", XLSX)
    return _file_response(tabular.export_csv(data), f"{stem}.csv", "text/csv; charset=utf-8")


@hr_required
def import_view(request, kind: str):
    """Upload a staff roster or external training; nothing is written unless every row is good."""
    scope = services.scope_for(request.user).order_by("name")
    form = ImportForm(request.POST or None, request.FILES or None, organisations=scope)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if kind == "roster":
                organisation = form.cleaned_data["organisation"]
                if organisation is None:
                    if scope.count() != 1:
                        form.add_error("organisation", _("Choose the organisation of this roster."))
                        return render(request, "hr/import.html", {"form": form, "kind": kind}, status=400)
                    organisation = scope.get()
                job = import_jobs.start_import(upload, kind, request.user, organisation)
                result = None if job else import_staff_roster(upload, organisation, request.user)
            else:
                job = import_jobs.start_import(upload, kind, request.user)
                result = None if job else import_external_training(upload, scope, request.user)
            if job is not None:
                return redirect("hr:import_job", job_id=job.pk)
        except (ImportFileError, ValueError) as exc:  # unreadable file
            form.add_error("file", str(exc))
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        if result is not None and result.ok:
            messages.success(request, _("Imported: %(created)s new, %(updated)s updated.") % {
                "created": result.created, "updated": result.updated})
            if getattr(result, "pending", 0):
                messages.info(request, ngettext(
                    "%(count)s address is not on your organisation's domains: that person has been asked by "
                    "e-mail to confirm before joining the roster.",
                    "%(count)s addresses are not on your organisation's domains: those people have been asked "
                    "by e-mail to confirm before joining the roster.", result.pending) % {"count": result.pending})
            if getattr(result, "held", 0):
                messages.warning(request, ngettext(
                    "%(count)s of them waits for the Academy staff before the e-mail is sent: you went over the "
                    "hourly limit of confirmation e-mails.",
                    "%(count)s of them wait for the Academy staff before the e-mail is sent: you went over the "
                    "hourly limit of confirmation e-mails.", result.held) % {"count": result.held})
            return redirect("hr:dashboard")
    status = 400 if (result and not result.ok) or form.errors else 200
    return render(request, "hr/import.html", {"form": form, "kind": kind, "result": result,
                                              "jobs": import_jobs.recent_jobs(request.user, kind)}, status=status)


@hr_required
def import_job(request, job_id: int):
    """A background import: its progress while it runs, then its report. Only its author (and staff)."""
    job = import_jobs.visible_job(request.user, job_id)
    if job is None:
        raise Http404
    report = job.report or {}
    return render(request, "hr/import_job.html", {
        "job": job, "progress": import_jobs.progress(job), "errors": report.get("errors") or [],
        "created": report.get("created", 0), "updated": report.get("updated", 0),
        "pending": report.get("pending", 0), "held": report.get("held", 0)})


@hr_required
def obligations_settings(request):
    """The officer's risk profile and job-role mappings for one organisation in their scope."""
    from academy.obligations import services as obligations
    from academy.obligations.forms import JobRoleMappingForm, RiskProfileForm
    from academy.obligations.models import RiskProfile

    scope = services.scope_for(request.user).order_by("name")
    organisation_id = request.POST.get("organisation") or request.GET.get("organisation") or ""
    if organisation_id and not organisation_id.isdigit():
        raise Http404
    organisation = get_object_or_404(scope, pk=organisation_id) if organisation_id else scope.first()
    if organisation is None:
        raise Http404
    profile = RiskProfile.objects.filter(organisation=organisation).first()
    profile_form = RiskProfileForm(instance=profile)
    mapping_form = JobRoleMappingForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            profile_form = RiskProfileForm(request.POST, instance=profile)
            if profile_form.is_valid():
                obligations.set_risk_profile(organisation, **{k: profile_form.cleaned_data[k]
                                                              for k in RiskProfileForm.Meta.fields})
                messages.success(request, _("Risk profile saved."))
                return redirect(f"{request.path}?organisation={organisation.pk}")
        elif action == "add_mapping":
            mapping_form = JobRoleMappingForm(request.POST)
            if mapping_form.is_valid():
                obligations.map_job_role(organisation, mapping_form.cleaned_data["job_role"],
                                         mapping_form.cleaned_data["role"])
                messages.success(request, _("Job role mapped."))
                return redirect(f"{request.path}?organisation={organisation.pk}")
        elif action == "delete_mapping" and request.POST.get("mapping", "").isdigit():
            obligations.unmap_job_role(organisation, int(request.POST["mapping"]))
            messages.success(request, _("Mapping removed."))
            return redirect(f"{request.path}?organisation={organisation.pk}")
        status = 400
    return render(request, "hr/obligations.html", {
        "organisation": organisation, "organisations": scope, "profile_form": profile_form,
        "mapping_form": mapping_form, "mappings": organisation.job_role_mappings.order_by("job_role", "role"),
    }, status=status)


@hr_required
@require_POST
def add_mandatory_training(request, person_id: int, entry: str):
    """Record an attestato of mandatory training done elsewhere, or ECM credits, for one of the
    officer's staff (404 outside their scope)."""
    person = services.person_in_scope(request.user, person_id)
    form = (ObligationTrainingForm if entry == "obligation" else EcmCreditForm)(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                           for f, e in form.errors.items())
        messages.error(request, _("Not saved: %(errors)s") % {"errors": errors})
    elif entry == "obligation":
        external.record_external_training(person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Mandatory training added."))
    else:
        external.record_ecm_credits(person, by=request.user, **form.cleaned_data)
        messages.success(request, _("ECM credits added."))
    return redirect("hr:person", person_id=person.pk)


@hr_required
def plan_obligation(request, obligation_id: int):
    """An obligation that is due or overdue: the upcoming courses that satisfy it and the officer's staff who
    must act, who can be registered several at once (the registration service decides for each)."""
    from academy.obligations.models import Obligation

    obligation = get_object_or_404(Obligation, pk=obligation_id, active=True)
    form = PeriodForm(request.GET or None)
    people = _filtered_people(request, form)
    options = planning.courses_for(obligation)
    if request.method == "POST":
        chosen = PlanForm(request.POST, courses=[o.course for o in options], people=people)
        if not chosen.is_valid():
            messages.error(request, _("Choose a course and at least one person."))
        else:
            outcomes = planning.register_many(list(chosen.cleaned_data["people"]), chosen.cleaned_data["course"],
                                              by=request.user)
            for outcome in outcomes:
                if outcome.error:
                    messages.error(request, f"{outcome.person.full_name}: {outcome.error}")
            done = [o for o in outcomes if not o.error]
            if done:
                messages.success(request, ngettext(
                    "%(count)s person registered for %(course)s.", "%(count)s people registered for %(course)s.",
                    len(done)) % {"count": len(done), "course": chosen.cleaned_data["course"].title})
        return redirect(request.get_full_path())
    return render(request, "hr/plan.html", {
        "obligation": obligation, "options": options, "people": planning.people_to_plan(people, obligation),
        "query": request.GET.urlencode(),
    })
