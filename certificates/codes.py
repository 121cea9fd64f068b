"""Public certificate codes: unguessable, short enough to type from a printed certificate.

A code is 20 Crockford base32 characters shown as ``XXXXX-XXXXX-XXXXX-XXXXX``:

* 19 random characters from :mod:`secrets` (19 x 5 = 95 bits of entropy, well above the 80 bits
  needed so that nobody can enumerate valid certificates through the public verify page), and
* 1 check character (Luhn mod 32), so that a mistyped code is rejected *before* any database
  lookup and the verify page can say "you probably mistyped it" instead of "not found". Luhn mod N
  catches every single-character substitution and almost every swap of two adjacent characters.

Crockford's alphabet leaves out I, L, O and U, so the code cannot be misread; when decoding, O is
read as 0 and I/L as 1, case and separators are ignored (see :func:`normalize_code`).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32 symbols, in value order."""

CODE_LENGTH = 20
"""Total characters, including the trailing check character."""

GROUP_SIZE = 5

_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_BASE = len(ALPHABET)
# Crockford decoding rules: letters that look like digits are read as those digits.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Characters people type (or paste) between groups; they carry no information.
_SEPARATORS = str.maketrans("", "", " -_.\t\n\r\u2010\u2011\u2012\u2013\u2014\u00a0")


def _luhn_addends(symbols: str, double_first: bool) -> int:
    """Sum of the Luhn mod N addends, walking ``symbols`` right to left."""
    total = 0
    double = double_first
    for ch in reversed(symbols):
        addend = _VALUES[ch] * (2 if double else 1)
        total += addend // _BASE + addend % _BASE
        double = not double
    return total


def check_character(payload: str) -> str:
    """Luhn mod 32 check character for ``payload`` (canonical symbols only, no separators)."""
    return ALPHABET[(_BASE - _luhn_addends(payload, double_first=True) % _BASE) % _BASE]


def _has_valid_check(symbols: str) -> bool:
    return _luhn_addends(symbols, double_first=False) % _BASE == 0


def format_code(symbols: str) -> str:
    """Group 20 canonical symbols as ``XXXXX-XXXXX-XXXXX-XXXXX``."""
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))


def new_public_code() -> str:
    """Return a fresh random public code, e.g. ``7K3QD-M0X9A-RT5VB-2HZ4N``.

    Uniqueness is not checked here (95 random bits make collisions practically impossible);
    the database column should still carry a unique constraint.
    """
    payload = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return format_code(payload + check_character(payload))


def normalize_code(typed: str) -> str | None:
    """Canonical form of a code typed by a person, or ``None`` if it cannot be a valid code.

    Accepts lowercase, spaces or missing/extra dashes, and applies Crockford's substitutions
    (O -> 0, I/L -> 1). Returns ``None`` for wrong length, U or other foreign characters, or a
    failing check character, so callers can answer without touching the database.
    """
    if not isinstance(typed, str):
        return None
    symbols = typed.upper().translate(_SEPARATORS).translate(_ALIASES)
    if len(symbols) != CODE_LENGTH or any(ch not in _VALUES for ch in symbols):
        return None
    if not _has_valid_check(symbols):
        return None
    return format_code(symbols)
