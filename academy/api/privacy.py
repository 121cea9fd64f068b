"""A person's API tokens are exported (never their secrets) and deleted with the account. The access
log of HR and staff reads is the controller's record of who read whose data: at erasure of the reader
it loses the link to them; it is purged after ``API_ACCESS_LOG_DAYS`` (``tasks.py``). The last known
obligation statuses (``obligation_events``) are derived data: deleted, not exported."""

from __future__ import annotations

from academy.core import privacy

from .models import ApiAccessLog, ApiToken, KnownObligationStatus


def export_tokens(person) -> list[dict]:
    if person.user_id is None:
        return []
    return [{"name": t.name, "prefix": t.prefix, "scope": t.scope, "created_at": t.created_at,
             "expires_at": t.expires_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
            for t in ApiToken.objects.filter(user_id=person.user_id)]


def erase_tokens(person, *, by, now) -> None:
    if person.user_id is not None:
        ApiAccessLog.objects.filter(user_id=person.user_id).update(user=None)
        ApiToken.objects.filter(user_id=person.user_id).delete()
    KnownObligationStatus.objects.filter(person=person).delete()


privacy.register("api_tokens", export=export_tokens, erase=erase_tokens, order=62, export_order=62)
