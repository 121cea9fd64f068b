"""Inspector access: one plan only, time-limited, read-only, every access logged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.funding.models import FundedPlan, InspectorAccessLog
from academy.funding.services import inspectors
from academy.registrations.signals import join_url_wanted


@pytest.fixture
def inspector(funded, admin_user):
    now = timezone.now()
    access, password = inspectors.create_inspector(
        funded.plan, name="Ispettrice Fondo", email="ispettrice@fondo.example", body="Fon.Coop",
        valid_from=now - datetime.timedelta(days=1), valid_until=now + datetime.timedelta(days=30), by=admin_user)
    return access, password


def test_only_staff_create_inspectors(funded, make_person):
    now = timezone.now()
    with pytest.raises(inspectors.InspectorError):
        inspectors.create_inspector(funded.plan, name="X", email="x@y.example", valid_from=now,
                                    valid_until=now + datetime.timedelta(days=1), by=funded.anna.user)


def test_inspector_logs_in_and_sees_their_plan_with_every_access_logged(funded, inspector, client):
    access, password = inspector
    assert client.login(username="ispettrice@fondo.example", password=password)

    home = client.get(reverse("funding:inspector_home"))
    page = client.get(reverse("funding:inspector_session", args=[funded.session.pk]))

    assert home.status_code == 200 and funded.plan.title in home.content.decode()
    assert page.status_code == 200 and "Anna Rossi" in page.content.decode()
    log = list(InspectorAccessLog.objects.filter(access=access).order_by("pk"))
    assert [e.path for e in log] == [reverse("funding:inspector_home"),
                                     reverse("funding:inspector_session", args=[funded.session.pk])]
    assert log[1].session == funded.session and log[1].by == access.user


def test_inspector_sees_nothing_of_another_plan_or_the_registers_downloads(funded, inspector, client, make_course):
    access, _password = inspector
    other_course = make_course(title="Corso di un altro piano")
    other = FundedPlan.objects.create(title="Altro", plan_code="OTHER", responsible_name="X",
                                      starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    other.courses.add(other_course)
    client.force_login(access.user)

    assert client.get(reverse("funding:inspector_session", args=[other_course.sessions.get().pk])).status_code == 404
    assert client.get(reverse("funding:plan", args=[funded.plan.pk])).status_code == 403
    assert client.get(reverse("funding:session_register",
                              args=[funded.plan.pk, funded.session.pk, "pdf"])).status_code == 403
    assert client.get(reverse("registrations:registrants", args=[funded.course.pk])).status_code in (403, 404)
    assert client.get("/admin/").status_code in (302, 403)
    assert not InspectorAccessLog.objects.filter(session=other_course.sessions.get()).exists()


def test_access_outside_its_window_or_revoked_sees_nothing(funded, inspector, client, admin_user):
    access, _password = inspector
    client.force_login(access.user)
    access.valid_from = timezone.now() + datetime.timedelta(days=1)
    access.valid_until = timezone.now() + datetime.timedelta(days=2)
    access.save()
    assert client.get(reverse("funding:inspector_home")).status_code == 403

    access.valid_from = timezone.now() - datetime.timedelta(days=2)
    access.valid_until = timezone.now() - datetime.timedelta(days=1)
    access.save()
    assert inspectors.deactivate_expired() == 1
    access.user.refresh_from_db()
    assert not access.user.is_active


def test_join_link_only_while_the_session_runs(funded, inspector):
    def provider(sender, session, registration, **kwargs):
        return f"https://teams.example/join/{session.pk}"

    join_url_wanted.connect(provider, dispatch_uid="test.join_url")
    try:
        session = funded.session
        assert inspectors.join_url(session, now=session.starts_at - datetime.timedelta(hours=2)) == ""
        assert inspectors.join_url(session, now=session.starts_at + datetime.timedelta(minutes=5)).endswith(
            str(session.pk))
        assert inspectors.join_url(session, now=session.ends_at + datetime.timedelta(minutes=1)) == ""
    finally:
        join_url_wanted.disconnect(dispatch_uid="test.join_url")


def test_inspector_downloads_the_register_pdf_of_their_plan_read_only_and_logged(funded, inspector, client, make_course):
    access, _password = inspector
    client.force_login(access.user)
    home = client.get(reverse("funding:inspector_home")).content.decode()
    url = reverse("funding:inspector_register", args=[funded.session.pk])
    assert url in home
    assert "<th>Registro</th>" in home and "Iscriviti" not in home  # the column names the register
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert InspectorAccessLog.objects.filter(access=access, session=funded.session, path=url).exists()
    assert client.post(url).status_code == 405  # read-only

    other_course = make_course(title="Corso di un altro piano")
    assert client.get(reverse("funding:inspector_register", args=[other_course.sessions.get().pk])).status_code == 404
    client.force_login(funded.anna.user)
    assert client.get(url).status_code == 403
