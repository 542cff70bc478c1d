"""Property-based requests from the API's own schema: no operation may answer with a 500.

The schema is built when this module is imported, not lazily through a fixture (which
pytest 9.2 does not collect reliably); test_schema.py proves it is the one /api/v1/schema/
serves. Requests go through
Django's WSGI handler in-process, signed in with a real session and CSRF token.
"""

import datetime
import zoneinfo

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.formats import get_default_format_strategies

from tests.booking.api.conftest import book, soon


def _times() -> st.SearchStrategy[str]:
    """`date-time` values: any RFC 3339 time, times near today in any offset (seconds and
    ±23:59 included), and quarter-hour times of the coming weeks that the rules may accept."""
    now = datetime.datetime.now()
    offsets = st.one_of(
        st.timezones(),
        st.timedeltas(
            min_value=-datetime.timedelta(hours=23, minutes=59),
            max_value=datetime.timedelta(hours=23, minutes=59),
        ).map(datetime.timezone),
    )
    near = st.datetimes(
        min_value=now - datetime.timedelta(days=3),
        max_value=now + datetime.timedelta(days=100),
        timezones=offsets,
    )
    midnight = datetime.datetime.combine(
        now.date(), datetime.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    bookable = st.builds(
        lambda days, quarters: midnight + datetime.timedelta(days=days, minutes=15 * quarters),
        st.integers(1, 40),
        st.integers(0, 95),
    )
    return st.one_of(
        get_default_format_strategies()["date-time"],
        st.one_of(near, bookable).map(datetime.datetime.isoformat),
    )


schemathesis.openapi.format("date-time", _times())
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))

CSRF_SECRET = "s" * 32
# Bounded: 25 examples per operation and phase, no deadline (the first request of a test
# warms caches), nothing stored between runs.
FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def signed_in_app(db, booker, monkeypatch):
    """Django's WSGI application and the session cookie, CSRF token and header of the booker."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None})
    browser = Client()
    browser.force_login(booker)
    cookies = {
        settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: CSRF_SECRET,
    }
    # The test's transaction must stay open across requests; at each request's end Django
    # would close the connection (the test client unhooks this the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler(), cookies, {"X-CSRFToken": CSRF_SECRET}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_no_operation_answers_with_a_server_error(case, signed_in_app):
    app, cookies, headers = signed_in_app
    case.call_and_validate(app=app, cookies=cookies, headers=headers, checks=[not_a_server_error])


@pytest.fixture
def real_ids(booker, instrument, project) -> dict[str, int]:
    booking = book(booker, instrument, project, soon(2, 10), soon(2, 11))
    return {
        "bookings": booking.pk,
        "resources": instrument.pk,
        "project": project.pk,
        "projects": project.pk,
    }


def aim_at(case, ids: dict[str, int]) -> None:
    """Point the generated case's ids at objects that exist, so that it reaches the services
    and queries (with every other value still generated)."""
    collection = case.path.split("/")[3]
    if "id" in (case.path_parameters or {}) and collection in ids:
        case.path_parameters["id"] = str(ids[collection])
    if isinstance(case.body, dict):
        for key, value in (("resource", ids["resources"]), ("project", ids["project"])):
            if key in case.body:
                case.body[key] = value
    if isinstance(case.query, dict) and "resource" in case.query:
        case.query["resource"] = ids["resources"]


@schema.parametrize()
@FUZZ
def test_no_operation_on_real_objects_answers_with_a_server_error(case, signed_in_app, real_ids):
    app, cookies, headers = signed_in_app
    aim_at(case, real_ids)
    case.call_and_validate(app=app, cookies=cookies, headers=headers, checks=[not_a_server_error])
