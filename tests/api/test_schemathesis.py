"""Property-based requests from the API's own schema, each judged by every schemathesis
check: no 500, answers as the schema says, schema-valid input accepted and invalid input
refused (the schema declares every limit the server enforces), credentials enforced.

The schema is built when this module is imported, not lazily through a fixture (which
pytest 9.2 does not collect reliably); test_schema.py proves it is the one /api/v1/schema/
serves. Requests go through Django's WSGI handler in-process, as three callers: a researcher
with a browser session and CSRF token, a site admin (staff: finance's rights too) with a
session verified by two-factor, and the same site admin with a read-write personal API token.
"""

import datetime
import zoneinfo

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import positive_data_acceptance
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.formats import get_default_format_strategies

from booking.models import Booking
from people.api_tokens import create_token
from people.roles import Role
from reporting.models import BillingPeriod
from reporting.services import record_usage, request_statements
from tests.api.helpers import book, soon
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalStep, ApprovalTask


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
# In-process: every request, the checks' own probes included, goes to Django's WSGI handler.
schema.app = WSGIHandler()

CSRF_SECRET = "s" * 32
# Bounded: 25 examples per operation and phase, no deadline (the first request of a test
# warms caches), nothing stored between runs, and the same examples in every run, so CI tries
# what a local run tried (raise max_examples or drop derandomize to explore further).
FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


PERSONAS = ("researcher", "staff_session", "staff_token")


@pytest.fixture
def caller(request, db, booker):
    """Who calls: the booker, or a site admin (by verified session or by token)."""
    persona = getattr(request, "param", "researcher")
    user = booker if persona == "researcher" else UserFactory(roles=[Role.SITE_ADMIN])
    return persona, user


# The current test's credentials, handed to schemathesis as the operations' authentication
# (below), so that its `ignored_auth` check can retry each operation without them.
CREDENTIALS: dict[str, dict[str, str]] = {"cookies": {}, "headers": {}}


@schema.auth(refresh_interval=None)
class Caller:
    def get(self, case, context):
        return CREDENTIALS

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


@pytest.fixture
def signed_in_app(caller, monkeypatch, in_process_wsgi):
    """Django's WSGI application, with the caller's credentials in CREDENTIALS and the CSRF
    cookie and header that a browser session also sends."""
    persona, user = caller
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None, "token": None}
    )
    credentials = {"cookies": {}, "headers": {}}
    if persona == "staff_token":
        _, raw = create_token(
            user=user, name="fuzzer", scope="read_write", days=1, with_second_factor=True
        )
        credentials["headers"]["Authorization"] = f"Bearer {raw}"
    else:
        browser = Client()
        if persona == "researcher":
            browser.force_login(user)
        else:
            sign_in_with_second_factor(browser, user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        credentials["cookies"][settings.SESSION_COOKIE_NAME] = session
    monkeypatch.setitem(CREDENTIALS, "cookies", credentials["cookies"])
    monkeypatch.setitem(CREDENTIALS, "headers", credentials["headers"])
    # schema.app, not in_process_wsgi itself: the operations and the checks' probes hold it.
    return schema.app, {settings.CSRF_COOKIE_NAME: CSRF_SECRET}, {"X-CSRFToken": CSRF_SECRET}


# What a schema cannot say: that an id names something, and the limits across fields (an
# availability window ends after its start, within 31 days; the schema's descriptions say so).
# A repetition's shape is its fields' (enums, minimums, maximums); what is left for
# `invalid_recurrence` lies across them: it ends after `count` or on `until`, exactly one, and
# expands to at most 100 occurrences.
BEYOND_A_SCHEMA = {"does_not_exist", "ends_before_start", "window_too_long", "invalid_recurrence"}
# Which questions a resource asks, and of whom, is data: an answer's problem (`answers.<id>`:
# no such question, not asked of this booker, not one of its options) is beyond a schema too.
ANSWERS = "answers."
# The codes of input that cannot be read; any other 400 is a booking rule's refusal.
UNREADABLE = {"invalid", "invalid_datetime", "invalid_recurrence", "parse_error"}


def refused_for_what_no_schema_says(response) -> bool:
    """A 400 whose every problem is a broken booking rule or beyond a schema: the schema
    describes the shape of a request, not which slots the rules accept or which objects
    exist."""
    if response.status_code != 400:
        return False
    answer = response.json()
    problems = answer["problems"]
    if not problems:
        return answer["code"] not in UNREADABLE
    return all(
        problem["code"] not in UNREADABLE or beyond_a_schema(problem) for problem in problems
    )


def beyond_a_schema(problem: dict) -> bool:
    return problem["code"] in BEYOND_A_SCHEMA or (problem.get("field") or "").startswith(ANSWERS)


def valid_data_is_accepted(ctx, response, case):
    """schemathesis's positive_data_acceptance, less what refused_for_what_no_schema_says
    excuses."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if refused_for_what_no_schema_says(response):
            return None
        raise


def call_with_every_check(case, app, cookies, headers):
    case.call_and_validate(
        app=app,
        cookies=cookies,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_data_is_accepted],
    )


@schema.parametrize()
@FUZZ
def test_no_operation_answers_with_a_server_error(case, signed_in_app):
    call_with_every_check(case, *signed_in_app)


def an_approval_task_for(user) -> ApprovalTask:
    """Someone else's booking that waits for `user`'s approval."""
    gated = ResourceFactory(name="Gated microscope")
    make_rule(
        gated.lab,
        {"label": "You", "approvers": ApprovalStep.Approvers.USERS, "users": [user]},
        always=True,
    )
    asker = UserFactory()
    booking = book(asker, gated, ProjectFactory(members=[asker]), soon(3, 10), soon(3, 11))
    return ApprovalTask.objects.get(request__booking=booking, approver=user)


def money_of(project, resource) -> tuple[int, int]:
    """A usage line of a finished booking charged to `project`, and its queued statement."""
    start = soon(-20, 10)
    booking = Booking.objects.create(
        resource=resource,
        user=project.members.first(),
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
        status=Booking.Status.COMPLETED,
        exclusive=resource.is_exclusive,
    )
    record = record_usage(booking=booking)
    statements = request_statements(period=BillingPeriod.objects.get(), dispatch=False)
    return record.pk, next(s.pk for s in statements if s.project_id == project.pk)


@pytest.fixture
def real_ids(caller, booker, instrument, project) -> dict[str, int]:
    _, user = caller
    booking = book(booker, instrument, project, soon(2, 10), soon(2, 11))
    led = ProjectFactory(pi=user, members=[booker])
    usage, statement = money_of(led, instrument)
    return {
        "bookings": booking.pk,
        "resources": instrument.pk,
        "project": project.pk,
        "projects": led.pk,
        "approvals": an_approval_task_for(user).pk,
        "usage": usage,
        "statements": statement,
    }


def aim_at(case, ids: dict[str, int]) -> None:
    """Point the generated case's ids at objects that exist, so that it reaches the services
    and queries (with every other value still generated). A case of invalid data is left as
    generated: an id put in its place could make it valid."""
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    collection = case.path.split("/")[3]
    if "id" in (case.path_parameters or {}) and collection in ids:
        case.path_parameters["id"] = str(ids[collection])
    if isinstance(case.body, dict):
        for key, value in (("resource", ids["resources"]), ("project", ids["project"])):
            if key in case.body:
                case.body[key] = value
    if isinstance(case.query, dict):
        for key, value in (("resource", ids["resources"]), ("project", ids["projects"])):
            if key in case.query:
                case.query[key] = value


@pytest.mark.parametrize("caller", PERSONAS, indirect=True)
@schema.parametrize()
@FUZZ
def test_no_operation_on_real_objects_answers_with_a_server_error(case, signed_in_app, real_ids):
    app, cookies, headers = signed_in_app
    aim_at(case, real_ids)
    call_with_every_check(case, app, cookies, headers)


@pytest.mark.parametrize("caller", PERSONAS, indirect=True)
def test_each_caller_is_signed_in(signed_in_app, caller):
    """The fuzzing above reaches the endpoints, not only the sign-in checks."""
    _, cookies, headers = signed_in_app
    client = Client()
    for name, value in {**cookies, **CREDENTIALS["cookies"]}.items():
        client.cookies[name] = value
    response = client.get("/api/v1/approvals/", headers={**headers, **CREDENTIALS["headers"]})
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 0
