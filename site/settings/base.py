"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from labitory.env import env_bool, env_float, env_int, env_list, env_str
from labitory.logging_setup import configure_structlog, logging_config
from labitory.money import checked_currency
from labitory.sso import oidc_apps_from_env
from labitory.storage import (
    default_storage_from_env,
    private_root_from_env,
    private_storage_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "labitory-development-key-not-for-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The demo facility (`seed_demo`, `demo_code`) prints staff passwords and uses a published
# authenticator key: refused unless allowed (demo/allowed.py). Development and tests allow it;
# elsewhere only the environment can, for a throwaway site such as the local stack.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)

INSTALLED_APPS = [
    # Labitory, lowest layer first.
    "people",
    "booking",
    "workflows",
    "reporting",
    "operations",
    "training",
    "labpages",
    # The admin home's panel per role, reading every app below it.
    "dashboards",
    # The demo facility (`make run`), above every other app; its commands need DEMO_DATA_ALLOWED.
    "demo",
    # The project itself: health checks, backups, their scheduled tasks, and Celery beat's
    # scheduled jobs in the admin (site/admin_jobs.py).
    "labitory",
    # Wagtail, with wagtail-localize for translating pages (and its Locales screen in place
    # of wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_celery_beat",
    # Accounts: sign-in, SSO (OpenID Connect) and two-factor (people/two_factor.py)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The REST API (labitory.api and each app's api/) and its OpenAPI schema
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "labitory.request_id.RequestIdMiddleware",
    "labitory.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "labitory.api.conditional.ApiConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (whose slash redirects resolve /de/ page URLs).
    "labitory.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "labitory.i18n.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "booking.kiosk_session.KioskSessionMiddleware",
    "people.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "labitory.security.ContentSecurityPolicyMiddleware",
    "labitory.middleware.FacilityTimezoneMiddleware",
    "labitory.middleware.AdminFormMethodsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "labitory.urls"
WSGI_APPLICATION = "labitory.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "workflows.context_processors.approvals_waiting",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file for development. On SQLite, IMMEDIATE
# transactions serialise writers so they queue instead of failing with "locked".
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions: HttpOnly, SameSite=Lax cookies, ended after a working day or on browser close.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview frames the site's own pages, so same-origin framing stays allowed;
# other sites may not frame any page (also CSP frame-ancestors, site/security.py).
X_FRAME_OPTIONS = "SAMEORIGIN"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Everyone signs in through allauth (people/adapters.py), the Wagtail admin included.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/bookings/"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = LOGIN_URL

ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
# Production closes sign-up unless this is set explicitly (settings/production.py).
ACCOUNT_SIGNUP_ENABLED = env_bool("ACCOUNT_SIGNUP_ENABLED", True)
# Self sign-ups (password or SSO) start as external academic until staff confirm them; a
# verified address on one of these domains makes its owner internal (people/signup.py).
SIGNUP_INTERNAL_DOMAINS = [d.lower() for d in env_list("SIGNUP_INTERNAL_DOMAINS")]
# Comma-separated; empty means any domain may sign up (people/adapters.py).
ACCOUNT_ALLOWED_EMAIL_DOMAINS = [d.lower() for d in env_list("ACCOUNT_ALLOWED_EMAIL_DOMAINS")]
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Labitory] "
# Counted in the default cache (Redis when REDIS_URL is set), so every worker shares them.
# "login_failed" per key is the lockout: LOGIN_LOCKOUT_ATTEMPTS failures (wrong password or
# wrong two-factor code) within LOGIN_LOCKOUT_SECONDS; a site admin can clear it.
LOGIN_LOCKOUT_ATTEMPTS = env_int("LOGIN_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"20/m/ip,{LOGIN_LOCKOUT_ATTEMPTS}/{LOGIN_LOCKOUT_SECONDS}s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# SSO through OpenID Connect (Microsoft Entra ID, Google or any provider), from the
# environment: OIDC_PROVIDERS lists ids; for each, OIDC_<ID>_NAME, _SERVER_URL, _CLIENT_ID,
# _SECRET and _EMAIL_VERIFIED (whether the provider's email claim can be trusted for
# linking to an existing account; keep it off for Entra ID). See site/sso.py.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps_from_env()}}
SOCIALACCOUNT_AUTO_SIGNUP = True
# Linking by email is switched on per provider (OIDC_<ID>_EMAIL_VERIFIED).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# Two-factor (django-otp). Throttling and replay protection live in the shared cache
# (people/two_factor.py), so django-otp's per-row throttle is off.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Labitory")
OTP_TOTP_THROTTLE_FACTOR = 0

# Languages (labitory/i18n.py): British English is the default and the source of every
# message; German is shipped in locale/. A person's own language (people.User.language) wins
# over the browser's; a page's URL prefix (/de/…) wins over both for pages.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages are translated per locale in the Wagtail editor (wagtail-localize).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Storage is UTC; each request is shown in the facility's zone (FacilitySettings).
# The facility's currency (ISO 4217): labitory.money formats every amount with it.
LABITORY_CURRENCY = checked_currency(env_str("LABITORY_CURRENCY", "GBP"))
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Statements and any other private file: a folder outside every published one (or a private
# S3 prefix), served only by permission-checked views (site/storage.py, site/private_files.py).
PRIVATE_ROOT = private_root_from_env(BASE_DIR / "var" / "private", public=[MEDIA_ROOT, STATIC_ROOT])
# Behind nginx: the URL prefix of its `internal` location for PRIVATE_ROOT, so a view hands a
# private file to nginx by X-Accel-Redirect. Empty: the view streams the file itself.
PRIVATE_FILES_ACCEL_PREFIX = env_str("PRIVATE_FILES_ACCEL_PREFIX")
# Uploads under MEDIA_ROOT, private files under PRIVATE_ROOT, or S3-compatible storage.
STORAGES = {
    "default": default_storage_from_env(),
    "private": private_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache and Celery: Redis when REDIS_URL is set, otherwise process memory and eager tasks.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "labitory.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "labitory",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task, so a running task is not handed out twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Sweep for a killed worker's unacknowledged tasks every few seconds, not ~100 s.
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    # A broker host that does not answer must not hold a request for long (see below).
    "socket_connect_timeout": 1,
}
# Publishing happens after the change has committed, and every message that matters waits
# in a table (the outbox, usage records) that a periodic sweep re-queues: with the broker
# down, one quick retry, then the request goes on (the error is logged), not three with pauses.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_DEFAULT_QUEUE = "notifications"
CELERY_TASK_ROUTES = {
    # Exact names first: workflows' periodic jobs are maintenance, its deliveries notifications.
    "workflows.tasks.sweep_outbox_task": {"queue": "maintenance"},
    "workflows.tasks.send_booking_reminders_task": {"queue": "maintenance"},
    "workflows.tasks.approval_reminders_task": {"queue": "maintenance"},
    "workflows.tasks.escalate_approvals_task": {"queue": "maintenance"},
    "workflows.tasks.expire_approvals_task": {"queue": "maintenance"},
    "workflows.tasks.*": {"queue": "notifications"},
    # Recording usage is quick bookkeeping; it must not wait behind long PDF renders.
    "reporting.tasks.record_usage_task": {"queue": "maintenance"},
    "reporting.tasks.record_missing_usage_task": {"queue": "maintenance"},
    "reporting.tasks.*": {"queue": "reports"},
    "booking.tasks.*": {"queue": "maintenance"},
    "training.tasks.*": {"queue": "maintenance"},
    "labpages.tasks.*": {"queue": "maintenance"},
    "labitory.tasks.*": {"queue": "maintenance"},
}
CELERY_TIMEZONE = "UTC"
# In the database, where site admins edit it; the entries below are the defaults, added
# when missing and never reset (site/beat.py).
CELERY_BEAT_SCHEDULER = "labitory.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "labpages.tasks.publish_scheduled_pages_task",
        "schedule": 60.0,
    },
    "release-no-shows": {"task": "booking.tasks.release_no_shows_task", "schedule": 60.0},
    "complete-finished-bookings": {
        "task": "booking.tasks.complete_finished_task",
        "schedule": 300.0,
    },
    "expire-waitlist-offers": {"task": "booking.tasks.expire_offers_task", "schedule": 60.0},
    "remind-approvers": {"task": "workflows.tasks.approval_reminders_task", "schedule": 300.0},
    "escalate-approvals": {"task": "workflows.tasks.escalate_approvals_task", "schedule": 300.0},
    "expire-approvals": {"task": "workflows.tasks.expire_approvals_task", "schedule": 60.0},
    "sweep-outbox": {"task": "workflows.tasks.sweep_outbox_task", "schedule": 60.0},
    "send-booking-reminders": {
        "task": "workflows.tasks.send_booking_reminders_task",
        "schedule": 300.0,
    },
    # Last month's statements, early on the first of each month (UTC).
    "render-last-month-statements": {
        "task": "reporting.tasks.render_last_month_task",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
    # Proof for `healthcheck --deep` that beat runs (site/health.py).
    "beat-heartbeat": {"task": "labitory.tasks.beat_heartbeat_task", "schedule": 60.0},
    # The database, media and statements in one archive (site/backup/), nightly.
    "nightly-backup": {
        "task": "labitory.tasks.backup_task",
        "schedule": crontab(minute=15, hour=1),
    },
    # Training: renewals by recent use, then reminders of qualifications about to expire.
    "training-expiry": {
        "task": "training.tasks.training_expiry_task",
        "schedule": crontab(minute=0, hour=7),
    },
    # Usage of bookings whose event was missed (a worker down at the time).
    "record-missing-usage": {
        "task": "reporting.tasks.record_missing_usage_task",
        "schedule": 3600.0,
    },
}
# Days before a qualification expires that its holder is reminded (each lead time once).
TRAINING_REMINDER_DAYS = sorted(
    {int(days) for days in env_list("TRAINING_REMINDER_DAYS", ["30", "7"])}, reverse=True
)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", 512_000)

# `healthcheck --deep`: how long workers have to answer, and when beat counts as stale.
HEALTHCHECK_WORKER_TIMEOUT = env_float("HEALTHCHECK_WORKER_TIMEOUT", 3.0)
HEALTHCHECK_BEAT_STALE_SECONDS = env_int("HEALTHCHECK_BEAT_STALE_SECONDS", 300)
# /metrics answers loopback, and anyone sending "Authorization: Bearer <this>" when it is set.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# A Celery worker's own metrics (its process, the backups it sees) on this loopback port; 0: none.
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)

# Backups (site/backup/): where archives go; those older than the retention are deleted,
# but the newest few are always kept.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 14)
BACKUP_KEEP_LATEST = env_int("BACKUP_KEEP_LATEST", 3)

# Statements: usage lines per WeasyPrint part, and processes laying parts out at once
# (empty: one per core). See reporting/rendering/pdf.py.
REPORTING_CHUNK_LINES = env_int("REPORTING_CHUNK_LINES", 500)
REPORTING_RENDER_WORKERS = env_int("REPORTING_RENDER_WORKERS", 0)

# REST API under /api/v1/ (site/api/, imported as labitory.api): JSON only, signed in with a
# personal API token (Bearer) or through the browser session (with its CSRF token); errors of
# one JSON shape with a stable code (labitory/api/errors.py; statuses: labitory/refusals.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "labitory.api.authentication.BearerTokenAuthentication",
        "labitory.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "labitory.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "labitory.api.errors.api_exception_handler",
    # Counted in the default cache (Redis when REDIS_URL is set), so shared by every worker:
    # per address, per user, and per personal API token (labitory/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["labitory.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "token": env_str("API_THROTTLE_TOKEN", "300/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "labitory.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Labitory API",
    "DESCRIPTION": "Resources, their free time, your bookings, the approvals waiting for you, "
    "your projects, and (for finance staff and PIs) usage and statements. Every write goes "
    "through the same services as the web site; errors carry a stable `code`.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    # Only /api/v1/: Wagtail's admin API is also built with DRF.
    "PREPROCESSING_HOOKS": ["labitory.api.schema.only_api_v1"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`; each choice set gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "booking.models.Booking.Status",
        "ApprovalStatusEnum": "workflows.models.ApprovalRequest.Status",
        "StatementStatusEnum": "reporting.models.Statement.Status",
        "QuestionKindEnum": "booking.models.BookingQuestion.Kind",
    },
    # The docs pages' scripts are served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Booking: how long a freed slot is held for the next person on its waiting list.
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 60)

# Email: console in development unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Without a timeout a stuck SMTP server blocks a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Labitory <bookings@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (workflows/delivery.py): after a temporary failure the next attempt waits
# base * 2**(attempt-1) seconds, at most the cap; a message fails after the last attempt.
# Pending messages overdue by the grace are queued again by the sweeper.
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env_int("NOTIFICATIONS_RETRY_MAX_SECONDS", 1800)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 10)
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env_int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", 120)

# Wagtail
WAGTAIL_SITE_NAME = "Labitory"
# No avatars from a third party: they would tell gravatar.com who opens the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Addresses change through allauth (verified by email) or a site admin, not the admin's
# account page: an address set there would count as verified (people/receivers.py).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Passwords are reset through allauth (rate-limited, audited), not the admin's own form.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# How long an approver's emailed decision link stays valid (seconds).
APPROVAL_LINK_MAX_AGE = env_int("APPROVAL_LINK_MAX_AGE", 7 * 24 * 3600)
# The database backend uses PostgreSQL full-text search on PostgreSQL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: sizes capped, documents' content checked against their extension, image
# metadata removed (site/uploads.py).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 25 * 1024 * 1024)
WAGTAILIMAGES_IMAGE_FORM_BASE = "labitory.uploads.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "labitory.uploads.DocumentForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Plain lines in development, JSON in production (LOG_FORMAT); see site/logging_setup.py.
LOGGING = logging_config(
    log_format=env_str("LOG_FORMAT", "text"), level=env_str("LOG_LEVEL", "INFO")
)
configure_structlog()

# Error reports (site/sentry.py), from the web processes and the workers.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from labitory.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )
