"""HR services, by concern; this module keeps the public names importable in one place.

* ``scope`` — who an HR officer may see (``scope_for``, ``people_in_scope``);
* ``engine`` — the one compliance engine (``load_compliance``: status per obligation and requirement);
* ``compliance`` — periods and the requirements' half of the engine;
* ``records`` — a person's training record (person page, exports);
* ``dashboard`` — the dashboard's figures;
* ``external`` — recording training done elsewhere (attestati, ECM credits);
* ``planning`` — the courses that satisfy an obligation, registering several people at once;
* ``digest`` — the monthly digest to HR officers.
"""

from __future__ import annotations

from .compliance import Period, RequirementStatus, RequirementStatuses, status_from_latest
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
from .engine import (
    COMPLIANT,
    DUE,
    LAPSED,
    OVERDUE,
    STATUSES,
    Compliance,
    Item,
    PersonCompliance,
    load_compliance,
)
from .records import TrainingEntry, TrainingRecord, training_record, training_records
from .scope import is_hr_user, people_in_scope, person_in_scope, scope_for

__all__ = [
    "COMPLIANT", "DUE", "ID_LIST_LIMIT", "LAPSED", "OVERDUE", "STATUSES", "Bar", "Compliance", "Dashboard",
    "Item", "OrganisationFigures", "Period", "PersonCompliance", "RequirementStatus", "RequirementStatuses",
    "StaffRow", "TrainingEntry", "TrainingRecord", "build_dashboard", "is_hr_user", "load_compliance",
    "participants_in", "people_in_scope", "person_in_scope", "scope_for", "send_hr_digests",
    "status_from_latest", "training_record", "training_records",
]
