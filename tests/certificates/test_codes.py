"""Public certificate codes: format, entropy, and forgiving normalisation of typed input."""

from __future__ import annotations

import math
import re

import pytest

from certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    check_character,
    format_code,
    new_public_code,
    normalize_code,
)

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$")


def make_code(payload: str) -> str:
    """A valid code from 19 chosen symbols (so tests can place 0/1 where they want)."""
    assert len(payload) == CODE_LENGTH - 1
    return format_code(payload + check_character(payload))


def test_alphabet_is_crockford() -> None:
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_new_code_format_and_validity() -> None:
    for _ in range(200):
        code = new_public_code()
        assert CODE_RE.match(code), code
        assert normalize_code(code) == code


def test_codes_have_at_least_80_bits_of_entropy() -> None:
    random_symbols = CODE_LENGTH - 1  # last symbol is the check character
    assert random_symbols * math.log2(len(ALPHABET)) >= 80
    codes = {new_public_code() for _ in range(5000)}
    assert len(codes) == 5000
    # every symbol shows up in every random position: no position is constant or biased to few values
    for position in (0, 7, 18):
        stripped = [c.replace("-", "")[position] for c in codes]
        assert set(stripped) == set(ALPHABET)


def test_normalize_accepts_what_people_type() -> None:
    code = make_code("0123456789ABCDEFGHJ")
    assert code == "01234-56789-ABCDE-FGHJ" + code[-1]
    compact = code.replace("-", "")
    assert normalize_code(compact) == code
    assert normalize_code(compact.lower()) == code
    assert normalize_code(" " + " ".join(code.split("-")).lower() + " ") == code
    assert normalize_code(code.replace("-", "–")) == code  # en dash from a word processor
    # Crockford: O is zero, I and L are one
    assert normalize_code("O" + compact[1:]) == code
    assert normalize_code(compact[:1] + "I" + compact[2:]) == code
    assert normalize_code(compact[:1] + "l" + compact[2:]) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABC",
        "01234-56789-ABCDE-FGHJ",
        "01234-56789-ABCDE-FGHJKK",
        "U1234-56789-ABCDE-FGHJK",
        "0123#56789ABCDEFGHJK",
    ],
)
def test_normalize_rejects_garbage(typed: str) -> None:
    assert normalize_code(typed) is None


def test_normalize_rejects_non_strings() -> None:
    assert normalize_code(None) is None  # type: ignore[arg-type]
    assert normalize_code(12345) is None  # type: ignore[arg-type]


def test_check_character_catches_every_single_substitution() -> None:
    symbols = new_public_code().replace("-", "")
    for position in range(CODE_LENGTH):
        for replacement in ALPHABET:
            if replacement == symbols[position]:
                continue
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            assert normalize_code(typo) is None, (symbols, typo)


def test_check_character_catches_most_adjacent_swaps() -> None:
    detected = total = 0
    for _ in range(100):
        symbols = new_public_code().replace("-", "")
        for i in range(CODE_LENGTH - 1):
            if symbols[i] == symbols[i + 1]:
                continue
            swapped = symbols[:i] + symbols[i + 1] + symbols[i] + symbols[i + 2 :]
            total += 1
            detected += normalize_code(swapped) is None
    assert detected / total > 0.95
