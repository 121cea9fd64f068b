"""Demo content for mandatory training: "Cooperativa Gruppo Gamma" (medium risk, fire level 2,
first-aid group B) with a residential unit at high risk, so its workers fall in two risk classes; a
coordinator mapped to supervisor, a designated first aider, a nurse with ECM credits; some workers
compliant, two due for the 6-hour refresher within 90 days, one overdue (never trained); and an
upcoming webinar that satisfies the 6-hour workers' refresher (real-time videoconference), for which
the demo HR officer can register them from the dashboard. Idempotent like the rest of the demo."""

from __future__ import annotations

import datetime
from decimal import Decimal

from academy.competences.external import record_ecm_credits
from academy.competences.models import ExternalTraining
from academy.courses.models import CoursePage, Trainer
from academy.evaluation.models import TestQuestion
from academy.network.models import Organisation, Person
from academy.obligations import services
from academy.obligations.models import CourseModule, Designation, Obligation
from academy.obligations.rules import add_months
from webinars.models import WebinarPage

from .courses import DemoCourse, ensure_course
from .obligations_quiz import REFRESHER_QUIZ

UNIT_NAME = "Gruppo Gamma — Comunità residenziale"
REFRESHER_SLUG = "aggiornamento-sicurezza-lavoratori-6-ore"
PROVIDER = "Ente di formazione regionale"
TUTOR = ("Lucia Ferraro", "Tutor d'aula virtuale della formazione a distanza", "Virtual classroom tutor")

# e-mail → (first, last, job role, unit?, [(obligation code, months ago, hours, mode)], designations)
WORKERS = {
    # compliant: trained three years ago
    "giulia.ferrari@gruppogamma.coop": ("Giulia", "Ferrari", "Educatrice", False,
                                        [("workers-medium", 36, "12", "classroom")], []),
    # due within 90 days: trained five years ago less two months
    "marco.ricci@gruppogamma.coop": ("Marco", "Ricci", "Operatore socio-sanitario", False,
                                     [("workers-medium", 59, "12", "classroom")], []),
    "paolo.conti@gruppogamma.coop": ("Paolo", "Conti", "Educatore", False,
                                     [("workers-medium", 58, "8", "classroom"),
                                      ("workers-medium", 58, "4", "videoconference"),
                                      ("fire-2", 20, "8", "classroom")], ["fire_warden"]),
    # supervisor: worker training done, supervisor refresher still valid
    "chiara.galli@gruppogamma.coop": ("Chiara", "Galli", "Coordinatrice", False,
                                      [("workers-medium", 30, "12", "classroom"),
                                       ("supervisors", 14, "12", "videoconference")], []),
    # the demo HR officer herself
    "hr@gruppogamma.coop": ("Anna", "Risorse", "Responsabile risorse umane", False,
                            [("workers-medium", 20, "12", "classroom")], []),
    # overdue: never trained (an office job: low risk by the risk assessment, see EMPLOYMENT)
    "elena.marino@gruppogamma.coop": ("Elena", "Marino", "Amministrazione", False, [], []),
    # hired next week, not trained yet: due by the first day (D.Lgs. 81/2008 art. 37 c. 4)
    "nadia.costa@gruppogamma.coop": ("Nadia", "Costa", "Educatrice", False, [], []),
    # the high-risk unit
    "luca.moretti@gruppogamma.coop": ("Luca", "Moretti", "Operatore socio-sanitario", True,
                                      [("workers-high", 24, "16", "classroom"),
                                       ("first-aid-bc", 12, "12", "classroom")], ["first_aider"]),
    "sara.bruno@gruppogamma.coop": ("Sara", "Bruno", "Infermiera", True,
                                    [("workers-high", 40, "16", "classroom")], ["health_professional"]),
}

# e-mail → (hired how many days from today, risk class of the job when the risk assessment sets it apart)
EMPLOYMENT = {
    "elena.marino@gruppogamma.coop": (-700, "low"),
    "nadia.costa@gruppogamma.coop": (7, ""),
    "giulia.ferrari@gruppogamma.coop": (-1500, ""),
}


# The legal cases HR should see (e-mail → first, last, job role, designations, [(obligation, end date, hours)]):
LEGAL_CASES = {
    # supervisor trained between 24/05/2023 and 23/05/2025: refresher by May 2027 (FAQ ASR 2025 n. 17)
    "giorgio.lodi@gruppogamma.coop": ("Giorgio", "Lodi", "Coordinatore", [], [
        ("workers-medium", lambda today: add_months(today, -24), "12"),
        ("supervisors", datetime.date(2023, 9, 15), "12")]),
    # employer without the 16-hour course: 24 months from entry into force (ASR 2025 Part VII)
    "rita.sala@gruppogamma.coop": ("Rita", "Sala", "Presidente", ["employer"], [
        ("workers-medium", lambda today: add_months(today, -30), "12")]),
    # first aider whose three-year repetition falls due next month (DM 388/2003 art. 3 c. 5)
    "ivo.neri@gruppogamma.coop": ("Ivo", "Neri", "Educatore", ["first_aider"], [
        ("workers-medium", lambda today: add_months(today, -12), "12"),
        ("first-aid-bc", lambda today: add_months(today, -35), "12")]),
    # RSPP qualified more than ten years ago without refreshers: the full course again (Part III; FAQ 2026 q. 8)
    "franco.villa@gruppogamma.coop": ("Franco", "Villa", "RSPP", ["rspp"], [
        ("workers-medium", lambda today: add_months(today, -12), "12"),
        ("rspp", lambda today: add_months(today, -12 * 11), None)]),
}


def refresher_course() -> DemoCourse:
    return DemoCourse(
        REFRESHER_SLUG, WebinarPage,
        "Aggiornamento sicurezza dei lavoratori (6 ore)",
        "Workers' health and safety refresher (6 hours)",
        "<p>Aggiornamento quinquennale della formazione dei lavoratori (D.Lgs. 81/2008 art. 37, Accordo "
        "Stato-Regioni del 17 aprile 2025) in videoconferenza sincrona: rischi del settore socio-sanitario "
        "ed educativo, organizzazione della prevenzione, novità normative.</p>",
        ["Rischi specifici nei servizi alla persona", "Movimentazione dei carichi e dei pazienti",
         "Stress lavoro-correlato e aggressioni", "Novità normative"],
        ["socio-sanitario"], ["Mario Iesurum"],
        [(21, (9, 0), (12, 0), "online"), (28, (9, 0), (12, 0), "online")],
        hours="6", capacity=40, extra={"attendance_threshold": 90},
        abstract_en="<p>The five-yearly refresher of workers' health and safety training (D.Lgs. 81/2008 "
                    "art. 37, State-Regions Agreement of 17 April 2025) by real-time videoconference: the "
                    "risks of social, health and educational services, how prevention is organised, and "
                    "what changed in the law.</p>",
        topics_en=["Specific risks in personal care services", "Moving loads and patients",
                   "Work-related stress and aggression", "What changed in the law"],
        slug_en="workers-safety-refresher-6-hours",
    )


def load_obligations(ctx) -> None:
    gamma = Organisation.objects.filter(name="Cooperativa Gruppo Gamma").first()
    if gamma is None or not Obligation.objects.exists():
        return
    unit, created = Organisation.objects.get_or_create(
        name=UNIT_NAME, defaults={"parent": gamma, "kind": gamma.kind, "city": gamma.city, "region": gamma.region,
                                  "email_domains": ""})
    if created:
        ctx.log.append(f"organisation {UNIT_NAME}")
    services.set_risk_profile(gamma, risk_class="medium", fire_level="2", first_aid_group="B")
    services.set_risk_profile(unit, risk_class="high", fire_level="2", first_aid_group="B")
    services.map_job_role(gamma, "Coordinatrice", "supervisor")
    services.map_job_role(gamma, "Coordinatore", "supervisor")

    catalogue = {o.code: o for o in Obligation.objects.all()}
    for email, (first, last, job_role, in_unit, training, designations) in WORKERS.items():
        person, _ = Person.objects.get_or_create(email=email, defaults={
            "first_name": first, "last_name": last, "organisation": unit if in_unit else gamma,
            "job_role": job_role, "email_verified": True, "on_roster": True})
        for role in designations:
            Designation.objects.get_or_create(person=person, role=role)
        if ExternalTraining.objects.filter(person=person, obligation__isnull=False).exists():
            continue
        for code, months_ago, hours, mode in training:
            ExternalTraining.objects.create(
                person=person, obligation=catalogue[code], title=catalogue[code].title, provider=PROVIDER,
                date=add_months(ctx.today, -months_ago), hours=Decimal(hours), delivery_mode=mode)
    for email, (first, last, job_role, designations, training) in LEGAL_CASES.items():
        person, _ = Person.objects.get_or_create(email=email, defaults={
            "first_name": first, "last_name": last, "organisation": gamma, "job_role": job_role,
            "email_verified": True, "on_roster": True})
        for role in designations:
            Designation.objects.get_or_create(person=person, role=role)
        if ExternalTraining.objects.filter(person=person, obligation__isnull=False).exists():
            continue
        for code, day, hours in training:
            day = day(ctx.today) if callable(day) else day
            hours = catalogue[code].initial_hours if hours is None else Decimal(hours)
            ExternalTraining.objects.create(person=person, obligation=catalogue[code], title=catalogue[code].title,
                                            provider=PROVIDER, date=day, hours=hours, delivery_mode="classroom")
    for email, (days, risk_class) in EMPLOYMENT.items():
        person = Person.objects.get(email=email)
        if not hasattr(person, "employment"):
            services.set_employment(person, hired_on=ctx.today + datetime.timedelta(days=days), risk_class=risk_class)
    nurse = Person.objects.get(email="sara.bruno@gruppogamma.coop")
    if not ExternalTraining.objects.filter(person=nurse, ecm_event_id="201-2026").exists():
        record_ecm_credits(nurse, ecm_provider_id="1234", ecm_event_id="201-2026", provider="Provider ECM regionale",
                           title="Lesioni da pressione", credits=Decimal("24"),
                           date=max(datetime.date(ctx.today.year, 1, 15), ctx.today - datetime.timedelta(days=200)))

    course = ensure_course(ctx, refresher_course())
    if not CourseModule.objects.filter(course=course).exists():
        CourseModule.objects.create(course=course, obligation=catalogue["workers-medium"],
                                    title="Aggiornamento lavoratori", hours=Decimal(6),
                                    delivery_mode="videoconference")
        CourseModule.objects.create(course=course, obligation=catalogue["workers-high"],
                                    title="Aggiornamento lavoratori", hours=Decimal(6),
                                    delivery_mode="videoconference", sort_order=1)
    meet_the_agreement(course)


def meet_the_agreement(course) -> None:
    """What the admin's check (``academy.obligations.course_rules``) asks of a distance course under the 2025
    Agreement: a tutor who is not one of its trainers (Part IV 1.7; FAQ 2025 nn. 59-60) and a required final
    test of at least 30 questions with three choices, passed with 70 % (Part IV 6.3; FAQ 2025 n. 52)."""
    name, bio, bio_en = TUTOR
    tutor, _ = Trainer.objects.get_or_create(name=name, defaults={"bio": bio, "bio_en": bio_en})
    CoursePage.objects.filter(translation_key=course.translation_key).update(tutor=tutor)
    evaluation = services.apply_legal_test(course)
    if evaluation is None or evaluation.test_questions.exists():
        return
    for order, (text, choices, text_en, choices_en, correct) in enumerate(REFRESHER_QUIZ):
        TestQuestion.objects.create(evaluation=evaluation, sort_order=order, text_it=text, choices_it=choices,
                                    text_en=text_en, choices_en=choices_en, correct=correct)
