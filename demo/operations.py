"""Instrument operations in the demo: one instrument limited, one down with an outage and an
open problem report under discussion, a kiosk beside the confocal, booking questions on the
cell sorter and a booking staff made for a researcher with a rule overridden.

Made after the demo bookings and approval requests (which are booked without answers), and
only on a facility that has no outage, problem report or kiosk yet, so a second run adds
nothing. Every change goes through the same services as the screens.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from booking.models import BookingQuestion, Kiosk, Outage, Resource
from booking.services import (
    BookingRefused,
    OnBehalf,
    StatusChange,
    book_for,
    set_resource_status,
)
from booking.services.kiosks import enable_kiosk
from labitory.clock import facility_zone
from operations.models import ProblemReport
from operations.services import report_problem, triage_report
from people.models import Project, User

COORDINATOR = "coordinator@demo.labitory.test"
RESEARCHER = "researcher@demo.labitory.test"
LIMITED = ("Confocal LSM 980", "Airyscan detector out of service: confocal imaging only.")
DOWN = ("Spinning-disk confocal CSU-W1", "Stage controller failed; engineer visit booked.")
SORTER = "Cell sorter FACSAria Fusion"
HOUR = datetime.timedelta(hours=1)


def seed_demo_operations(now: datetime.datetime | None = None) -> list[str]:
    """Set the demo's instruments' operations up once; return lines for the seed's summary."""
    if Outage.objects.exists() or ProblemReport.objects.exists() or Kiosk.objects.exists():
        return []
    coordinator = User.objects.filter(email=COORDINATOR).first()
    researcher = User.objects.filter(email=RESEARCHER).first()
    resources = {r.name: r for r in Resource.objects.select_related("lab")}
    if (
        coordinator is None
        or researcher is None
        or not all(name in resources for name in (LIMITED[0], DOWN[0], SORTER))
    ):
        return []
    now = now or timezone.now()
    lines = [
        set_statuses(resources, coordinator, now),
        report_the_fault(resources[DOWN[0]], researcher, coordinator, now),
        kiosk_line(resources[LIMITED[0]], coordinator),
    ]
    ask_sorter_questions(resources[SORTER])
    lines.append(book_for_with_override(resources[SORTER], coordinator, researcher, now))
    return [line for line in lines if line]


def set_statuses(resources: dict, coordinator: User, now: datetime.datetime) -> str:
    name, note = LIMITED
    set_resource_status(
        resource=resources[name], change=StatusChange("limited", note), by=coordinator, now=now
    )
    name, note = DOWN
    back = (now + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    # The bookings the outage hits are kept, their bookers warned: the demo keeps its diary.
    change = StatusChange("down", note, expected_back=back, cancel_hit=False)
    _, hit = set_resource_status(resource=resources[name], change=change, by=coordinator, now=now)
    return f"{LIMITED[0]} is limited; {name} is down for 3 days ({len(hit)} bookings warned)."


def report_the_fault(resource: Resource, researcher: User, coordinator: User, now) -> str:
    report = report_problem(
        resource=resource,
        by=researcher,
        summary="The stage does not move in Y",
        severity="major",
        details="NIS-Elements shows 'stage controller timeout' after start-up.",
        now=now,
    )
    triage_report(
        report=report,
        by=coordinator,
        status="investigating",
        assignee=coordinator,
        comment="Controller board failed; the engineer comes on Thursday.",
        now=now,
    )
    return f"An open problem report on {resource.name}, with a comment."


def kiosk_line(resource: Resource, coordinator: User) -> str:
    _, token = enable_kiosk(resource=resource, by=coordinator)
    return f"Kiosk beside the {resource.name}: {reverse('kiosk:display', args=[token])}"


def ask_sorter_questions(sorter: Resource) -> None:
    if sorter.questions.exists():
        return
    BookingQuestion.objects.create(
        resource=sorter,
        text="Biosafety level of the samples",
        kind=BookingQuestion.Kind.CHOICE,
        options="BSL-1\nBSL-2",
        help_text="Of the most hazardous sample.",
        sort_order=0,
    )
    BookingQuestion.objects.create(
        resource=sorter,
        text="Number of samples",
        kind=BookingQuestion.Kind.NUMBER,
        sort_order=1,
    )


def book_for_with_override(sorter: Resource, coordinator: User, researcher: User, now) -> str:
    """A sort for the researcher within the sorter's day of notice, the notice rule (and,
    when the next free hours are outside them, the opening hours) overridden."""
    project = Project.objects.for_member(researcher).active_on(now.date()).order_by("code").first()
    answers = {str(q.pk): "BSL-1" if q.kind == "choice" else "4" for q in sorter.questions.all()}
    on_behalf = OnBehalf(
        staff=coordinator,
        overrides=frozenset({"notice", "opening_hours"}),
        reason="Primary cells from surgery this afternoon; they cannot wait a day.",
    )
    first = now.astimezone(facility_zone()).replace(minute=0, second=0, microsecond=0) + 2 * HOUR
    for offset in range(0, 20):
        start = first + offset * HOUR
        try:
            book_for(
                on_behalf=on_behalf,
                researcher=researcher,
                resource=sorter,
                project=project,
                start=start,
                end=start + HOUR,
                answers=answers,
                now=now,
            )
        except BookingRefused:
            continue
        return f"A sort booked for {researcher.name} by {coordinator.name}, notice overridden."
    return ""
