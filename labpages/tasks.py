"""Periodic page work: publish and unpublish pages whose scheduled time has come."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="labpages.tasks.publish_scheduled_pages_task")
def publish_scheduled_pages_task() -> None:
    # One beat runs this; a repeated run finds nothing left that is due.
    call_command("publish_scheduled", verbosity=0)
