"""Annex III of the State-Regions Agreement of 17/04/2025 (Rep. Atti n. 59/CSR), "crediti formativi", the
matrix of page 130: a course done for one role (row) counts as the course of another (column). Pure data
and one function; ``academy.competences.mandatory`` applies it, ``docs/mandatory-training.md`` explains it.

Values: ``TOTAL`` (full credit); ``SAME_FIRM`` (the asterisk: "il credito viene riconosciuto totale per
coloro che svolgono il ruolo indicato nella prima colonna della tabella nella medesima azienda, negli altri
casi la formazione deve essere svolta": full credit only while the person holds the row's role in the same
organisation); a missing cell is "FREQUENZA" (no credit). The workers' column is split into the general
and the specific module (the catalogue's workers' obligations hold both).

Conservative readings (each in the docs): only the cells of page 130 are applied — the partial credits of
pages 127-129 (towards RSPP, DL-SPP, CSP/CSE) and the construction-module cells of page 131 are not; the
credit stands for the initial course only, dated on the end of the crediting course, and the credited
role's own refresher is still due in its own window (Part III: a course for another role is not a
refresher; FAQ 2025 n. 7 names only the crediting role's refresher, from its attestato).
"""

from __future__ import annotations

TOTAL, SAME_FIRM = "total", "same_firm"
WORKER_GENERAL, WORKER_SPECIFIC = "worker_general", "worker_specific"

# row (the legal role of the course held) -> column (the role credited) -> value
_EMPLOYER_LIKE = {"employer": TOTAL, WORKER_GENERAL: TOTAL, WORKER_SPECIFIC: SAME_FIRM, "manager": TOTAL,
                  "supervisor": SAME_FIRM}
MATRIX: dict[str, dict[str, str]] = {
    "rspp": {"rls": TOTAL, **_EMPLOYER_LIKE},
    "aspp": {"rls": TOTAL, **_EMPLOYER_LIKE},
    "employer_spp": dict(_EMPLOYER_LIKE),
    "employer": {k: v for k, v in _EMPLOYER_LIKE.items() if k != "employer"},
    "rls": {WORKER_GENERAL: TOTAL, "manager": TOTAL, "supervisor": TOTAL},
    "manager": {"employer": TOTAL, WORKER_GENERAL: TOTAL, WORKER_SPECIFIC: SAME_FIRM, "supervisor": SAME_FIRM},
    # workers (general or specific) and supervisors: no credit towards any other role
}
CITATION = "ASR 59/CSR 17/04/2025, Allegato III p. 130"

# The catalogue's obligations a row stands for (courses, not add-on modules: those are on page 131) and
# the obligations a column credits.
SOURCE_CODES = {"rspp": ("rspp",), "aspp": ("aspp",), "employer_spp": ("employer-spp",),
                "employer": ("employers",), "manager": ("managers",)}
TARGET_CODES = {"employer": ("employers",), "manager": ("managers",), "supervisor": ("supervisors",)}


def source_role(obligation) -> str:
    """The Annex III row a completed course of ``obligation`` gives ("" for none)."""
    if obligation.role == "rls":
        return "rls"
    return next((role for role, codes in SOURCE_CODES.items() if obligation.code in codes), "")


def credit_for(target, source_row: str, holds_source_role: bool) -> str:
    """What a course of the row ``source_row`` gives towards the obligation ``target``: "" (nothing),
    ``"full"`` (the whole initial course) or ``"general"`` (the workers' general module only)."""
    cells = MATRIX.get(source_row, {})

    def granted(column: str) -> bool:
        value = cells.get(column)
        return value == TOTAL or (value == SAME_FIRM and holds_source_role)

    if target.role == "worker":
        if granted(WORKER_GENERAL) and granted(WORKER_SPECIFIC):
            return "full"
        return "general" if granted(WORKER_GENERAL) else ""
    if target.role == "rls":
        return "full" if granted("rls") else ""
    if target.code in TARGET_CODES.get(target.role, ()):
        return "full" if granted(target.role) else ""
    return ""
