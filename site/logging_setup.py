"""The log configuration, in one place: plain lines for development, JSON lines for the log
shipper in production. Both the web processes and the Celery workers use it.

Every record, from structlog or from the standard `logging` module, is rendered with the
values bound in structlog's context variables: the request id (labitory.request_id) and,
in a worker, the task's id and name.
"""

import structlog
from django.core.exceptions import ImproperlyConfigured

FORMATS = ("text", "json")

# Loggers that are too chatty at INFO for any environment.
QUIET_LOGGERS = {
    # Wagtail's in-process search and reference-index tasks log every run at INFO, and
    # Wagtail writes every page action to the console; its audit log keeps them.
    "django_tasks": "WARNING",
    "wagtail": "WARNING",
    # WeasyPrint reports every layout step (even parsing its own stylesheets) at INFO.
    "weasyprint": "WARNING",
    "fontTools": "WARNING",
}

# Run on every record before it is rendered.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    """Send structlog's own loggers through the standard library's handlers, so both kinds
    of record come out of one formatter."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING: one console handler on the root logger, in `log_format`."""
    if log_format not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT={log_format!r} is not one of {', '.join(FORMATS)}.")
    quiet = dict(QUIET_LOGGERS)
    if log_format == "text":
        # In development every eager task would print a "succeeded" line; JSON keeps them,
        # since each one names its task, its run time and the request that queued it.
        quiet["celery.app.trace"] = "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": SHARED_PROCESSORS,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer(),
                ],
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {name: {"level": quiet_level} for name, quiet_level in quiet.items()},
    }
