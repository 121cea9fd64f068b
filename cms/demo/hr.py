"""Demo content for the HR area: the competence framework, course competences, an HR officer of
"Cooperativa Gruppo Gamma" (hr@gruppogamma.coop / academy-demo) with some staff, a privacy refresher
every 24 months, and a little training history. Idempotent like the rest of the demo."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from academy.competences.models import Competence, CompetenceArea, ExternalTraining, Requirement
from academy.courses.models import CoursePage
from academy.network.models import HROfficer, Organisation, Person

from .base import demo_password, shown_password

DEMO_HR_USERNAME = "hr@gruppogamma.coop"
DEMO_HR_PASSWORD = "academy-demo"  # demo only; listed in the README of the demo

AREAS = [
    ("sistemi-conformita", "Sistemi di gestione e conformità", "Management systems and compliance"),
    ("cura-educazione", "Cura ed educazione", "Care and education"),
    ("direzione", "Direzione e governance", "Leadership and governance"),
    ("digitale", "Digitale", "Digital"),
]

COMPETENCES = [
    ("protezione-dati", "sistemi-conformita", "Protezione dei dati personali", "Data protection"),
    ("rischio-clinico", "sistemi-conformita", "Gestione del rischio clinico", "Clinical risk management"),
    ("educazione-prima-infanzia", "cura-educazione", "Educazione della prima infanzia",
     "Early-childhood education"),
    ("leadership-management", "direzione", "Leadership e management", "Leadership and management"),
    ("competenze-digitali", "digitale", "Competenze digitali", "Digital skills"),
]

COURSE_COMPETENCES = {
    "privacy-tutela-salute-adempimenti": ["protezione-dati", "competenze-digitali"],
    "rischio-clinico-imprese-sociali": ["rischio-clinico"],
    "imprese-sociali-educazione-resistere-ripartire": ["educazione-prima-infanzia"],
    "masterclass-nuova-classe-dirigente": ["leadership-management", "competenze-digitali"],
    "welfare-territoriale-piattaforme-digitali": ["competenze-digitali"],
    "attrattivita-professioni-cura": ["leadership-management"],
}

STAFF = [
    # first, last, e-mail, job role
    ("Giulia", "Ferrari", "giulia.ferrari@gruppogamma.coop", "Educatrice"),
    ("Marco", "Ricci", "marco.ricci@gruppogamma.coop", "Operatore socio-sanitario"),
    ("Chiara", "Galli", "chiara.galli@gruppogamma.coop", "Coordinatrice"),
    ("Paolo", "Conti", "paolo.conti@gruppogamma.coop", "Educatore"),
    ("Elena", "Marino", "elena.marino@gruppogamma.coop", "Amministrazione"),
]


def load_competences(ctx) -> None:
    areas = {}
    for index, (slug, name, name_en) in enumerate(AREAS):
        areas[slug], _ = CompetenceArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": index})
    competences = {}
    for slug, area, name, name_en in COMPETENCES:
        competences[slug], _ = Competence.objects.get_or_create(
            slug=slug, defaults={"area": areas[area], "name": name, "name_en": name_en})

    default_locale = ctx.it.pk if ctx.it else None
    for slug, wanted in COURSE_COMPETENCES.items():
        page = CoursePage.objects.filter(slug=slug, locale_id=default_locale).first()
        if page is None:
            continue
        page = page.specific
        if not page.competences.exists():
            page.competences.set([competences[c] for c in wanted])
            revision = page.save_revision()
            if page.live:
                revision.publish()
            ctx.log.append(f"competences of {slug}")

    gamma = Organisation.objects.filter(name="Cooperativa Gruppo Gamma").first()
    if gamma is None:
        return
    user = get_user_model().objects.filter(username=DEMO_HR_USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_user(DEMO_HR_USERNAME, email=DEMO_HR_USERNAME,
                                                    password=demo_password(DEMO_HR_PASSWORD), first_name="Anna",
                                                    last_name="Risorse")
        ctx.log.append(f"HR officer {DEMO_HR_USERNAME} (password {shown_password(DEMO_HR_PASSWORD)})")
    HROfficer.objects.get_or_create(user=user, organisation=gamma)
    Person.objects.get_or_create(email=DEMO_HR_USERNAME, defaults={
        "user": user, "first_name": "Anna", "last_name": "Risorse", "organisation": gamma,
        "job_role": "Responsabile risorse umane", "email_verified": True, "on_roster": True})

    staff = {}
    for first, last, email, role in STAFF:
        staff[email], _ = Person.objects.get_or_create(email=email, defaults={
            "first_name": first, "last_name": last, "organisation": gamma, "job_role": role,
            "email_verified": True, "on_roster": True})

    privacy = CoursePage.objects.filter(slug="privacy-tutela-salute-adempimenti", locale_id=default_locale).first()
    if privacy is not None:
        Requirement.objects.get_or_create(
            organisation=gamma, course=privacy, job_role="",
            defaults={"renewal_months": 24, "label": "Aggiornamento privacy ogni 24 mesi"})
        # Chiara did an external privacy course 23 months ago: her refresher is expiring.
        chiara = staff["chiara.galli@gruppogamma.coop"]
        if not ExternalTraining.objects.filter(person=chiara).exists():
            training = ExternalTraining.objects.create(
                person=chiara, title="GDPR nei servizi alla persona", provider="Ente di formazione regionale",
                date=ctx.today - datetime.timedelta(days=700), hours=Decimal("8"), equivalent_course=privacy,
                entered_by=user)
            training.competences.set([competences["protezione-dati"]])

    # Past courses with attendance and certificates come from cms.demo.certificates.load_history,
    # which issues them through the real attendance rule and certificate service.
