"""Which approval rules a proposed booking matches: registered as a source of approval reasons
with the booking engine, so booking, the find page and the API all give the same answer."""

import datetime
from collections import defaultdict

from django.db.models import Q

from booking.approval import ApprovalReason
from booking.estimates import estimate
from booking.models import Booking, Qualification
from booking.rules import Proposal
from labitory.clock import facility_zone
from labitory.money import money

from .models import ApprovalRule

# Bookings that show the booker has used the resource before.
USED = (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.COMPLETED)


RULES_OF_LAB_SQL = """
SELECT * FROM workflows_approvalrule WHERE lab_id = %s AND is_active ORDER BY "order", id
"""


def rules_in_scope(resource, *, memo: dict | None = None) -> list[ApprovalRule]:
    """Active rules of the resource's lab that cover it (whole lab, its category or itself).

    Most labs have no rules, and every booking asks: that answer costs one plain query,
    written out because compiling it cost more than running it. A search judging many
    resources passes a `memo`, so each lab's rules are read once.
    """
    key = ("workflows.approval_rules", resource.lab_id)
    if memo is None or key not in memo:
        found = _rules_of_lab(resource.lab_id)
        if memo is None:
            return _covering(resource, *found)
        memo[key] = found
    return _covering(resource, *memo[key])


def _rules_of_lab(lab_id: int) -> tuple[list[ApprovalRule], dict, dict]:
    """The lab's active rules, and the resources and categories each one names."""
    rules = list(ApprovalRule.objects.raw(RULES_OF_LAB_SQL, [lab_id]))
    if not rules:
        return [], {}, {}
    ids = [rule.pk for rule in rules]
    chosen_resources = _chosen(ApprovalRule.resources.through, "resource_id", ids)
    chosen_categories = _chosen(ApprovalRule.categories.through, "resourcecategory_id", ids)
    return rules, chosen_resources, chosen_categories


def _covering(resource, rules, chosen_resources, chosen_categories) -> list[ApprovalRule]:
    return [
        rule
        for rule in rules
        if (not chosen_resources.get(rule.pk) and not chosen_categories.get(rule.pk))
        or resource.pk in chosen_resources.get(rule.pk, ())
        or resource.category_id in chosen_categories.get(rule.pk, ())
    ]


def _chosen(through, column: str, rule_ids: list[int]) -> defaultdict[int, set[int]]:
    chosen = defaultdict(set)
    pairs = through.objects.filter(approvalrule_id__in=rule_ids).values_list(
        "approvalrule_id", column
    )
    for rule_id, value in pairs:
        chosen[rule_id].add(value)
    return chosen


def is_first_booking(p: Proposal) -> bool:
    if any(planned.status in USED for planned in p.planned):
        return False
    earlier = Booking.objects.filter(resource=p.resource, user=p.user, status__in=USED)
    return not earlier.exclude(pk=p.booking_id).exists()


def lacks_unsupervised_qualification(p: Proposal) -> bool:
    day = p.start.astimezone(facility_zone()).date()
    return not Qualification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        user=p.user,
        resource=p.resource,
        unsupervised=True,
    ).exists()


def answer_matches(rule: ApprovalRule, p: Proposal) -> str | None:
    """The answer condition in words, when the booker gave that answer to that question."""
    wanted = rule.answer_value.strip().casefold()
    for answer in p.answers:
        if answer.question_id == rule.answer_question_id and answer.value.casefold() == wanted:
            return f"“{answer.question_text}” answered {answer.value}"
    return None


def conditions_met(rule: ApprovalRule, p: Proposal) -> list[str]:
    """The rule's ticked conditions that this proposal meets, in words."""
    met = []
    if rule.always:
        met.append("every booking")
    if rule.first_booking and is_first_booking(p):
        met.append("first booking on this resource")
    if rule.outside_opening_hours and p.is_outside_opening_hours:
        met.append("outside opening hours")
    if rule.longer_than and p.end - p.start > datetime.timedelta(minutes=rule.longer_than):
        met.append(f"longer than {rule.longer_than} minutes")
    if rule.lacks_unsupervised_qualification and lacks_unsupervised_qualification(p):
        met.append("not qualified to work unsupervised")
    if rule.booker_categories and p.user.category in rule.booker_categories:
        met.append(f"{p.user.get_category_display().lower()} user")
    if rule.cost_above is not None:
        amount = estimate(p.resource, p.user, p.project, p.start, p.end)
        if amount is not None and amount > rule.cost_above:
            met.append(f"estimated cost {money(amount)}, above {money(rule.cost_above)}")
    if rule.answer_question_id and (said := answer_matches(rule, p)):
        met.append(said)
    return met


def ticked(rule: ApprovalRule) -> int:
    return sum(
        bool(flag)
        for flag in (
            rule.always,
            rule.first_booking,
            rule.outside_opening_hours,
            rule.longer_than,
            rule.lacks_unsupervised_qualification,
            rule.booker_categories,
            rule.cost_above is not None,
            rule.answer_question_id,
        )
    )


def matches(rule: ApprovalRule, p: Proposal) -> list[str]:
    """The conditions that make the rule apply, or [] when it does not."""
    met = conditions_met(rule, p)
    if rule.always or (met and (rule.match == ApprovalRule.Match.ANY or len(met) == ticked(rule))):
        return met
    return []


def approval_reasons(p: Proposal) -> list[ApprovalReason]:
    """One reason per matching rule, in rule order (the first decides the chain)."""
    reasons = []
    memo = p.known.memo if p.known is not None else None
    for rule in rules_in_scope(p.resource, memo=memo):
        if met := matches(rule, p):
            reasons.append(
                ApprovalReason("approval_rule", f"{rule.name}: {', '.join(met)}", rule.pk)
            )
    return reasons
