"""Who is a learner of a funded plan, and which of them a viewer may see: THE rule, used by every
register, plan summary, declaration, inspector page and the course file (``academy.funding.privacy``).

A plan is the proposing organisation's: the fund pays for the training of its workers (a consortium's
plan: of its member cooperatives too, ``OrganisationQuerySet.subtree_of``). Two cooperatives' plans may
share a course, so "registered for the course" is not "learner of the plan":

* staff see every learner of the plan's courses (they run the course for everyone);
* the responsible person, the inspector and the course file see only the plan's learners, the people of
  the proposing organisation's subtree; a plan without a proposing organisation has none.

Erased people keep their organisation, so an erased learner stays in their own plan (with the identity
the course file kept) and in no other. See ``docs/funded-training.md``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from academy.core.permissions import is_staff
from academy.network.models import Organisation, Person

from ..models import FundedPlan


def plan_learners(plan: FundedPlan | None, viewer=None) -> QuerySet[Person]:
    """The people ``viewer`` may see as learners of ``plan`` (``viewer=None``: the plan's own learners,
    as the fund and the course file see them). No plan (a course outside every plan): everyone."""
    if plan is None or is_staff(viewer):
        return Person.objects.all()
    if plan.proposer_id is None:
        return Person.objects.none()
    return Person.objects.filter(organisation__in=Organisation.objects.subtree_of([plan.proposer_id]))
