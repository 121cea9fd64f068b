"""The start dates and the job's risk class that HR records for mandatory training, in a staff roster.

A roster may carry three optional columns, ``hired_on``, ``job_since`` and ``job_risk_class`` (dates as
DD/MM/YYYY or YYYY-MM-DD; the class ``low``, ``medium`` or ``high``, or its Italian name). An empty cell
keeps what is recorded: a file is no way to erase a date (the person page is). Every row is checked
before anything is written; the values are applied, through ``academy.obligations.services
.set_employment``, in the roster import's own transaction, so a bad row anywhere changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core.tabular import ImportReport, parse_cell_date
from academy.network.models import Organisation, Person
from academy.obligations import services as obligations
from academy.obligations.models import Employment, RiskClass

COLUMNS = ("hired_on", "job_since", "job_risk_class")
def parse_risk_class(value) -> str:
    """``low``/``medium``/``high`` or their Italian or English names (``basso``…); "" when empty."""
    text = str(value if value is not None else "").strip().lower()
    if not text:
        return ""
    names = {}
    for language in ("it", "en"):
        with translation.override(language):
            names.update({str(label).lower(): key for key, label in RiskClass.choices})
    if text in RiskClass.values:
        return text
    if text in names:
        return names[text]
    raise ValueError(_("Unknown risk class “%(value)s” (use one of: %(choices)s).") % {
        "value": text, "choices": ", ".join(RiskClass.values)})


@dataclass
class EmploymentRows:
    """What a roster says about employment, by (lower-cased) e-mail, and its bad rows as (line, reason)."""

    values: dict[str, dict] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(rows: Iterable[dict], headers: Iterable[str], organisation: Organisation, *,
              first_line: int = 2) -> EmploymentRows:
    """Check every row's employment cells against what is recorded for the organisation's people (a new
    job start must not precede a recorded hire, and the reverse). Lines count from ``first_line``."""
    found = EmploymentRows()
    present = [column for column in COLUMNS if column in set(headers)]
    if not present:
        return found
    recorded = {e.person.email.lower(): e for e in Employment.objects.filter(
        person__organisation=organisation).select_related("person")}
    for line, row in enumerate(rows, start=first_line):
        email = str(row.get("email") or "").strip().lower()
        cells = {column: row.get(column) for column in present}
        if not email or all(str(v if v is not None else "").strip() == "" for v in cells.values()):
            continue
        reasons: list[str] = []
        parsed: dict = {}
        for column, parse in (("hired_on", parse_cell_date), ("job_since", parse_cell_date),
                              ("job_risk_class", parse_risk_class)):
            if column not in cells:
                continue
            try:
                parsed[column] = parse(cells[column])
            except ValueError as exc:
                reasons.append(f"{column}: {exc}")
        old = recorded.get(email)
        values = {"hired_on": old.hired_on if old else None, "job_since": old.job_since if old else None,
                  "risk_class": old.risk_class if old else ""}
        for column, key in (("hired_on", "hired_on"), ("job_since", "job_since"), ("job_risk_class", "risk_class")):
            if parsed.get(column):
                values[key] = parsed[column]
        if not reasons and values["hired_on"] and values["job_since"] and values["job_since"] < values["hired_on"]:
            reasons.append(_("The current job cannot start before the employment."))
        if reasons:
            found.errors.append((line, " ".join(reasons)))
        else:
            found.values[email] = values
    return found


def apply_rows(found: EmploymentRows, organisation: Organisation, by, report: ImportReport) -> None:
    """Record the employment of the rows' people who are on the organisation's roster now (a row waiting
    for the person's confirmation sets nothing). Runs inside the roster import's transaction: an error
    goes in the report, which rolls the whole file back."""
    if not found.values:
        return
    people = Person.objects.filter(organisation=organisation, anonymised_at__isnull=True)
    for person in people.annotate(address=Lower("email")).filter(address__in=list(found.values)):
        try:
            obligations.set_employment(person, by=by, **found.values[person.address])
        except ValueError as exc:
            report.errors.append((0, f"{person.email}: {exc}"))
