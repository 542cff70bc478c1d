"""Kiosk addresses: a coordinator lets a shared tablet show one resource, and stops it."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking.models import Kiosk, Resource
from booking.permissions import can_manage_lab
from labitory.refusals import Refused
from people.models import User


class KioskRefused(Refused):
    """The kiosk cannot be issued or revoked by this person; nothing was written."""


def _require_manager(resource: Resource, by: User) -> None:
    if not can_manage_lab(by, resource.lab):
        raise KioskRefused("not_lab_staff", _("Only the lab's coordinators manage its kiosks."))


def enable_kiosk(*, resource: Resource, by: User) -> tuple[Kiosk, str]:
    """A new kiosk address for the resource; returns the kiosk and its token, shown once.

    Enabling again revokes the resource's previous address first, so one tablet address is
    live per resource. Refused (`resource_inactive`) for a resource out of service.
    """
    _require_manager(resource, by)
    if not resource.is_active:
        raise KioskRefused(
            "resource_inactive", _("%(name)s is not in service.") % {"name": resource.name}
        )
    token = Kiosk.new_token()
    with transaction.atomic():
        Resource.objects.select_for_update().only("pk").get(pk=resource.pk)
        _revoke_all(resource, by, timezone.now())
        kiosk = Kiosk.objects.create(
            resource=resource, token_hash=Kiosk.hash_token(token), created_by=by
        )
        log(instance=resource, action="booking.kiosk.enabled", user=by, data={"kiosk": kiosk.pk})
    return kiosk, token


def revoke_kiosk(*, resource: Resource, by: User) -> int:
    """Stop the resource's kiosk address: it shows "revoked" from now on. Returns how many
    addresses were stopped (0 when none was live)."""
    _require_manager(resource, by)
    with transaction.atomic():
        return _revoke_all(resource, by, timezone.now())


def _revoke_all(resource: Resource, by: User, now: datetime.datetime) -> int:
    live = list(Kiosk.objects.select_for_update().filter(resource=resource, revoked_at=None))
    for kiosk in live:
        kiosk.revoked_at = now
        kiosk.save(update_fields=["revoked_at"])
        log(instance=resource, action="booking.kiosk.revoked", user=by, data={"kiosk": kiosk.pk})
    return len(live)
