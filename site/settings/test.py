"""Tests: fast hashing, mail in memory; the database and Redis come from the environment."""

import os
from pathlib import Path

from labitory.env import env_str

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, except for a worker started by a test to deliver over SMTP (tests/workflows).
EMAIL_BACKEND = env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
DEMO_DATA_ALLOWED = True

# A file, not shared-cache memory, so that concurrent test threads queue on SQLite's
# IMMEDIATE write lock exactly as a deployed SQLite database would.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # In memory-backed /dev/shm where there is one: migrations there take seconds, not a minute.
    _folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else BASE_DIR / "var"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_folder / f"labitory-test-{os.getpid()}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["timeout"] = 30  # noqa: F405
