"""HR services, by concern; this module keeps the public names importable in one place.

* ``scope`` — who an HR officer may see (``scope_for``, ``people_in_scope``);
* ``compliance`` — periods and requirement status (``RequirementStatuses``, the one loader);
* ``records`` — a person's training record (person page, exports);
* ``dashboard`` — the dashboard's figures;
* ``digest`` — the monthly digest to HR officers.
"""

from __future__ import annotations

from .compliance import (
    COMPLIANT,
    DEFAULT_EXPIRING_DAYS,
    EXPIRING,
    MISSING,
    Period,
    RequirementStatus,
    RequirementStatuses,
    add_months,
    status_from_latest,
)
from .dashboard import (
    ID_LIST_LIMIT,
    Bar,
    Dashboard,
    OrganisationFigures,
    StaffRow,
    build_dashboard,
    participants_in,
)
from .digest import send_hr_digests
from .records import TrainingEntry, TrainingRecord, training_record, training_records
from .scope import is_hr_user, people_in_scope, person_in_scope, scope_for

__all__ = [
    "COMPLIANT", "DEFAULT_EXPIRING_DAYS", "EXPIRING", "ID_LIST_LIMIT", "MISSING", "Bar", "Dashboard",
    "OrganisationFigures", "Period", "RequirementStatus", "RequirementStatuses", "StaffRow", "TrainingEntry",
    "TrainingRecord", "add_months", "build_dashboard", "is_hr_user", "participants_in", "people_in_scope",
    "person_in_scope", "scope_for", "send_hr_digests", "status_from_latest", "training_record",
    "training_records",
]
