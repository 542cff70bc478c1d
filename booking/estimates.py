"""What a booking would cost, for the booking form ("about £84.00 to project ABC-123").

Pricing lives in a layer above booking (reporting/), which registers a provider at start-up;
without one, the form simply shows no estimate.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from people.models import Project, User

from .models import Resource

Estimator = Callable[
    [Resource, User, Project | None, datetime.datetime, datetime.datetime], Decimal | None
]
_provider: Estimator | None = None


def set_estimate_provider(provider: Estimator) -> None:
    global _provider
    _provider = provider


def estimate(
    resource: Resource,
    user: User,
    project: Project | None,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
) -> Decimal | None:
    """The estimated amount, or None without a provider, a priced rate card or valid times."""
    if _provider is None or start is None or end is None or end <= start:
        return None
    return _provider(resource, user, project, start, end)
