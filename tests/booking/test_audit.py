"""booking.audit.log writes the entry Wagtail's own log() would, in one INSERT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import LogContext
from wagtail.log_actions import log as wagtail_log
from wagtail.models import ModelLogEntry

from booking.audit import log
from booking.models import Booking
from tests.booking.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPARED = (
    "content_type_id",
    "object_id",
    "label",
    "action",
    "user_id",
    "uuid",
    "data",
    "revision_id",
    "content_changed",
    "deleted",
)


@pytest.fixture
def booking(instrument, booker, project) -> Booking:
    return Booking.objects.create(
        resource=instrument, user=booker, project=project, start=at(1, 10), end=at(1, 11)
    )


def fields(entry: ModelLogEntry) -> dict:
    entry.refresh_from_db()
    return {name: getattr(entry, name) for name in COMPARED}


def test_an_entry_is_the_one_wagtail_writes(booking, booker):
    ours = log(booking, "booking.changed", user=booker, data={"start": "10:00"})
    theirs = wagtail_log(
        instance=booking, action="booking.changed", user=booker, data={"start": "10:00"}
    )

    assert fields(ours) == fields(theirs)
    assert fields(ours)["label"] == str(booking)
    assert abs(ours.timestamp - theirs.timestamp).total_seconds() < 5


def test_the_active_log_context_gives_the_user_and_the_shared_uuid(booking):
    coordinator = UserFactory()
    with LogContext(user=coordinator) as context:
        ours = log(booking, "booking.confirmed")
        theirs = wagtail_log(instance=booking, action="booking.confirmed")

    assert fields(ours) == fields(theirs)
    assert ours.user == coordinator and ours.uuid == context.uuid


def test_an_entry_is_one_insert(booking, booker):
    str(booking)  # the label: the caller has the resource, and the zone is read once a minute
    with CaptureQueriesContext(connection) as captured:
        log(booking, "booking.confirmed", user=booker)
    assert [query["sql"].split()[0] for query in captured] == ["INSERT"]


def test_an_unregistered_action_is_refused_and_nothing_is_written(booking, booker):
    with pytest.raises(ValueError, match="booking.teleported"):
        log(booking, "booking.teleported", user=booker)
    assert not ModelLogEntry.objects.exists()
