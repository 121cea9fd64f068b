"""Every URL of the project, requested by people who are not entitled to what it shows.

The sweep walks the resolver (language-prefixed patterns included, and the project's own Wagtail admin
views), fills the path parameters with the ids, codes and tokens of real objects, and requests each URL
as an anonymous visitor, a non-member, a member not involved, another cooperative's HR officer and a
trainer of another course. Every URL must be classified in ``ACCESS``: a new view fails
``test_every_url_is_classified`` until someone decides who may see it.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from academy.core.second_factor import requires_second_factor
from tests.second_factor import PASSWORD, enrol_totp

PUBLIC = "public"  # anyone, including anonymous visitors
ACCOUNT = "account"  # any logged-in user, about their own data only
HR = "hr"  # HR officers (scoped to their organisations inside the view)
TRAINER = "trainer"  # people with a trainer profile (their own courses only)
INSPECTOR = "inspector"  # a funded plan's inspector (their own plan only, scoped inside the view)
PLAN = "plan"  # a funded plan's responsible person (their own plan and its learners only, scoped inside)
RESTRICTED = "restricted"  # the object's person, its trainers, or staff: none of the sweep's viewers

ACCESS: dict[str, str] = {
    # public pages, feeds and account entry points
    "healthz": PUBLIC,
    "favicon": PUBLIC,  # a redirect to the static icon
    "readyz": PUBLIC,
    "metrics": RESTRICTED,  # Prometheus text: METRICS_TOKEN bearer, or staff (tests/core/test_metrics.py)
    "set_language": PUBLIC,
    "wagtail_serve": PUBLIC,  # home, programme, course pages, case-study library (page privacy is Wagtail's)
    "wagtailcore_login": PUBLIC,
    "wagtailcore_authenticate_with_password": PUBLIC,
    "wagtaildocs_serve": PUBLIC,  # CMS documents (collection privacy is Wagtail's)
    "wagtaildocs_authenticate_with_password": PUBLIC,
    "media": PUBLIC,  # DEBUG-only static serving of public media; private files live under PRIVATE_ROOT
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:signup": PUBLIC,
    "accounts:verify": PUBLIC,
    "accounts:roster_claim": PUBLIC,  # the signed link e-mailed to the listed address is the credential
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "calendar:course": PUBLIC,
    "calendar:programme": PUBLIC,
    "calendar:area": PUBLIC,
    "certificates:verify": PUBLIC,
    "certificates:verify_code": PUBLIC,
    # any logged-in user, about themselves
    "my_academy": ACCOUNT,
    "landing": ACCOUNT,  # a redirect to the person's own area (cms.areas)
    "registrations:register": ACCOUNT,
    "registrations:my_data": ACCOUNT,
    "registrations:erase": ACCOUNT,
    "accounts:membership_request": ACCOUNT,
    "masterclass:apply": ACCOUNT,
    "materials:my_materials": ACCOUNT,
    # role areas
    "hr:dashboard": HR,
    "hr:export_report": HR,
    "hr:attendance_register": HR,
    "hr:import": HR,
    "hr:import_job": RESTRICTED,  # the officer who started the import, or staff
    "hr:obligations": HR,  # the officer's own organisations only (404 for others)
    "hr:plan": HR,  # courses that satisfy an obligation and the officer's own people (scoped in the view)
    "accounts:roster_import": HR,
    "accounts:tenants": HR,  # the officer's own organisations only
    "academy_tenants": RESTRICTED,
    "academy_tenant_decide": RESTRICTED,
    "materials:trainer_home": TRAINER,
    "funding:inspector_home": INSPECTOR,
    # objects of someone else
    "registrations:cancel": RESTRICTED,
    "registrations:calendar": RESTRICTED,
    "registrations:registrants": RESTRICTED,
    "hr:person": RESTRICTED,
    "hr:add_external": RESTRICTED,
    "hr:add_mandatory": RESTRICTED,
    "hr:employment": RESTRICTED,
    "hr:register": RESTRICTED,
    "hr:external_attachment": RESTRICTED,
    "attendance:session_checkin": RESTRICTED,
    "attendance:checkin_token": RESTRICTED,
    "certificates:pdf": RESTRICTED,
    "certificates:badge_json": RESTRICTED,
    "certificates:badge_jwt": RESTRICTED,
    "certificates:course_zip": RESTRICTED,
    "materials:material": RESTRICTED,
    "materials:upload": RESTRICTED,
    "materials:delete_material": RESTRICTED,
    "funding:plan": PLAN,  # staff and the plan's responsible person
    "funding:session_register": PLAN,
    "funding:plan_summary": PLAN,
    "funding:declaration": PLAN,
    "funding:inspector_session": INSPECTOR,  # the inspector of the session's plan only
    "funding:inspector_register": INSPECTOR,  # the same, the register as PDF (logged)
    # the project's own Wagtail admin views (staff only)
    "academy_membership_requests": RESTRICTED,
    "academy_membership_decide": RESTRICTED,
    "academy_roster_claims": RESTRICTED,
    "academy_roster_claim_decide": RESTRICTED,
    "academy_import_organisations": RESTRICTED,
    "academy_import_roster": RESTRICTED,
    "academy_registrations:add": RESTRICTED,
    "academy_registrations:delete": RESTRICTED,
    "academy_registrations:edit": RESTRICTED,
    "academy_registrations:history": RESTRICTED,
    "academy_registrations:history_results": RESTRICTED,
    "academy_registrations:index": RESTRICTED,
    "academy_registrations:index_results": RESTRICTED,
    "academy_registrations:inspect": RESTRICTED,
    "academy_registrations:usage": RESTRICTED,
    "academy_course_registrations": RESTRICTED,
    "academy_course_list": RESTRICTED,
    "academy_course_operations": RESTRICTED,
    "academy_registration_action": RESTRICTED,
    "academy_outbox:add": RESTRICTED,
    "academy_outbox:delete": RESTRICTED,
    "academy_outbox:edit": RESTRICTED,
    "academy_outbox:history": RESTRICTED,
    "academy_outbox:history_results": RESTRICTED,
    "academy_outbox:index": RESTRICTED,
    "academy_outbox:index_results": RESTRICTED,
    "academy_outbox:inspect": RESTRICTED,
    "academy_outbox:usage": RESTRICTED,
    "academy_outbox_requeue": RESTRICTED,
    "webinars_teams_import": RESTRICTED,
    "webinars_teams_resolve": RESTRICTED,
    "masterclass_applications:index": RESTRICTED,
    "masterclass_applications:index_results": RESTRICTED,
    "masterclass_applications:add": RESTRICTED,
    "masterclass_applications:edit": RESTRICTED,
    "masterclass_applications:delete": RESTRICTED,
    "masterclass_applications:history": RESTRICTED,
    "masterclass_applications:history_results": RESTRICTED,
    "masterclass_applications:usage": RESTRICTED,
    "masterclass_applications:inspect": RESTRICTED,
    "masterclass_applications:decide": RESTRICTED,
    "certificates_admin": RESTRICTED,
    "certificates_admin_course": RESTRICTED,
    "certificates_admin_issue": RESTRICTED,
    "certificates_admin_action": RESTRICTED,
}
# Sign in with Microsoft and second factors (django-allauth, mounted at /auth/ by academy.network.sso.urls).
ACCESS.update({name: PUBLIC for name in (
    "account_login", "account_signup", "account_logout", "account_inactive", "openid_connect_login",
    "openid_connect_callback", "socialaccount_login_cancelled", "socialaccount_login_error",
    "socialaccount_signup", "mfa_authenticate")})  # the last two only continue a sign-in in progress
ACCESS.update({name: ACCOUNT for name in (
    "account_reauthenticate", "mfa_index", "mfa_reauthenticate", "mfa_activate_totp", "mfa_deactivate_totp",
    "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_download_recovery_codes", "mfa_list_webauthn",
    "mfa_add_webauthn", "mfa_reauthenticate_webauthn", "socialaccount_connections")})
ACCESS.update({"mfa_remove_webauthn": RESTRICTED, "mfa_edit_webauthn": RESTRICTED})  # one's own passkeys only
# The Teams lists are Wagtail viewsets: every view of each (staff-only policy) is swept.
ACCESS.update({f"webinars_teams_{name}:{view}": RESTRICTED
               for name in ("meetings", "unmatched", "aliases", "operations", "accounts")
               for view in ("index", "index_results", "add", "edit", "delete", "history", "history_results", "usage")})
ACCESS.update({"webinars_teams_meetings:inspect": RESTRICTED, "webinars_teams_operations:inspect": RESTRICTED})
# Evaluation: the questionnaire and test are the course's participants', results its trainers' and staff's;
# the admin lists (questionnaires, course settings and tests, attempts) are staff-only viewsets.
ACCESS.update({"evaluation:questionnaire": RESTRICTED, "evaluation:test": RESTRICTED, "evaluation:results": RESTRICTED,
               "evaluation:results_export": RESTRICTED, "evaluation:trainer_results": TRAINER})
ACCESS.update({f"evaluation_{name}:{view}": RESTRICTED
               for name in ("questionnaires", "courses", "attempts")
               for view in ("index", "index_results", "add", "edit", "delete", "history", "history_results", "usage")})
ACCESS.update({"evaluation_attempts:inspect": RESTRICTED})
# Funded training's admin: the plans (editable), inspector accesses and their log (read-only), two actions.
ACCESS.update({f"funding_{name}:{view}": RESTRICTED
               for name in ("plans", "inspectors", "inspector_log")
               for view in ("index", "index_results", "add", "edit", "delete", "history", "history_results", "usage")})
ACCESS.update({"funding_plans:inspect": RESTRICTED, "funding_plan_files": RESTRICTED,
               "funding_new_inspector": RESTRICTED})

# The API (token authentication only: a browser session gets 401) and the tokens page. The API itself is
# swept per token in tests/security/test_api_sweep.py.
ACCESS.update({"api:schema": PUBLIC, "api:docs": PUBLIC, "api:courses": PUBLIC, "api:course": PUBLIC,
               "api:areas": PUBLIC, "api:my_registrations": ACCOUNT, "api:my_certificates": ACCOUNT,
               "api:cancel": RESTRICTED, "api:hr_people": HR, "api:hr_person": RESTRICTED,
               "api:hr_certificates": HR, "api:staff_registrations": RESTRICTED, "api:staff_attendance": RESTRICTED,
               "api:hr_compliance": HR, "api:hr_person_compliance": RESTRICTED, "api:hr_external_training": HR,
               "api:funding_plans": RESTRICTED, "api:funding_plan": RESTRICTED,
               "api:funding_session_register": RESTRICTED,
               "api_tokens:list": ACCOUNT, "api_tokens:revoke": RESTRICTED,
               "api_tokens:webhooks": HR, "api_tokens:webhook_action": RESTRICTED})

ENTITLED_ROLES = {
    PUBLIC: {"anonymous", "non-member", "member not involved", "other cooperative's HR officer",
             "trainer of another course", "editor", "moderator", "inspector of another plan",
             "responsible person of another plan"},
    ACCOUNT: {"non-member", "member not involved", "other cooperative's HR officer", "trainer of another course",
              "editor", "moderator", "inspector of another plan", "responsible person of another plan"},
    HR: {"other cooperative's HR officer"},
    TRAINER: {"trainer of another course"},
    INSPECTOR: {"inspector of another plan"},
    PLAN: {"responsible person of another plan"},
    RESTRICTED: set(),
}

# Wagtail's own admin (pages, images, users, ...) is Wagtail's business; the project's admin views are
# found by the route prefixes of its ``register_admin_urls`` hooks.
PROJECT_ADMIN_PREFIXES = ("admin/academy/", "admin/teams/", "admin/masterclass/")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join(filter(None, [namespace, pattern.name or ""])), pattern


def project_urls() -> list[tuple[str, str, URLPattern]]:
    """(route, name, pattern) of every URL the sweep covers."""
    found = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and not route.startswith(PROJECT_ADMIN_PREFIXES):
            continue
        if route.startswith("^media/"):
            name = "media"
        found.append((route, name, pattern))
    return found


def test_every_url_is_classified():
    """A new URL must be added to ACCESS (and so swept) before it can ship."""
    names = {name for _route, name, _p in project_urls()}
    unclassified = sorted(names - set(ACCESS))
    assert not unclassified, f"URLs nobody has classified as public or protected: {unclassified}"
    stale = sorted(set(ACCESS) - names - {"media"})  # media is served only when DEBUG was on at import
    assert not stale, f"ACCESS lists URLs that no longer exist: {stale}"
    admin_names = {name for route, name, _p in project_urls() if route.startswith("admin/")}
    assert len(admin_names) >= 60, admin_names  # the hooks' views (and viewsets) were found


def _candidates(world, name: str, route: str) -> list[dict]:
    """Path parameter values for one URL: every combination of the world's relevant objects."""
    session_ids = [world.course.sessions.first().pk, world.masterclass.sessions.first().pk,
                   world.past_course.sessions.first().pk]
    course_ids = [world.past_course.pk, world.course.pk, world.masterclass.pk]
    pk = {
        "academy_membership_decide": [world.membership_request.pk],
        "academy_registration_action": [world.registration.pk, world.past_registration.pk],
        "webinars_teams_resolve": [world.unmatched.pk],
        "masterclass_applications:decide": [world.application.pk],
        "masterclass_applications:inspect": [world.application.pk],
        "certificates_admin_action": [world.certificate.pk],
        "materials:material": [world.material.pk],
        "materials:delete_material": [world.material.pk],
        **{f"funding_plans:{view}": [world.plan.pk] for view in ("edit", "delete", "inspect", "history", "usage")},
    }
    values = {
        "course_id": course_ids, "page_id": course_ids, "session_id": session_ids,
        "registration_id": [world.registration.pk, world.past_registration.pk],
        "person_id": [world.registrant.pk], "training_id": [world.training.pk],
        "code": [world.certificate.code], "fmt": ["pdf", "xlsx"] if name.startswith("funding:") else ["csv", "xlsx"], "kind": ["roster", "external"],
        "entry": ["obligation", "ecm"],
        "area": ["educazione"], "pk": pk.get(name, [1]),
        "action": ["revoke", "reissue", "confirm", "cancel", "accept", "reject"],
        "token": [world.checkin_token] if name == "attendance:checkin_token" else ["not-a-token"],
        "uidb64": ["MQ"], "page_view_restriction_id": [1], "restriction_id": [1], "plan_id": [world.plan.pk, world.other_plan.pk],
        "job_id": [_import_job(world).pk] if name == "hr:import_job" else [],
        "provider_id": ["microsoft"],
        "token_id": [1], "endpoint_id": [1], "obligation_id": [1],
    }
    params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    keys = [a or b for a, b in params]
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(values[k] for k in keys))]


def _import_job(world):
    """A finished import by staff whose report names the registrant (as an officer's typo would)."""
    from academy.competences.models import ImportJob

    return ImportJob.objects.get_or_create(kind=ImportJob.Kind.ROSTER, created_by=world.staff, defaults={
        "status": ImportJob.Status.DONE, "total": 2,
        "report": {"created": 0, "updated": 0, "pending": 0, "errors": [[2, f"e-mail: {world.registrant.email}"]]},
    })[0]


def _urls(world) -> list[tuple[str, str]]:
    urls = []
    for route, name, _pattern in project_urls():
        if name == "wagtail_serve":
            for page in (world.course, world.masterclass, world.past_course, world.course.get_parent()):
                urls.append((name, page.url))
            urls.append((name, "/it/"))
            continue
        if name == "wagtaildocs_serve":
            urls.append((name, "/documents/999/missing.pdf"))
            continue
        if name == "media":
            urls.append((name, "/media/nothing-here.txt"))
            continue
        for kwargs in _candidates(world, name, route):
            urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


def unfold(text: str) -> str:
    """Undo iCalendar line folding (RFC 5545 §3.1), which would otherwise hide a long join URL."""
    return re.sub(r"\r?\n[ \t]", "", text)


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302):
        return False
    path = urlsplit(response["Location"]).path
    # Django's LocaleMiddleware answers a 404 outside the language prefix with a redirect into it (an
    # admin object that does not exist, for a user who may open the admin): still a refusal.
    not_found = path == "/" + (response.wsgi_request.LANGUAGE_CODE or "it") + response.wsgi_request.path
    # The second-factor gate sends a role without a proved factor to prove or enrol one, and allauth's
    # pages that change a factor ask for the password again first: also refusals.
    return (path.endswith("/accounts/login/") or path.startswith("/admin/login/") or path == "/admin/"
            or path.startswith("/auth/2fa/") or path in (reverse("account_login"), reverse("account_reauthenticate"))
            or not_found)


def readable_text(response) -> str:
    """What a person reads in the response: PDFs and XLSX files are compressed, so their text is extracted
    (a secret inside a register would otherwise go unseen)."""
    from certificates.rendering.pdf import extract_text

    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"%PDF"):
        return extract_text(body)
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist()
                             if n.endswith((".xml", ".csv", ".json", ".txt")))
    return body.decode("utf-8", errors="replace")


def _check(response, viewer: str, name: str, url: str, world, problems: list[str]) -> None:
    status = response.status_code
    where = f"{viewer} {response.request['REQUEST_METHOD']} {url} ({name}) → {status}"
    if status >= 500:
        problems.append(f"server error: {where}")
        return
    access = ACCESS[name]
    if viewer not in ENTITLED_ROLES[access]:
        # A method the view does not take (405) runs nothing; its other method is swept too (the body is
        # still searched for secrets below).
        wrong_method = status == 405
        if not (status in (401, 403, 404) or wrong_method or _is_login_redirect(response)):
            problems.append(f"not refused: {where}")
    text = unfold(readable_text(response))
    for label, secret in world.secrets.items():
        if secret in url:  # the viewer typed it: echoing it back reveals nothing
            continue
        if secret in text or secret in response.get("Location", ""):
            problems.append(f"{label} leaked: {where}")


def _sign_in(client, user) -> None:
    """Sign ``user`` in; a role that needs a second factor enrols and proves one (allauth's pages)."""
    client.force_login(user)
    if requires_second_factor(user):
        user.set_password(PASSWORD)  # inspectors' passwords are random: the reauthentication asks for it
        user.save(update_fields=["password"])
        client.force_login(user)
        enrol_totp(client)


@pytest.fixture
def second_factor_enforced(settings):
    settings.ACADEMY_SECOND_FACTOR_ENFORCED = True


def test_sweep_nobody_unentitled_gets_in_or_sees_personal_data(funded_world, second_factor_enforced):
    world = funded_world
    urls = _urls(world)
    assert len(urls) > 60
    problems: list[str] = []
    with translation.override("it"):
        for viewer, user in world.viewers.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                _sign_in(client, user)
            for name, url in urls:
                if name in ("accounts:logout", "set_language"):
                    continue  # would log the viewer out / are plain public redirects
                _check(client.get(url), viewer, name, url, world, problems)
                if ACCESS[name] != PUBLIC:
                    _check(client.post(url, {}), viewer, name, url, world, problems)
    assert not problems, "\n".join(problems)


def test_sweep_controls_entitled_people_do_see_their_data(funded_world, client, second_factor_enforced):
    world = funded_world
    """The sweep's secrets are real: the people entitled to them do get them (so the sweep can fail)."""
    client.force_login(world.registrant.user)
    assert JOIN_URL_IN(client.get(reverse("registrations:calendar", args=[world.registration.pk])))
    data = client.get(reverse("registrations:my_data")).content.decode()
    assert world.registrant.email in data and world.certificate.code in data
    assert client.get(reverse("certificates:pdf", args=[world.certificate.code])).status_code == 200
    _sign_in(client, world.staff)
    page = client.get(reverse("registrations:registrants", args=[world.course.pk])).content.decode()
    assert world.registrant.email in page
    client.force_login(world.trainer_user)
    page = client.get(reverse("registrations:registrants", args=[world.course.pk])).content.decode()
    assert "Segreto" in page and world.registrant.email not in page
    client.logout()
    _sign_in(client, world.inspector_user)  # the plan's own inspector sees its live register
    session = world.past_course.sessions.first()
    page = client.get(reverse("funding:inspector_session", args=[session.pk])).content.decode()
    assert "Mario Segreto" in page


def JOIN_URL_IN(response) -> bool:  # noqa: N802 - reads as a phrase
    from .conftest import JOIN_URL

    return response.status_code == 200 and JOIN_URL in unfold(response.content.decode())
