"""/metrics: who may read it, and that its figures follow what happens on the site."""

import datetime
import os

import pytest
import redis
import requests
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from labitory.health import record_beat_heartbeat
from labitory.metrics import serve_worker_metrics
from tests.ports import free_port
from tests.workflows.helpers import book, make_rule
from workflows.models import ApprovalRequest, ApprovalStep, OutboxMessage

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scraper-token"
ELSEWHERE = "203.0.113.9"


def figures(client, **headers) -> dict[tuple, float]:
    """Every sample of a scrape, keyed by (name, sorted labels)."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def figure(client, name: str, **labels) -> float | None:
    return figures(client).get((name, tuple(sorted(labels.items()))))


# Who may read it.


def test_a_scrape_from_loopback_is_answered(client):
    assert "labitory_outbox_pending" in {name for name, _ in figures(client)}


def test_a_request_through_the_proxy_is_a_404_although_it_comes_from_loopback(client):
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert response.status_code == 404


def test_another_address_gets_the_same_404_as_an_unknown_url(client):
    refused = client.get("/metrics", REMOTE_ADDR=ELSEWHERE)
    unknown = client.get("/no-such-page/", REMOTE_ADDR=ELSEWHERE)

    assert refused.status_code == unknown.status_code == 404
    assert refused["Content-Type"] == unknown["Content-Type"]
    assert b"labitory_" not in refused.content


def test_the_right_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = TOKEN

    response = client.get(
        "/metrics",
        REMOTE_ADDR=ELSEWHERE,
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )

    assert response.status_code == 200


@pytest.mark.parametrize("given", [f"Bearer {TOKEN}x", TOKEN, "Bearer ", ""])
def test_a_wrong_or_missing_token_is_a_404(client, settings, given):
    settings.METRICS_TOKEN = TOKEN

    response = client.get("/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION=given)

    assert response.status_code == 404


def test_an_empty_bearer_opens_nothing_when_no_token_is_set(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 404


# The figures move.


def waits_for(instrument, approver) -> None:
    """Every booking of the instrument waits for `approver`, who is told by email."""
    step = {"approvers": ApprovalStep.Approvers.USERS, "users": [approver]}
    make_rule(instrument.lab, step, always=True)


def test_a_request_is_counted_under_its_view_name_and_status(client):
    before = figure(client, "labitory_http_requests_total", view="healthz", status="200") or 0

    client.get("/healthz")

    assert figure(client, "labitory_http_requests_total", view="healthz", status="200") == (
        before + 1
    )
    assert figure(client, "labitory_http_request_duration_seconds_count", view="healthz") >= 1


def test_a_missing_page_is_counted_under_the_view_name_not_its_path(client):
    """Wagtail's catch-all serves every path no other URL takes."""
    before = figure(client, "labitory_http_requests_total", view="wagtail_serve", status="404")

    client.get("/no-such-page/12345/")

    after = figure(client, "labitory_http_requests_total", view="wagtail_serve", status="404")
    assert after == (before or 0) + 1
    views = {dict(labels).get("view") for _, labels in figures(client)}
    assert not any("12345" in (view or "") for view in views)


def test_a_booking_waiting_for_approval_shows_in_the_outbox_and_past_its_reminder(
    client, instrument, booker, project, coordinator
):
    assert figure(client, "labitory_outbox_pending") == 0
    assert figure(client, "labitory_outbox_oldest_pending_age_seconds") == 0
    assert figure(client, "labitory_approvals_past_reminder") == 0
    waits_for(instrument, coordinator)

    book(instrument, booker, project)

    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert figure(client, "labitory_outbox_pending") == pending.count() > 0
    # A day on: the message still waits, and so does the approval, past its reminder.
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    pending.update(created_at=a_day_ago)
    ApprovalRequest.objects.update(remind_at=a_day_ago)
    assert figure(client, "labitory_outbox_oldest_pending_age_seconds") >= 24 * 3600
    assert figure(client, "labitory_approvals_past_reminder") == 1


def test_a_message_that_failed_for_good_is_counted(
    client, instrument, booker, project, coordinator
):
    waits_for(instrument, coordinator)
    book(instrument, booker, project)

    OutboxMessage.objects.update(status=OutboxMessage.Status.FAILED)

    assert figure(client, "labitory_outbox_failed") == OutboxMessage.objects.count() > 0
    assert figure(client, "labitory_outbox_pending") == 0


def test_beats_heartbeat_age_appears_once_recorded(client):
    assert figure(client, "labitory_beat_heartbeat_age_seconds") is None

    record_beat_heartbeat()

    assert 0 <= figure(client, "labitory_beat_heartbeat_age_seconds") < 60


def test_the_newest_backup_archive_is_reported(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    assert figure(client, "labitory_backup_last_timestamp_seconds") == 0

    (tmp_path / "labitory-20261201T020000Z.tar").touch()
    (tmp_path / "labitory-20261202T020000Z.tar").touch()

    newest = datetime.datetime(2026, 12, 2, 2, tzinfo=datetime.UTC).timestamp()
    assert figure(client, "labitory_backup_last_timestamp_seconds") == newest


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the queues live in Redis")
def test_queue_depth_is_the_length_of_each_queues_list(client, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete("reports")
    try:
        broker.lpush("reports", "a task", "another")

        assert figure(client, "labitory_celery_queue_length", queue="reports") == 2
        assert figure(client, "labitory_redis_up") == 1
    finally:
        broker.delete("reports")


def test_an_unreachable_redis_leaves_out_the_queues_without_failing_the_scrape(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    assert figure(client, "labitory_redis_up") == 0
    assert figure(client, "labitory_celery_queue_length", queue="reports") is None
    assert figure(client, "labitory_outbox_pending") == 0


def test_a_worker_serves_its_process_and_the_backups_on_its_own_loopback_port(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    (tmp_path / "labitory-20261202T020000Z.tar").touch()
    port = free_port(range(19810, 19900))

    serve_worker_metrics(port)

    answer = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    served = {s.name: s.value for f in text_string_to_metric_families(answer) for s in f.samples}
    newest = datetime.datetime(2026, 12, 2, 2, tzinfo=datetime.UTC).timestamp()
    assert served["labitory_backup_last_timestamp_seconds"] == newest
    assert "process_cpu_seconds_total" in served
    assert "labitory_outbox_pending" not in served  # the web tier's, asked once
