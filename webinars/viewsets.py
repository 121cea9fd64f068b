"""The Teams admin lists for staff, declared as Wagtail viewsets (filters and CSV/XLSX export come
with them): meetings with their "import attendance" action, unmatched attendance to resolve, e-mail
aliases and the Graph operations log. Nothing here is editable through the generic forms: the
operations log and meetings are written by ``webinars.teams`` only, so the policy grants viewing
(and, for aliases, deleting a wrong one)."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from academy.core.exports import TranslatedExportViewSet

from .models import EmailAlias, GraphOperation, TeamsAccount, TeamsMeeting, UnmatchedAttendance


class PostButtonColumn(Column):
    """A cell holding one POST form (CSRF-protected) that runs a staff action on the row."""

    cell_template_name = "webinars/admin/post_button_cell.html"

    def __init__(self, name, label, *, url_for, button, with_person: bool = False):
        super().__init__(name, label=label)
        self.url_for, self.button, self.with_person = url_for, button, with_person

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(url=self.url_for(instance), button=self.button, with_person=self.with_person,
                       csrf_token=get_token(request) if request is not None else "")
        return context


def import_url(meeting: TeamsMeeting) -> str:
    if meeting.session.ends_at > timezone.now():
        return ""  # nothing to import before the session ends
    return reverse("webinars_teams_import", args=[meeting.session_id])


class TeamsMeetingViewSet(TranslatedExportViewSet, ModelViewSet):
    model = TeamsMeeting
    icon = "link"
    url_prefix = "teams/meetings"
    url_namespace = "webinars_teams_meetings"
    add_to_admin_menu = False
    list_display = ["session", "backend", "status", "attendance_status", "attendance_imported_at",
                    PostButtonColumn("import", _("Attendance"), url_for=import_url, button=_("Import attendance"))]
    list_filter = ["status", "backend", "attendance_status"]
    list_export = ["session", "backend", "status", "meeting_id", "synced_sequence", "attendance_status",
                   "attendance_imported_at"]
    search_fields = ["meeting_id", "external_id"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # no generic forms: the policy grants no add or change

    def get_queryset(self, request):
        return TeamsMeeting.objects.select_related("session", "session__course").order_by("-session__starts_at")


class UnmatchedAttendanceViewSet(TranslatedExportViewSet, ModelViewSet):
    model = UnmatchedAttendance
    icon = "warning"
    url_prefix = "teams/unmatched"
    url_namespace = "webinars_teams_unmatched"
    add_to_admin_menu = False
    list_display = ["session", "email", "display_name", "minutes", "resolved_person",
                    PostButtonColumn("resolve", _("Who is it?"), button=_("Resolve"), with_person=True,
                                     url_for=lambda u: "" if u.resolved_at else reverse("webinars_teams_resolve",
                                                                                         args=[u.pk]))]
    list_filter = {"resolved_at": ["isnull"], "session__course": ["exact"]}
    list_export = ["session", "email", "display_name", "minutes", "resolved_person", "resolved_at"]
    search_fields = ["email", "display_name"]
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # no generic forms: the policy grants no add or change

    def get_queryset(self, request):
        return UnmatchedAttendance.objects.select_related("session", "session__course", "resolved_person")


class EmailAliasViewSet(TranslatedExportViewSet, ModelViewSet):
    model = EmailAlias
    icon = "mail"
    url_prefix = "teams/aliases"
    url_namespace = "webinars_teams_aliases"
    add_to_admin_menu = False
    list_display = ["email", "person", "created_by", "created_at"]
    list_filter = ["created_by"]
    list_export = ["email", "person", "created_by", "created_at"]
    search_fields = ["email"]
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # no generic forms: the policy grants no add or change


class TeamsAccountViewSet(TranslatedExportViewSet, ModelViewSet):
    """Trainers' accounts in the tenant: with one, a trainer presents and admits the lobby."""

    model = TeamsAccount
    icon = "user"
    url_prefix = "teams/accounts"
    url_namespace = "webinars_teams_accounts"
    add_to_admin_menu = False
    list_display = ["trainer", "upn", "user_id", "role"]
    list_export = ["trainer", "upn", "user_id", "role"]
    search_fields = ["upn", "user_id", "trainer__name"]
    form_fields = ["trainer", "user_id", "upn", "role"]
    copy_view_enabled = False


class GraphOperationViewSet(TranslatedExportViewSet, ModelViewSet):
    model = GraphOperation
    icon = "list-ul"
    url_prefix = "teams/operations"
    url_namespace = "webinars_teams_operations"
    add_to_admin_menu = False
    list_display = ["kind", "target", "status", "http_status", "attempts", "created_at", "finished_at"]
    list_filter = ["kind", "status", "backend"]
    list_export = ["kind", "target", "idempotency_key", "backend", "status", "http_status", "attempts", "last_error",
                   "created_at", "finished_at"]
    search_fields = ["idempotency_key", "target"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # no generic forms: the policy grants no add or change


class TeamsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Teams meetings")
    menu_icon = "link"
    menu_order = 260
    items = (TeamsMeetingViewSet, UnmatchedAttendanceViewSet, EmailAliasViewSet, TeamsAccountViewSet,
             GraphOperationViewSet)


#: What staff may do on each list (everything else is written by webinars.teams).
POLICIES = {
    TeamsMeeting: frozenset({"view"}),
    UnmatchedAttendance: frozenset({"view"}),
    EmailAlias: frozenset({"view", "delete"}),
    GraphOperation: frozenset({"view"}),
    TeamsAccount: frozenset({"view", "add", "change", "delete"}),
}
