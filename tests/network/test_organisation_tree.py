"""The organisation tree (one queryset) and the tax-code validators."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from academy.network.models import HROfficer, Organisation
from academy.network.validators import validate_codice_fiscale, validate_organisation_tax_code


def test_managed_by_is_the_officer_subtree_and_visible_to_adds_staff(site):
    solco = site.organisations["Consorzio Solco Cremona"]
    user = get_user_model().objects.create_user("hr")
    HROfficer.objects.create(user=user, organisation=solco)
    managed = set(Organisation.objects.managed_by(user))
    assert solco in managed and site.organisations["Stripes Cooperativa Sociale"] not in managed
    assert all(o == solco or o.parent == solco or o.parent.parent == solco for o in managed)
    assert set(Organisation.objects.visible_to(user)) == managed
    boss = get_user_model().objects.create_user("boss", is_superuser=True)
    assert not Organisation.objects.managed_by(boss).exists()
    assert Organisation.objects.visible_to(boss).count() == Organisation.objects.count()
    member = next(o for o in managed if o.parent_id == solco.pk)
    assert set(Organisation.objects.ancestors_of([member.pk])) >= {member, solco}
    assert Organisation.objects.with_chain().get(pk=member.pk).chain[:2] == (member.pk, solco.pk)


def test_tax_code_messages():
    validate_codice_fiscale("RSSMRA85T10A562S")
    validate_organisation_tax_code("01405780196")
    with pytest.raises(ValidationError) as bad_person:
        validate_codice_fiscale("RSSMRA85T10A562T")
    assert bad_person.value.code == "invalid_codice_fiscale"
    assert "RSSMRA85T10A562T" in bad_person.value.messages[0]
    with pytest.raises(ValidationError) as bad_org:
        validate_organisation_tax_code("12345678901")
    assert bad_org.value.code == "invalid_tax_code"
