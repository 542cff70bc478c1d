"""Production settings with the benchmarks' floors added to the URLs (floor_urls.py)."""

from labitory.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.floor_urls"
