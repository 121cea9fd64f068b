"""Demo content taken from the network's own documents (see ../shared/seeds/), for every app.

Idempotent: everything is looked up by a natural key (slug, name, tax code, username) before it is
created, so running ``manage.py load_demo`` again changes nothing that exists. Course dates are
relative to today, so the site always has upcoming and past courses. The package sits in the top
layer, so it may use every app's services.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .base import DemoContext, publish, rome, translate
from .certificates import load_history
from .courses import demo_courses, ensure_course, load_programme
from .evaluation import load_evaluation
from .funding import load_funding
from .hr import load_competences
from .masterclass import MASTERCLASS_SLUG, load_masterclass
from .network import AREAS, ORGANISATIONS, TRAINERS, load_network
from .obligations import load_obligations
from .site import load_site

# In order: each loader may use what the previous ones put in the context.
LOADERS = [load_site, load_network, load_programme, load_masterclass, load_competences, load_history,
           load_obligations, load_evaluation, load_funding]

__all__ = [
    "AREAS", "LOADERS", "MASTERCLASS_SLUG", "ORGANISATIONS", "TRAINERS", "DemoContext", "demo_courses",
    "ensure_course", "load_all", "load_competences", "load_evaluation", "load_funding", "load_history",
    "load_masterclass", "load_network", "load_obligations",
    "load_programme", "load_site", "publish", "rome", "translate",
]


@transaction.atomic
def load_all(today: datetime.date | None = None) -> DemoContext:
    ctx = DemoContext(today=today or timezone.localdate())
    for loader in LOADERS:
        loader(ctx)
    return ctx
