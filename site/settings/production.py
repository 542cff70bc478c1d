"""Production: every secret and the database must come from the environment."""

from labitory.env import env_bool, env_int, env_required, env_str
from labitory.logging_setup import logging_config

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, REST_FRAMEWORK

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
env_required("DATABASE_URL")  # base.py parsed it; refuse the SQLite fallback here.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool(
    "ALLOW_SQLITE_IN_PRODUCTION", False
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Production needs a PostgreSQL DATABASE_URL.")
env_required("ALLOWED_HOSTS")
# Anyone on the internet could make an account: closed unless the operator says otherwise.
ACCOUNT_SIGNUP_ENABLED = env_bool("ACCOUNT_SIGNUP_ENABLED", False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front of gunicorn that append to X-Forwarded-For (nginx: 1; a load balancer in
# front of nginx: 2). Sign-in limits and lockouts (allauth), API throttling (DRF) and the
# audit log count the address that many hops from the right, not one a client could send.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXY_COUNT}
# The local stack (`make stack`) turns these off for plain HTTP on loopback; never a real site.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
# Sessions read from Redis (a tenth of the database's cost per request) and written through
# to the database, which stays their record: with Redis down they load from there
# (labitory.cache reads an outage as a miss). Only with a shared cache: a per-process one
# would hand a worker a session that another worker had since changed or ended.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Wagtail's live preview frames the site's own pages, so same-origin framing stays allowed.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# nginx sends private files (deploy/nginx/labitory-app.conf, location /_private/); set it
# empty only where no nginx stands in front of gunicorn.
PRIVATE_FILES_ACCEL_PREFIX = env_str("PRIVATE_FILES_ACCEL_PREFIX", "/_private/")

# JSON lines for the log shipper, each with its request id (site/logging_setup.py).
LOGGING = logging_config(
    log_format=env_str("LOG_FORMAT", "json"), level=env_str("LOG_LEVEL", "INFO")
)
