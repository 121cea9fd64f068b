"""The privacy notice (GDPR art. 13) in both languages: controller, DPO, bases, recipients incl.
Microsoft, transfers, retention periods with what erasure keeps, rights and the Garante, cookies."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "expected", "foreign"), [
    ("/it/privacy/", ["Titolare del trattamento", "DPO", "art. 6.1.b", "Microsoft", "EU Data Boundary",
                      "Clausole contrattuali tipo", "10 anni", "art. 17.3.b", "15–22", "Garante", "Cookie"],
     "Controller"),
    ("/en/privacy/", ["Controller", "DPO", "art. 6(1)(b)", "Microsoft", "EU Data Boundary",
                      "Standard Contractual Clauses", "10 years", "art. 17(3)(b)", "15–22", "Garante", "Cookies"],
     "Titolare"),
])
def test_privacy_notice_names_what_a_dpo_expects(site, client, url, expected, foreign):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    for phrase in expected:
        assert phrase in text, phrase
    assert foreign not in text
