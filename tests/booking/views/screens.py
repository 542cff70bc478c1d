"""Helpers for the booking screens' tests: local times relative to today, form fields."""

import datetime
from html import unescape

from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from booking.services import request_booking
from labitory.clock import facility_zone


def local(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A facility-local time `days` after today, relative to the real clock."""
    today = timezone.now().astimezone(facility_zone()).date()
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=facility_zone())


def when(prefix: str, moment: datetime.datetime) -> dict:
    return {f"{prefix}_0": f"{moment:%Y-%m-%d}", f"{prefix}_1": f"{moment:%H:%M}"}


def new_url(resource) -> str:
    return reverse("booking:new", args=[resource.pk])


def post_booking(client, bookable, project, start, end, **extra):
    """`extra` adds form fields; upper-case keys are request headers (HTTP_ACCEPT_LANGUAGE)."""
    headers = {key: value for key, value in extra.items() if key.isupper()}
    data = {**when("start", start), **when("end", end), "project": project.pk if project else ""}
    data.update({key: value for key, value in extra.items() if not key.isupper()})
    return client.post(new_url(bookable), data, **headers)


def book(resource, user, project, start, end) -> Booking:
    return request_booking(user=user, resource=resource, project=project, start=start, end=end)


def errors_of(response) -> str:
    return unescape(response.text)
