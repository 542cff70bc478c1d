"""The test settings, with two paths that exist only for tests/site/test_observability.py."""

from labitory.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.site.probe_urls"
