"""The booking screens' "Request training" link (booking.training's provider)."""

from django.urls import reverse

from booking.models import Resource
from people.models import User


def request_link(resource: Resource, user: User) -> str | None:
    if not resource.requires_qualification:
        return None
    return reverse("training:request", args=[resource.pk])
