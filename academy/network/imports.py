"""Atomic CSV/XLSX imports of the network: any bad row rolls back the whole file, and the report lists
every bad row with its spreadsheet line (the header is line 1)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.core.tabular import ImportReport, read_upload

from .resources import OrganisationResource


class _Rollback(Exception):
    pass


def run_import(resource, dataset, *, after: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Run a django-import-export resource in one transaction; ``after`` runs inside it once every row
    is good (e.g. to record the rows that wait for confirmation), so it rolls back with the file, and
    it may refuse the file by adding errors to the report."""
    report = ImportReport()
    try:
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=False, use_transactions=True,
                                          rollback_on_validation_errors=True, raise_errors=False)
            for error in result.base_errors:
                report.errors.append((0, str(error.error)))
            for number, errors in result.row_errors():
                for error in errors:
                    report.errors.append((number + 1, str(error.error)))
            for invalid in result.invalid_rows:
                reasons = []
                for name, messages in invalid.error_dict.items():
                    label = "" if name == "__all__" else f"{name}: "
                    reasons.append(label + " ".join(str(m) for m in messages))
                report.errors.append((invalid.number + 1, "; ".join(reasons)))
            if report.errors:
                raise _Rollback
            report.created = result.totals.get("new", 0)
            report.updated = result.totals.get("update", 0)
            if after is not None:
                after(report)
                if report.errors:  # ``after`` refused the file: nothing is kept
                    raise _Rollback
    except _Rollback:
        report.created = report.updated = report.pending = report.held = 0
        report.errors.sort()
    return report


def import_organisations(file, *, by_user=None, filename: str = "") -> ImportReport:
    """Staff import organisations from CSV/XLSX (matched on tax code)."""
    if by_user is not None and not is_staff(by_user):
        raise PermissionError(_("Only staff import organisations."))
    return run_import(OrganisationResource(), read_upload(file, filename))
