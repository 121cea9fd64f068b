"""What the engine (``load_compliance``) feeds the rule from the database: the start of the employment, job
or designated role; the risk class of the person's own job; what an external attestato covered (module,
frame); Annex III credits between roles. Each test changes one input and checks the answer moves."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from academy.competences.engine import load_compliance
from academy.competences.external import record_external_training
from academy.competences.mandatory import COMPLIANT, DUE, OVERDUE
from academy.network.models import Person
from academy.obligations import services
from academy.obligations.models import Designation, Obligation, RiskProfile

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def gamma(site, member_org):
    RiskProfile.objects.create(organisation=member_org, risk_class="medium", first_aid_group="B")
    return member_org


def items(person) -> dict:
    answer = load_compliance(Person.objects.filter(pk=person.pk), today=TODAY)
    return {i.obligation.code: i for i in answer.for_person(person.pk).obligations}


def attestato(person, code: str, on: datetime.date, hours, **extra):
    return record_external_training(person, by=None, obligation=Obligation.objects.get(code=code),
                                    title="Corso esterno", date=on, hours=Decimal(str(hours)),
                                    delivery_mode=extra.pop("mode", "classroom"), **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(("offset", "status"), [(1, DUE), (0, DUE), (-1, OVERDUE)])
def test_a_new_hire_is_due_until_the_day_of_hire_then_overdue(gamma, make_person, offset, status):
    person = make_person(org=gamma)
    services.set_employment(person, hired_on=TODAY + offset * DAY)
    worker = items(person)["workers-medium"]
    assert worker.status == status and worker.deadline == TODAY + offset * DAY


@pytest.mark.django_db
def test_without_a_start_date_untrained_is_overdue(gamma, make_person):
    worker = items(make_person(org=gamma))["workers-medium"]
    assert worker.status == OVERDUE and worker.deadline is None


@pytest.mark.django_db
def test_a_change_of_job_starts_the_job_roles_training(gamma, make_person):
    services.map_job_role(gamma, "Coordinatrice", "supervisor")
    person = make_person(org=gamma, job_role="Coordinatrice")
    services.set_employment(person, hired_on=TODAY - 400 * DAY, job_since=TODAY + 20 * DAY)
    found = items(person)
    assert found["supervisors"].status == DUE and found["supervisors"].deadline == TODAY + 20 * DAY
    # the worker's course was due at hire (the earlier start, conservative)
    assert found["workers-medium"].status == OVERDUE


@pytest.mark.django_db
def test_a_designation_starts_on_its_date(gamma, make_person):
    person = make_person(org=gamma)
    Designation.objects.create(person=person, role="first_aider", since=TODAY + 5 * DAY)
    aid = items(person)["first-aid-bc"]
    assert aid.status == DUE and aid.deadline == TODAY + 5 * DAY
    Designation.objects.filter(person=person).update(since=TODAY - DAY)
    assert items(person)["first-aid-bc"].status == OVERDUE


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "code", "hours"), [("", "workers-medium", 12), ("low", "workers-low", 8),
                                                    ("high", "workers-high", 16)])
def test_the_jobs_own_risk_class_sets_the_workers_course(gamma, make_person, own, code, hours):
    person = make_person(org=gamma)
    services.set_employment(person, risk_class=own)
    found = items(person)
    assert [c for c in found if c.startswith("workers-")] == [code]
    assert found[code].missing == hours


@pytest.mark.django_db
def test_elearning_counts_for_a_low_risk_job_only(gamma, make_person):
    person = make_person(org=gamma)
    services.set_employment(person, risk_class="low")
    attestato(person, "workers-low", TODAY - 30 * DAY, 8, mode="elearning")
    assert items(person)["workers-low"].status == COMPLIANT


@pytest.mark.django_db
def test_a_general_module_moves_with_the_worker_but_not_the_specific(gamma, make_person):
    person = make_person(org=gamma)
    services.set_employment(person, risk_class="low")
    attestato(person, "workers-low", TODAY - 60 * DAY, 4, module="general")
    attestato(person, "workers-low", TODAY - 50 * DAY, 4, module="specific")
    assert items(person)["workers-low"].status == COMPLIANT
    services.set_employment(person, risk_class="high", job_since=TODAY - 10 * DAY)
    high = items(person)["workers-high"]
    assert high.status == OVERDUE and high.missing == 12  # 16 less the general module's 4


@pytest.mark.django_db
def test_the_frame_on_the_attestato_decides_the_hours_needed(gamma, make_person, settings):
    settings.ASR_2025_ENTRY_INTO_FORCE = TODAY - 100 * DAY  # a 2011-rules course may still end now
    Designation.objects.create(person=(person := make_person(org=gamma)), role="supervisor")
    attestato(person, "supervisors", TODAY - 10 * DAY, 8, legal_frame="2011")
    assert items(person)["supervisors"].status == COMPLIANT
    person.external_training.update(legal_frame="2025")
    assert items(person)["supervisors"].status == OVERDUE


@pytest.mark.django_db
def test_annex_III_the_employers_course_credits_the_managers_and_the_workers_course(gamma, make_person):
    person = make_person(org=gamma)
    Designation.objects.create(person=person, role="employer")
    Designation.objects.create(person=person, role="manager")
    attestato(person, "employers", TODAY - 30 * DAY, 16)
    found = items(person)
    assert found["managers"].status == COMPLIANT and found["managers"].last_done == TODAY - 30 * DAY
    assert found["workers-medium"].status == COMPLIANT  # general TOTALE, specific TOTALE* (holds the role)
    assert any("Allegato III" in v.credit.source for v in found["managers"].verdicts if v.counted)


@pytest.mark.django_db
def test_annex_III_same_firm_credit_needs_the_role(gamma, make_person):
    person = make_person(org=gamma)
    attestato(person, "managers", TODAY - 30 * DAY, 12)  # a manager's course, no longer a manager here
    worker = items(person)["workers-medium"]
    assert worker.status == OVERDUE and worker.missing == 8  # only the general module (4 h) is credited


@pytest.mark.django_db
def test_annex_III_supervisors_course_credits_nothing(gamma, make_person):
    person = make_person(org=gamma)
    Designation.objects.create(person=person, role="supervisor")
    attestato(person, "supervisors", TODAY - 30 * DAY, 12)
    assert items(person)["workers-medium"].status == OVERDUE


@pytest.mark.django_db
def test_employment_is_in_the_persons_data_export_and_bad_input_is_refused(gamma, make_person):
    from academy.obligations.privacy import export_mandatory_training

    person = make_person(org=gamma)
    services.set_employment(person, hired_on=TODAY - 10 * DAY, risk_class="low")
    assert {"employed_since": TODAY - 10 * DAY, "job_since": None, "job_risk_class": "low"} in \
        export_mandatory_training(person)
    with pytest.raises(ValueError):
        services.set_employment(person, risk_class="extreme")
    with pytest.raises(ValueError):
        services.set_employment(person, hired_on=TODAY, job_since=TODAY - DAY)
