"""Staff booking for a researcher: the researcher's booking, judged by every rule as if they
had asked, less the rules the staff member overrode with a written reason.

The booking is written through `write_booking` like any other; the staff member, the rules
set aside and the reason go to a StaffBooking record and the booking's log entry.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.answers import read_answers
from booking.models import Booking, Resource, StaffBooking
from booking.permissions import can_manage_lab, is_researcher
from booking.rules import OVERRIDABLE, Proposal, evaluate
from labitory.refusals import Problem, Refused
from people.models import Project, User

from .bookings import lock_resource, refuse_unless_ok, slot_conflicts_refused, write_booking


class OnBehalfRefused(Refused):
    """Staff may not book this for this person, or may not override that; nothing written."""


@dataclass(frozen=True)
class OnBehalf:
    """Who books for the researcher, the rules (names of OVERRIDABLE) they set aside, and why."""

    staff: User
    overrides: frozenset[str] = frozenset()
    reason: str = ""


def find_researcher(user_id: object) -> User:
    """The person a booking is for, by id; `unknown_user` when there is none."""
    try:
        return User.objects.get(pk=int(str(user_id)))
    except (User.DoesNotExist, ValueError):
        raise OnBehalfRefused("unknown_user", _("There is no such person.")) from None


def why_refused(on_behalf: OnBehalf, researcher: User, resource: Resource) -> Problem | None:
    """The first reason the staff member may not book this for this person, or None."""
    if not can_manage_lab(on_behalf.staff, resource.lab):
        return Problem(
            "not_lab_staff",
            _("Only staff of %(name)s book for others.") % {"name": resource.lab.name},
        )
    if not is_researcher(researcher):
        return Problem(
            "not_a_researcher",
            _("%(name)s is not an active researcher.") % {"name": researcher.name},
        )
    unknown = sorted(on_behalf.overrides - OVERRIDABLE.keys())
    if unknown:
        allowed = ", ".join(OVERRIDABLE)
        return Problem(
            "override_not_allowed",
            _("These rules cannot be overridden: %(names)s (only %(allowed)s).")
            % {"names": ", ".join(unknown), "allowed": allowed},
            "overrides",
        )
    if on_behalf.overrides and not on_behalf.reason.strip():
        return Problem(
            "override_reason_missing", _("Say why the rules are overridden."), "override_reason"
        )
    return None


def book_for(
    *,
    on_behalf: OnBehalf,
    researcher: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    note: str = "",
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book the resource for `researcher`, charged to `project` (one they may charge), as
    request_booking would for them, less the overridden rules.

    Raises OnBehalfRefused (who may book for whom, what may be overridden) or BookingRefused.
    """
    if problem := why_refused(on_behalf, researcher, resource):
        raise OnBehalfRefused([problem])
    now = now or timezone.now()
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        found = read_answers(locked, researcher, project, answers or {})
        proposal = Proposal(locked, researcher, project, start, end, answers=found.values)
        verdict = evaluate(proposal, now=now, overrides=on_behalf.overrides)
        refuse_unless_ok(verdict, found.problems)
        record = StaffBooking(
            staff=on_behalf.staff,
            overridden=overridden_names(verdict.overridden),
            reason=on_behalf.reason.strip() if verdict.overridden else "",
        )
        booking = write_booking(
            locked,
            proposal,
            verdict,
            by=on_behalf.staff,
            note=note,
            log_data={
                "booked_by": on_behalf.staff.pk,
                "booked_by_name": on_behalf.staff.name,
                "overridden": sorted(problem.code for problem in verdict.overridden),
                "override_reason": record.reason,
            },
        )
        record.booking = booking
        record.save()
        return booking


def overridden_names(problems: Iterable[Problem]) -> list[str]:
    """The names (of OVERRIDABLE) that set aside these problems, in the table's order."""
    codes = {problem.code for problem in problems}
    return [name for name, covered in OVERRIDABLE.items() if codes.intersection(covered)]
