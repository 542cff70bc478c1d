"""Every API error is JSON of one shape; unknown paths, anonymous callers, CSRF, throttling."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from booking.models import Booking
from tests.api.helpers import iso, soon

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "problems"}
    assert body["code"] == code and body["message"]
    return body


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v2/bookings/", "/api/v1/nothing/", "/api/v1/bookings/mine/extra"]
)
def test_an_unknown_api_path_is_a_json_404(api, path):
    assert_error(api.get(path), 404, "not_found")
    assert_error(api.post(path, {}, format="json"), 404, "not_found")


def test_an_unknown_api_path_is_a_json_404_for_anonymous_callers_too(anonymous):
    assert_error(anonymous.get("/api/v1/nothing/"), 404, "not_found")
    assert_error(anonymous.post("/api/v1/nothing/"), 404, "not_found")


def test_a_missing_trailing_slash_is_pointed_out(api):
    body = assert_error(api.get("/api/v1/bookings"), 404, "not_found")
    assert "Did you mean /api/v1/bookings/?" in body["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/resources/"),
        ("get", "/api/v1/resources/1/availability/"),
        ("get", "/api/v1/bookings/"),
        ("get", "/api/v1/bookings/1/"),
        ("post", "/api/v1/bookings/"),
        ("patch", "/api/v1/bookings/1/"),
        ("post", "/api/v1/bookings/1/cancel/"),
    ],
)
def test_anonymous_callers_are_refused(anonymous, method, path):
    response = getattr(anonymous, method)(path, {}, format="json")
    assert response.status_code in (401, 403)
    assert_error(response, response.status_code, "not_authenticated")


def test_a_signed_in_write_without_the_csrf_token_is_refused(booker, instrument, project):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(booker)
    payload = {
        "resource": instrument.pk,
        "project": project.pk,
        "start": iso(soon(2, 10)),
        "end": iso(soon(2, 11)),
    }

    assert_error(client.post("/api/v1/bookings/", payload, format="json"), 403, "csrf_failed")
    assert not Booking.objects.exists()

    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    response = client.post(
        "/api/v1/bookings/", payload, format="json", headers={"X-CSRFToken": CSRF_SECRET}
    )
    assert response.status_code == 201


def test_only_json_bodies_are_read(api):
    response = api.post("/api/v1/bookings/", {"resource": "1"})  # form-encoded
    assert_error(response, 415, "unsupported_media_type")


def test_too_many_requests_are_throttled(api, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": None})
    api.get("/api/v1/resources/")
    api.get("/api/v1/resources/")
    response = api.get("/api/v1/resources/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": ""},
        {"page": "last"},
        {"page_size": "0"},
        {"page_size": ""},
        {"page_size": "201"},
        {"page_size": "ten"},
    ],
)
def test_a_page_or_page_size_outside_the_schema_is_refused(api, query):
    """The schema's limits (page from 1, page_size from 1 to 200) are the server's."""
    body = assert_error(api.get("/api/v1/bookings/", query), 400, "invalid")
    assert body["problems"][0]["field"] == next(iter(query))


def test_the_largest_page_size_is_accepted(api):
    assert api.get("/api/v1/bookings/", {"page_size": "200", "page": "1"}).status_code == 200


@pytest.mark.parametrize("start", ["1899-12-31T23:00:00Z", "3000-01-01T00:00:00+01:00"])
def test_a_time_outside_the_accepted_years_is_refused(api, start):
    body = assert_error(
        api.get("/api/v1/bookings/", {"start_after": start}), 400, "invalid_datetime"
    )
    assert "1900 and 2999" in body["message"]


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/v1/bookings/", "status"),
        ("/api/v1/bookings/", "resource"),
        ("/api/v1/resources/", "bookable"),
        ("/api/v1/resources/", "lab"),
        ("/api/v1/projects/", "active"),
    ],
)
def test_a_filter_sent_empty_is_refused(api, path, name):
    """The schema allows no filter an empty value; nor does the server."""
    body = assert_error(api.get(path, {name: ""}), 400, "invalid")
    assert body["problems"][0]["field"] == name
