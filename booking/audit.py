"""The audit trail of bookings: Wagtail log entries, each written with a single INSERT.

Wagtail's `log()` saves through `BaseLogEntry.save()`, whose `full_clean()` re-reads the
content type and the user (two queries per entry) that the caller has just used. Booking
is the hottest write, so its entries are built here as Wagtail builds them (same model,
label, content type, object id, user and uuid from the active log context, timestamp) and
inserted without that re-check; the one check that matters, a registered action, stays.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, registry


def log(
    instance: models.Model, action: str, *, user: Any = None, data: dict | None = None
) -> models.Model | None:
    """Record `action` on `instance` in Wagtail's log, as `wagtail.log_actions.log` would."""
    model = registry.get_log_model_for_instance(instance)
    if model is None:  # like Wagtail: nothing to log into for this kind of object
        return None
    if not registry.action_exists(action):
        raise ValueError(f"The log action {action!r} has not been registered.")
    context = get_active_log_context()
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=model.objects.get_instance_title(instance),
        action=action,
        user=user or context.user,
        uuid=context.uuid,
        data=data or {},
        timestamp=timezone.now(),
    )
    # bulk_create() inserts without calling save(), which is where the re-check lives.
    model.objects.bulk_create([entry])
    return entry
