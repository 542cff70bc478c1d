"""Throttling: per user over every session and token, per personal API token, per anonymous
address; counted in the shared cache (Redis when REDIS_URL is set); a 429 says when to retry."""

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from labitory.api.throttling import ApiRateThrottle
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


def concurrent_verdicts(throttle_class, user, times: int) -> list[bool]:
    """`times` calls by one user checked at the same moment, each in its own thread."""
    start = threading.Barrier(times)
    request = SimpleNamespace(user=user, auth=None, META={"REMOTE_ADDR": "192.0.2.1"})

    def call(_) -> bool:
        start.wait()
        return throttle_class().allow_request(request, None)

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(call, range(times)))


@pytest.mark.skipif(
    not isinstance(caches["default"], RedisCache), reason="counts in Redis: needs REDIS_URL"
)
def test_a_concurrent_burst_on_redis_lets_exactly_the_limit_through(booker, rates):
    rates(user="5/minute")

    verdicts = concurrent_verdicts(ApiRateThrottle, booker, 40)

    assert verdicts.count(True) == 5
    throttle = ApiRateThrottle()
    assert not throttle.allow_request(SimpleNamespace(user=booker, auth=None, META={}), None)
    assert 0 < throttle.wait() <= 60


def test_a_concurrent_burst_on_the_local_memory_cache_lets_exactly_the_limit_through(
    booker, rates, monkeypatch
):
    rates(user="5/minute")
    monkeypatch.setattr(ApiRateThrottle, "cache", LocMemCache("throttle-test", {}))

    verdicts = concurrent_verdicts(ApiRateThrottle, booker, 40)

    assert verdicts.count(True) == 5


def test_a_refused_call_does_not_use_up_the_other_limits(booker, api, rates):
    # A script throttled on its token keeps hammering; its owner's allowance is untouched.
    rates(user="5/minute", token="2/minute")
    script = token_client(booker)

    assert statuses(script, 6) == [200, 200, 429, 429, 429, 429]
    assert statuses(api, 4) == [200, 200, 200, 429]
