"""Wagtail admin screens of the network, for the Academy office only: organisations, people and HR
officers as snippets, membership requests as a read-only list with export, and two small action
views (decide a membership request, import organisations or a roster) that call the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffChooserViewSet, require_staff
from academy.core.tabular import TabularFileError

from . import services
from .forms import ImportForm, RosterImportForm
from .models import HROfficer, MembershipRequest, Organisation, Person, RosterClaim


class OrganisationViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = Organisation
    icon = "home"
    list_display = ["name", "kind", "parent", "tax_code", "email_domains", "member_until"]
    list_filter = ["kind", "region"]
    list_export = ["name", "kind", "parent", "tax_code", "email_domains", "city", "region", "member_from",
                   "member_until", "participation_target"]
    search_fields = ["name", "tax_code", "email_domains", "city"]


class PersonViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = Person
    icon = "user"
    list_display = ["full_name", "email", "organisation", "email_verified", "on_roster", "membership_approved"]
    list_filter = ["on_roster", "membership_approved", "email_verified", "organisation"]
    list_export = ["last_name", "first_name", "email", "organisation", "job_role", "email_verified", "on_roster",
                   "membership_approved"]
    search_fields = ["first_name", "last_name", "email"]


class HROfficerViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = HROfficer
    icon = "user"
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    list_export = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Network")
    menu_icon = "group"
    menu_order = 230
    items = (OrganisationViewSet, PersonViewSet, HROfficerViewSet)


class MembershipRequestViewSet(TranslatedExportViewSet, ModelViewSet):
    """All membership requests, filtered and exported; pending ones are decided on the decision screen."""

    model = MembershipRequest
    icon = "user"
    menu_label = gettext_lazy("All membership requests")
    add_to_admin_menu = True
    menu_order = 233
    inspect_view_enabled = True
    form_fields = ["decision_note"]
    list_display = ["person", "organisation_name", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status", "created_at"]
    list_export = ["person", "organisation_name", "organisation", "message", "status", "created_at",
                   "decided_by", "decided_at", "decision_note"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "organisation_name"]


def membership_requests(request):
    """The decision screen: requests of one status, pending ones with approve / reject."""
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


def roster_claims(request):
    """Roster rows waiting for the person's confirmation; staff may confirm or decline them."""
    require_staff(request)
    status = request.GET.get("status", RosterClaim.Status.PENDING)
    rows = RosterClaim.objects.select_related("organisation", "requested_by", "decided_by")
    if status in RosterClaim.Status.values:
        rows = rows.filter(status=status)
    return TemplateResponse(request, "accounts/admin/roster_claims.html", {
        "page_title": _("Roster entries awaiting confirmation"), "header_icon": "user", "rows": rows[:500],
        "status": status, "statuses": RosterClaim.Status.choices})


@require_POST
def decide_roster_claim(request, pk: int):
    require_staff(request)
    claim = get_object_or_404(RosterClaim, pk=pk)
    try:
        if request.POST.get("decision") == "confirm":
            services.confirm_roster_claim(claim, by=request.user)
        elif request.POST.get("decision") == "send":
            services.release_roster_claim(claim, by=request.user)
        else:
            services.decline_roster_claim(claim, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("academy_roster_claims")


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
        except TabularFileError as exc:
            form.add_error("file", str(exc))
    title = _("Import a staff roster") if what == "roster" else _("Import organisations")
    return TemplateResponse(request, "accounts/admin/import.html", {
        "page_title": title, "header_icon": "upload", "form": form, "report": report, "what": what})
