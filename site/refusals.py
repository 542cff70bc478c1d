"""The one refusal vocabulary: every service says no with a `Refused` holding `Problem`s.

A problem is a stable machine code, a sentence for people and, where it helps, the field it
is about. Each service raises its own subclass of `Refused` (BookingRefused, PeriodRefused,
ApprovalRefused, …) so that callers can catch what they expect; every caller reads the same
attributes. `http_status()` is the one table from code to HTTP status: the API's error
handler and the site's views both answer with it.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None


class Refused(Exception):
    """A service refused a change; nothing was written.

    Raised with a list of problems, or with one problem's code and message:
    `Refused([Problem(...), ...])` or `Refused("comment_required", "Say why.")`.
    """

    def __init__(self, problems: Iterable[Problem] | str, message: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, message or problems)]
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]

    @property
    def code(self) -> str:
        """The code a client branches on: the first one with a status of its own."""
        return next((c for c in self.codes if c in STATUS), self.codes[0])

    @property
    def message(self) -> str:
        return " ".join(problem.message for problem in self.problems)

    @property
    def status(self) -> int:
        return http_status(self.codes)

    def reported(self) -> list[Problem]:
        """The problems as an API client reads them (a series prefixes each occurrence's)."""
        return self.problems


# Every code that is not a plain "400: the input breaks a rule". Conflicts are refusals the
# caller could not have known before asking (the state changed, or someone was first).
STATUS: dict[str, int] = {
    # The slot or the caller's time is taken.
    "slot_taken": 409,
    "overlaps_own_booking": 409,
    # Check-in and check-out at the wrong moment or state.
    "check_in_not_open": 409,
    "check_in_closed": 409,
    "not_checked_in": 409,
    # Staff recording attendance too late (the booking is over) or too early (not begun).
    "booking_over": 409,
    "not_started": 409,
    # A status change the booking's life cycle does not allow.
    "illegal_transition": 409,
    # Approval steps and requests already decided or closed.
    "already_decided": 409,
    "request_approved": 409,
    "request_rejected": 409,
    "request_cancelled": 409,
    "request_expired": 409,
    "request_superseded": 409,
    # Someone else's task is not confirmed to exist.
    "not_your_step": 404,
    # Nobody decides a booking they hold.
    "own_booking": 403,
    "link_own_booking": 403,
    # Only a failed outbox message is sent again.
    "not_failed": 409,
    # An instrument's status, problem reports and kiosk addresses are its own lab staff's.
    "not_lab_staff": 403,
    # Staff booking for someone: only for a researcher, overriding only what may be.
    "unknown_user": 404,
    "override_not_allowed": 403,
    # A report on an instrument that does not exist.
    "unknown_resource": 404,
    # Training: only a lab's trainers run it; sessions fill, close and start.
    "not_trainer": 403,
    "already_requested": 409,
    "session_full": 409,
    "session_closed": 409,
    "session_not_started": 409,
    # Emailed decision links.
    "link_not_yours": 403,
    "link_used": 410,
    "link_expired": 410,
}


def http_status(codes: Iterable[str]) -> int:
    """The HTTP status of a refusal: that of its first code with one of its own, else 400."""
    return next((STATUS[code] for code in codes if code in STATUS), 400)
