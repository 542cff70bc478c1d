"""Throttling: per user over every session and token, per personal API token, per anonymous
address; counted in the shared cache (Redis when REDIS_URL is set); a 429 says when to retry."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from people.api_tokens import create_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**rates: str | None) -> None:
        defaults = {"anon": None, "user": None, "token": None}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaults | rates)

    return set_rates


def token_client(user, name: str = "script") -> APIClient:
    _, raw = create_token(user=user, name=name, scope="read", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def statuses(client: APIClient, times: int) -> list[int]:
    return [client.get("/api/v1/projects/").status_code for _ in range(times)]


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert response.json() == {
        "code": "throttled",
        "message": response.json()["message"],
        "problems": [],
    }
    assert "throttled" in response.json()["message"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_allowance(booker, rates):
    rates(token="3/minute")
    first, second = token_client(booker, "first"), token_client(booker, "second")

    assert statuses(first, 3) == [200, 200, 200]
    assert_throttled(first.get("/api/v1/projects/"))
    assert statuses(second, 3) == [200, 200, 200]


def test_the_users_allowance_counts_every_token_and_session(booker, api, rates):
    rates(user="4/minute", token="100/minute")
    first, second = token_client(booker, "first"), token_client(booker, "second")

    assert statuses(first, 2) + statuses(second, 1) + statuses(api, 1) == [200] * 4
    assert_throttled(api.get("/api/v1/projects/"))
    assert_throttled(second.get("/api/v1/projects/"))
    other = APIClient()
    other.force_login(UserFactory())
    assert statuses(other, 1) == [200]


def test_a_session_is_not_counted_against_a_token(booker, api, rates):
    rates(token="2/minute")

    assert statuses(api, 5) == [200] * 5


def test_anonymous_callers_are_throttled_by_address(rates):
    # Endpoints that need signing in answer 401 first; the schema is open to anyone.
    rates(anon="2/minute")
    client = APIClient(HTTP_ACCEPT="application/json")

    assert [client.get("/api/v1/schema/").status_code for _ in range(2)] == [200, 200]
    assert_throttled(client.get("/api/v1/schema/"))
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT="application/json")
    assert elsewhere.get("/api/v1/schema/").status_code == 200


def test_the_counts_live_in_the_shared_cache(booker, rates):
    rates(token="1/minute")
    client = token_client(booker)
    assert statuses(client, 2) == [200, 429]

    cache.clear()  # what every worker reads: emptied, the allowance is back

    assert statuses(client, 1) == [200]


def test_a_write_is_throttled_with_the_same_shape(booker, rates):
    rates(user="1/minute")
    _, raw = create_token(user=booker, name="writer", scope="read_write", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/projects/")

    assert_throttled(client.post("/api/v1/bookings/", {}, format="json"))
