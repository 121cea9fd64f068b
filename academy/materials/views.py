"""Site views for trainers' materials: the trainers' area, uploads, removals, downloads and the
member's "my materials" page.

Views parse input, check who is asking and render; every rule is in ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.core.storage import private_response
from academy.courses.models import Session
from academy.courses.permissions import trainer_courses, trainer_of

from . import services
from .forms import MaterialForm
from .models import Material


def download_material(request, pk: int):
    """Serve a material after the permission check: files stream from private storage, links
    redirect. Nothing here is cacheable by shared caches."""
    material = get_object_or_404(Material.objects.select_related("session", "session__course"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_access_material(request.user, material):
        raise PermissionDenied
    if material.url:
        response = HttpResponseRedirect(material.url)
    else:
        try:  # streamed, X-Accel-Redirect behind nginx, or a signed URL of the bucket (core.storage)
            response = private_response(material.file.storage, material.file.name,
                                        filename=material.original_filename or "material")
        except FileNotFoundError as exc:
            raise Http404 from exc
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def trainer_home(request):
    """A trainer's courses and sessions (only theirs), with each session's materials and upload."""
    trainer = trainer_of(request.user)
    if trainer is None:
        raise PermissionDenied
    courses = trainer_courses(request.user)
    sessions = (Session.objects.filter(course__in=courses).order_by("starts_at")
                .prefetch_related("materials"))
    by_course: dict[int, list[Session]] = {}
    for session in sessions:
        by_course.setdefault(session.course_id, []).append(session)
    # Work to come first (soonest first), then past courses (latest first).
    now = timezone.now()
    upcoming = [c for c in courses if c.last_ends_at is None or c.last_ends_at >= now]
    past = sorted((c for c in courses if c not in upcoming), key=lambda c: c.last_ends_at, reverse=True)
    rows = [(course, by_course.get(course.pk, [])) for course in upcoming + past]
    return render(request, "materials/trainer_home.html", {
        "trainer": trainer, "rows": rows, "form": MaterialForm(),
        "max_mb": services.max_upload_bytes() // (1024 * 1024),
        "extensions": ", ".join(services.ALLOWED_EXTENSIONS),
    })


@login_required
@require_POST
def upload_material(request, session_id: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=session_id)
    if not services.can_manage_materials(request.user, session):
        raise PermissionDenied
    form = MaterialForm(request.POST, request.FILES)
    target = reverse("materials:trainer_home") + f"#session-{session.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    data = form.cleaned_data
    try:
        material = services.add_material(session, title=data["title"], by=request.user, upload=data["file"],
                                         url=data["url"] or "",
                                         visible_after_session=data["visible_after_session"])
    except services.MaterialError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(title)s” added.") % {"title": material.title})
    return redirect(target)


@login_required
@require_POST
def delete_material(request, pk: int):
    material = get_object_or_404(Material.objects.select_related("session", "session__course"), pk=pk)
    if not services.can_manage_materials(request.user, material.session):
        raise PermissionDenied
    services.delete_material(material, request.user)
    messages.success(request, _("Material removed."))
    return redirect(reverse("materials:trainer_home") + f"#session-{material.session_id}")


@login_required
def my_materials(request):
    """Materials of the courses the member is confirmed on (what each may see right now)."""
    from academy.registrations.models import Registration

    person = services.person_of(request.user)
    rows = []
    if person is not None:
        registrations = (Registration.objects.confirmed().filter(person=person)
                         .select_related("course").order_by("course__first_starts_at"))
        for registration in registrations:
            materials = services.visible_materials(request.user, registration.course)
            if materials:
                rows.append((registration.course, materials))
    return render(request, "materials/my_materials.html", {"rows": rows, "person": person})
