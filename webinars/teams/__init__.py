"""The Teams integration's rules: meetings for sessions, personal join links, attendance import.

Every function here is THE place for its rule; the page-publish and session signals, the tasks,
the management command and the Wagtail admin actions all call them. The modules:
:mod:`.operations` (idempotency keys and the operations log), :mod:`.meetings` (create, move,
cancel, re-create), :mod:`.hosts` (lobby, presenters, trainers' invitations), :mod:`.join_links`, :mod:`.attendance` and :mod:`.scheduled` (the periodic catch-up).

Exactly-once meetings
---------------------
Each creation is first recorded as a ``pending`` :class:`GraphOperation` under a deterministic key
(``create:academy-session-<id>``) and committed; the same key travels to Graph as the ``externalId``
of ``POST /users/{id}/onlineMeetings/createOrGet`` (batched), which returns the meeting carrying it
when one exists. So a run that finds the operation still ``pending`` (its worker died) or ``failed``
(outcome unknown, e.g. a timed-out batch) simply asks again, in the same batches, and never makes a
second meeting. When the answer arrives the operation, the :class:`TeamsMeeting` and the
registrants' link e-mails are written in one transaction. Failed creations back off per operation
and alert staff at the attempt cap. Creation runs under a lock (a PostgreSQL advisory lock) so a
``pending`` operation seen by a run always belongs to a dead worker, never to a concurrent one.

Join links are secrets
----------------------
``join_url_for`` is the only reader of ``TeamsMeeting.join_url`` outside staff screens: it answers
for confirmed registrations only and is registered at app start as a join-link provider of the
registrations' invitation e-mails. Public pages and iCal feeds never call it.
"""

from .attendance import (
    ImportResult,
    import_attendance,
    import_due_attendance,
    resolve_unmatched,
    sessions_due_for_import,
)
from .hosts import hosts_for, send_trainer_invitations
from .join_links import join_url_for, send_join_link_updates
from .meetings import (
    EnsureResult,
    announces_move,
    cancel_meeting,
    check_meetings,
    ensure_meetings,
    sessions_needing_meetings,
    sync_meeting,
)
from .operations import ATTENDANCE_DELAY, CREATE_CHUNK, TeamsError, external_id_for, meeting_spec
from .scheduled import scheduled_pass

__all__ = [
    "ATTENDANCE_DELAY",
    "CREATE_CHUNK",
    "EnsureResult",
    "ImportResult",
    "TeamsError",
    "announces_move",
    "check_meetings",
    "hosts_for",
    "send_trainer_invitations",
    "cancel_meeting",
    "ensure_meetings",
    "external_id_for",
    "import_attendance",
    "import_due_attendance",
    "join_url_for",
    "meeting_spec",
    "resolve_unmatched",
    "scheduled_pass",
    "send_join_link_updates",
    "sessions_due_for_import",
    "sessions_needing_meetings",
    "sync_meeting",
]
