"""The trainers' area is a working page (issue 27, item 13): upcoming courses first (then past ones, the
latest first), upload forms folded until needed, and a link to the evaluation results."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_upcoming_courses_first_forms_folded_and_a_link_to_the_results(client, make_course, make_trainer):
    old = make_course(title="Corso passato", days=(-60,))
    older = make_course(title="Corso più vecchio", days=(-90,))
    later = make_course(title="Corso tra un mese", days=(30,))
    soon = make_course(title="Corso domani", days=(1,))
    trainer = make_trainer()
    for course in (old, older, later, soon):
        course.trainers.add(trainer)
        course.save()
    client.force_login(trainer.user)
    html = client.get(reverse("materials:trainer_home")).content.decode()
    titles = re.findall(r'data-testid="trainer-course">\s*<h2><a[^>]*>([^<]+)</a>', html)
    assert titles == ["Corso domani", "Corso tra un mese", "Corso passato", "Corso più vecchio"]
    assert reverse("evaluation:trainer_results") in html
    forms = re.findall(r'<form method="post" enctype="multipart/form-data"', html)
    folded = re.findall(r'<details class="upload">\s*<summary>[^<]*</summary>\s*<form method="post" enctype', html)
    assert len(forms) == 4 and len(folded) == 4
