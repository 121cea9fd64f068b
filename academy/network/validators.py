"""Validators for Italian tax identifiers.

A person's codice fiscale is 16 characters with a check letter; an organisation's identifier is an
11-digit partita IVA (or a numeric codice fiscale, same algorithm) with a Luhn-like check digit.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ODD = {
    **dict(zip("0123456789", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21], strict=True)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
               strict=True)),
}
_CF_PATTERN = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")


def codice_fiscale_check_char(first15: str) -> str:
    total = 0
    for i, char in enumerate(first15):
        if i % 2 == 0:  # odd positions (1-based)
            total += _ODD[char]
        else:
            total += int(char) if char.isdigit() else ord(char) - ord("A")
    return chr(ord("A") + total % 26)


def is_valid_codice_fiscale(value: str) -> bool:
    value = value.strip().upper()
    return bool(_CF_PATTERN.match(value)) and codice_fiscale_check_char(value[:15]) == value[15]


def is_valid_partita_iva(value: str) -> bool:
    value = value.strip()
    if not re.fullmatch(r"\d{11}", value):
        return False
    total = 0
    for i, char in enumerate(value[:10]):
        digit = int(char)
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(value[10])


def validate_codice_fiscale(value: str) -> None:
    if value and not is_valid_codice_fiscale(value):
        raise ValidationError(_("“%(value)s” is not a valid codice fiscale."), params={"value": value},
                              code="invalid_codice_fiscale")


def validate_organisation_tax_code(value: str) -> None:
    if value and not (is_valid_partita_iva(value) or is_valid_codice_fiscale(value)):
        raise ValidationError(_("“%(value)s” is not a valid partita IVA or codice fiscale."),
                              params={"value": value}, code="invalid_tax_code")
