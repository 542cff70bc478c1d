"""Scheduled publishing runs from Celery beat through labpages.tasks."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from labitory.celery import app
from labpages.models import PolicyPage
from labpages.tasks import publish_scheduled_pages_task
from tests.factories import ensure_tree_roots

pytestmark = pytest.mark.django_db


def schedule_policy(title: str) -> PolicyPage:
    """A policy page that is approved to go live, with its go-live time already passed."""
    root = ensure_tree_roots()
    policy = root.add_child(instance=PolicyPage(title=title, body="<p>Rules.</p>", live=False))
    policy.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = policy.save_revision()
    revision.publish()
    # Move the approved schedule into the past, as if the hour had gone by.
    passed = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = passed.isoformat()
    revision.approved_go_live_at = passed
    revision.save(update_fields=["content", "approved_go_live_at"])
    return policy


def test_a_scheduled_page_stays_unpublished_until_the_task_runs():
    policy = schedule_policy("Cryogen handling")

    assert not Page.objects.get(pk=policy.pk).live
    publish_scheduled_pages_task()
    assert Page.objects.get(pk=policy.pk).live


def test_the_task_is_registered_and_routed_to_the_maintenance_queue():
    assert "labpages.tasks.publish_scheduled_pages_task" in app.tasks
    route = app.amqp.router.route({}, "labpages.tasks.publish_scheduled_pages_task")
    assert route["queue"].name == "maintenance"


def test_beat_schedules_every_task_it_names_from_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
