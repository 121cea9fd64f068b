"""What a certificate says: the content dataclass, its wording per language and the formatting rules.

:class:`CertificateContent` is a plain dataclass, not a model: the PDF/HTML code does not depend on the
ORM, runs in worker processes without a database, and the model layer only maps its rows into it.
Labels are a small dict per language instead of gettext: certificates are issued in Italian and
English only, and the wording is legal-ish text that must not change because someone edited a ``.po``
file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .qr import qr_svg

DENSE_TITLE_CHARS = 110
DENSE_DETAILS_CHARS = 320
"""Above these lengths a certificate uses the smaller "dense" type scale (see certificate.css)."""

BRAND_NAME = "Academy"
BRAND_NETWORK = "Rete delle cooperative sociali"

COURSE_KINDS = ("webinar", "masterclass")
LANGUAGES = ("it", "en")

_MONTHS = {
    "it": (
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

LABELS: dict[str, dict[str, str]] = {
    "it": {
        "document_title": "Attestato di partecipazione — Academy",
        "heading": "Attestato di partecipazione",
        "certify": "Si attesta che",
        "attended_webinar": "ha partecipato al webinar",
        "attended_masterclass": "ha partecipato alla masterclass",
        "kind_webinar": "Webinar",
        "kind_masterclass": "Masterclass",
        "held_one_webinar": "svoltosi il {dates}",
        "held_many_webinar": "svoltosi nelle giornate del {dates}",
        "held_one_masterclass": "svoltasi il {dates}",
        "held_many_masterclass": "svoltasi nelle giornate del {dates}",
        "duration_one": "per una durata complessiva di {hours} ora",
        "duration_many": "per una durata complessiva di {hours} ore",
        "trainers_one": "Docente",
        "trainers_many": "Docenti",
        "areas": "Aree tematiche",
        "competences": "Competenze sviluppate",
        "issued": "Rilasciato il {date}",
        "signatory": "Il Direttore dell'Academy",
        "signed_digitally": "Firmato digitalmente (PAdES)",
        "tutor": "Tutor",
        "code": "Codice:",
        "verify": "Verifica l'autenticità all'indirizzo:",
        "qr_alt": "Codice QR con l'indirizzo di verifica",
        "revoked": "REVOCATO",
        "and": "e",
        # --- learning test (academy.evaluation) ---
        "learning_test": "Verifica finale di apprendimento",
        "learning_test_passed": "superata con {score}% (soglia {mark}%)",
    },
    "en": {
        "document_title": "Certificate of attendance — Academy",
        "heading": "Certificate of attendance",
        "certify": "This is to certify that",
        "attended_webinar": "attended the webinar",
        "attended_masterclass": "attended the masterclass",
        "kind_webinar": "Webinar",
        "kind_masterclass": "Masterclass",
        "held_one_webinar": "held on {dates}",
        "held_many_webinar": "held on {dates}",
        "held_one_masterclass": "held on {dates}",
        "held_many_masterclass": "held on {dates}",
        "duration_one": "for a total of {hours} hour",
        "duration_many": "for a total of {hours} hours",
        "trainers_one": "Trainer",
        "trainers_many": "Trainers",
        "areas": "Subject areas",
        "competences": "Competences developed",
        "issued": "Issued on {date}",
        "signatory": "The Director of the Academy",
        "signed_digitally": "Digitally signed (PAdES)",
        "tutor": "Tutor",
        "code": "Code:",
        "verify": "Verify its authenticity at:",
        "qr_alt": "QR code with the verification address",
        "revoked": "REVOKED",
        "and": "and",
        # --- learning test (academy.evaluation) ---
        "learning_test": "Final learning test",
        "learning_test_passed": "passed with {score}% (pass mark {mark}%)",
    },
}
"""Certificate wording per language. Kept here (not in gettext) so the legal text is reviewed in code."""


# --- legal attestato (mandatory training under Italian law) ------------------------------------------
# A course that satisfies an obligation of the catalogue (academy.obligations) prints the minimum content
# of an attestato of the State-Regions Agreement of 17 April 2025 (Rep. Atti n. 59/CSR), Part I, point 6
# "Attestazioni": a) the training body's name; b) the learner's name, surname and codice fiscale; c) the
# course type with its legal reference and duration; d) the delivery mode; e) the signature of the
# training body's legal representative (or their delegate), preferably digital; f) date and place. Point 6
# also asks that the learner passed the final test, whose outcome is printed. No date of birth: not among
# the items. Name and surname, dates and trainers come from the common part above; the signature (e) is
# the signatory block plus the PAdES signature of the file (academy.core.signing); date and place (f)
# are the "issued" line.

LEGAL_LABELS: dict[str, dict[str, str]] = {
    "it": {
        "heading": "Formazione obbligatoria (Accordo Stato-Regioni 17/04/2025, Parte I, punto 6)",
        "training_body": "Soggetto formatore",
        "fiscal_code": "Codice fiscale",
        "course_type": "Tipologia di corso",
        "legal_reference": "Riferimento normativo",
        "duration": "Durata",
        "hours_one": "{hours} ora",
        "hours_many": "{hours} ore",
        "modules": "Moduli",
        "delivery_mode": "Modalità di erogazione",
        "final_test": "Verifica finale",
        "final_test_passed": "superata con {score}% (soglia {mark}%)",
        "final_test_recorded": "superata (verbale della verifica finale nel fascicolo del corso)",
        "issued": "Rilasciato a {place} il {date}",
        "signatory": "Il legale rappresentante del soggetto formatore",
        "mode_classroom": "in aula",
        "mode_videoconference": "in videoconferenza sincrona",
        "mode_elearning": "in e-learning",
    },
    "en": {
        "heading": "Mandatory training (State-Regions Agreement of 17/04/2025, Part I, point 6)",
        "training_body": "Training body",
        "fiscal_code": "Tax code (codice fiscale)",
        "course_type": "Course type",
        "legal_reference": "Legal reference",
        "duration": "Duration",
        "hours_one": "{hours} hour",
        "hours_many": "{hours} hours",
        "modules": "Modules",
        "delivery_mode": "Delivery mode",
        "final_test": "Final test",
        "final_test_passed": "passed with {score}% (pass mark {mark}%)",
        "final_test_recorded": "passed (the final test report is kept in the course file)",
        "issued": "Issued in {place} on {date}",
        "signatory": "The legal representative of the training body",
        "mode_classroom": "in the classroom",
        "mode_videoconference": "by real-time videoconference",
        "mode_elearning": "by e-learning",
    },
}


@dataclass
class LegalModule:
    title: str
    hours: Decimal | float | int
    mode: str  # classroom | videoconference | elearning


@dataclass
class LegalAttestato:
    """Items a)-f) of the Agreement's point 6 that the common part does not already print."""

    training_body: str  # a)
    fiscal_code: str  # b) with the participant's name
    course_types: list[str]  # c) the obligations the course satisfies
    legal_references: list[str]  # c)
    modules: list[LegalModule]  # d) delivery mode, with each module's hours
    duration_hours: Decimal | float | int  # c) the course's duration (one module may satisfy two obligations)
    place: str  # f) with the issue date
    legal_representative: str = ""  # e) name printed under the role (empty: the role alone)


def legal_details(legal: LegalAttestato, language: str, learning_test: tuple[int, int] | None
                  ) -> list[tuple[str, str]]:
    labels = LEGAL_LABELS[language]
    total = Decimal(str(legal.duration_hours))
    hours = labels["hours_one" if total == 1 else "hours_many"].format(hours=format_hours(total, language))
    modes = list(dict.fromkeys(labels.get("mode_" + m.mode, m.mode) for m in legal.modules))
    if learning_test is not None:
        outcome = labels["final_test_passed"].format(score=learning_test[0], mark=learning_test[1])
    else:
        outcome = labels["final_test_recorded"]
    rows = [
        (labels["training_body"], legal.training_body),
        (labels["fiscal_code"], legal.fiscal_code or "—"),
        (labels["course_type"], "; ".join(legal.course_types)),
        (labels["legal_reference"], "; ".join(legal.legal_references)),
        (labels["duration"], hours),
        (labels["delivery_mode"], ", ".join(modes)),
        (labels["modules"], "; ".join(
            f"{m.title} — {format_hours(m.hours, language)} h {labels.get('mode_' + m.mode, m.mode)}"
            for m in legal.modules)),
        (labels["final_test"], outcome),
    ]
    return rows


@dataclass
class CertificateContent:
    """Everything printed on one certificate, already decided (no database access needed).

    ``organisation`` is the participant's cooperative, printed under the name when known.
    ``revoked`` certificates still render (for the archive) but carry a large "REVOCATO" stamp.
    """

    code: str
    participant_name: str
    course_title: str
    course_kind: str
    dates: list[date]
    hours: Decimal | float | int
    trainers: list[str]
    areas: list[str]
    competences: list[str]
    issued_on: date
    verify_url: str
    language: str = "it"
    revoked: bool = False
    organisation: str | None = None
    legal: LegalAttestato | None = None  # mandatory training (see "legal attestato" below)
    tutor: str = ""  # the course's tutor (CoursePage.tutor), printed where there is one
    # --- learning test (academy.evaluation): (score %, pass mark %) of the passed test, if the course has one
    learning_test: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.course_kind not in COURSE_KINDS:
            raise ValueError(f"course_kind must be one of {COURSE_KINDS}, not {self.course_kind!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if not self.dates:
            raise ValueError("a certificate needs at least one course date")


def join_list(items: Sequence[str], language: str) -> str:
    """``a, b e c`` / ``a, b and c``."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {LABELS[language]['and']} {items[-1]}"


def format_date(day: date, language: str) -> str:
    """``5 marzo 2025`` / ``5 March 2025`` (no locale module: it is process-global and often missing)."""
    return f"{day.day} {_MONTHS[language][day.month - 1]} {day.year}"


def format_dates(days: Iterable[date], language: str) -> str:
    """Compact list of course dates, grouped by month: ``3, 10 e 17 marzo 2025``."""
    ordered = sorted(set(days))
    groups: list[tuple[tuple[int, int], list[int]]] = []
    for day in ordered:
        key = (day.year, day.month)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(day.day)
        else:
            groups.append((key, [day.day]))
    parts = [
        f"{join_list([str(d) for d in days_], language)} {_MONTHS[language][month - 1]} {year}"
        for (year, month), days_ in groups
    ]
    return join_list(parts, language)


def format_hours(hours: Decimal | float | int, language: str) -> str:
    """``6`` / ``1,5`` (Italian decimal comma) / ``1.5``; trailing zeros dropped."""
    value = Decimal(str(hours)).normalize()
    if value == value.to_integral_value():
        text = str(int(value))
    else:
        text = format(value, "f")
    return text.replace(".", ",") if language == "it" else text


def issued_line(content: CertificateContent) -> str:
    """Item f) of a legal attestato, date and place; the issue date alone on other certificates."""
    day = format_date(content.issued_on, content.language)
    if content.legal is not None and content.legal.place:
        return LEGAL_LABELS[content.language]["issued"].format(place=content.legal.place, date=day)
    return LABELS[content.language]["issued"].format(date=day)


def certificate_context(content: CertificateContent) -> dict[str, Any]:
    lang = content.language
    labels = LABELS[lang]
    kind = content.course_kind
    many_dates = len(set(content.dates)) > 1
    hours_text = format_hours(content.hours, lang)
    duration_key = "duration_one" if Decimal(str(content.hours)) == 1 else "duration_many"
    when = labels[f"held_{'many' if many_dates else 'one'}_{kind}"].format(
        dates=format_dates(content.dates, lang)
    )
    details: list[tuple[str, str]] = []
    if content.trainers:
        details.append(
            (
                labels["trainers_many" if len(content.trainers) > 1 else "trainers_one"],
                ", ".join(content.trainers),
            )
        )
    if content.areas:
        details.append((labels["areas"], ", ".join(content.areas)))
    if content.competences:
        details.append((labels["competences"], "; ".join(content.competences)))
    if content.tutor:
        details.append((labels["tutor"], content.tutor))
    # --- learning test (academy.evaluation): its own row; a legal attestato prints it among its items ---
    if content.learning_test is not None and content.legal is None:
        score, mark = content.learning_test
        details.append((labels["learning_test"], labels["learning_test_passed"].format(score=score, mark=mark)))
    # Long titles or many competences would run into the footer (or onto a second page): switch to a
    # denser type scale instead of clipping text, which a certificate must never silently lose.
    legal = legal_details(content.legal, lang, content.learning_test) if content.legal else []
    details_chars = sum(len(value) for _, value in details + legal)
    dense = len(content.course_title) > DENSE_TITLE_CHARS or details_chars > DENSE_DETAILS_CHARS
    return {
        "lang": lang,
        "dense": dense,
        "brand_name": BRAND_NAME,
        "brand_network": BRAND_NETWORK,
        "kind_label": labels[f"kind_{kind}"],
        "heading": labels["heading"],
        "certify": labels["certify"],
        "participant_name": content.participant_name,
        "organisation": content.organisation,
        "attended": labels[f"attended_{kind}"],
        "course_title": content.course_title,
        "when": f"{when}, {labels[duration_key].format(hours=hours_text)}.",
        "details": details,
        "issued": issued_line(content),
        "signatory": LEGAL_LABELS[lang]["signatory"] if content.legal else labels["signatory"],
        "signatory_name": content.legal.legal_representative if content.legal else "",
        "signed_digitally": labels["signed_digitally"],
        "qr_svg": qr_svg(content.verify_url, title=labels["qr_alt"]),
        "qr_alt": labels["qr_alt"],
        "code_label": labels["code"],
        "code": content.code,
        "verify_label": labels["verify"],
        "verify_url": content.verify_url,
        "revoked": content.revoked,
        "revoked_label": labels["revoked"],
        "legal_heading": LEGAL_LABELS[lang]["heading"] if legal else "",
        "legal_details": legal,
    }
