"""What a link in an e-mail carries to stay bound to one address without showing it.

A signed token (``django.core.signing``) is only base64 with a signature: anyone who sees the link can read
its payload. So links carry a keyed digest of the address (HMAC with the site's secret) instead of the
address: the sign-up verification link and the roster-claim link.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac


def address_digest(email: str, purpose: str) -> str:
    """A keyed digest of ``email`` for links of one ``purpose`` (the signing salt)."""
    return salted_hmac(purpose, email.strip().lower()).hexdigest()[:24]


def same_address(data: dict, email: str, purpose: str) -> bool:
    """Whether a link's payload names ``email``: by its digest (``h``), or by the address itself (``e``) in
    links sent before digests, which expire within days."""
    if "h" in data:
        return constant_time_compare(str(data["h"]), address_digest(email, purpose))
    return data.get("e") == email.lower()
