"""What error reports may show of the settings and the request environment."""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter


class ReporterFilter(SafeExceptionReporterFilter):
    """Django's filter hides keys, tokens and passwords; service URLs and cache locations carry
    passwords too (``redis://:password@host``), so they are hidden as well, in settings and in the
    request's environment alike."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|LOCATION|DSN|HOST|DATABASES|CACHES",
        flags=re.IGNORECASE)
