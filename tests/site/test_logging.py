"""Production logs one JSON object per line, each with the request id bound at the time."""

import json

from tests.site.test_settings import PRODUCTION, production_env, run_python

LOG_SOME_LINES = """
import logging

import django
import structlog
from structlog.contextvars import bind_contextvars

django.setup()
bind_contextvars(request_id="4f2a9c0e7b1d4e6f")
logging.getLogger("booking.services").info("Booked %s for %s", "the confocal", "Rosa")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("reporting").exception("Statement failed")
structlog.get_logger("labitory.backup").warning("archive written", tables=107)
logging.getLogger("wagtail").info("a chatty line that is not wanted")
"""


def production_log_lines(**env: str) -> list[dict]:
    result = run_python(PRODUCTION, production_env(**env), "-c", LOG_SOME_LINES)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stderr.splitlines()]


def test_production_logs_json_lines_carrying_the_request_id():
    booked, failed, written = production_log_lines()

    assert booked["event"] == "Booked the confocal for Rosa"
    assert booked["level"] == "info"
    assert booked["logger"] == "booking.services"
    assert booked["timestamp"].endswith("Z")
    assert {booked["request_id"], failed["request_id"], written["request_id"]} == {
        "4f2a9c0e7b1d4e6f"
    }
    assert failed["level"] == "error"
    assert "ZeroDivisionError: division by zero" in failed["exception"]
    assert written["tables"] == 107
    assert written["logger"] == "labitory.backup"


def test_the_log_level_comes_from_the_environment():
    lines = production_log_lines(LOG_LEVEL="WARNING")

    assert [line["level"] for line in lines] == ["error", "warning"]


def test_a_log_format_that_does_not_exist_is_refused():
    result = run_python(
        PRODUCTION, production_env(LOG_FORMAT="xml"), "-c", "import django; django.setup()"
    )

    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not one of text, json." in result.stderr
