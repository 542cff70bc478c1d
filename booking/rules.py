"""Every booking rule, one small function each.

A rule looks at a proposal and returns a Problem (a stable machine code and a message a
researcher understands) or None. `evaluate()` runs them all; callers decide what to show.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from labitory.clock import facility_zone
from labitory.dates import long_date
from labitory.refusals import Problem
from people.models import Project, User

from . import approval, queries
from .answers import Answer
from .calendar import covers, opening_intervals, overlaps, taken
from .models import Booking, Qualification, Quota, Resource


@dataclass(frozen=True)
class Planned:
    """A booking judged but not written: an earlier occurrence of a series being previewed.
    The rules count it as the proposer's own booking, as they would once it were written."""

    start: datetime.datetime
    end: datetime.datetime
    status: str


@dataclass(frozen=True)
class Proposal:
    """A booking as someone wants it; `booking_id` is set when an existing booking is edited,
    `planned` when earlier bookings of the same person were judged but not written.

    What the rules read about the resource and the user is read on first use, once, unless
    `known` already holds it: the find page reads it for every resource at once
    (queries.known_for) rather than resource by resource.
    """

    resource: Resource
    user: User
    project: Project | None
    start: datetime.datetime
    end: datetime.datetime
    booking_id: int | None = None
    planned: tuple[Planned, ...] = ()
    known: queries.Known | None = field(default=None, compare=False, repr=False)
    # The booker's checked answers to the resource's questions (approval rules read them).
    answers: tuple[Answer, ...] = field(default=(), compare=False)

    @cached_property
    def surroundings(self) -> queries.Surroundings:
        """Bookings within a buffer of this one, closures, maintenance and waiting-list offers,
        read once for all the rules that look at them."""
        if self.known is not None:
            found = self.known.surroundings[self.resource.pk]
        else:
            found = queries.surroundings(
                self.resource, self.start, self.end, exclude_id=self.booking_id
            )
        buffer = datetime.timedelta(minutes=self.resource.buffer)
        near = [
            queries.Holder(0, b.start, b.end, self.user.pk, b.status)
            for b in self.planned
            if b.start < self.end + buffer and b.end > self.start - buffer
        ]
        return replace(found, bookings=found.bookings + near) if near else found

    @cached_property
    def is_outside_opening_hours(self) -> bool:
        if self.known is not None:
            hours = self.known.opening_hours.get(self.resource.pk, [])
        else:
            hours = queries.opening_hours_of(self.resource)
        open_ = opening_intervals(hours, self.start, self.end, facility_zone())
        return not covers(open_, self.start, self.end)

    @cached_property
    def qualification(self) -> Qualification | None:
        """The user's qualification on the resource, if any."""
        if self.known is not None:
            return self.known.qualifications.get(self.resource.pk)
        return Qualification.objects.filter(user=self.user, resource=self.resource).first()

    @cached_property
    def unaccepted_policies(self) -> list[str]:
        """Titles of the live policies the resource requires whose current version (in any
        language) the user has not accepted."""
        if self.known is not None:
            required = self.known.required_policies.get(self.resource.pk, [])
            accepted = self.known.accepted_policies
        else:
            required = queries.required_policy_versions([self.resource]).get(self.resource.pk, [])
            accepted = queries.accepted_policies(self.user, required)
        return [title for title, key in required if key not in accepted]

    def quota_left(self, quota: Quota) -> Decimal:
        """Hours still available under one quota in the period containing the start."""
        if self.known is not None and quota.scope == Quota.Scope.USER and not self.booking_id:
            return quota.hours - self.known.user_quota_hours[quota.pk]
        return quota_left(quota, self.user, self.project, self.start, exclude_id=self.booking_id)

    def upcoming_bookings(self, now: datetime.datetime) -> int:
        """How many bookings the user holds on the resource that have not ended at `now`
        (this one, when it is being changed, left out)."""
        if self.known is not None and self.booking_id is None:
            return self.known.upcoming.get(self.resource.pk, 0)
        held = Booking.objects.filter(
            resource=self.resource, user=self.user, status__in=Booking.HOLDING, end__gt=now
        )
        return other_than(held, self.booking_id).count()

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.end - self.start).total_seconds()) / Decimal(3600)).quantize(
            Decimal("0.01")
        )


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)
    approval_reasons: list[approval.ApprovalReason] = field(default_factory=list)
    # Problems staff set aside for a booking they make for someone (see OVERRIDABLE).
    overridden: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]

    @property
    def booking_status(self) -> str:
        """The status of a booking made (or changed) on this verdict: it waits for approval
        when it needs it, and is confirmed otherwise."""
        return Booking.Status.REQUESTED if self.approval_reasons else Booking.Status.CONFIRMED


Rule = Callable[[Proposal, datetime.datetime], Problem | None]


def _minutes(value: int) -> str:
    if value % 1440 == 0:
        days = value // 1440
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if value % 60 == 0:
        hours = value // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", value) % {"n": value}


def _date(day: datetime.date | None) -> str:
    return long_date(day, padded=True) if day else ""


# Shape: without these, no other rule can be evaluated.


def check_aware(p: Proposal, now: datetime.datetime) -> Problem | None:
    if timezone.is_naive(p.start) or timezone.is_naive(p.end):
        return Problem("naive_datetime", _("Times must include a time zone."), "start")
    return None


def check_order(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.end < p.start:
        return Problem("ends_before_start", _("The booking must end after it starts."), "end")
    if p.end == p.start:
        return Problem(
            "zero_length", _("The booking has no length: choose an end after the start."), "end"
        )
    return None


# Time rules.


def check_granularity(p: Proposal, now: datetime.datetime) -> Problem | None:
    step = p.resource.granularity
    zone = facility_zone()
    for moment, name in ((p.start, "start"), (p.end, "end")):
        local = moment.astimezone(zone)
        if local.second or local.microsecond or (local.hour * 60 + local.minute) % step:
            return Problem(
                "off_granularity",
                _(
                    "%(resource)s is booked in steps of %(step)s: start and end on the %(step)s "
                    "mark."
                )
                % {"resource": p.resource.name, "step": _minutes(step)},
                name,
            )
    return None


def check_min_duration(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.end - p.start < datetime.timedelta(minutes=p.resource.min_duration):
        return Problem(
            "too_short",
            _("Bookings last at least %(duration)s.")
            % {"duration": _minutes(p.resource.min_duration)},
            "end",
        )
    return None


def check_max_duration(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.end - p.start > datetime.timedelta(minutes=p.resource.max_duration):
        return Problem(
            "too_long",
            _("Bookings last at most %(duration)s.")
            % {"duration": _minutes(p.resource.max_duration)},
            "end",
        )
    return None


def check_not_in_past(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.start < now:
        return Problem(
            "in_past", _("That time has already begun: choose a time in the future."), "start"
        )
    return None


def check_notice(p: Proposal, now: datetime.datetime) -> Problem | None:
    notice = datetime.timedelta(minutes=p.resource.min_notice)
    if now <= p.start < now + notice:
        return Problem(
            "too_little_notice",
            _("%(resource)s must be booked at least %(notice)s ahead.")
            % {"resource": p.resource.name, "notice": _minutes(p.resource.min_notice)},
            "start",
        )
    return None


def check_horizon(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.start > now + datetime.timedelta(days=p.resource.horizon_days):
        return Problem(
            "beyond_horizon",
            ngettext(
                "%(resource)s can be booked at most %(days)d day ahead.",
                "%(resource)s can be booked at most %(days)d days ahead.",
                p.resource.horizon_days,
            )
            % {"resource": p.resource.name, "days": p.resource.horizon_days},
            "start",
        )
    return None


def check_opening_hours(p: Proposal, now: datetime.datetime) -> Problem | None:
    if not p.resource.allow_outside_hours and p.is_outside_opening_hours:
        return Problem(
            "outside_opening_hours",
            _("%(resource)s is not open for the whole of that time.")
            % {"resource": p.resource.name},
            "start",
        )
    return None


OUTAGE_LABEL = "Down: "  # how queries label an outage among the blocked times


def check_closures(p: Proposal, now: datetime.datetime) -> Problem | None:
    for block in p.surroundings.blocked:
        if block.label.startswith(OUTAGE_LABEL):
            continue  # check_outage's
        code = "maintenance" if block.label.startswith("Maintenance") else "closed"
        message = _("%(resource)s is unavailable then (%(why)s).")
        return Problem(code, message % {"resource": p.resource.name, "why": block.label}, "start")
    return None


def check_outage(p: Proposal, now: datetime.datetime) -> Problem | None:
    """A resource staff marked down cannot be booked until it is expected back."""
    for block in p.surroundings.blocked:
        if block.label.startswith(OUTAGE_LABEL):
            until = block.interval[1].astimezone(facility_zone())
            return Problem(
                "resource_down",
                _("%(resource)s is down until %(time)s on %(date)s (%(why)s).")
                % {
                    "resource": p.resource.name,
                    "time": f"{until:%H:%M}",
                    "date": _date(until),
                    "why": block.label.removeprefix(OUTAGE_LABEL),
                },
                "start",
            )
    return None


# Who may book.


def check_resource_active(p: Proposal, now: datetime.datetime) -> Problem | None:
    if not p.resource.is_active:
        message = _("%(resource)s is not available for booking.") % {"resource": p.resource.name}
        return Problem("resource_inactive", message)
    return None


def check_project(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.project is None:
        return Problem(
            "unknown_project", _("Choose the project this booking is charged to."), "project"
        )
    if not p.project.has_member(p.user):
        return Problem(
            "not_project_member",
            _("You are not a member of project %(project)s.") % {"project": p.project.code},
            "project",
        )
    if not p.project.is_active_on(p.start.astimezone(facility_zone()).date()):
        return Problem(
            "project_inactive",
            _("Project %(project)s is not active then.") % {"project": p.project.code},
            "project",
        )
    return None


def check_qualification(p: Proposal, now: datetime.datetime) -> Problem | None:
    if not p.resource.requires_qualification:
        return None
    qualification = p.qualification
    if qualification is None:
        return Problem(
            "not_qualified",
            _("You need to be trained on %(resource)s before booking it: contact the lab.")
            % {"resource": p.resource.name},
        )
    if not qualification.is_valid_on(p.start.astimezone(facility_zone()).date()):
        return Problem(
            "qualification_expired",
            _("Your qualification on %(resource)s expired on %(date)s.")
            % {"resource": p.resource.name, "date": _date(qualification.expires_on)},
        )
    return None


def check_policies(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.resource.has_required_policies is False:
        return None
    missing = p.unaccepted_policies
    if missing:
        return Problem(
            "policy_not_accepted",
            _("Accept the current version of these policies first: %(policies)s.")
            % {"policies": ", ".join(missing)},
        )
    return None


# Limits.


def check_max_future_bookings(p: Proposal, now: datetime.datetime) -> Problem | None:
    limit = p.resource.max_future_bookings
    if limit is None:
        return None
    if p.upcoming_bookings(now) + sum(b.end > now for b in p.planned) >= limit:
        return Problem(
            "too_many_bookings",
            ngettext(
                "You may hold at most %(limit)d upcoming booking on %(resource)s.",
                "You may hold at most %(limit)d upcoming bookings on %(resource)s.",
                limit,
            )
            % {"limit": limit, "resource": p.resource.name},
        )
    return None


def charged_project(p: Proposal) -> Project:
    """The project of a proposal the rules accepted: check_project refuses one without."""
    if p.project is None:
        raise ValueError("The rules accept no booking without a project.")
    return p.project


def other_than(bookings: QuerySet[Booking], booking_id: int | None) -> QuerySet[Booking]:
    """`bookings` less the one being changed, if any."""
    return bookings if booking_id is None else bookings.exclude(pk=booking_id)


def quota_left(
    quota: Quota,
    user: User,
    project: Project | None,
    moment: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> Decimal:
    """Hours still available under one quota in the period containing `moment`."""
    start, end = queries.quota_window(quota.period, moment)
    bookings = other_than(Booking.objects.filter(resource_id=quota.resource_id), exclude_id)
    if quota.scope == Quota.Scope.USER:
        bookings = bookings.filter(user=user)
    elif project is not None:
        bookings = bookings.filter(project=project)
    else:
        return quota.hours
    return quota.hours - queries.booked_hours(bookings, start, end)


def planned_hours(quota: Quota, p: Proposal) -> Decimal:
    """Hours of the proposal's planned bookings that count against the quota, in its period."""
    if quota.scope != Quota.Scope.USER and p.project is None:
        return Decimal(0)  # as quota_left: a booking without a project has no project quota
    start, end = queries.quota_window(quota.period, p.start)
    seconds = sum((b.end - b.start).total_seconds() for b in p.planned if start <= b.start < end)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def check_quota(p: Proposal, now: datetime.datetime) -> Problem | None:
    if p.resource.has_quotas is False:
        return None
    for quota in p.resource.quotas.all():
        if quota.scope != Quota.Scope.USER and p.project is None:
            continue  # no project, no project quota (`unknown_project` says what is missing)
        left = p.quota_left(quota) - planned_hours(quota, p)
        if p.hours > left:
            return Problem("quota_exceeded", _quota_message(p, quota, left))
    return None


def _quota_message(p: Proposal, quota: Quota, left: Decimal) -> str:
    values = {
        "hours": number_format(p.hours),
        "left": number_format(max(left, Decimal(0))),
        "quota": quota,
    }
    if p.project is None:
        return _("This booking needs %(hours)s h but you have %(left)s h left of %(quota)s.") % (
            values
        )
    return _(
        "This booking needs %(hours)s h but project %(project)s has %(left)s h left of %(quota)s."
    ) % {**values, "project": p.project.code}


# The slot itself.


def check_own_overlap(p: Proposal, now: datetime.datetime) -> Problem | None:
    if any(
        holder.user_id == p.user.pk and holder.start < p.end and p.start < holder.end
        for holder in p.surroundings.bookings
    ):
        return Problem(
            "overlaps_own_booking", _("You already have a booking on this resource at that time.")
        )
    return None


def check_slot(p: Proposal, now: datetime.datetime) -> Problem | None:
    buffer = datetime.timedelta(minutes=p.resource.buffer)
    held = [(holder.start, holder.end) for holder in p.surroundings.bookings]
    if any(
        overlaps(i, (p.start, p.end))
        for i in taken(held, buffer=buffer, capacity=p.resource.capacity)
    ):
        return Problem(
            "slot_taken", _("Someone else has booked that time. Choose another slot."), "start"
        )
    return None


def check_waitlist_offer(p: Proposal, now: datetime.datetime) -> Problem | None:
    """A slot offered to someone on the waiting list is theirs until the offer lapses."""
    if any(
        offer.user_id != p.user.pk and offer.until is not None and offer.until > now
        for offer in p.surroundings.offers
    ):
        return Problem(
            "slot_taken", _("That time is being offered to someone on the waiting list."), "start"
        )
    return None


def is_late_cancellation(booking: Booking, now: datetime.datetime) -> bool:
    """Cancelling a confirmed booking after the resource's cut-off counts as late (billable)."""
    cutoff = booking.start - datetime.timedelta(hours=booking.resource.cancellation_cutoff)
    return booking.status == Booking.Status.CONFIRMED and now > cutoff


SHAPE_RULES: tuple[Rule, ...] = (check_aware, check_order)
RULES: tuple[Rule, ...] = (
    check_resource_active,
    check_granularity,
    check_min_duration,
    check_max_duration,
    check_not_in_past,
    check_notice,
    check_horizon,
    check_opening_hours,
    check_closures,
    check_outage,
    check_project,
    check_qualification,
    check_policies,
    check_max_future_bookings,
    check_quota,
    check_own_overlap,
    check_slot,
    check_waitlist_offer,
)


# What a coordinator booking for a researcher may set aside, with a written reason: each
# override's name and the rule codes it covers. Nothing else is ever overridden (an overlap
# least of all: the database's no-overlap constraint has the last word anyway).
OVERRIDABLE: dict[str, tuple[str, ...]] = {
    "notice": ("too_little_notice",),
    "horizon": ("beyond_horizon",),
    "opening_hours": ("outside_opening_hours",),
    "quota": ("quota_exceeded",),
    "training": ("not_qualified", "qualification_expired"),
}


def overridden_codes(names: frozenset[str]) -> frozenset[str]:
    """The rule codes the named overrides set aside; unknown names set aside nothing."""
    return frozenset(code for name in names for code in OVERRIDABLE.get(name, ()))


def evaluate(
    p: Proposal, *, now: datetime.datetime, overrides: frozenset[str] = frozenset()
) -> Verdict:
    """Every problem with the proposal, and why it would need approval if it had none.

    `overrides` names entries of OVERRIDABLE: their problems move to `verdict.overridden`.
    """
    verdict = Verdict()
    for rule in SHAPE_RULES:
        if problem := rule(p, now):
            verdict.problems.append(problem)
            return verdict
    codes = overridden_codes(overrides)
    for rule in RULES:
        if problem := rule(p, now):
            found = verdict.overridden if problem.code in codes else verdict.problems
            found.append(problem)
    if verdict.ok:
        verdict.approval_reasons = approval.reasons_for(p)
    return verdict
