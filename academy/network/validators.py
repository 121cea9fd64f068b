"""Validators for Italian tax identifiers, checked by ``python-stdnum``, and for names (one line).

A person's codice fiscale is 16 characters with a check letter; an organisation's identifier is an
11-digit partita IVA (or a numeric codice fiscale, same algorithm) with a check digit.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum.it import codicefiscale, iva


def is_valid_codice_fiscale(value: str) -> bool:
    """A personal codice fiscale (16 characters; the 11-digit numeric form is an organisation's)."""
    value = value.strip().upper()
    return len(value) == 16 and codicefiscale.is_valid(value)


def is_valid_partita_iva(value: str) -> bool:
    value = value.strip()
    return bool(re.fullmatch(r"\d{11}", value)) and iva.is_valid(value)


def validate_codice_fiscale(value: str) -> None:
    if value and not is_valid_codice_fiscale(value):
        raise ValidationError(_("“%(value)s” is not a valid codice fiscale."), params={"value": value},
                              code="invalid_codice_fiscale")


def validate_organisation_tax_code(value: str) -> None:
    if value and not (is_valid_partita_iva(value) or is_valid_codice_fiscale(value)):
        raise ValidationError(_("“%(value)s” is not a valid partita IVA or codice fiscale."),
                              params={"value": value}, code="invalid_tax_code")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message Django's own Italian catalogue translates: Django 5.2 changed its
    msgid (``%d``) and the Italian catalogue has not caught up, so the sign-up page showed the one
    English error among Italian ones."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def validate_single_line(value: str) -> None:
    """A name is one line: no line breaks or other control characters (a ``\r\nBcc:`` in a name would
    otherwise reach e-mail headers, CSV cells and registers)."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value or ""):
        raise ValidationError(_("Names cannot contain line breaks or control characters."), code="multiline")
