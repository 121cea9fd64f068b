"""HR exports and imports with tablib (the engine under django-import-export).

Exports: the staff training report (XLSX: staff, training and compliance sheets; CSV: the compliance
sheet, one row per person and obligation or requirement) and a course's attendance register as used to
report funded training.

Imports (staff rosters, external training) are atomic: every row is validated first, every bad row
is reported with its line number (line 1 is the header) and reason, and nothing is written unless
all rows are good.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.attendance.models import AttendanceRecord
from academy.attendance.services import combine
from academy.core.tabular import ImportReport, TabularFileError, parse_cell_date, read_upload
from academy.courses.models import CoursePage
from academy.network.models import Organisation, Person
from academy.obligations.models import DeliveryMode
from academy.registrations.models import Registration

from .compliance import Period
from .engine import item_text, status_label
from .models import Competence, ExternalTraining
from .records import TrainingRecord


def _hours(value: Decimal) -> float:
    return float(value)


# --- exports ----------------------------------------------------------------------------------------


def staff_report(records: dict[int, TrainingRecord], period: Period) -> tablib.Databook:
    """The staff training report, every figure from the engine's answer in the records: a staff sheet
    (one row per person: hours, overall status, hours missing, what to do), a training sheet (one row per
    training in the period) and a compliance sheet (one row per person and obligation or requirement:
    status, deadline, hours or credits missing, planned course). The CSV export is the compliance sheet."""
    summary = tablib.Dataset(title=_("Staff"), headers=[
        _("Last name"), _("First name"), _("Organisation"), _("Job role"), _("Codice fiscale"),
        _("Hours in period"), _("Trainings in period"), _("Total hours"), _("Competences"), _("Status"),
        _("Hours missing"), _("To do"),
    ])
    detail = tablib.Dataset(title=_("Training"), headers=[
        _("Last name"), _("First name"), _("Organisation"), _("Type"), _("Title"), _("Provider"),
        _("Date"), _("Hours"), _("ECM credits"), _("Obligation"), _("Delivery mode"), _("Competences"),
        _("Certificate"),
    ])
    modes = dict(DeliveryMode.choices)
    for record in records.values():
        person = record.person
        org = person.organisation.name if person.organisation else ""
        summary.append([
            person.last_name, person.first_name, org, person.job_role, person.fiscal_code,
            _hours(record.hours), len(record.period_entries), _hours(record.total_hours),
            "; ".join(c.display_name for c in record.competences), status_label(record.status),
            _hours(record.compliance.hours_missing), "; ".join(item_text(i) for i in record.to_act),
        ])
        for entry in record.period_entries:
            detail.append([
                person.last_name, person.first_name, org,
                _("External") if entry.is_external else _("Academy course"), entry.title, entry.provider,
                entry.date, _hours(entry.hours), _hours(entry.credits) if entry.credits is not None else "",
                entry.obligation, str(modes.get(entry.delivery_mode, "")),
                "; ".join(c.display_name for c in entry.competences),
                entry.certificate_code or entry.attestato_reference,
            ])
    return tablib.Databook([summary, detail, compliance_sheet(records)])


def compliance_sheet(records: dict[int, TrainingRecord]) -> tablib.Dataset:
    """One row per person and obligation or requirement (a person with none: one row, compliant)."""
    sheet = tablib.Dataset(title=_("Obligations"), headers=[
        _("Last name"), _("First name"), _("Organisation"), _("Job role"), _("Codice fiscale"), _("Type"),
        _("Obligation or requirement"), _("Legal reference"), _("Status"), _("Last done"), _("Deadline"),
        _("Missing"), _("Unit"), _("Planned course"),
    ])
    kinds = {"obligation": _("Legal obligation"), "requirement": _("Requirement")}
    units = {"hours": _("hours"), "credits": _("ECM credits"), "": ""}
    for record in records.values():
        person = record.person
        head = [person.last_name, person.first_name, person.organisation.name if person.organisation else "",
                person.job_role, person.fiscal_code]
        if not record.items:
            sheet.append([*head, "", "", "", status_label(record.status), "", "", "", "", ""])
        for item in record.items:
            sheet.append([*head, kinds[item.kind], item.title, item.reference, status_label(item.status),
                          item.last_done or "", item.deadline or "",
                          _hours(item.missing) if item.missing is not None else "", units[item.unit],
                          item.planned if item.needs_action else ""])
    return sheet


def combined_minutes(rows: list[tuple[str, int]]) -> int:
    """Minutes of one person at one session from several sources (the one rule lives in
    ``academy.attendance.services.combine``)."""
    return combine(rows)


def attendance_register(course: CoursePage, people: QuerySet[Person]) -> tablib.Dataset:
    """Per course, one row per participant among ``people`` (already scoped by the caller):
    participant, organisation, codice fiscale, minutes at each session (headed by date and times)
    and total hours. Participants are people with a confirmed registration or any attendance."""
    course = course.canonical
    sessions = list(course.sessions.filter(cancelled=False).order_by("starts_at"))
    records = list(AttendanceRecord.objects.filter(session__in=sessions, person__in=people)
                   .values_list("person_id", "session_id", "source", "minutes"))
    registered = set(Registration.objects.filter(course=course, status=Registration.Status.CONFIRMED,
                                                 person__in=people).values_list("person_id", flat=True))
    by_person: dict[int, dict[int, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for person_id, session_id, source, minutes in records:
        by_person[person_id][session_id].append((source, minutes))
    participant_ids = registered | set(by_person)
    participants = people.filter(pk__in=participant_ids).select_related("organisation").order_by(
        "last_name", "first_name", "pk")

    headers = [_("Last name"), _("First name"), _("Organisation"), _("Codice fiscale"), _("E-mail")]
    for session in sessions:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        headers.append(f"{start:%d/%m/%Y} {start:%H:%M}–{end:%H:%M} ({_('minutes')})")
    headers += [_("Total minutes"), _("Total hours"), _("Planned minutes")]
    data = tablib.Dataset(headers=headers, title=_("Attendance register")[:31])
    planned = sum(s.planned_minutes for s in sessions)
    for person in participants:
        per_session = [combined_minutes(by_person[person.pk].get(s.pk, [])) for s in sessions]
        total = sum(per_session)
        data.append([person.last_name, person.first_name,
                     person.organisation.name if person.organisation else "", person.fiscal_code,
                     person.email, *per_session, total, round(total / 60, 2), planned])
    return data


# --- imports ----------------------------------------------------------------------------------------


ImportResult = ImportReport  # the one import-report shape (``academy.core.tabular``)
ImportFileError = TabularFileError


def read_table(upload):
    """A dataset from an uploaded CSV or XLSX file (see ``academy.core.tabular.read_table``)."""
    return read_upload(upload)


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_hours(value) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number of hours.") % {"value": text}) from None
    if not hours.is_finite() or hours <= 0 or hours > 1000:
        raise ValidationError(_("Hours must be between 0 and 1000."))
    return hours.quantize(Decimal("0.01"))


def import_external_training(upload, scope: QuerySet[Organisation], by_user, *,
                             on_row: Callable[[], None] | None = None) -> ImportResult:
    """Import external training. Columns: email (or fiscal_code), title, provider, date, hours,
    competences (slugs or Italian names separated by ``;``). The person must work for an
    organisation in ``scope`` (the importing officer's). ``on_row`` is called as each row is read."""
    data = read_table(upload)
    return import_external_rows(data.dict, data.headers, scope, by_user, on_row=on_row)[0]


def import_external_rows(rows: Iterable[dict], headers: Iterable[str], scope: QuerySet[Organisation], by_user, *,
                         on_row: Callable[[], None] | None = None,
                         first_line: int = 2) -> tuple[ImportResult, list[ExternalTraining]]:
    """The rules of ``import_external_training`` over rows already read (a file's, or the API's JSON):
    every row is checked, and the rows are saved only if all are good. Errors are (line, reason), lines
    counted from ``first_line``. Returns the report and the saved rows (none if any row is bad)."""
    result = ImportResult()
    headers = set(headers)
    missing = {"title", "date", "hours"} - headers
    if "email" not in headers and "fiscal_code" not in headers:
        missing.add("email")
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s") % {"columns": ", ".join(sorted(missing))}))
        return result, []
    people = Person.objects.filter(organisation__in=scope, anonymised_at__isnull=True)
    by_email = {p.email.lower(): p for p in people}
    by_cf = {p.fiscal_code.upper(): p for p in by_email.values() if p.fiscal_code}
    competences: dict[str, Competence] = {}
    for competence in Competence.objects.all():
        competences[competence.slug.lower()] = competence
        competences[competence.name.lower()] = competence
        if competence.name_en:
            competences[competence.name_en.lower()] = competence
    planned: list[tuple[ExternalTraining, list[Competence]]] = []
    for index, row in enumerate(rows, start=first_line):
        if on_row is not None:
            on_row()
        reasons: list[str] = []
        email, cf = _cell(row, "email").lower(), _cell(row, "fiscal_code").upper()
        person = by_email.get(email) if email else by_cf.get(cf)
        if person is None:
            reasons.append(_("No one on your staff with e-mail “%(who)s”.") % {"who": email} if email
                           else _("No one on your staff with codice fiscale “%(who)s”.") % {"who": cf})
        title = _cell(row, "title")
        if not title:
            reasons.append(_("The title is required."))
        try:
            date = parse_cell_date(row.get("date"))
        except ValueError as exc:
            reasons.append(str(exc))
            date = None
        else:
            if date is None:
                reasons.append(_("The date is required."))
            elif date > timezone.localdate():
                reasons.append(_("The date is in the future."))
        try:
            hours = _parse_hours(row.get("hours"))
        except ValidationError as exc:
            reasons.extend(exc.messages)
            hours = None
        chosen: list[Competence] = []
        for name in filter(None, (n.strip().lower() for n in _cell(row, "competences").split(";"))):
            if name in competences:
                chosen.append(competences[name])
            else:
                reasons.append(_("Unknown competence “%(name)s”.") % {"name": name})
        if reasons:
            result.errors.append((index, " ".join(reasons)))
            continue
        planned.append((ExternalTraining(person=person, title=title[:255], provider=_cell(row, "provider")[:255],
                                         date=date, hours=hours, entered_by=by_user), chosen))
    if result.errors:
        return result, []
    with transaction.atomic():
        for training, chosen in planned:
            training.save()
            training.competences.set(chosen)
    result.created = len(planned)
    return result, [training for training, _chosen in planned]


def import_staff_roster(upload, organisation: Organisation, by_user, *, on_row: Callable[[], None] | None = None):
    """Import a staff roster of ``organisation`` through the network's own service
    (``academy.network.services.import_roster``: columns first_name, last_name, email, fiscal_code,
    job_role; atomic; an HR officer may not take people employed elsewhere), with the optional employment
    columns of ``academy.competences.employment`` (hired_on, job_since, job_risk_class) recorded in the
    same transaction. Returns its ``ImportReport`` (``created``, ``updated``, ``errors`` as (line, reason),
    ``ok``); a bad row of either kind changes nothing."""
    from academy.network.services import import_roster

    from . import employment

    data = read_upload(upload, getattr(upload, "name", ""))
    found = employment.read_rows(data.dict, data.headers, organisation)

    def record_employment(report: ImportResult) -> None:
        report.errors.extend(found.errors)  # any: the import rolls back
        if not report.errors:
            employment.apply_rows(found, organisation, by_user, report)

    report = import_roster(data, organisation, by_user, on_row=on_row, after=record_employment)
    if found.errors and not set(found.errors) <= set(report.errors):  # the roster's own rows were bad too
        report.errors.extend(found.errors)
    report.errors.sort()
    return report
