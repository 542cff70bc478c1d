"""GET /api/v1/resources/: active resources, one resource, and its free time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Qualification, RequiredPolicy, Resource
from booking.services import accept_policy
from tests.api.helpers import book, iso, soon, utc
from tests.factories import LabFactory, ResourceCategoryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_it_lists_active_resources_with_their_lab_category_and_rules(api, instrument):
    ResourceFactory(name="Retired microscope", is_active=False)

    response = api.get("/api/v1/resources/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == instrument.pk and row["name"] == "Confocal LSM 980"
    assert row["lab"] == {
        "id": instrument.lab_id,
        "name": instrument.lab.name,
        "slug": instrument.lab.slug,
    }
    assert row["category"]["slug"] == instrument.category.slug
    assert row["granularity"] == 15 and row["max_duration"] == 240


def test_it_filters_by_lab_and_category_slug(api):
    imaging = LabFactory(name="Imaging", slug="imaging")
    microscopy = ResourceCategoryFactory(name="Microscopy", slug="microscopy")
    confocal = ResourceFactory(lab=imaging, category=microscopy)
    ResourceFactory(lab=imaging)
    ResourceFactory(category=microscopy)

    response = api.get("/api/v1/resources/", {"lab": "imaging", "category": "microscopy"})

    assert [row["id"] for row in response.json()["results"]] == [confocal.pk]
    assert api.get("/api/v1/resources/", {"lab": "nowhere"}).json()["results"] == []


@pytest.mark.parametrize("params", [{"lab": "nul\x00"}, {"category": "x" * 101}])
def test_unreadable_filters_are_a_400(api, params):
    response = api.get("/api/v1/resources/", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_resource_list_takes_the_same_queries_for_few_and_many(api, django_assert_num_queries):
    ResourceFactory.create_batch(2)
    api.get("/api/v1/resources/")
    # Session, user, the staff check of the two-factor middleware, count, page, its questions.
    with django_assert_num_queries(6) as few:
        api.get("/api/v1/resources/")
    ResourceFactory.create_batch(20)
    with django_assert_num_queries(len(few.captured_queries)):
        api.get("/api/v1/resources/")


def test_one_resource_is_shown_by_id(api, instrument):
    response = api.get(f"/api/v1/resources/{instrument.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == instrument.name


def test_an_inactive_resource_is_not_found(api, instrument):
    Resource.objects.filter(pk=instrument.pk).update(is_active=False)
    response = api.get(f"/api/v1/resources/{instrument.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("resource_id", ["99999999999999999999999", "9223372036854775808", "0"])
def test_an_id_no_resource_can_have_is_not_found(api, resource_id):
    response = api.get(f"/api/v1/resources/{resource_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_availability_is_the_free_time_around_bookings(api, instrument, booker, project):
    book(booker, instrument, project, soon(2, 10), soon(2, 11))

    response = api.get(
        f"/api/v1/resources/{instrument.pk}/availability/",
        {"start": iso(soon(2, 8)), "end": iso(soon(2, 12))},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["resource"] == instrument.pk and body["time_zone"] == "Europe/London"
    assert body["free"] == [
        {"start": utc(soon(2, 8)), "end": utc(soon(2, 10))},
        {"start": utc(soon(2, 11)), "end": utc(soon(2, 12))},
    ]


def test_availability_reads_any_offset_and_answers_in_utc(api, instrument):
    start = soon(2, 8).astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
    response = api.get(
        f"/api/v1/resources/{instrument.pk}/availability/",
        {"start": start.isoformat(), "end": utc(soon(2, 9))},
    )
    assert response.status_code == 200
    assert response.json()["free"] == [{"start": utc(soon(2, 8)), "end": utc(soon(2, 9))}]


@pytest.mark.parametrize(
    "start",
    [
        "2030-03-05T09:00:00",  # no offset: ambiguous
        "2030-03-05 09:00",
        "tomorrow",
        "2030-13-05T09:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:00:00-05:00",
        "2030-03-05T09:00:00\x00Z",
    ],
)
def test_availability_refuses_times_without_an_offset_or_unreadable(api, instrument, start):
    response = api.get(
        f"/api/v1/resources/{instrument.pk}/availability/",
        {"start": start, "end": "2030-03-05T10:00:00Z"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_datetime"
    assert body["problems"][0]["field"] == "start"


def test_availability_needs_both_ends_of_the_window(api, instrument):
    response = api.get(f"/api/v1/resources/{instrument.pk}/availability/")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {p["field"] for p in body["problems"]} == {"start", "end"}


def test_availability_refuses_a_window_that_ends_before_it_starts(api, instrument):
    response = api.get(
        f"/api/v1/resources/{instrument.pk}/availability/",
        {"start": iso(soon(2, 10)), "end": iso(soon(2, 10))},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ends_before_start"


def test_availability_refuses_a_window_over_31_days(api, instrument):
    response = api.get(
        f"/api/v1/resources/{instrument.pk}/availability/",
        {"start": iso(soon(1, 0)), "end": iso(soon(33, 0))},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "window_too_long"


def test_availability_of_a_resource_that_does_not_exist_is_not_found(api):
    response = api.get(
        "/api/v1/resources/424242/availability/",
        {"start": iso(soon(1, 0)), "end": iso(soon(2, 0))},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_resources_are_not_shown_to_anonymous_callers(anonymous, instrument):
    response = anonymous.get("/api/v1/resources/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


# Bookable by me.


def bookable(api, value: str = "true") -> set[str]:
    response = api.get("/api/v1/resources/", {"bookable": value})
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


def test_bookable_lists_what_the_booking_rules_about_the_person_allow(
    api, facility, booker, instrument
):
    trained = ResourceFactory(name="STED", requires_qualification=True)
    lapsed = ResourceFactory(name="Lightsheet", requires_qualification=True)
    ResourceFactory(name="Cryo-EM", requires_qualification=True)
    Qualification.objects.create(user=booker, resource=trained)
    Qualification.objects.create(
        user=booker, resource=lapsed, expires_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    guarded = facility.confocal.resource
    policy = facility.safety_policy
    policy.save_revision().publish()
    RequiredPolicy.objects.create(resource=guarded, policy=policy)
    everything = {"Confocal LSM 980", "STED", "Orbitrap Exploris"}

    assert bookable(api) == everything
    assert bookable(api, "false") == {"Lightsheet", "Cryo-EM", "Zeiss LSM 980"}

    accept_policy(user=booker, policy_page_id=policy.pk)
    assert bookable(api) == everything | {"Zeiss LSM 980"}


def test_bookable_combines_with_the_other_filters(api, facility):
    response = api.get("/api/v1/resources/", {"bookable": "true", "lab": "proteomics"})
    assert [row["name"] for row in response.json()["results"]] == ["Orbitrap Exploris"]


def test_bookable_takes_true_or_false(api):
    response = api.get("/api/v1/resources/", {"bookable": "yes"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "bookable"


def test_availability_takes_the_same_queries_for_few_and_many_bookings(
    api, instrument, booker, project, rival, rival_project
):
    window = {"start": iso(soon(2, 0)), "end": iso(soon(9, 0))}
    path = f"/api/v1/resources/{instrument.pk}/availability/"
    book(booker, instrument, project, soon(2, 10), soon(2, 11))
    api.get(path, window)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(path, window).json()["busy"]) == 1
    for day in range(3, 9):
        book(rival, instrument, rival_project, soon(day, 10), soon(day, 11))
        book(booker, instrument, project, soon(day, 12), soon(day, 13))
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(path, window).json()["busy"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries)
