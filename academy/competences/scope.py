"""Who an HR officer may see: every HR view, export, import and the digest go through ``scope_for``.

The organisation tree itself lives in ``academy.network.models.OrganisationQuerySet``; here it is
only applied to people.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.network.models import HROfficer, Organisation, Person


def is_hr_user(user) -> bool:
    """Staff (superusers included) or an HR officer of at least one organisation.

    Remembered on the user object, which lives for one request: the HR views and the menu both ask."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_academy_is_hr_user", None)
    if known is None:
        known = is_staff(user) or HROfficer.objects.filter(user=user).exists()
        user._academy_is_hr_user = known
    return known


def scope_for(user) -> QuerySet[Organisation]:
    """Organisations whose staff ``user`` may see: all for staff; for an HR officer, their
    organisation and, for a consortium, its members (and their members), as one lazy subquery."""
    return Organisation.objects.visible_to(user)


def people_in_scope(user, organisation: Organisation | None = None) -> QuerySet[Person]:
    """People (not anonymised) employed by an organisation in the user's scope."""
    orgs = scope_for(user)
    if organisation is not None:
        orgs = orgs.filter(pk=organisation.pk)
    return Person.objects.filter(organisation__in=orgs, anonymised_at__isnull=True)


def person_in_scope(user, person_id: int) -> Person:
    """The person if ``user`` may see them, else 404 (not 403: outsiders learn nothing)."""
    person = people_in_scope(user).select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No such person."))
    return person
