"""An HR officer never sees another cooperative's people; a consortium officer sees its members."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from academy.competences.services import is_hr_user, people_in_scope, scope_for
from academy.network.models import Organisation


@pytest.fixture
def orgs(site):
    o = site.organisations
    return {"gamma": o["Cooperativa Gruppo Gamma"], "nazareth": o["Cooperativa Nazareth"],
            "solco": o["Consorzio Solco Cremona"], "stripes": o["Stripes Cooperativa Sociale"],
            "national": o["Consorzio Nazionale CGM"]}


def test_scope_matches_descendants(orgs, make_officer):
    officer = make_officer(orgs["gamma"])
    assert set(scope_for(officer)) == {orgs["gamma"]}
    consortium = make_officer(orgs["solco"])
    assert set(scope_for(consortium).values_list("pk", flat=True)) == set(orgs["solco"].descendant_ids())
    assert orgs["stripes"] not in scope_for(consortium)
    national = make_officer(orgs["national"])
    assert set(scope_for(national).values_list("pk", flat=True)) == set(orgs["national"].descendant_ids())
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    assert scope_for(staff).count() == Organisation.objects.count()
    nobody = get_user_model().objects.create_user("nobody")
    assert not scope_for(nobody).exists()


def test_a_superuser_reaches_the_hr_area(client, orgs):
    """A superuser who is not flagged staff is still the Academy office (it used to get 403)."""
    root = get_user_model().objects.create_user("root", is_superuser=True)
    assert is_hr_user(root)
    client.force_login(root)
    assert client.get(reverse("hr:dashboard")).status_code == 200
    assert scope_for(root).count() == Organisation.objects.count()


def test_people_in_scope_query_level(orgs, make_officer, make_person):
    mine = make_person(org=orgs["gamma"])
    theirs = make_person(org=orgs["nazareth"])
    outside = make_person(org=orgs["stripes"])
    officer = make_officer(orgs["gamma"])
    assert list(people_in_scope(officer)) == [mine]
    assert not people_in_scope(officer, organisation=orgs["nazareth"]).exists()
    consortium = make_officer(orgs["solco"])
    assert set(people_in_scope(consortium)) == {mine, theirs}
    assert outside not in people_in_scope(consortium)


def test_dashboard_lists_only_own_people(client, orgs, make_officer, make_person):
    mine = make_person(org=orgs["gamma"], last_name="Mioverde")
    theirs = make_person(org=orgs["nazareth"], last_name="Altrorosso")
    officer = make_officer(orgs["gamma"])
    client.force_login(officer)
    response = client.get(reverse("hr:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mioverde" in body and "Altrorosso" not in body
    # Asking for another organisation's people through the filter shows nobody.
    response = client.get(reverse("hr:dashboard"), {"organisation": orgs["nazareth"].pk})
    assert "Altrorosso" not in response.content.decode()
    assert response.context["board"].staff == 0
    assert client.get(reverse("hr:person", args=[mine.pk])).status_code == 200
    assert client.get(reverse("hr:person", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("hr:add_external", args=[theirs.pk]), {}).status_code == 404
    assert client.post(reverse("hr:register", args=[theirs.pk]), {}).status_code == 404


def test_consortium_officer_sees_members(client, orgs, make_officer, make_person):
    make_person(org=orgs["gamma"], last_name="Mioverde")
    make_person(org=orgs["nazareth"], last_name="Altrorosso")
    make_person(org=orgs["stripes"], last_name="Fuorigiallo")
    client.force_login(make_officer(orgs["solco"]))
    body = client.get(reverse("hr:dashboard")).content.decode()
    assert "Mioverde" in body and "Altrorosso" in body and "Fuorigiallo" not in body


def test_area_is_closed_to_others(client, orgs, make_person):
    url = reverse("hr:dashboard")
    assert client.get(url).status_code == 302
    member = make_person(org=orgs["gamma"])
    client.force_login(member.user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("hr:export_report", args=["xlsx"])).status_code == 403


def test_attachment_served_only_in_scope(client, orgs, make_officer, make_person, external, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    person = make_person(org=orgs["gamma"])
    training = external(person, on=datetime.date(2025, 1, 10))
    training.attachment.save("attestato.pdf", ContentFile(b"%PDF-1.4 test"))
    assert str(tmp_path) in training.attachment.path
    url = reverse("hr:external_attachment", args=[training.pk])
    client.force_login(make_officer(orgs["nazareth"]))
    assert client.get(url).status_code == 404
    client.force_login(make_officer(orgs["gamma"]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]


def test_officer_registers_own_staff_through_the_service(client, orgs, make_officer, make_person, make_course):
    from academy.registrations.models import Registration

    course = make_course(days=(10,))
    mine = make_person(org=orgs["gamma"])
    officer = make_officer(orgs["gamma"])
    client.force_login(officer)
    response = client.post(reverse("hr:register", args=[mine.pk]), {"course": course.pk})
    assert response.status_code == 302
    registration = Registration.objects.get(person=mine, course=course)
    assert registration.status == Registration.Status.CONFIRMED and registration.registered_by == officer
    # A second attempt is refused by the service, shown as a message, and creates nothing.
    response = client.post(reverse("hr:register", args=[mine.pk]), {"course": course.pk}, follow=True)
    assert Registration.objects.filter(person=mine, course=course).count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])
