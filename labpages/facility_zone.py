"""The facility's time zone from the default site's settings, for the booking layer.

Cached in the shared cache so that every process sees a change as soon as it is saved.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from wagtail.models import Site

from .models import FacilitySettings

CACHE_KEY = "labpages:facility-zone"


def facility_zone_name() -> str:
    name = cache.get(CACHE_KEY)
    if name is None:
        site = Site.objects.filter(is_default_site=True).first()
        row = FacilitySettings.objects.filter(site=site).values_list("time_zone", flat=True).first()
        name = row or settings.TIME_ZONE
        cache.set(CACHE_KEY, name, timeout=3600)
    return name


def forget_facility_zone(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def connect() -> None:
    post_save.connect(
        forget_facility_zone, sender=FacilitySettings, dispatch_uid="labpages.facility_zone"
    )
