"""An HR officer sets the risk class of their cooperative and maps job roles, only for their own."""

from __future__ import annotations

from django.urls import reverse

from academy.obligations.models import JobRoleMapping, RiskProfile


def test_officer_sets_risk_profile_and_maps_job_roles(site, client, make_officer, member_org):
    client.force_login(make_officer(member_org))
    url = reverse("hr:obligations")
    assert client.get(url, {"organisation": member_org.pk}).status_code == 200
    response = client.post(url, {"organisation": member_org.pk, "action": "profile", "risk_class": "high",
                                 "fire_level": "2", "first_aid_group": "B", "sector": "residential_care",
                                 "workforce": "15-50", "everyone_is_worker": "on"})
    assert response.status_code == 302
    profile = RiskProfile.objects.get(organisation=member_org)
    assert (profile.risk_class, profile.fire_level, profile.first_aid_group) == ("high", "2", "B")
    # the sector brings module B-SP4 to its RSPP, the workforce the RLS's yearly 4 hours (ASR Part II 5.3;
    # D.Lgs. 81/2008 art. 37 c. 11)
    assert profile.tokens >= {"sector:residential_care", "staff:15-50"}
    client.post(url, {"organisation": member_org.pk, "action": "add_mapping", "job_role": " Coordinatore ",
                      "role": "supervisor"})
    mapping = JobRoleMapping.objects.get(organisation=member_org)
    assert (mapping.job_role, mapping.role) == ("Coordinatore", "supervisor")
    assert "Coordinatore" in client.get(url).content.decode()
    client.post(url, {"organisation": member_org.pk, "action": "delete_mapping", "mapping": mapping.pk})
    assert not JobRoleMapping.objects.exists()


def test_officer_cannot_touch_another_cooperative(site, client, make_officer, member_org):
    other = site.organisations["Cooperativa Nazareth"]
    client.force_login(make_officer(member_org))
    url = reverse("hr:obligations")
    assert client.get(url, {"organisation": other.pk}).status_code == 404
    assert client.post(url, {"organisation": other.pk, "action": "profile", "risk_class": "low"}).status_code == 404
    assert not RiskProfile.objects.filter(organisation=other).exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_officer_records_mandatory_training_and_ecm_for_own_staff_only(site, client, make_officer, make_person,
                                                                      member_org):
    from academy.competences.models import ExternalTraining
    from academy.obligations.models import Obligation

    worker = make_person()
    outsider = make_person(org=site.organisations["Cooperativa Nazareth"])
    client.force_login(make_officer(member_org))
    supervisors = Obligation.objects.get(code="supervisors")
    data = {"obligation": supervisors.pk, "title": "Corso preposti", "provider": "Ente", "date": "2025-03-01",
            "hours": "12", "delivery_mode": "videoconference", "attestato_reference": "A-77"}
    url = reverse("hr:add_mandatory", args=[worker.pk, "obligation"])
    assert client.post(url, data).status_code == 302
    training = ExternalTraining.objects.get(person=worker, obligation__isnull=False)
    assert (training.obligation, training.hours, training.delivery_mode) == (supervisors, 12, "videoconference")
    assert client.post(reverse("hr:add_mandatory", args=[outsider.pk, "obligation"]), data).status_code == 404
    ecm = {"provider": "Provider", "ecm_provider_id": "12", "ecm_event_id": "9-1", "credits": "8", "date": "2026-02-01"}
    client.post(reverse("hr:add_mandatory", args=[worker.pk, "ecm"]), ecm)
    ecm_row = ExternalTraining.objects.get(person=worker, ecm_event_id="9-1")
    assert (ecm_row.credits, ecm_row.hours) == (8, 0)  # ECM credits are not hours
