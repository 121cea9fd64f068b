"""Member-facing registration views: thin, every rule is in ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Registration


@login_required
def my_academy(request):
    person = getattr(request.user, "person", None)
    registrations = (
        Registration.objects.filter(person=person).select_related("course").order_by("-created_at")
        if person else Registration.objects.none()
    )
    return render(request, "registrations/my_academy.html", {"person": person,
                                                             "registrations": registrations})
