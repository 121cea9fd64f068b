"""The obligations catalogue as shipped: every figure with its legal reference and how it was checked.

Loaded by migration ``0002_catalogue`` (``load_catalogue``: creates missing rows by ``code``, never
overwrites what staff have edited since). ``docs/mandatory-training.md`` lists the same figures with
their sources; a figure the sources at hand could not confirm says so in ``notes``.
"""

from __future__ import annotations

from decimal import Decimal

DLGS_81 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2008-04-09;81"
ASR_2025 = "https://www.statoregioni.it/"
DM_388 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:ministero.salute:decreto:2003-07-15;388"
DM_GSA = "https://www.vigilfuoco.it/"
ECM = "https://ape.agenas.it/"

ASR = "Accordo Stato-Regioni 17 aprile 2025"
UNVERIFIED = "Figure not confirmed against the official text with the sources available; check before relying on it."
SECONDARY = ("Found quoted in a secondary source, not in the official text (see docs/mandatory-training.md); "
             "check against the Gazzetta Ufficiale before relying on it.")

CATALOGUE: list[dict] = [
    # --- health and safety, D.Lgs. 81/2008 art. 37 and the State-Regions Agreement of 17 April 2025 ---
    {"code": "workers-low", "title": "Formazione lavoratori — rischio basso", "role": "worker",
     "risk_classes": "hs:low", "initial_hours": "8", "refresher_hours": "6", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 1-2; {ASR}: generale 4 h + specifica 4 h, "
                        "aggiornamento 6 h ogni 5 anni", "source_url": DLGS_81,
     "notes": "Split 4 h general + 4 h specific (low risk); e-learning not counted by default. " + UNVERIFIED},
    {"code": "workers-medium", "title": "Formazione lavoratori — rischio medio", "role": "worker",
     "risk_classes": "hs:medium", "initial_hours": "12", "refresher_hours": "6", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 1-2; {ASR}: generale 4 h + specifica 8 h, "
                        "aggiornamento 6 h ogni 5 anni", "source_url": DLGS_81, "notes": UNVERIFIED},
    {"code": "workers-high", "title": "Formazione lavoratori — rischio alto", "role": "worker",
     "risk_classes": "hs:high", "initial_hours": "16", "refresher_hours": "6", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 1-2; {ASR}: generale 4 h + specifica 12 h, "
                        "aggiornamento 6 h ogni 5 anni", "source_url": DLGS_81, "notes": UNVERIFIED},
    {"code": "supervisors", "title": "Formazione preposti", "role": "supervisor", "risk_classes": "",
     "initial_hours": "12", "refresher_hours": "6", "window_months": 24,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7 e 7-ter (in presenza, almeno biennale); {ASR}: "
                        "12 h, aggiornamento 6 h ogni 2 anni", "source_url": DLGS_81,
     "notes": "Art. 37 c. 7-ter (introduced by L. 215/2021): in presence, repeated at least every two years; "
              "12 h from the 2025 Agreement (Part II point 2.2; 8 h before). " + SECONDARY
              + " Refresher hours: " + UNVERIFIED},
    {"code": "managers", "title": "Formazione dirigenti", "role": "manager", "risk_classes": "",
     "initial_hours": "12", "refresher_hours": "6", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7; {ASR}: aggiornamento 6 h ogni 5 anni",
     "source_url": DLGS_81, "notes": "Initial 12 h (2025 Agreement Part II point 2.3; 16 h before): " + SECONDARY},
    {"code": "employers", "title": "Formazione datori di lavoro", "role": "employer", "risk_classes": "",
     "initial_hours": "16", "refresher_hours": "6", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 37 c. 7 (come modificato dal D.L. 146/2021); {ASR}: "
                        "aggiornamento 6 h ogni 5 anni", "source_url": DLGS_81, "notes": "Initial 16 h: " + UNVERIFIED},
    {"code": "rspp", "title": "RSPP — aggiornamento", "role": "rspp", "risk_classes": "",
     "initial_hours": "100", "refresher_hours": "40", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 32; {ASR}: aggiornamento 40 h nel quinquennio "
                        "(monte ore distribuibile nel quinquennio)", "source_url": DLGS_81,
     "notes": "40 h over five years, distributable across them (2025 Agreement Part III point 3): " + SECONDARY
              + " Initial hours = modules A + B + C (28 + 48 + 24 under the 2016 Agreement): " + UNVERIFIED},
    {"code": "aspp", "title": "ASPP — aggiornamento", "role": "aspp", "risk_classes": "",
     "initial_hours": "76", "refresher_hours": "20", "window_months": 60,
     "legal_reference": f"D.Lgs. 81/2008 art. 32; {ASR}: aggiornamento 20 h nel quinquennio",
     "source_url": DLGS_81, "notes": "Initial hours = modules A + B (28 + 48): " + UNVERIFIED},
    # --- fire safety, DM 2 settembre 2021 (GSA) art. 5 and Annex III ---
    {"code": "fire-1", "title": "Addetti antincendio — livello 1", "role": "fire_warden",
     "risk_classes": "fire:1", "initial_hours": "4", "refresher_hours": "2", "window_months": 60,
     "legal_reference": "DM 2 settembre 2021 art. 5 e Allegato III: corso 4 h, aggiornamento 2 h almeno ogni 5 anni",
     "source_url": DM_GSA, "allow_videoconference": False,
     "notes": "Includes practical exercises, which a videoconference cannot deliver: only classroom counts. "
              + UNVERIFIED},
    {"code": "fire-2", "title": "Addetti antincendio — livello 2", "role": "fire_warden",
     "risk_classes": "fire:2", "initial_hours": "8", "refresher_hours": "5", "window_months": 60,
     "legal_reference": "DM 2 settembre 2021 art. 5 e Allegato III: corso 8 h, aggiornamento 5 h almeno ogni 5 anni",
     "source_url": DM_GSA, "allow_videoconference": False, "notes": UNVERIFIED},
    {"code": "fire-3", "title": "Addetti antincendio — livello 3", "role": "fire_warden",
     "risk_classes": "fire:3", "initial_hours": "16", "refresher_hours": "8", "window_months": 60,
     "legal_reference": "DM 2 settembre 2021 art. 5 e Allegato III: corso 16 h, aggiornamento 8 h almeno ogni 5 anni",
     "source_url": DM_GSA, "allow_videoconference": False, "notes": UNVERIFIED},
    # --- first aid, DM 388/2003 art. 3 and Annexes 3-4 ---
    {"code": "first-aid-a", "title": "Addetti primo soccorso — gruppo A", "role": "first_aider",
     "risk_classes": "fa:A", "initial_hours": "16", "refresher_hours": "6", "window_months": 36,
     "legal_reference": "DM 388/2003 art. 3 e Allegato 3: 16 h; formazione ripetuta con cadenza triennale "
                        "almeno per la capacità di intervento pratico (art. 3 c. 5)",
     "source_url": DM_388, "allow_videoconference": False,
     "notes": "The decree fixes the three-year repetition (art. 3 c. 5) but not the refresher's hours: 6 h is "
              "common practice (the practical module of Annex 3), not a legal figure."},
    {"code": "first-aid-bc", "title": "Addetti primo soccorso — gruppi B e C", "role": "first_aider",
     "risk_classes": "fa:B,fa:C", "initial_hours": "12", "refresher_hours": "4", "window_months": 36,
     "legal_reference": "DM 388/2003 art. 3 e Allegato 4: 12 h; formazione ripetuta con cadenza triennale "
                        "almeno per la capacità di intervento pratico (art. 3 c. 5)",
     "source_url": DM_388, "allow_videoconference": False,
     "notes": "The decree does not fix the refresher's hours: 4 h is common practice (the practical module "
              "of Annex 4), not a legal figure."},
    # --- continuing medical education ---
    {"code": "ecm", "title": "ECM — educazione continua in medicina", "role": "health_professional",
     "risk_classes": "", "unit": "credits", "initial_hours": "150", "refresher_hours": None,
     "window_months": None, "allow_elearning": True,
     "legal_reference": "D.Lgs. 502/1992 art. 16-bis e seguenti; Commissione nazionale ECM: 150 crediti "
                        "per triennio (2023-2025, 2026-2028)", "source_url": ECM,
     "notes": "Credits only from accredited providers; cycles are fixed calendar triennia."},
]


def load_catalogue(Obligation) -> int:
    """Create the catalogue rows that do not exist yet (by code). Returns how many were created."""
    created = 0
    for order, row in enumerate(CATALOGUE):
        values = dict(row)
        code = values.pop("code")
        for key in ("initial_hours", "refresher_hours"):
            if values.get(key) is not None:
                values[key] = Decimal(values[key])
        values.setdefault("sort_order", order * 10)
        _obj, was_created = Obligation.objects.get_or_create(code=code, defaults=values)
        created += was_created
    return created
