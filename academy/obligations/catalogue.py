"""The obligations catalogue as shipped: every figure with its legal source.

Loaded by migration ``0002_catalogue`` (``load_catalogue``: creates missing rows by ``code``) and brought
to the verified figures by ``0004_catalogue_verified_figures`` (``update_catalogue``: changes a field
only where the row still holds the value shipped before, so staff edits are kept).
``docs/mandatory-training.md`` lists the same figures with their sources and what stays unverified.

Sources, as cited in every row (word-for-word transcriptions in the public repository
FrancescoDallaPiazza/formazione-81-utils-src, ``reference/``):

* ASR = Accordo Stato-Regioni 17/04/2025, Rep. Atti n. 59/CSR (Parts, points and printed pages);
* FAQ 2025 = FAQ interregionali of 31/07/2025 (n.); FAQ 2026 = FAQ interregionali of 27/03/2026 (q.);
* D.Lgs. 81/2008 (articles); DM 388/2003 (first aid); DM 2/9/2021 (fire safety).
"""

from __future__ import annotations

from decimal import Decimal

DLGS_81 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2008-04-09;81"
ASR_2025 = "https://www.gazzettaufficiale.it/eli/id/2025/05/24/25A03120/sg"
DM_388 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:ministero.salute:decreto:2003-07-15;388"
DM_GSA = "https://www.vigilfuoco.it/"
ECM = "https://ape.agenas.it/"

ASR = "ASR 59/CSR 17/04/2025"
UNVERIFIED = "Not confirmed against the official text: check before relying on it."
NO_ELEARNING = ("E-learning not counted: the Part IV point 3.5 table is not transcribed in the sources at hand "
                "(conservative reading, unverified).")
VIDEO = "Real-time videoconference counts as presence except practical modules (ASR Part IV 3.2; FAQ 2026 q. 33)."
PRACTICE_ONLY = ("Classroom only: the course includes practical exercises; the decree says nothing of "
                 "videoconference (conservative reading, unverified).")
WORKERS_TEST = {"final_test_required": True, "pass_mark": 70, "test_min_questions": 30, "test_min_options": 3}
ASR_TEST = {"final_test_required": True, "pass_mark": None}  # FAQ 2025 n. 14 and 51: always, provider's method
ABILITANTE = {"requalify_years": 10}  # ASR Part III; FAQ 2025 n. 12; FAQ 2026 q. 8

CATALOGUE: list[dict] = [
    # --- workers, D.Lgs. 81/2008 art. 37 c. 1-2; ASR Part II 2.1, Part III 1.1, Part VII ---
    *[{"code": f"workers-{risk}", "title": f"Formazione lavoratori — rischio {label}", "role": "worker",
       "risk_classes": f"hs:{risk}", "legal_frame": "asr2025", "initial_hours": hours,
       "initial_hours_previous": hours, "refresher_hours": "6", "window_months": 60,
       "allow_elearning": risk == "low", "elearning_low_risk_only": risk == "low", **WORKERS_TEST,
       "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 1-2; {ASR} Parte II p. 2.1 (generale 4 h + specifica "
                          f"{specific} h), Parte III p. 1.1 (aggiornamento 6 h ogni 5 anni dalla fine corso), "
                          "Parte IV p. 6.3 (test 30 domande, 3 risposte, 70%)",
       "source_url": ASR_2025,
       "notes": (f"{hours} h = general 4 + specific {specific} (Part II 2.1, pp. 11-13). Courses under the 2011 "
                 "Agreement (221/CSR, same hours) keep full credit (Part VII; FAQ 2025 n. 39). New hires: at "
                 "the start of employment, no 60 days (art. 37 c. 4; FAQ 2025 n. 5, FAQ 2026 q. 9). "
                 + ("E-learning only for the low-risk class and only for a worker whose own job is low risk "
                    "(Part IV 3.5 as quoted in FAQ 2025 n. 57). " if risk == "low" else
                    "No e-learning: the Part IV 3.5 table allows it only in the low-risk class (FAQ 2025 n. 57). ")
                 + VIDEO)}
      for risk, label, hours, specific in (("low", "basso", "8", 4), ("medium", "medio", "12", 8),
                                           ("high", "alto", "16", 12))],
    {"code": "supervisors", "title": "Formazione preposti", "role": "supervisor", "risk_classes": "",
     "legal_frame": "asr2025", "initial_hours": "12", "initial_hours_previous": "8", "refresher_hours": "6",
     "window_months": 24, "transition_overdue_months": 12, "transition_recent_months": 24, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7-ter; {ASR} Parte II p. 2.2 (12 h), Parte III p. 1.2 "
                        "(6 h ogni 2 anni), Parte VII; FAQ 2025 n. 17, FAQ 2026 q. 37",
     "source_url": ASR_2025,
     "notes": ("12 h (Part II 2.2, p. 14); 8 h courses under 221/CSR (point 5) keep full credit, no top-up "
               "(Part VII; FAQ 2025 nn. 22, 39). Transition (Part VII; FAQ 2025 n. 17; FAQ 2026 q. 37): last "
               "course more than 2 years before entry into force: refresher within 12 months of it; otherwise "
               "within 24 months of it. No e-learning (art. 37 c. 7-ter; FAQ 2025 n. 18; FAQ 2026 q. 38); "
               "videoconference counts (FAQ 2025 n. 10). Final test always (FAQ 2025 n. 14); pass mark not "
               "fixed by the sources at hand. " + VIDEO)},
    {"code": "managers", "title": "Formazione dirigenti", "role": "manager", "risk_classes": "",
     "legal_frame": "asr2025", "initial_hours": "12", "initial_hours_previous": "16", "refresher_hours": "6",
     "window_months": 60, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7; {ASR} Parte II p. 2.3 (12 h), Parte III p. 1.3 "
                        "(6 h ogni 5 anni), Parte VII",
     "source_url": ASR_2025,
     "notes": ("12 h (Part II 2.3, p. 15); 16 h courses under 221/CSR (point 6) keep full credit (Part VII; "
               "FAQ 2025 n. 39). " + NO_ELEARNING + " " + VIDEO)},
    {"code": "managers-construction", "title": "Dirigenti impresa affidataria — modulo cantieri",
     "role": "site_manager", "risk_classes": "", "legal_frame": "asr2025", "initial_hours": "6",
     "refresher_hours": None, "window_months": None, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 97 c. 3-ter; {ASR} Parte II p. 2.3 (modulo aggiuntivo cantieri 6 h); "
                        "FAQ 2025 n. 44, FAQ 2026 q. 41",
     "source_url": ASR_2025,
     "notes": ("6 h (Part II 2.3, p. 16), only for managers of the contracting firm (FAQ 2025 n. 44). Not a "
               "refresher and has none (Part III). No transition is written for managers (FAQ 2025 n. 45 "
               "speaks of employers). " + NO_ELEARNING)},
    {"code": "employers", "title": "Formazione datori di lavoro", "role": "employer", "risk_classes": "",
     "legal_frame": "asr2025", "initial_hours": "16", "refresher_hours": "6", "window_months": 60,
     "initial_transition_months": 24, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7; {ASR} Parte II p. 3 (16 h), Parte III p. 1.4 "
                        "(6 h ogni 5 anni), Parte VII (24 mesi)",
     "source_url": ASR_2025,
     "notes": ("16 h (Part II 3, p. 17), completed within 24 months of entry into force (Part VII). Employers "
               "trained as RSPP under the 2011 Agreement have full credit (Annex III p. 130; FAQ 2025 n. 7): "
               "record that course against this obligation too. " + NO_ELEARNING + " " + VIDEO)},
    {"code": "employers-construction", "title": "Datori di lavoro impresa affidataria — modulo cantieri",
     "role": "site_employer", "risk_classes": "", "legal_frame": "asr2025", "initial_hours": "6",
     "refresher_hours": None, "window_months": None, "initial_transition_months": 24, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 97 c. 3-ter; {ASR} Parte II p. 3 (modulo aggiuntivo cantieri 6 h), "
                        "Parte VII; FAQ 2025 nn. 44-45, FAQ 2026 qq. 41-42",
     "source_url": ASR_2025,
     "notes": ("6 h (Part II 3, p. 19), only for employers of the contracting firm (FAQ 2025 n. 44); 24-month "
               "transition (FAQ 2025 n. 45). Not a refresher and has none (Part III). " + NO_ELEARNING)},
    {"code": "employer-spp", "title": "Datore di lavoro RSPP — modulo comune", "role": "employer_spp",
     "risk_classes": "", "legal_frame": "asr2025", "initial_hours": "8", "initial_hours_previous": "16",
     "refresher_hours": "8", "window_months": 60, **ABILITANTE, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 34; {ASR} Parte II p. 4 (modulo comune 8 h), Parte III p. 2 "
                        "(8 h ogni 5 anni), Parte VII; FAQ 2026 q. 8",
     "source_url": ASR_2025,
     "notes": ("Common module 8 h (Part II 4, p. 20), after the 16 h employer course. 2011 courses (223/CSR: "
               "16/32/48 h) keep full credit on the common module (Part VII, p. 113). Refresher 8 h every 5 "
               "years from the common module (Part III 2). A refresher later than 10 years no longer counts: "
               "the full course again (Part III; FAQ 2025 n. 12; FAQ 2026 q. 8). " + NO_ELEARNING)},
    *[{"code": f"employer-spp-{sector}", "title": f"Datore di lavoro RSPP — modulo integrativo {label}",
       "role": "employer_spp", "risk_classes": f"sector:{sector}", "legal_frame": "asr2025",
       "initial_hours": hours, "refresher_hours": None, "window_months": None, **ASR_TEST,
       "legal_reference": f"D.Lgs. 81/2008 art. 34; {ASR} Parte II p. 4, modulo integrativo {number} ({hours} h)",
       "source_url": ASR_2025,
       "notes": (f"{hours} h (Part II 4, p. 21). Not a refresher (Part III). 2011 courses count only if the "
                 "attestato carries the sector's ATECO code (Part VII p. 113; FAQ 2025 n. 63): record them by "
                 "hand. " + NO_ELEARNING)}
      for sector, label, number, hours in (("agriculture", "agricoltura", 1, "16"), ("fishing", "pesca", 2, "12"),
                                           ("construction", "costruzioni", 3, "16"),
                                           ("chemical", "chimico", 4, "16"))],
    {"code": "rspp", "title": "RSPP — moduli A, B comune, C", "role": "rspp", "risk_classes": "",
     "legal_frame": "asr2025", "initial_hours": "100", "refresher_hours": "40", "window_months": 60,
     "refresher_from_module": "B",
     **ABILITANTE, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 32; {ASR} Parte II p. 5.2-5.4 (A 28 + B 48 + C 24 h), Parte III p. 3 "
                        "(40 h nel quinquennio); FAQ 2026 q. 8",
     "source_url": ASR_2025,
     "notes": ("Module A 28 h (5.2, p. 23), B common 48 h (5.3, p. 26), C 24 h (5.4, p. 31), final tests "
               "excluded. Refresher 40 h over five years from module B, distributable (Part III 3). Beyond 10 "
               "years without refresher the full course again (Part III; FAQ 2026 q. 8). 2016 course hours "
               "(128/CSR) unverified: only the current hours count. " + NO_ELEARNING)},
    {"code": "aspp", "title": "ASPP — moduli A e B comune", "role": "aspp", "risk_classes": "",
     "legal_frame": "asr2025", "initial_hours": "76", "refresher_hours": "20", "window_months": 60,
     "refresher_from_module": "B",
     **ABILITANTE, **ASR_TEST,
     "legal_reference": f"D.Lgs. 81/2008 art. 32; {ASR} Parte II p. 5.2-5.3 (A 28 + B 48 h), Parte III p. 3 "
                        "(20 h nel quinquennio); FAQ 2026 q. 8",
     "source_url": ASR_2025,
     "notes": "Modules A 28 h + B common 48 h (5.2-5.3). Refresher and 10 years as for the RSPP. " + NO_ELEARNING},
    *[{"code": f"{role}-{module.lower()}", "title": f"{role.upper()} — modulo {module} {label}", "role": role,
       "risk_classes": f"sector:{sector}", "legal_frame": "asr2025", "initial_hours": hours,
       "refresher_hours": None, "window_months": None, **ASR_TEST,
       "legal_reference": f"D.Lgs. 81/2008 art. 32; {ASR} Parte II p. 5.3, modulo {module} ({hours} h)",
       "source_url": ASR_2025,
       "notes": f"{hours} h (Part II 5.3, p. 27). Not a refresher (Part III). " + NO_ELEARNING}
      for role in ("rspp", "aspp")
      for sector, label, module, hours in (("agriculture", "agricoltura", "B-SP1", "16"),
                                           ("fishing", "pesca", "B-SP2", "12"),
                                           ("construction", "costruzioni", "B-SP3", "16"),
                                           ("residential_care", "sanità residenziale", "B-SP4", "12"),
                                           ("chemical", "chimico", "B-SP5", "16"))],
    # --- RLS, D.Lgs. 81/2008 art. 37 c. 11 (as amended by D.L. 159/2025, in force 31/12/2025) ---
    *[{"code": f"rls-{band}", "title": f"RLS — {label}", "role": "rls", "risk_classes": f"staff:{band}",
       "legal_frame": "dlgs81", "initial_hours": "32", "refresher_hours": refresher,
       "window_months": 12 if refresher else None, "final_test_required": True,
       "legal_reference": "D.Lgs. 81/2008 art. 37 c. 11 (32 h, di cui 12 sui rischi specifici, con verifica; "
                          f"aggiornamento {text})",
       "source_url": DLGS_81,
       "notes": ("32 h initial with a learning test (art. 37 c. 11). " + note + " Modes are set by the collective "
                 "agreement (CCNL), not by the ASR: " + UNVERIFIED)}
      for band, label, refresher, text, note in (
          ("lt15", "meno di 15 lavoratori", None, "secondo il CCNL",
           "Under 15 workers the law sets no refresher hours (the CCNL does, by proportionality): none tracked."),
          ("15-50", "da 15 a 50 lavoratori", "4", "almeno 4 h annue",
           "Refresher at least 4 h a year, tracked as 4 h within 12 months of the last."),
          ("gt50", "oltre 50 lavoratori", "8", "almeno 8 h annue",
           "Refresher at least 8 h a year, tracked as 8 h within 12 months of the last."))],
    # --- fire safety, DM 2 settembre 2021 art. 5 c. 5, art. 7 c. 2, Annex III 3.2.5-3.2.6 ---
    *[{"code": f"fire-{level}", "title": f"Addetti antincendio — livello {level}", "role": "fire_warden",
       "risk_classes": f"fire:{level}", "legal_frame": "dm2021", "initial_hours": hours,
       "refresher_hours": refresher, "window_months": 60, "allow_videoconference": False,
       "transition_from": "2022-10-04", "transition_overdue_months": 12, "final_test_required": True,
       "legal_reference": f"DM 2 settembre 2021 All. III p. 3.2.5-3.2.6 (corso {hours} h, aggiornamento "
                          f"{refresher} h), art. 5 c. 5 (almeno quinquennale), art. 7 c. 2",
       "source_url": DM_GSA,
       "notes": (f"{level}-FOR {hours} h, {level}-AGG {refresher} h, including the learning test (Annex III). In "
                 "force 04/10/2022; a course older than five years then was refreshed by 04/10/2023 (art. 7 "
                 "c. 2). Level decided by the employer (Annex III 3.2.1-3.2.4). " + PRACTICE_ONLY)}
      for level, hours, refresher in (("1", "4", "2"), ("2", "8", "5"), ("3", "16", "8"))],
    # --- first aid, DM 388/2003 art. 1 (groups), art. 3 c. 5 (three years), Annexes 3-4 ---
    {"code": "first-aid-a", "title": "Addetti primo soccorso — gruppo A", "role": "first_aider",
     "risk_classes": "fa:A", "legal_frame": "dm388", "initial_hours": "16", "refresher_hours": "6",
     "window_months": 36, "allow_videoconference": False, "final_test_required": False,
     "legal_reference": "DM 388/2003 art. 1 (gruppo A), Allegato 3 (16 h); art. 3 c. 5 (cadenza triennale "
                        "almeno per la capacità di intervento pratico)",
     "source_url": DM_388,
     "notes": ("16 h (Annex 3). Repeated every three years (art. 3 c. 5), but the decree fixes no refresher "
               "hours: 6 h is common practice, not a legal figure. " + PRACTICE_ONLY)},
    {"code": "first-aid-bc", "title": "Addetti primo soccorso — gruppi B e C", "role": "first_aider",
     "risk_classes": "fa:B,fa:C", "legal_frame": "dm388", "initial_hours": "12", "refresher_hours": "4",
     "window_months": 36, "allow_videoconference": False, "final_test_required": False,
     "legal_reference": "DM 388/2003 art. 1 (gruppi B e C), Allegato 4 (12 h); art. 3 c. 5 (cadenza triennale "
                        "almeno per la capacità di intervento pratico)",
     "source_url": DM_388,
     "notes": ("12 h (Annex 4). The decree fixes no refresher hours: 4 h is common practice, not a legal "
               "figure. A worker moving to a group A unit needs the 16 h course. " + PRACTICE_ONLY)},
    # --- continuing medical education ---
    {"code": "ecm", "title": "ECM — educazione continua in medicina", "role": "health_professional",
     "risk_classes": "", "legal_frame": "ecm", "unit": "credits", "initial_hours": "150",
     "refresher_hours": None, "window_months": None, "allow_elearning": True, "final_test_required": True,
     "pass_mark": 75,
     "legal_reference": "D.Lgs. 502/1992 art. 16-bis e seguenti; Commissione nazionale ECM: 150 crediti "
                        "per triennio (2023-2025, 2026-2028)", "source_url": ECM,
     "notes": ("Credits only from accredited providers; cycles are fixed calendar triennia. 150 credits, the "
               "75% test and the 2026-2028 rules (dossier bonuses, credits moved between trienni until "
               "30/06/2026, compensatory credits) are not in the sources at hand: " + UNVERIFIED)},
]

DECIMAL_FIELDS = ("initial_hours", "refresher_hours", "initial_hours_previous", "practical_hours")


def prepared(row: dict) -> dict:
    """A catalogue row as model field values (decimals, dates), without its code."""
    import datetime

    values = {k: v for k, v in row.items() if k != "code"}
    for key in DECIMAL_FIELDS:
        if values.get(key) is not None:
            values[key] = Decimal(values[key])
    if values.get("transition_from"):
        values["transition_from"] = datetime.date.fromisoformat(values["transition_from"])
    return values


def load_catalogue(Obligation) -> int:
    """Create the catalogue rows that do not exist yet (by code). Returns how many were created.

    Works with the historical model of any migration: fields it does not have yet are left out."""
    known = {f.name for f in Obligation._meta.get_fields()}
    created = 0
    for order, row in enumerate(CATALOGUE):
        values = {k: v for k, v in prepared(row).items() if k in known}
        values.setdefault("sort_order", order * 10)
        _obj, was_created = Obligation.objects.get_or_create(code=row["code"], defaults=values)
        created += was_created
    return created


def update_catalogue(Obligation, shipped: dict[str, dict]) -> int:
    """Bring existing rows to the catalogue's figures, field by field, only where a row still holds the
    value ``shipped`` before (by code): a field staff changed is left alone. Returns rows changed."""
    known = {f.name for f in Obligation._meta.get_fields()}
    changed = 0
    for row in CATALOGUE:
        obligation = Obligation.objects.filter(code=row["code"]).first()
        if obligation is None:
            continue
        before = shipped.get(row["code"], {})
        dirty = []
        for key, value in prepared(row).items():
            if key not in known:
                continue  # a field a later migration adds
            if key in before and _normal(getattr(obligation, key)) != _normal(before[key]):
                continue  # edited by staff since it was shipped
            if _normal(getattr(obligation, key)) != _normal(value):
                setattr(obligation, key, value)
                dirty.append(key)
        if dirty:
            obligation.save(update_fields=dirty)
            changed += 1
    return changed


def _normal(value):
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            return Decimal(str(value)) if str(value).replace(".", "", 1).isdigit() else value
        except ArithmeticError:  # pragma: no cover - defensive
            return value
    return value


# The English names of the shipped obligations, shown on English pages (``Obligation.title_en``, filled by
# migration ``0007_obligation_title_en``). The legal references stay in Italian: they cite Italian texts.
ENGLISH_TITLES: dict[str, str] = {
    "workers-low": "Workers' training — low risk",
    "workers-medium": "Workers' training — medium risk",
    "workers-high": "Workers' training — high risk",
    "supervisors": "Supervisors' training (preposti)",
    "managers": "Managers' training (dirigenti)",
    "managers-construction": "Managers of the contracting firm — construction-site module",
    "employers": "Employers' training",
    "employers-construction": "Employers of the contracting firm — construction-site module",
    "employer-spp": "Employer acting as RSPP — common module",
    "employer-spp-agriculture": "Employer acting as RSPP — agriculture module",
    "employer-spp-fishing": "Employer acting as RSPP — fishing module",
    "employer-spp-construction": "Employer acting as RSPP — construction module",
    "employer-spp-chemical": "Employer acting as RSPP — chemical module",
    "rspp": "RSPP — modules A, B common, C",
    "aspp": "ASPP — modules A and B common",
    "rspp-b-sp1": "RSPP — module B-SP1 agriculture",
    "rspp-b-sp2": "RSPP — module B-SP2 fishing",
    "rspp-b-sp3": "RSPP — module B-SP3 construction",
    "rspp-b-sp4": "RSPP — module B-SP4 residential care",
    "rspp-b-sp5": "RSPP — module B-SP5 chemical",
    "aspp-b-sp1": "ASPP — module B-SP1 agriculture",
    "aspp-b-sp2": "ASPP — module B-SP2 fishing",
    "aspp-b-sp3": "ASPP — module B-SP3 construction",
    "aspp-b-sp4": "ASPP — module B-SP4 residential care",
    "aspp-b-sp5": "ASPP — module B-SP5 chemical",
    "rls-lt15": "Workers' safety representative (RLS) — fewer than 15 workers",
    "rls-15-50": "Workers' safety representative (RLS) — 15 to 50 workers",
    "rls-gt50": "Workers' safety representative (RLS) — more than 50 workers",
    "fire-1": "Fire wardens — level 1",
    "fire-2": "Fire wardens — level 2",
    "fire-3": "Fire wardens — level 3",
    "first-aid-a": "First aiders — group A",
    "first-aid-bc": "First aiders — groups B and C",
    "ecm": "ECM — continuing medical education",
}
