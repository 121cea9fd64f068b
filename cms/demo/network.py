"""Demo network: thematic areas, trainers and the organisations of the network (from its documents)."""

from __future__ import annotations

import datetime

from academy.courses.models import ThematicArea, Trainer
from academy.network.models import Organisation

from .base import DemoContext

AREAS = [
    ("educazione", "Educazione", "Education",
     "Servizi educativi 0–29 anni, approccio educante con valore trasformativo."),
    ("socio-sanitario", "Socio-sanitario", "Health and social care",
     "Domiciliarità, servizi socio-sanitari, co-programmazione con Comuni e ASL."),
    ("digitale", "Digitale", "Digital",
     "Il digitale come leva per rivedere i processi; piattaforme di welfare territoriale."),
    ("sostenibilita", "Sostenibilità", "Sustainability",
     "Comunità energetiche rinnovabili e filiere sostenibili."),
    ("cultura-rigenerazione", "Cultura e rigenerazione", "Culture and regeneration",
     "Rigenerazione di beni, produzione culturale, welfare culturale."),
    ("politiche-lavoro", "Politiche del lavoro", "Labour policies",
     "Attrattività delle figure professionali e nuovi modelli di avvio al lavoro."),
    ("sistemi-gestione", "Sistemi di gestione", "Management systems",
     "Privacy, rischio clinico, qualità e adempimenti nei servizi."),
]

ORGANISATIONS = [
    # name, kind, parent, tax code, domains, city, region
    ("Consorzio Nazionale CGM", "national", None, "03067450175", "cgm.coop", "Milano", "Lombardia"),
    ("Consorzio Solco Cremona", "territorial", "Consorzio Nazionale CGM", "00936000199",
     "solcocremona.it", "Cremona", "Lombardia"),
    ("Consorzio Proodos", "territorial", "Consorzio Nazionale CGM", "07213510634",
     "consorzioproodos.it", "Napoli", "Campania"),
    ("Mestieri Cremona", "cooperative", "Consorzio Solco Cremona", "01405780196", "mestiericremona.it",
     "Cremona", "Lombardia"),
    ("Cooperativa Gruppo Gamma", "cooperative", "Consorzio Solco Cremona", "00825690191",
     "gruppogamma.coop", "Cremona", "Lombardia"),
    ("Cooperativa Nazareth", "cooperative", "Consorzio Solco Cremona", "00934740192", "nazareth.coop",
     "Cremona", "Lombardia"),
    ("Cooperativa Cosper", "cooperative", "Consorzio Solco Cremona", "00906400197", "cosper.coop",
     "Cremona", "Lombardia"),
    ("Stripes Cooperativa Sociale", "cooperative", "Consorzio Nazionale CGM", "09327240157",
     "stripes.coop", "Rho", "Lombardia"),
]

TRAINERS = [
    ("Daniele Consoletti", "avvocato esperto di sistemi privacy", "Lawyer, expert in privacy systems"),
    ("Mario Iesurum", "formatore e consulente esperto in risk management",
     "Trainer and consultant in risk management"),
    ("Laura Malavasi", "pedagogista", "Pedagogist"),
    ("Francesca Battistoni", "esperta in innovazione sociale, socia fondatrice di Social Seed",
     "Social innovation expert, co-founder of Social Seed"),
    ("Flaviano Zandonai", "ricercatore sull'impresa sociale", "Social enterprise researcher"),
    ("Francesca Scarinci", "direttrice di CgMoving, esperta di progettazione territoriale",
     "Director of CgMoving, territorial planning expert"),
]


def load_network(ctx: DemoContext) -> None:
    for index, (slug, name, name_en, description) in enumerate(AREAS):
        area, _ = ThematicArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "description": description,
                                 "sort_order": index})
        ctx.areas[slug] = area
    for name, title, title_en in TRAINERS:
        # The short description is the bio in both languages (``title`` is not translated).
        trainer, _ = Trainer.objects.get_or_create(name=name, defaults={"bio": title, "bio_en": title_en})
        ctx.trainers[name] = trainer
    for name, kind, parent, tax_code, domains, city, region in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            tax_code=tax_code,
            defaults={"name": name, "kind": kind, "parent": ctx.organisations.get(parent),
                      "email_domains": domains, "city": city, "region": region,
                      "member_from": datetime.date(2015, 1, 1)},
        )
        ctx.organisations[name] = org
