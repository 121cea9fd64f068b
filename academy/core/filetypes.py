"""Uploaded files are what their extension says: the first bytes (the format's signature) must match,
so an HTML page renamed ``.pdf`` is refused before anyone opens it from a private download."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def _head(value, size: int = 16) -> bytes:
    handle = getattr(value, "file", value)
    position = handle.tell()
    handle.seek(0)
    head = handle.read(size)
    handle.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def validate_content_matches_extension(value) -> None:
    """Model/form validator for a file field whose extensions are listed in ``SIGNATURES``."""
    name = getattr(value, "name", "") or ""
    signatures = SIGNATURES.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if signatures is None:
        return
    try:
        head = _head(value)
    except (OSError, ValueError):  # a stored file that cannot be read back is not an upload to judge
        return
    if not head.startswith(signatures):
        raise ValidationError(_("The file is not a %(kind)s, whatever its name says: upload the original "
                                "document."), params={"kind": name.rsplit(".", 1)[-1].upper()},
                              code="content_mismatch")
