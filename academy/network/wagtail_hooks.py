"""Wagtail admin for the network: organisations, people and HR officers as snippets; membership
requests that staff decide; CSV/XLSX imports of organisations and staff rosters (atomic)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.core.permissions import StaffMenuItem, require_staff

from . import services
from .forms import ImportForm, RosterImportForm
from .models import HROfficer, MembershipRequest, Organisation, Person


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "home"
    list_display = ["name", "kind", "parent", "tax_code", "email_domains", "member_until"]
    list_filter = ["kind"]
    search_fields = ["name", "tax_code", "email_domains"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["full_name", "email", "organisation", "email_verified", "on_roster", "membership_approved"]
    list_filter = ["on_roster", "membership_approved", "email_verified"]
    search_fields = ["first_name", "last_name", "email"]


class HROfficerViewSet(SnippetViewSet):
    model = HROfficer
    icon = "user"
    list_display = ["user", "organisation"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Network")
    menu_icon = "group"
    menu_order = 230
    items = (OrganisationViewSet, PersonViewSet, HROfficerViewSet)


register_snippet(NetworkGroup)


def membership_requests(request):
    require_staff(request)
    status = request.GET.get("status", MembershipRequest.Status.PENDING)
    rows = MembershipRequest.objects.select_related("person", "organisation", "decided_by")
    if status in MembershipRequest.Status.values:
        rows = rows.filter(status=status)
    return TemplateResponse(request, "accounts/admin/membership_requests.html", {
        "page_title": _("Membership requests"), "header_icon": "user", "rows": rows[:500], "status": status,
        "statuses": MembershipRequest.Status.choices, "organisations": Organisation.objects.all()})


@require_POST
def decide_membership(request, pk: int):
    require_staff(request)
    membership = get_object_or_404(MembershipRequest, pk=pk)
    org_id = request.POST.get("organisation")
    organisation = Organisation.objects.filter(pk=org_id).first() if org_id and org_id.isdigit() else None
    try:
        services.decide_membership_request(membership, approve=request.POST.get("decision") == "approve",
                                           by=request.user, organisation=organisation,
                                           note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded; the person has been notified by e-mail."))
    return redirect("academy_membership_requests")


def import_view(request, what: str):
    """Import organisations (staff) or a roster (staff, for any organisation): nothing is saved unless
    every row is valid; the report lists each bad row with its line."""
    require_staff(request)
    form_class = RosterImportForm if what == "roster" else ImportForm
    form = form_class(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if what == "roster":
                report = services.import_roster(upload, form.cleaned_data["organisation"], request.user,
                                                filename=upload.name)
            else:
                report = services.import_organisations(upload, by_user=request.user, filename=upload.name)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except Exception as exc:  # unreadable file
            form.add_error("file", _("The file could not be read: %(error)s") % {"error": exc})
    title = _("Import a staff roster") if what == "roster" else _("Import organisations")
    return TemplateResponse(request, "accounts/admin/import.html", {
        "page_title": title, "header_icon": "upload", "form": form, "report": report, "what": what})


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/membership/", membership_requests, name="academy_membership_requests"),
        path("academy/membership/<int:pk>/decide/", decide_membership, name="academy_membership_decide"),
        path("academy/import/organisations/", import_view, {"what": "organisations"},
             name="academy_import_organisations"),
        path("academy/import/roster/", import_view, {"what": "roster"}, name="academy_import_roster"),
    ]


@hooks.register("register_admin_menu_item")
def register_membership_menu_item():
    return StaffMenuItem(gettext_lazy("Membership requests"), reverse("academy_membership_requests"),
                         icon_name="user", order=231)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return StaffMenuItem(gettext_lazy("Import organisations / rosters"), reverse("academy_import_organisations"),
                         icon_name="upload", order=232)
