"""Staff through the API: the bookings of their labs (a coordinator) or of the whole facility
(a site admin), and who holds a resource in its availability; researchers see only their own
bookings and no one else's details."""

import pytest
from rest_framework.test import APIClient

from booking.models import Booking, Closure
from tests.api.helpers import book, iso, soon, utc
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(facility, coordinator, booker, rival):
    """A booking of the researcher's in Imaging (the coordinator's lab), one of the rival's
    in Proteomics, and one of the coordinator's own in Proteomics."""
    confocal, orbitrap = facility.confocal.resource, facility.orbitrap.resource
    project = ProjectFactory(members=[booker, rival, coordinator])
    return {
        "confocal": confocal,
        "orbitrap": orbitrap,
        "imaging": book(booker, confocal, project, soon(2, 10), soon(2, 11)),
        "proteomics": book(rival, orbitrap, project, soon(3, 10), soon(3, 11)),
        "coordinators_own": book(coordinator, orbitrap, project, soon(4, 10), soon(4, 11)),
    }


def staff(user) -> APIClient:
    client = APIClient()
    sign_in_with_second_factor(client, user)
    return client


def ids(client, **params) -> list[int]:
    response = client.get("/api/v1/bookings/", params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_coordinator_lists_their_labs_bookings_and_their_own(world, coordinator):
    assert ids(staff(coordinator)) == [world["imaging"].pk, world["coordinators_own"].pk]


def test_a_site_admin_lists_every_booking(world, site_admin):
    assert ids(staff(site_admin)) == [
        world["imaging"].pk,
        world["proteomics"].pk,
        world["coordinators_own"].pk,
    ]


def test_researchers_still_list_only_their_own(world, api):
    assert ids(api) == [world["imaging"].pk]


def test_mine_narrows_staff_to_their_own_bookings(world, coordinator, site_admin):
    client = staff(coordinator)
    assert ids(client, mine="true") == [world["coordinators_own"].pk]
    assert ids(client, mine="false") == [world["imaging"].pk]
    assert ids(staff(site_admin), mine="true") == []


def test_staff_filter_by_resource_status_and_dates(world, site_admin):
    client = staff(site_admin)
    Booking.objects.filter(pk=world["proteomics"].pk).update(status=Booking.Status.CANCELLED)

    assert ids(client, resource=world["orbitrap"].pk) == [
        world["proteomics"].pk,
        world["coordinators_own"].pk,
    ]
    assert ids(client, status="cancelled") == [world["proteomics"].pk]
    assert ids(client, start_after=iso(soon(3, 0)), start_before=iso(soon(4, 0))) == [
        world["proteomics"].pk
    ]


def test_the_list_names_each_booker(world, coordinator, booker):
    [row, _] = staff(coordinator).get("/api/v1/bookings/").json()["results"]
    assert row["booker"] == booker.pk and row["booker_name"] == booker.name


def test_a_coordinator_reads_a_booking_of_their_lab_but_not_of_another(world, coordinator):
    client = staff(coordinator)
    assert client.get(f"/api/v1/bookings/{world['imaging'].pk}/").status_code == 200
    other = client.get(f"/api/v1/bookings/{world['proteomics'].pk}/")
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_staff_may_not_change_or_cancel_someone_elses_booking(world, site_admin):
    client = staff(site_admin)
    target = world["imaging"]
    for response in (
        client.patch(f"/api/v1/bookings/{target.pk}/", {"end": iso(soon(2, 12))}, format="json"),
        client.post(f"/api/v1/bookings/{target.pk}/cancel/", {}, format="json"),
    ):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    target.refresh_from_db()
    assert target.status == Booking.Status.CONFIRMED and target.end == soon(2, 11)


def test_a_staff_session_without_two_factor_is_refused(world, coordinator):
    client = APIClient()
    client.force_login(coordinator)
    response = client.get("/api/v1/bookings/")
    assert response.status_code == 403


# Busy time in availability.


def busy(client, resource, day: int) -> list[dict]:
    response = client.get(
        f"/api/v1/resources/{resource.pk}/availability/",
        {"start": iso(soon(day, 0)), "end": iso(soon(day + 1, 0))},
    )
    assert response.status_code == 200, response.json()
    return response.json()["busy"]


def test_a_researcher_sees_others_bookings_only_as_busy(world, facility, rival):
    client = APIClient()
    client.force_login(rival)

    assert busy(client, world["confocal"], 2) == [
        {
            "start": utc(soon(2, 10)),
            "end": utc(soon(2, 11)),
            "kind": "booked",
            "label": "Booked",
            "booking": None,
            "status": None,
            "booker": None,
            "booker_name": None,
        }
    ]


def test_a_researcher_sees_their_own_booking_by_id(world, api):
    [own] = busy(api, world["confocal"], 2)
    assert own["kind"] == "own" and own["booking"] == world["imaging"].pk
    assert own["status"] == "confirmed" and own["booker"] is None


def test_lab_staff_see_who_holds_their_labs_resource(world, coordinator, booker):
    [held] = busy(staff(coordinator), world["confocal"], 2)
    assert held["kind"] == "booking" and held["booking"] == world["imaging"].pk
    assert held["booker"] == booker.pk and held["booker_name"] == booker.name
    assert held["status"] == "confirmed"


def test_a_coordinator_of_another_lab_sees_only_busy_time(world, coordinator):
    [held] = busy(staff(coordinator), world["orbitrap"], 3)
    assert held["kind"] == "booked" and held["booker"] is None and held["booking"] is None


def test_closures_are_busy_time_with_their_reason(world, site_admin):
    Closure.objects.create(
        lab=world["orbitrap"].lab, starts_at=soon(5, 9), ends_at=soon(5, 17), reason="Move"
    )
    researcher = APIClient()
    researcher.force_login(UserFactory())
    for client in (researcher, staff(site_admin)):
        [closed] = busy(client, world["orbitrap"], 5)
        assert closed["kind"] == "closed" and closed["label"] == "Closed: Move"
        assert closed["start"] == utc(soon(5, 9)) and closed["booking"] is None
