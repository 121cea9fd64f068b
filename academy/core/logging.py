"""Logging filters for the project's ``LOGGING`` setting."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """Keep the one-line "Forbidden" record of a refused request but drop its traceback.

    A 403 is an expected answer (someone opened a page they may not see), not a fault: the traceback
    of the ``PermissionDenied`` only buries real errors in the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
