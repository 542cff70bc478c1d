"""Which resources a person can book: the find page's judgement of every instrument for a
window, and the API's "bookable by me" filter.

Above both the reads (queries.py) and the rules (rules.py): it reads what the rules need for
many resources at once, then asks the rules.
"""

import datetime
from functools import cached_property

from django.db.models import Exists, OuterRef, QuerySet

from people.models import User

from . import approval
from .models import RequiredPolicy, Resource
from .queries import known_for
from .rules import Proposal, check_policies, check_qualification, check_resource_active, evaluate


class Candidate:
    """One resource's answer to "can I book this, then?".

    Why it would need approval is worked out on first asking, so that a page of results asks
    it only of the candidates it shows.
    """

    def __init__(self, proposal, problems: tuple) -> None:
        self.proposal = proposal
        self.resource: Resource = proposal.resource
        self.problems = problems  # of Problem; empty when bookable

    @cached_property
    def approval_reasons(self) -> tuple:
        """approval.ApprovalReason of each reason; empty when none is needed or not bookable."""
        return () if self.problems else tuple(approval.reasons_for(self.proposal))

    @property
    def needs_approval(self) -> bool:
        return bool(self.approval_reasons)

    @property
    def bookable(self) -> bool:
        return not self.problems


def bookable_resources(
    *,
    user,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    category_slug: str = "",
    lab_slug: str = "",
) -> list[Candidate]:
    """Every active resource (optionally of one category and lab) judged for this user and
    window, bookable ones first, then by name.

    Every rule applies as it would on booking, except the project, which the user picks on
    the booking form. What the rules read is read for all the resources at once
    (known_for), so judging hundreds of resources costs a fixed handful of queries.
    """
    resources = (
        Resource.objects.filter(is_active=True)
        .select_related("lab", "category", "page")
        .prefetch_related("quotas")
        .order_by("name", "pk")
    )
    if category_slug:
        resources = resources.filter(category__slug=category_slug)
    if lab_slug:
        resources = resources.filter(lab__slug=lab_slug)
    resources = list(resources)
    if not resources:
        return []
    known = known_for(resources, user, start, end, now)
    found = []
    for resource in resources:
        proposal = Proposal(resource, user, None, start, end, known=known)
        verdict = evaluate(proposal, now=now)
        problems = tuple(p for p in verdict.problems if p.code != "unknown_project")
        found.append(Candidate(proposal, problems))
    return sorted(found, key=lambda c: (not c.bookable, c.resource.name))


def bookable_by(user: User, resources: QuerySet[Resource], *, now: datetime.datetime) -> list[int]:
    """Ids of the resources (of `resources`) the user may book at all today, judged by the
    booking rules about the person, as the find-time search judges them: active, qualified
    if it asks for training, its current policies accepted. Times, limits and the project are
    judged per booking."""
    rules = (check_resource_active, check_qualification, check_policies)
    # The policies rule skips its look-up for resources known to require none.
    annotated = resources.annotate(
        has_required_policies=Exists(RequiredPolicy.objects.filter(resource=OuterRef("pk")))
    )
    return [
        resource.pk
        for resource in annotated
        if not any(rule(Proposal(resource, user, None, now, now), now) for rule in rules)
    ]
