"""Schemathesis against the live server: every operation of the published schema, with generated
parameters and bodies, as a member, an HR officer, staff (each with a write token) and anonymously.
No answer may be a server error, and every answer (errors included: RFC 9457 problems) must be the one
the schema declares — status code, content type, body and headers.

Failures are collected rather than raised at the first one (no shrinking), so one run lists them all
within a fixed number of requests: ``EXAMPLES`` per operation and visitor."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from academy.api import tokens
from academy.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from academy.attendance.services import record_minutes
from academy.network.models import HROfficer
from academy.registrations.models import Registration
from certificates.services import issue_certificate
from tests.security.conftest import move_into_the_past

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=True)]

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture
def visitors(site, make_course, make_person, staff_user):
    """Write tokens of a member (registered, with a certificate), an HR officer, staff; and nobody."""
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    member = make_person(org=gamma)
    officer = make_person(org=gamma)
    HROfficer.objects.create(user=officer.user, organisation=gamma)
    past = make_course(days=(-3,), minutes=60)
    move_into_the_past(past)
    Registration.objects.create(course=past, person=member, status=Registration.Status.CONFIRMED)
    record_minutes(past.sessions.get(), member, 60, "checkin")
    issue_certificate(past, member)
    make_course(capacity=1, english=True)

    def token(user) -> tuple[int, str]:
        made, secret = tokens.create_personal_token(user, name="schemathesis", scope="write", days=1)
        return made.pk, secret

    return {"member": token(member.user), "hr officer": token(officer.user), "staff": token(staff_user),
            "anonymous": (None, None)}


def forget_rate_limits(token_id: int | None) -> None:
    """Each operation starts with a fresh rate-limit window: the limits themselves are tested elsewhere,
    and 11 operations x ``EXAMPLES`` anonymous calls would otherwise meet the per-address limit."""
    if token_id is None:
        key = AnonymousRateThrottle.cache_format % {"scope": AnonymousRateThrottle.scope, "ident": "127.0.0.1"}
    else:
        key = TokenRateThrottle.cache_format % {"scope": TokenRateThrottle.scope, "ident": token_id}
    cache.delete(key)


def exercise(operation, base_url: str, role: str, token: str | None, failures: list[str],
             statuses: set[int]) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck),
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=10)
        statuses.add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis failures (a group): collect, go on
            found = [line.strip() for line in str(exc).splitlines() if line.strip().startswith("- ST")]
            failures.append(f"{role}: {case.method} {operation.path} -> {response.status_code} {found}: "
                            f"{case.formatted_path} {str(exc).strip()[:600]}")

    run()


def test_every_operation_answers_as_the_schema_says_for_every_role(live_server, visitors):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    statuses: dict[str, set[int]] = {role: set() for role in visitors}
    for operation in operations:
        for role, (token_id, token) in visitors.items():
            forget_rate_limits(token_id)
            exercise(operation, live_server.url, role, token, failures, statuses[role])
    kinds = sorted({failure.split(": ", 2)[0] + ": " + failure.split(": ", 2)[1] for failure in failures})
    assert all(200 in seen for seen in statuses.values()), statuses  # every visitor got real answers
    assert 401 in statuses["anonymous"] and 429 not in set().union(*statuses.values())
    assert failures == [], "\n".join(kinds) + "\n\n" + "\n\n".join(failures[:5])
