"""With Redis down the site goes on from PostgreSQL: pages render, the API reads and books,
throttling counts in the process, health says "degraded"; when Redis returns, the sweeper
sends what waited in the outbox.

Each test runs its own redis-server on a free port and stops it: the machine's shared Redis
is never touched.
"""

import datetime
import shutil
import subprocess
import time

import pytest
import redis
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from booking.models import Booking
from labitory.celery import app
from people.api_tokens import create_token
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.ports import free_port
from workflows.models import OutboxMessage
from workflows.tasks import deliver_message_task, sweep_outbox_task

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary"),
]


class PrivateRedis:
    """A redis-server of this test's own, stopped and started again on the same port."""

    def __init__(self):
        self.port = free_port(range(6480, 6580))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def queued(self, queue: str) -> int:
        return redis.Redis.from_url(self.url).llen(queue)


def use_broker(url: str | None, *, eager: bool) -> None:
    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    app._pool = None  # kombu keeps a pool per broker address; these pick the new one
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    """The cache and the broker on a private Redis, as production has them (not eager)."""
    server = PrivateRedis()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "labitory.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "labitory",
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    previous_url, previous_eager = app.conf.broker_url, app.conf.task_always_eager
    use_broker(server.url, eager=False)
    yield server
    use_broker(previous_url, eager=previous_eager)
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_down(private_redis):
    private_redis.stop()
    return private_redis


@pytest.fixture
def booker(db):
    return UserFactory(email="bea.booker@example.org")


@pytest.fixture
def token_client(booker) -> APIClient:
    _, raw = create_token(user=booker, name="script", scope="read_write", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def test_an_instrument_page_renders_while_redis_is_down(redis_down, facility, client):
    response, seconds = timed(lambda: client.get(facility.confocal.url))

    assert response.status_code == 200
    assert facility.confocal.title in response.text
    assert seconds < 2


def test_an_api_read_answers_while_redis_is_down(redis_down, token_client):
    ResourceFactory(name="Confocal LSM 980")

    response = token_client.get("/api/v1/resources/")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Confocal LSM 980"]


def book_over_the_api(client: APIClient, booker, django_capture_on_commit_callbacks):
    resource = ResourceFactory(name="Confocal LSM 980", capacity=1, granularity=15)
    project = ProjectFactory(code="BIO-2041", members=[booker])
    start = (timezone.now() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):  # publishing to the dead broker
        response = client.post(
            "/api/v1/bookings/",
            {
                "resource": resource.pk,
                "project": project.pk,
                "start": start.isoformat(),
                "end": (start + datetime.timedelta(hours=1)).isoformat(),
            },
            format="json",
        )
    return response


def test_a_booking_is_taken_while_redis_is_down_and_its_message_waits(
    redis_down, booker, token_client, django_capture_on_commit_callbacks, caplog
):
    response, seconds = timed(
        lambda: book_over_the_api(token_client, booker, django_capture_on_commit_callbacks)
    )

    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.status == Booking.Status.CONFIRMED
    message = OutboxMessage.objects.get(recipient=booker)
    assert message.status == OutboxMessage.Status.PENDING
    refused = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [type(error).__name__ for error in refused] == ["OperationalError"]  # the publish
    assert seconds < 1


def test_the_message_goes_out_through_the_sweeper_once_redis_is_back(
    private_redis, booker, token_client, django_capture_on_commit_callbacks
):
    private_redis.stop()
    response = book_over_the_api(token_client, booker, django_capture_on_commit_callbacks)
    assert response.status_code == 201
    private_redis.start()

    assert sweep_outbox_task.apply().get() == 1
    assert private_redis.queued("notifications") == 1  # the broker holds the delivery
    message = OutboxMessage.objects.get(recipient=booker)
    deliver_message_task.apply(args=[message.pk])  # what the notifications worker runs

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [sent.to for sent in mail.outbox] == [[booker.email]]


def test_throttling_counts_in_the_process_while_redis_is_down(
    redis_down, token_client, monkeypatch
):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "token": "3/minute"}
    )

    statuses = [token_client.get("/api/v1/projects/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_throttling_counts_in_redis_again_once_it_is_back(private_redis, token_client, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "token": "2/minute"}
    )
    assert token_client.get("/api/v1/projects/").status_code == 200
    keys = redis.Redis.from_url(private_redis.url).keys("*throttle_token*")
    assert len(keys) == 1


def test_health_says_degraded_with_the_reason(redis_down, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["broker"]["status"] == "down"
    assert [reason.split(":")[0] for reason in body["reasons"]] == ["cache", "broker"]
    assert "Connection" in body["reasons"][0]


def test_health_is_ok_again_once_redis_is_back(private_redis, client):
    private_redis.stop()
    assert client.get("/healthz").json()["status"] == "degraded"
    private_redis.start()

    body = client.get("/healthz").json()

    assert body["status"] == "ok" and body["reasons"] == []


def test_a_signed_in_session_survives_redis_going_down(private_redis, settings, client, booker):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(booker)
    assert client.get("/bookings/").status_code == 200
    assert redis.Redis.from_url(private_redis.url).keys("*django.contrib.sessions.cached_db*")

    private_redis.stop()
    response = client.get("/bookings/")

    assert response.status_code == 200  # read from the database, not sent to sign in
    assert response.wsgi_request.user == booker
