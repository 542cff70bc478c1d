"""Staff need a verified second factor for everything beyond signing in, whatever the URL.

Two-factor follows the account's roles (people.two_factor.needs_second_factor), not a list of
guarded addresses, so this test lists no URLs that need it. It walks every URL the site
answers (the URL resolver), with path parameters filled from real objects, for every staff
role signed in with a password only, and sends GET and POST (and every other method to the
API). Each answer must be the second factor's refusal (a redirect to add an app or to enter
a code, or 403 `second_factor_required` on the API), except on the few URLs a half-signed-in
person may open, which the test names itself (`OPEN_TO_HALF_SIGNED_IN`). The same people
with a verified session reach their staff screens and data.
"""

import datetime
import fnmatch
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from booking.models import Booking
from booking.services import request_booking
from people.api_tokens import create_token
from people.models import Project, User
from people.roles import Role
from reporting.models import BillingPeriod, Statement, UsageRecord
from reporting.services import record_usage, request_statements
from reporting.services.statements import render_statement
from tests.conftest import build_facility, make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory
from tests.reporting.conftest import finished, make_card
from tests.security.resolver import url_patterns
from tests.workflows.helpers import make_rule
from workflows.links import link_token
from workflows.models import ApprovalStep, ApprovalTask

COORDINATOR, APPROVER, FINANCE, SITE_ADMIN = "coordinator", "approver", "finance", "site_admin"
STAFF_ROLES = (COORDINATOR, APPROVER, FINANCE, SITE_ADMIN)

# What a half-signed-in staff member may open: finishing or leaving the sign-in, and what any
# visitor sees. Everything else must refuse them.
OPEN_TO_HALF_SIGNED_IN = {
    "two_factor_sign_in",
    "two_factor_setup",
    "two_factor_verify",
    "account_logout",
    "wagtail_serve",
    "search",
    "healthz",
    # A kiosk's resting page (busy times, no names) and "Done", which end the session.
    "kiosk:display",
    "kiosk:leave",
}
UNSAFE_API_METHODS = ("post", "put", "patch", "delete")


@dataclass
class World:
    """Lab A (Imaging) with a coordinator, a booking waiting for the approver, and a ready
    statement of a project led by a PI who holds no staff role."""

    staff: dict[str, User]
    researcher: User
    pi: User
    project: Project
    booking: Booking
    task: ApprovalTask
    statement: Statement
    usage: UsageRecord
    period: BillingPeriod
    facility: object
    token: object


def build_world() -> World:
    facility = build_facility()
    lab_a = facility.imaging_lab
    resource = facility.confocal.resource
    researcher = UserFactory(email="rosa@example.org", roles=[Role.RESEARCHER])
    pi = UserFactory(email="pat.pi@example.org", roles=[Role.RESEARCHER])
    staff = {
        COORDINATOR: make_coordinator(lab_a, email="cora@example.org"),
        APPROVER: UserFactory(email="abe@example.org", roles=[Role.APPROVER]),
        FINANCE: UserFactory(email="fin@example.org", roles=[Role.FINANCE]),
        SITE_ADMIN: UserFactory(email="sam@example.org", roles=[Role.SITE_ADMIN]),
    }
    project = ProjectFactory(code="BIO-2041", pi=pi, members=[researcher])
    make_rule(
        lab_a.lab,
        {"approvers": ApprovalStep.Approvers.USERS, "users": [staff[APPROVER]]},
        always=True,
    )
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    booking = request_booking(
        user=researcher,
        resource=resource,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    make_card(resource)
    last_month = timezone.localtime().replace(day=1) - datetime.timedelta(days=20)
    usage = record_usage(booking=finished(resource, researcher, project, last_month))
    for statement in request_statements(period=usage.period, dispatch=False):
        render_statement(statement_id=statement.pk, attempt=statement.attempt)
    token, _ = create_token(user=researcher, name="script", scope="read", days=30)
    return World(
        staff=staff,
        researcher=researcher,
        pi=pi,
        project=project,
        booking=booking,
        task=ApprovalTask.objects.get(approver=staff[APPROVER]),
        statement=Statement.objects.get(project=project, status=Statement.Status.READY),
        usage=usage,
        period=usage.period,
        facility=facility,
        token=token,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


# Walking the resolver, with real objects in the paths


# The object whose id fills `pk` or `object_id`, by URL name (first match wins).
OBJECT_BY_URL_NAME = [
    ("wagtailsnippets*_booking_booking:*", lambda w: w.booking),
    ("api:resource-*", lambda w: w.booking.resource),
    ("api:booking-*", lambda w: w.booking),
    ("api:approval-*", lambda w: w.task),
    ("api:project-*", lambda w: w.project),
    ("api:usage-*", lambda w: w.usage),
    ("api:statement-*", lambda w: w.statement),
    ("booking:*", lambda w: w.booking),
    ("reporting:*", lambda w: w.statement),
    ("reporting_rerun_statement", lambda w: w.statement),
    ("reporting_*period*", lambda w: w.period),
    ("reporting_usage_record:*", lambda w: w.usage),
    ("api_token_revoke", lambda w: w.token),
    ("people_*", lambda w: w.researcher),
    ("wagtailusers_users:*", lambda w: w.researcher),
    ("wagtailusers_groups:*", lambda w: Group.objects.get(name=Role.RESEARCHER)),
]
# Other parameters, by name.
OBJECT_BY_PARAMETER = {
    "resource_id": lambda w: w.booking.resource,
    "task_id": lambda w: w.task,
    "token_pk": lambda w: w.token,
    "page_id": lambda w: w.facility.confocal,
    "page_pk": lambda w: w.facility.confocal,
    "page_to_move_id": lambda w: w.facility.confocal,
    "parent_page_id": lambda w: w.facility.imaging_lab,
    "destination_id": lambda w: w.facility.proteomics_lab,
}


def snippet_object(name: str):
    """The first object of a snippet viewset's model (`wagtailsnippets_<app>_<model>:…`)."""
    namespace = name.split(":")[0]
    for config in apps.get_app_configs():
        for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
            start = f"{prefix}{config.label}_"
            if namespace.startswith(start):
                model_name = namespace[len(start) :]
                try:
                    model = config.get_model(model_name)
                except LookupError:
                    return None
                return model.objects.first()
    return None


def parameter_value(world: World, name: str | None, parameter: str) -> str:
    name = name or ""
    if name == "workflows:link" and parameter == "token":
        return link_token(world.task)
    if parameter in OBJECT_BY_PARAMETER:
        return str(OBJECT_BY_PARAMETER[parameter](world).pk)
    if parameter in ("pk", "object_id"):
        for pattern, find in OBJECT_BY_URL_NAME:
            if fnmatch.fnmatchcase(name, pattern):
                return str(find(world).pk)
        found = snippet_object(name)
        if found is not None:
            return str(found.pk)
    # Parameters no object stands behind (keys, slugs, catch-alls); the middleware answers
    # before any view reads them.
    fixed = {"app_label": "auth", "provider_id": "none", "url": "anything/", "token": "x" * 32}
    return fixed.get(parameter, "1")


def real_path(world: World, name: str | None, route: str) -> str:
    if name == "wagtail_serve":
        return world.facility.confocal.url

    def fill(match: re.Match) -> str:
        return parameter_value(world, name, match.group("parameter"))

    # Regular-expression groups first: their names are written in angle brackets too.
    path = re.sub(r"\(\?P<(?P<parameter>\w+)>[^)]*\)", fill, route)
    path = re.sub(r"<(?:\w+:)?(?P<parameter>\w+)>", fill, path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


# Sessions and answers


def password_only(user: User) -> Client:
    """Signed in as after the password (or SSO) alone: no code entered in this session."""
    client = Client()
    client.force_login(user)
    return client


def verified(user: User) -> Client:
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def second_factor_refusal(response, path: str) -> bool:
    """The middleware's answer: 403 `second_factor_required` on the API; elsewhere a redirect
    to add an app or to enter a code, which brings the person back afterwards."""
    if path.startswith("/api/"):
        return response.status_code == 403 and response.json()["code"] == "second_factor_required"
    if response.status_code != 302:
        return False
    setup, verify = reverse("two_factor_setup"), reverse("two_factor_verify")
    return response["Location"].startswith((f"{setup}?next=", f"{verify}?next="))


def half_signed_in(world: World, role: str) -> Client:
    """The role with a password-only session. The approver and the site admin have an
    authenticator app (they are asked for a code); the others have none yet (they are asked
    to add one)."""
    if role in (APPROVER, SITE_ADMIN):
        TOTPDevice.objects.get_or_create(user=world.staff[role], name="Phone", confirmed=True)
    return password_only(world.staff[role])


# The walk


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_password_only_staff_session_is_refused_by_every_url_but_the_sign_in_steps(world, role):
    client = half_signed_in(world, role)
    wrong, let_through = [], set()
    for name, route in url_patterns():
        path = real_path(world, name, route)
        methods = ("get", *UNSAFE_API_METHODS) if path.startswith("/api/") else ("get", "post")
        # Signing out works half-signed-in: it ends its own session, not the walk's.
        session = half_signed_in(world, role) if name == "account_logout" else client
        for method in methods:
            response = getattr(session, method)(path)
            if second_factor_refusal(response, path):
                continue
            if name in OPEN_TO_HALF_SIGNED_IN:
                let_through.add(name)
            else:
                wrong.append(f"{method.upper()} {path} ({name}): {response.status_code}")

    assert wrong == []
    # They still see the public site, and can sign out.
    assert {"wagtail_serve", "search", "healthz", "account_logout"} <= let_through


def test_the_walk_reaches_the_staff_screens_with_real_objects(world):
    """The walk's paths hold real ids, so a view that ran would find its object."""
    paths = {name: real_path(world, name, route) for name, route in url_patterns() if name}

    assert paths["workflows:decide"] == f"/approvals/{world.task.pk}/"
    assert paths["reporting:download"] == f"/reports/statements/{world.statement.pk}/download/"
    assert paths["api:statement-download"] == (f"/api/v1/statements/{world.statement.pk}/download/")
    assert paths["wagtailsnippets_booking_booking:edit"].endswith(f"/{world.booking.pk}/")
    assert paths["workflows:link"] == f"/approvals/link/{link_token(world.task)}/"


# Each role's own screens: refused with a password only, open once verified


def staff_screens(world: World) -> dict[str, list[tuple[str, bytes]]]:
    """(path, something the page or data must show) for each role's own staff screens."""
    statement, task, booking = world.statement, world.task, world.booking
    statement_bytes = b"%PDF"
    return {
        COORDINATOR: [
            (reverse("wagtailadmin_home"), b""),
            (reverse("lab_schedule:index"), b""),
            (reverse("wagtailsnippets_booking_booking:list"), b""),
            (f"/api/v1/bookings/{booking.pk}/", str(booking.pk).encode()),
        ],
        APPROVER: [
            (reverse("workflows:queue"), b"Zeiss LSM 980"),
            (reverse("workflows:decide", args=[task.pk]), b"Zeiss LSM 980"),
            (reverse("workflows_admin:queue"), b"Zeiss LSM 980"),
            ("/api/v1/approvals/", f'"id":{task.pk}'.encode()),
        ],
        FINANCE: [
            (reverse("reporting:my_statements"), b"BIO-2041"),
            (reverse("reporting:download", args=[statement.pk]), statement_bytes),
            (reverse("reporting_statements"), b"BIO-2041"),
            ("/api/v1/statements/", b"BIO-2041"),
            (f"/api/v1/statements/{statement.pk}/download/", statement_bytes),
        ],
        SITE_ADMIN: [
            (reverse("wagtailusers_users:index"), b"rosa@example.org"),
            (reverse("people_account_security", args=[world.researcher.pk]), b"script"),
            (reverse("reporting:download", args=[statement.pk]), statement_bytes),
            (f"/api/v1/bookings/{booking.pk}/", str(booking.pk).encode()),
        ],
    }


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_role_reaches_its_screens_only_with_a_verified_session(world, role):
    user = world.staff[role]
    for path, shown in staff_screens(world)[role]:
        refused = password_only(user).get(path)
        assert second_factor_refusal(refused, path), f"{path} with a password only"

        response = verified(user).get(path)
        assert response.status_code == 200, f"{path} verified: {response.status_code}"
        assert shown in body(response), f"{path} verified does not show {shown!r}"


# The two holes found by the outside review


def test_a_finance_user_with_only_a_password_cannot_list_or_download_statements(world):
    client = password_only(world.staff[FINANCE])

    listing = client.get(reverse("reporting:my_statements"))
    download = client.get(reverse("reporting:download", args=[world.statement.pk]))

    for response in (listing, download):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))
    assert b"BIO-2041" not in listing.content


def test_an_approver_with_only_a_password_cannot_decide_at_approvals(world):
    TOTPDevice.objects.create(user=world.staff[APPROVER], name="Phone", confirmed=True)
    client = password_only(world.staff[APPROVER])
    decide = reverse("workflows:decide", args=[world.task.pk])

    queue = client.get(reverse("workflows:queue"))
    response = client.post(decide, {"decision": "approve", "comment": "fine"})
    bulk = client.post(reverse("workflows:queue"), {"tasks": [world.task.pk]})

    assert queue.status_code == 302 and b"Zeiss" not in queue.content
    assert response["Location"] == f"{reverse('two_factor_verify')}?next={decide}"
    assert bulk.status_code == 302
    world.task.refresh_from_db()
    world.booking.refresh_from_db()
    assert world.task.decided_at is None
    assert world.booking.status == Booking.Status.REQUESTED


# Who is not affected


def test_a_pi_without_a_staff_role_decides_and_downloads_with_a_password(world):
    """The policy: two-factor follows staff roles. A PI or supervisor who decides their own
    group's requests holds no staff role, and reaches only their own group's data."""
    ProjectFactory(code="PI-1", pi=world.pi)
    client = password_only(world.pi)

    assert client.get(reverse("workflows:queue")).status_code == 200
    assert client.get(reverse("reporting:my_statements")).status_code == 200
    response = client.get(reverse("reporting:download", args=[world.statement.pk]))
    assert response.status_code == 200 and body(response).startswith(b"%PDF")


def test_a_researcher_with_a_password_books_and_uses_the_api(world):
    client = password_only(world.researcher)

    assert client.get(reverse("booking:mine")).status_code == 200
    assert client.get(reverse("booking:detail", args=[world.booking.pk])).status_code == 200
    assert client.get("/api/v1/bookings/").status_code == 200


def test_the_same_approver_decides_once_verified(world):
    client = verified(world.staff[APPROVER])

    response = client.post(
        reverse("workflows:decide", args=[world.task.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.decision == ApprovalTask.Decision.APPROVED
