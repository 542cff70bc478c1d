"""The catalogue of messages: each event's name, topic, documented context and sample.

An event's topic is what a person can turn off on their Notifications page; events with no
topic (an approver's duties) are always sent. `sample_context` builds unsaved objects that
look like the real context, for previews and for checking staff's wording before it is saved.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from booking.models import Booking, Lab, Resource, WaitlistEntry
from labitory.clock import facility_zone
from labitory.dates import long_day
from people.models import Project, User
from workflows.models import ApprovalRequest


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    help: str


TOPICS: dict[str, Topic] = {
    topic.code: topic
    for topic in (
        Topic(
            "booking_confirmed",
            "Requests and confirmations",
            "When you book: confirmed (with a calendar file) or waiting for approval.",
        ),
        Topic(
            "booking_changed",
            "Changes and hand-overs",
            "A booking of yours moved, re-charged, or handed over to or from you.",
        ),
        Topic(
            "booking_ended",
            "Cancellations, rejections and expiries",
            "A booking cancelled by you, by staff or for maintenance; a request rejected or "
            "expired.",
        ),
        Topic("no_show", "No-shows", "A booking of yours was recorded as a no-show."),
        Topic(
            "waitlist",
            "Waiting-list offers",
            "Time you are waiting for has freed up and is held for you for a short while.",
        ),
        Topic(
            "approval_decided",
            "Decisions on approval requests",
            "The outcome of a request you asked for or took part in deciding.",
        ),
        Topic("reports", "Reports ready", "A report you asked for is ready to download."),
    )
}
REMINDERS = "reminders"  # governed by the reminder lead time, not by a topic switch

BOOKING = ("booking", "when", "booking_url", "reason", "by")
APPROVAL = ("booking", "when", "booking_url", "approval", "step", "step_count", "reasons")
TRAINING = ("resource", "training_url")
PROBLEM = ("resource", "problem", "severity", "report_status", "report_url", "by")
COMMON = ("recipient", "site_name", "preferences_url", "my_bookings_url", "zone")


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    topic: str | None  # None: always sent
    context: tuple[str, ...]
    action_url: str = "booking_url"  # the context value the HTML's button links to
    action_label: str = "See the booking"
    calendar_file: bool = False  # the booking's .ics: a new or moved event, or one to remove
    extra: dict = field(default_factory=dict)


EVENTS: dict[str, Event] = {
    event.name: event
    for event in (
        Event("booking_requested", "Booking waiting for approval", "booking_confirmed",
              (*BOOKING, "approval_reasons")),
        Event("booking_confirmed", "Booking confirmed", "booking_confirmed",
              (*BOOKING, "approved_by"), calendar_file=True),
        Event("booking_rejected", "Booking request rejected", "booking_ended", BOOKING),
        Event("booking_cancelled", "Booking cancelled by the booker", "booking_ended", BOOKING,
              calendar_file=True),
        Event("booking_cancelled_by_staff", "Booking cancelled by staff", "booking_ended",
              BOOKING, calendar_file=True),
        Event("booking_cancelled_by_maintenance", "Booking cancelled for maintenance",
              "booking_ended", BOOKING, calendar_file=True),
        Event("booking_expired", "Booking request expired", "booking_ended", BOOKING),
        Event("booking_outage_warning", "Instrument down during a booking", None, BOOKING),
        Event("booking_changed", "Booking changed", "booking_changed",
              (*BOOKING, "approval_reasons"), calendar_file=True),
        Event("booking_handed_over", "Booking handed over to you", "booking_changed",
              (*BOOKING, "previous_holder", "approval_reasons"), calendar_file=True),
        Event("booking_handed_away", "Booking handed over to someone else", "booking_changed",
              (*BOOKING, "holder"), action_url="my_bookings_url",
              action_label="See your bookings"),
        Event("booking_no_show", "No-show recorded", "no_show", BOOKING),
        Event("booking_reminder", "Reminder before a booking starts", REMINDERS,
              (*BOOKING, "hours")),
        Event("waitlist_offered", "Waiting-list offer", "waitlist",
              ("entry", "when", "accept_url", "offer_expires"), action_url="accept_url",
              action_label="Accept or decline the offer"),
        Event("approval_needed", "Approval needed", None, (*APPROVAL, "decision_url"),
              action_url="decision_url", action_label="Approve or reject"),
        Event("approval_reminder", "Approval still needed (reminder)", None,
              (*APPROVAL, "decision_url"), action_url="decision_url",
              action_label="Approve or reject"),
        Event("approval_escalated", "Approval escalated to you", None,
              (*APPROVAL, "decision_url"), action_url="decision_url",
              action_label="Approve or reject"),
        Event("approval_decided", "Approval step passed, another to come", "approval_decided",
              ("booking", "when", "booking_url", "approval", "decision", "step", "step_count",
               "step_label", "next_step", "comment", "by")),
        Event("report_ready", "Report ready", "reports", ("title", "url", "count"),
              action_url="url", action_label="Download the report"),
        Event("problem_reported", "Problem reported on an instrument (to its lab's staff)",
              None, PROBLEM, action_url="report_url", action_label="See the report"),
        Event("problem_report_updated", "Your problem report moved on", None, PROBLEM,
              action_url="report_url", action_label="See the report"),
        Event("training_requested", "Training requested (to the lab's trainers)", None,
              (*TRAINING, "requester", "note"), action_url="training_url",
              action_label="See the lab's training"),
        Event("training_scheduled", "Training session booked for you", None,
              (*TRAINING, "when", "by"), action_url="training_url",
              action_label="See your training", calendar_file=True),
        Event("training_cancelled", "Training session cancelled", None,
              (*TRAINING, "when", "by", "reason"), action_url="training_url",
              action_label="See your training", calendar_file=True),
        Event("training_signed_off", "Signed off after training", None,
              (*TRAINING, "level", "expires", "by"), action_url="training_url",
              action_label="See your training"),
        Event("training_expiring", "Qualification about to expire (reminder)", None,
              (*TRAINING, "expires", "days", "renewal"), action_url="training_url",
              action_label="Renew your training"),
    )
}  # fmt: skip


def absolute(path: str) -> str:
    """An absolute URL on the public site, for links in messages."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def common_context(recipient: User) -> dict:
    return {
        "recipient": recipient,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "my_bookings_url": absolute(reverse("booking:mine")),
        "zone": facility_zone().key,
    }


def _day(moment: datetime.datetime) -> str:
    return long_day(moment)


def format_when(start: datetime.datetime, end: datetime.datetime) -> str:
    """'Monday 30 March 2026, 09:00–11:00 (Europe/London)', in the facility's zone and the
    active language ('Montag, 30. März 2026, …' in German)."""
    zone = facility_zone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return f"{_day(start)}, {start:%H:%M}–{end:%H:%M} ({zone.key})"
    return f"{_day(start)}, {start:%H:%M} – {_day(end)}, {end:%H:%M} ({zone.key})"


def format_moment(moment: datetime.datetime) -> str:
    """'Monday 30 March 2026, 06:00 (Europe/London)', in the facility's zone."""
    zone = facility_zone()
    moment = moment.astimezone(zone)
    return f"{_day(moment)}, {moment:%H:%M} ({zone.key})"


def booking_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "when": format_when(booking.start, booking.end),
        "booking_url": absolute(reverse("booking:detail", args=[booking.pk])),
    }


def recorded_booking_context(booking: Booking) -> dict:
    """booking_context as the outbox records it: the time as moments, put into words when the
    message is written, in the recipient's language (`worded`)."""
    return {
        "booking": booking,
        "when": [booking.start, booking.end],
        "booking_url": absolute(reverse("booking:detail", args=[booking.pk])),
    }


def worded(context: dict) -> dict:
    """Times a message recorded as moments (`when` as [start, end], `offer_expires`), in words
    in the active language. Words recorded by an older release pass unchanged."""
    when = context.get("when")
    if isinstance(when, list) and len(when) == 2:
        context = {**context, "when": format_when(*when)}
    expires = context.get("offer_expires")
    if isinstance(expires, datetime.datetime):
        context = {**context, "offer_expires": format_moment(expires)}
    return context


def with_booking_details(context: dict) -> dict:
    """`when` and `booking_url` for a context that has a booking but not those."""
    booking = context.get("booking")
    if booking is None:
        return context
    return {**booking_context(booking), **context}


def sample_context(event: str) -> dict:
    """Unsaved look-alike objects for every name the event's wording may use."""
    start = datetime.datetime(2026, 3, 30, 8, 0, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=2)
    person = User(pk=7, first_name="Rosa", last_name="Researcher", email="rosa@example.org")
    other = User(pk=8, first_name="Hamid", last_name="Holder", email="hamid@example.org")
    approver = User(pk=9, first_name="Petra", last_name="Principal", email="petra@example.org")
    lab = Lab(pk=1, name="Imaging", slug="imaging")
    resource = Resource(pk=3, name="Zeiss LSM 980", lab=lab)
    project = Project(pk=5, code="CC-0042", name="Live-cell imaging")
    booking = Booking(
        pk=1234, resource=resource, user=person, project=project, start=start, end=end,
        status=Booking.Status.CONFIRMED, note="Bring your own slides.",
        cancel_reason="The laser is being serviced.",
    )  # fmt: skip
    entry = WaitlistEntry(
        pk=55, resource=resource, user=person, project=project, start=start, end=end,
        offer_expires_at=start - datetime.timedelta(hours=3),
    )  # fmt: skip
    approval = ApprovalRequest(
        pk=77, booking=booking, rule_name="Cell sorting: PI, then the lab coordinator",
        reasons=["Outside opening hours"], step=1, step_started_at=start,
        chain=[{"label": "PI", "needs_all": False}, {"label": "Lab manager", "needs_all": False}],
    )  # fmt: skip
    values = {
        "booking": booking,
        "when": "Monday 30 March 2026, 09:00–11:00 (Europe/London)",
        "booking_url": absolute("/bookings/1234/"),
        "reason": "The laser is being serviced.",
        "by": approver,
        "approval_reasons": ["Outside opening hours", "First booking on this instrument"],
        "previous_holder": other,
        "holder": other,
        "hours": 24,
        "entry": entry,
        "accept_url": absolute("/bookings/#waiting-heading"),
        "offer_expires": "Monday 30 March 2026, 06:00 (Europe/London)",
        "approval": approval,
        "step": 1,
        "step_count": 2,
        "step_label": "PI",
        "next_step": "Lab manager",
        "approved_by": approver,
        "reasons": ["Outside opening hours"],
        "decision_url": absolute("/approvals/link/sample-token/"),
        "decision": "approved",
        "comment": "Fine, but please book the training slot first.",
        "title": "Usage statement, March 2026",
        "url": absolute("/admin/reports/1/download/"),
        "count": 128,
        "resource": resource,
        "problem": "The 488 nm laser does not switch on.",
        "severity": "Major: some work is impossible",
        "report_status": "Investigating",
        "report_url": absolute("/problems/12/"),
        "training_url": absolute("/training/"),
        "requester": person,
        "note": "Two years on a BD FACSAria at my previous lab.",
        "level": "unsupervised",
        "expires": "30 March 2027",
        "days": 30,
        "renewal": "Request a refresher session before it expires.",
    }
    spec = EVENTS[event]
    return {
        **common_context(person),
        **{name: values[name] for name in spec.context},
    }
