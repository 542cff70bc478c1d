"""The facility's time zone from the default site's settings, for the booking layer.

Remembered per process for a minute: the zone changes rarely, and reading it must not
depend on the cache being up. Saving the settings forgets it in this process at once.
"""

import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .models import FacilitySettings

TTL_SECONDS = 60
_remembered: tuple[str, float] | None = None


def facility_zone_name() -> str:
    global _remembered
    if _remembered is not None and _remembered[1] > time.monotonic():
        return _remembered[0]
    site = Site.objects.filter(is_default_site=True).first()
    row = FacilitySettings.objects.filter(site=site).values_list("time_zone", flat=True).first()
    name = row or settings.TIME_ZONE
    _remembered = (name, time.monotonic() + TTL_SECONDS)
    return name


def forget_facility_zone(**kwargs) -> None:
    global _remembered
    _remembered = None


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(forget_facility_zone, sender=FacilitySettings, dispatch_uid=f"zone-{signal}")
        signal.connect(forget_facility_zone, sender=Site, dispatch_uid=f"zone-site-{signal}")
