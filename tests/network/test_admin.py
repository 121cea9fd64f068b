"""The network's Wagtail admin screens: staff only, filterable and exportable lists."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from academy.network.models import MembershipRequest, Organisation


def test_staff_list_filter_and_export_membership_requests(site, client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.coop", "pw")
    client.force_login(admin)
    index = reverse("membership_requests:index")
    assert client.get(index).status_code == 200
    assert client.get(index, {"status": MembershipRequest.Status.PENDING}).status_code == 200
    export = client.get(reverse("membership_requests:index") + "?export=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


def test_organisation_snippets_export_for_staff_only(site, client):
    User = get_user_model()
    editor = User.objects.create_user("editor", password="pw")
    editor.user_permissions.add(*Permission.objects.filter(codename__endswith="organisation"),
                                Permission.objects.get(codename="access_admin"))
    url = reverse("wagtailsnippets_network_organisation:list")
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    staff = User.objects.create_superuser("boss", "boss@example.coop", "pw")
    client.force_login(staff)
    body = client.get(url, {"export": "csv"})
    assert body.status_code == 200
    assert Organisation.objects.first().name in b"".join(body.streaming_content).decode()
