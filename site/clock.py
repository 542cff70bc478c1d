"""The facility's time zone, for rules that speak in local time (opening hours, days).

The zone is a site setting owned by the pages layer, which registers a provider at start-up;
without one, settings.TIME_ZONE is used.
"""

import zoneinfo
from collections.abc import Callable

from django.conf import settings

_provider: Callable[[], str] | None = None


def set_zone_provider(provider: Callable[[], str]) -> None:
    global _provider
    _provider = provider


def facility_zone() -> zoneinfo.ZoneInfo:
    name = _provider() if _provider else settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
