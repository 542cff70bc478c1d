"""The names message wording may use, per event, and the plain values behind them.

Wording is a Django template that site admins write (workflows.wording). Given model
instances, a template can walk from a booking to its booker's password hash, API tokens or
two-factor secrets (`{{ booking.user.password }}`) and print them into the outbox. So wording
never sees a model: `values()` turns an event's context into plain values (text, numbers,
times, lists of text) under the names listed here, and the check on save
(workflows.wording_check) refuses any other name.

A group (a person, a booking, an instrument, …) is a read-only mapping of its listed names.
Each value is read only when wording asks for it, so a message reads the rows it names and no
more, and a group prints as its label: `{{ booking.resource }}` is the instrument's name.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from workflows.notifications import COMMON, EVENTS


@dataclass(frozen=True)
class Name:
    """One name: what editors are told it holds, how it is read from its owner, and, for a
    group, the names inside it. `many` marks a list of text (for `{% for %}`)."""

    help: str
    read: Callable[[Any], Any] = lambda value: value
    group: "Group | None" = None
    many: bool = False


@dataclass(frozen=True)
class Group:
    label: Callable[[Any], str]
    names: dict[str, Name] = field(default_factory=dict)


def attribute(name: str) -> Callable[[Any], Any]:
    """Reads `name`; a relation that is not set reads as nothing."""
    return lambda owner: getattr(owner, name, None)


class Values(Mapping):
    """A group's listed names over one object; the object itself is out of the template's
    reach (names starting with `_` are refused by Django's template language)."""

    __slots__ = ("_group", "_source")

    def __init__(self, group: Group, source: Any) -> None:
        self._group, self._source = group, source

    def __getitem__(self, key: str) -> Any:
        name = self._group.names[key]
        return plain(name.read(self._source), name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._group.names)

    def __len__(self) -> int:
        return len(self._group.names)

    def __str__(self) -> str:
        return str(self._group.label(self._source))


SCALARS = (str, int, float, Decimal, datetime.date, datetime.time)


def plain(value: Any, name: Name) -> Any:
    """`value` as wording may see it under `name`; TypeError for anything not plain."""
    if value is None:
        return None
    if name.group is not None:
        return Values(name.group, value)
    if name.many:
        return [str(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, SCALARS):
        return value
    raise TypeError(f"Message wording cannot be given {type(value).__name__} values.")


PERSON = Group(
    lambda person: person.name,
    {
        "name": Name("full name (the e-mail address when there is none)", attribute("name")),
        "first_name": Name("first name", attribute("first_name")),
        "last_name": Name("last name", attribute("last_name")),
        "email": Name("e-mail address", attribute("email")),
    },
)
LAB = Group(lambda lab: lab.name, {"name": Name("the lab's name", attribute("name"))})
RESOURCE = Group(
    lambda resource: resource.name,
    {
        "name": Name("the instrument's name", attribute("name")),
        "lab": Name("its lab", attribute("lab"), LAB),
    },
)
PROJECT = Group(
    lambda project: project.code,
    {
        "code": Name("the project's code", attribute("code")),
        "name": Name("the project's name", attribute("name")),
    },
)
BOOKING = Group(
    lambda booking: f"booking {booking.pk}",
    {
        "id": Name("the booking's number", attribute("pk")),
        "start": Name("start (a time: use |date)", attribute("start")),
        "end": Name("end (a time: use |date)", attribute("end")),
        "status": Name("its state, in words", lambda booking: booking.get_status_display()),
        "note": Name("the booker's note", attribute("note")),
        "late_cancellation": Name(
            "true when cancelled after the cut-off", attribute("late_cancellation")
        ),
        "resource": Name("the instrument", attribute("resource"), RESOURCE),
        "user": Name("the booker", attribute("user"), PERSON),
        "project": Name("the project charged", attribute("project"), PROJECT),
        "answers": Name(
            "the booker's answers to the instrument's questions, each “question: answer”",
            lambda booking: booking.answers.all() if booking.pk else (),
            many=True,
        ),
    },
)
WAITLIST_ENTRY = Group(
    lambda entry: entry.resource.name,
    {
        "start": Name("start of the time waited for", attribute("start")),
        "end": Name("its end", attribute("end")),
        "resource": Name("the instrument", attribute("resource"), RESOURCE),
        "project": Name("the project", attribute("project"), PROJECT),
    },
)
APPROVAL = Group(
    lambda approval: approval.rule_name,
    {"rule_name": Name("the approval rule that applies", attribute("rule_name"))},
)

# Every name an event's context may carry (notifications.EVENTS lists which each has).
TOP: dict[str, Name] = {
    "booking": Name("the booking", group=BOOKING),
    "when": Name("the booking's time, in words, in the facility's zone"),
    "booking_url": Name("link to the booking"),
    "reason": Name("the reason given (may be empty)"),
    "by": Name("who did it (empty when it was the facility)", group=PERSON),
    "approval_reasons": Name("why it needs approval", many=True),
    "previous_holder": Name("who held the booking before", group=PERSON),
    "holder": Name("who holds the booking now", group=PERSON),
    "hours": Name("hours before the start"),
    "entry": Name("the waiting-list entry", group=WAITLIST_ENTRY),
    "accept_url": Name("link to accept or decline"),
    "offer_expires": Name("when the offer ends, in words"),
    "approval": Name("the approval request", group=APPROVAL),
    "step": Name("this approval step's number"),
    "step_count": Name("how many steps the approval has"),
    "step_label": Name("the name of the step just passed"),
    "next_step": Name("the name of the step that decides next"),
    "approved_by": Name(
        "who gave the last approval (empty when the booking needed none)", group=PERSON
    ),
    "reasons": Name("why it needs approval", many=True),
    "decision_url": Name("link to approve or reject"),
    "decision": Name("“approved” or “rejected”"),
    "comment": Name("the approver's comment (may be empty)"),
    "title": Name("the report's title"),
    "url": Name("link to the report"),
    "count": Name("how many lines it has"),
    "resource": Name("the instrument", group=RESOURCE),
    "problem": Name("what the reporter said happened"),
    "severity": Name("how bad the reporter said it is"),
    "report_status": Name("the report's state: open, investigating or resolved"),
    "report_url": Name("link to the problem report"),
    "training_url": Name("link to the training page"),
    "requester": Name("who asked for training", group=PERSON),
    "note": Name("what they said about their experience (may be empty)"),
    "level": Name("the level signed off: “supervised” or “unsupervised”"),
    "expires": Name("when the qualification expires, in words"),
    "days": Name("days before the expiry"),
    "renewal": Name("how to renew, in a sentence"),
    "recipient": Name("the person the message is for", group=PERSON),
    "site_name": Name("the site's name"),
    "preferences_url": Name("link to the recipient's e-mail choices"),
    "my_bookings_url": Name("link to the recipient's bookings"),
    "zone": Name("the facility's time zone"),
}


def top_names(event: str) -> tuple[str, ...]:
    """The first parts of the names `event`'s wording may use. KeyError for an unknown event."""
    return (*EVENTS[event].context, *COMMON)


def _paths(prefix: str, name: Name) -> Iterator[tuple[str, Name]]:
    yield prefix, name
    if name.group is not None:
        for key, inner in name.group.names.items():
            yield from _paths(f"{prefix}.{key}", inner)


def paths(top: str) -> Iterator[tuple[str, Name]]:
    """The dotted names under the first part `top`, itself first, e.g. `booking.user.email`."""
    return _paths(top, TOP[top])


def listed_names(event: str) -> dict[str, Name]:
    """Every name `event`'s wording may use, dotted (`booking.resource.name`), in order."""
    return {path: name for top in top_names(event) for path, name in paths(top)}


def values(event: str, context: dict) -> dict:
    """The plain values `event`'s wording is rendered with, read from its context."""
    return {name: plain(context.get(name), TOP[name]) for name in top_names(event)}
