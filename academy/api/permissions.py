"""Who may call what: the token's scope for writes, and the role checks the pages use (one function
each, imported from the app that owns the rule)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission

from academy.competences.scope import is_hr_user, people_in_scope, scope_for
from academy.core.permissions import is_staff
from academy.network.models import Organisation, Person


class TokenScope(BasePermission):
    """Signed in with a token; reads need any token, writes a ``write`` token."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            return False
        return request.method in SAFE_METHODS or token.may_write


class IsHR(TokenScope):
    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_hr_user(request.user)


class IsStaff(TokenScope):
    def has_permission(self, request, view) -> bool:
        # An organisation token never carries staff powers, whoever holds it.
        return (super().has_permission(request, view) and request.auth.organisation_id is None
                and is_staff(request.user))


def hr_people(request) -> QuerySet[Person]:
    """The people an HR call may see: the pages' scope, narrowed to the organisation of an
    organisation token."""
    people = people_in_scope(request.user)
    token = request.auth
    if token is not None and token.organisation_id:
        people = people.filter(organisation__in=Organisation.objects.subtree_of(token.organisation))
    return people


def hr_organisations(request) -> QuerySet[Organisation]:
    """The organisations an HR call may act for (an import's scope): the pages' ``scope_for``, narrowed
    to the organisation of an organisation token."""
    organisations = scope_for(request.user)
    token = request.auth
    if token is not None and token.organisation_id:
        organisations = organisations.filter(pk__in=Organisation.objects.subtree_of(token.organisation))
    return organisations
