"""The API shows each resource's status and refuses bookings while it is down."""

import pytest

from booking.models import Resource
from booking.services import StatusChange, set_resource_status
from tests.api.helpers import iso, soon, utc
from tests.booking.api.test_bookings import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def down(instrument, site_admin) -> Resource:
    change = StatusChange(status="down", note="Laser failed", expected_back=soon(3, 9))
    set_resource_status(resource=instrument, change=change, by=site_admin)
    instrument.refresh_from_db()
    return instrument


def test_a_working_resource_is_up(api, instrument):
    row = api.get(f"/api/v1/resources/{instrument.pk}/").json()

    assert (row["status"], row["status_note"], row["expected_back"]) == ("up", "", None)


def test_a_resource_down_says_why_and_until_when(api, down):
    row = api.get(f"/api/v1/resources/{down.pk}/").json()

    assert (row["status"], row["status_note"]) == ("down", "Laser failed")
    assert row["expected_back"] == utc(soon(3, 9))


def test_a_limited_resource_says_what_it_cannot_do(api, instrument, site_admin):
    change = StatusChange(status="limited", note="405 nm laser off")
    set_resource_status(resource=instrument, change=change, by=site_admin)

    [row] = api.get("/api/v1/resources/").json()["results"]

    assert (row["status"], row["status_note"]) == ("limited", "405 nm laser off")


def test_booking_while_down_is_refused_with_its_code(api, down, project):
    response = api.post(
        "/api/v1/bookings/", propose(down, project, soon(2, 10), soon(2, 11)), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "resource_down"


def test_the_outage_is_busy_time(api, down):
    response = api.get(
        f"/api/v1/resources/{down.pk}/availability/",
        {"start": iso(soon(2, 8)), "end": iso(soon(2, 12))},
    )

    body = response.json()
    assert body["free"] == []
    assert [(b["kind"], b["label"]) for b in body["busy"]] == [("down", "Down: Laser failed")]
