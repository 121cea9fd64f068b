"""Who performed an operation, as recorded in audit trails."""

from __future__ import annotations


def acting_user(by):
    """The user to record as the author of a change: ``None`` for the system or an anonymous request."""
    return by if (by is not None and getattr(by, "is_authenticated", False)) else None
