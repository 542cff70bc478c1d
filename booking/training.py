"""Where a researcher asks for training on a resource that needs it.

Training lives in a layer above booking (training/), which registers a provider at start-up;
the booking screens then show "Request training" (or how to renew) beside "Training needed".
Without one, they only say that the lab must train the researcher.
"""

from collections.abc import Callable

from people.models import User

from .models import Resource

TrainingLink = Callable[[Resource, User], str | None]
_provider: TrainingLink | None = None


def set_training_link_provider(provider: TrainingLink) -> None:
    global _provider
    _provider = provider


def training_link(resource: Resource, user: User) -> str | None:
    """The address where `user` asks for (or renews) training on `resource`, if any."""
    if _provider is None or not user.is_authenticated:
        return None
    return _provider(resource, user)
