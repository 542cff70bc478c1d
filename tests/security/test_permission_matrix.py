"""Who may open what: every role against every URL of the site, from one table.

`ROWS` is the table. Each row names a URL (its name, `namespace:*` for every URL of a
namespace, or the route itself for an unnamed URL) and the roles allowed to use it; every
other role must be refused (a redirect to sign in or to two-factor, Wagtail's "permission
denied", 401, 403 or 404). A row may leave some roles unchecked (`unchecked`), with the
reason beside it.

`test_every_url_has_a_row` walks the URL resolver: a new URL without a row fails the suite.
To add one, add a line to ROWS, e.g.

    Row("workflows:queue", STAFF_APPROVERS),

Staff sign in with a verified second factor; the coordinator coordinates the Imaging lab
("A") only, and every object of the Proteomics lab ("B") must be refused to them.
"""

import datetime
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from booking.models import Closure, Qualification
from booking.services import request_booking
from people.api_tokens import create_token
from people.roles import Role
from tests.conftest import build_facility, make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

ANON, RESEARCHER, COORDINATOR, APPROVER, FINANCE, SITE_ADMIN = (
    "anonymous",
    "researcher",
    "coordinator",
    "approver",
    "finance",
    "site_admin",
)
ROLES = (ANON, RESEARCHER, COORDINATOR, APPROVER, FINANCE, SITE_ADMIN)
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
STAFF = frozenset({COORDINATOR, APPROVER, FINANCE, SITE_ADMIN})
LAB_STAFF = frozenset({COORDINATOR, SITE_ADMIN})
MONEY = frozenset({FINANCE, SITE_ADMIN})
ADMINS = frozenset({SITE_ADMIN})
DELEGATORS = frozenset({COORDINATOR, APPROVER, SITE_ADMIN})
PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


@dataclass
class World:
    """Lab A (Imaging, the coordinator's) and lab B (Proteomics), with one of each thing."""

    users: dict
    booking_a: object
    booking_b: object
    resource_a: object
    resource_b: object
    page_a: object
    page_b: object
    closure_b: object
    qualification_b: object
    token_b: object
    project: object


@dataclass(frozen=True)
class Row:
    pattern: str
    allowed: frozenset
    path: Callable[[World], str] | None = None
    # Roles whose outcome the row does not assert (see the comment on the row).
    unchecked: frozenset = field(default=NOBODY)


def admin_snippet(model: str, view: str, obj: str | None = None):
    def path(world: World) -> str:
        args = [getattr(world, obj).pk] if obj else []
        return reverse(f"wagtailsnippets_booking_{model}:{view}", args=args)

    return path


def by_pk(name: str, obj: str):
    return lambda world: reverse(name, args=[getattr(world, obj).pk])


ROWS = [
    # Public pages and the health check.
    Row("healthz", EVERYONE),
    Row("search", EVERYONE),
    Row("wagtailcore_login", EVERYONE),
    Row(
        "wagtailcore_authenticate_with_password",
        NOBODY,
        lambda w: "/_util/authenticate_with_password/999/999/",
    ),
    Row("wagtaildocs_serve", NOBODY, lambda w: "/documents/999999/missing.pdf"),
    Row(
        "wagtaildocs_authenticate_with_password",
        NOBODY,
        lambda w: "/documents/authenticate_with_password/999/",
    ),
    # Signing in (allauth). Signed-in people are sent on from the anonymous-only pages.
    Row("account_login", EVERYONE),
    Row("account_logout", EVERYONE),
    Row("account_signup", EVERYONE),
    Row("account_inactive", EVERYONE),
    Row("account_reset_password", EVERYONE),
    Row("account_reset_password_done", EVERYONE),
    Row(
        "account_reset_password_from_key",
        EVERYONE,
        lambda w: "/accounts/password/reset/key/1-bad-key/",
    ),
    Row("account_reset_password_from_key_done", EVERYONE),
    Row("account_email_verification_sent", EVERYONE),
    Row("account_confirm_email", EVERYONE, lambda w: "/accounts/confirm-email/not-a-key/"),
    Row("account_email", SIGNED_IN),
    Row("account_change_password", SIGNED_IN),
    Row("account_set_password", SIGNED_IN),
    Row("account_reauthenticate", SIGNED_IN),
    # Sign-in and reauthentication by emailed code are off: these only send people on.
    Row("account_confirm_login_code", SIGNED_IN),
    Row("account_request_reauthentication_code", SIGNED_IN),
    Row("account_confirm_reauthentication_code", SIGNED_IN),
    Row("socialaccount_connections", SIGNED_IN),
    Row("socialaccount_login_cancelled", EVERYONE),
    Row("socialaccount_login_error", NOBODY),  # allauth answers its SSO error page with 401
    Row("socialaccount_signup", NOBODY),  # only during an SSO sign-up
    # No provider is configured here; tests/people/test_sso.py signs in through one.
    Row("openid_connect_login", NOBODY, lambda w: "/accounts/oidc/none/login/"),
    Row("openid_connect_callback", NOBODY, lambda w: "/accounts/oidc/none/login/callback/"),
    # allauth's old addresses: permanent redirects to the new ones, for anyone.
    Row("accounts/social/login/cancelled/", EVERYONE),
    Row("accounts/social/login/error/", EVERYONE),
    Row("accounts/social/signup/", EVERYONE),
    Row("accounts/social/connections/", EVERYONE),
    # The admins' own sign-in pages send everyone to the one sign-in page.
    Row("admin_login_redirect", NOBODY),
    Row("django_admin_login_redirect", NOBODY),
    # Account security: two-factor and API tokens.
    Row("account_security", SIGNED_IN),
    Row("two_factor_sign_in", NOBODY),  # only between password and code
    Row("two_factor_verify", STAFF),  # a researcher without an app is sent to set one up
    Row("two_factor_setup", SIGNED_IN),
    Row("backup_codes", STAFF),  # researchers without an app are sent to set one up
    Row("two_factor_remove", SIGNED_IN),
    Row("api_tokens", SIGNED_IN),
    Row("api_token_revoke", NOBODY, by_pk("api_token_revoke", "token_b")),  # GET, and not theirs
    # Booking screens: everyone signed in books; another person's booking is a 404.
    Row("booking:mine", SIGNED_IN),
    Row("booking:find", SIGNED_IN),
    Row("booking:new", SIGNED_IN, by_pk("booking:new", "resource_a")),
    Row("booking:detail", {RESEARCHER}, by_pk("booking:detail", "booking_a")),
    Row("booking:change", {RESEARCHER}, by_pk("booking:change", "booking_a")),
    Row("booking:cancel", {RESEARCHER}, by_pk("booking:cancel", "booking_a")),
    Row("booking:check_in", NOBODY, by_pk("booking:check_in", "booking_a")),  # POST only
    Row("booking:check_out", NOBODY, by_pk("booking:check_out", "booking_a")),  # POST only
    Row("booking:waitlist_join", SIGNED_IN, by_pk("booking:waitlist_join", "resource_a")),
    Row("booking:waitlist_accept", NOBODY, lambda w: "/bookings/waitlist/999999/accept/"),
    Row("booking:waitlist_leave", NOBODY, lambda w: "/bookings/waitlist/999999/leave/"),
    Row("booking:accept_policy", NOBODY, lambda w: f"/bookings/policies/{w.page_a.pk}/accept/"),
    Row("booking_feeds:manage", SIGNED_IN),
    Row("booking_feeds:stop", NOBODY, lambda w: "/bookings/feeds/1/stop/"),  # POST only
    Row("booking_feeds:feed", NOBODY, lambda w: "/bookings/feeds/" + "x" * 32 + ".ics"),
    # The API. Another person's booking is a 404; every staff session here has two-factor.
    Row("api:api-root", SIGNED_IN),
    Row("api:schema", EVERYONE),
    Row("api:docs", EVERYONE),
    Row("api:redoc", EVERYONE),
    Row("api:resource-list", SIGNED_IN),
    Row("api:resource-detail", SIGNED_IN, by_pk("api:resource-detail", "resource_b")),
    Row("api:resource-availability", SIGNED_IN, by_pk("api:resource-availability", "resource_b")),
    Row("api:booking-list", SIGNED_IN),
    # The booker, lab A's coordinator and site admins read booking A; only the booker changes
    # it (tests/booking/api/test_staff.py).
    Row(
        "api:booking-detail",
        {RESEARCHER, COORDINATOR, SITE_ADMIN},
        by_pk("api:booking-detail", "booking_a"),
    ),
    Row("api:booking-cancel", NOBODY, by_pk("api:booking-cancel", "booking_a")),  # POST only
    Row("api:booking-check-in", NOBODY, by_pk("api:booking-check-in", "booking_a")),  # POST
    Row("api:booking-check-out", NOBODY, by_pk("api:booking-check-out", "booking_a")),  # POST
    Row("api:booking-preview", NOBODY),  # POST only (tests/booking/api/test_series.py)
    Row(
        "api:booking-preview-change", NOBODY, by_pk("api:booking-preview-change", "booking_a")
    ),  # POST only (tests/booking/api/test_changes.py)
    # Approval tasks: a task is only its approver's (tests/workflows/test_api.py).
    Row("api:approval-list", SIGNED_IN),
    Row("api:approval-detail", NOBODY, lambda w: "/api/v1/approvals/999999/"),
    Row("api:approval-approve", NOBODY, lambda w: "/api/v1/approvals/999999/approve/"),  # POST
    Row("api:approval-reject", NOBODY, lambda w: "/api/v1/approvals/999999/reject/"),  # POST
    # Projects: the caller's own; lab B's project is the researcher's too (tests/booking/api/).
    Row("api:project-list", SIGNED_IN),
    Row("api:project-detail", {RESEARCHER}, lambda w: f"/api/v1/projects/{w.project.pk}/"),
    # Money: everyone signed in may ask; the list holds only what reporting's rules allow (a
    # PI's own projects', everything for finance: tests/reporting/test_api.py).
    Row("api:usage-list", SIGNED_IN),
    Row("api:usage-detail", NOBODY, lambda w: "/api/v1/usage/999999/"),
    Row("api:statement-list", SIGNED_IN),
    Row("api:statement-detail", NOBODY, lambda w: "/api/v1/statements/999999/"),
    Row("api:statement-download", NOBODY, lambda w: "/api/v1/statements/999999/download/"),
    Row("^api/", NOBODY, lambda w: "/api/v2/nothing/"),
    # Approvals: anyone may be an approver (a PI, a supervisor), so the site's screens are for
    # everyone signed in; a task is only its approver's (tests/workflows/test_views.py).
    Row("workflows:queue", SIGNED_IN),
    Row("workflows:decide", NOBODY, lambda w: "/approvals/999999/"),
    # A forged link: sign-in first, then a 400 page saying so (tests/workflows/test_views.py).
    Row("workflows:link", NOBODY, lambda w: "/approvals/link/forged/", unchecked=SIGNED_IN),
    Row("notifications:preferences", SIGNED_IN),
    Row("workflows_admin:queue", STAFF),
    Row("workflows_admin:decide", NOBODY, lambda w: "/admin/approvals/queue/999999/"),
    Row("wagtailsnippets_workflows_approvalrule:list", LAB_STAFF),
    Row("wagtailsnippets_workflows_approvalrule:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippets_workflows_delegation:list", DELEGATORS),
    Row("wagtailsnippets_workflows_delegation:*", DELEGATORS, unchecked=DELEGATORS),
    Row("wagtailsnippetchoosers_workflows_*", STAFF, unchecked=STAFF),
    # The outbox and the wording of messages: site admins.
    Row("outbox:list", ADMINS),
    Row("outbox:*", ADMINS, unchecked=ADMINS),
    Row("message_wording:list", ADMINS),
    Row("message_wording:*", ADMINS, unchecked=ADMINS),
    # Beat's jobs and the timings they run on: site admins (site/admin_jobs.py).
    Row("scheduled_jobs:list", ADMINS),
    Row("scheduled_jobs:*", ADMINS, unchecked=ADMINS),
    Row("scheduled_intervals:list", ADMINS),
    Row("scheduled_intervals:*", ADMINS, unchecked=ADMINS),
    Row("scheduled_crontabs:list", ADMINS),
    Row("scheduled_crontabs:*", ADMINS, unchecked=ADMINS),
    # Wagtail's snippet choosers open to any staff, as for every other snippet.
    Row("wagtailsnippetchoosers_django_celery_beat_*", STAFF, unchecked=STAFF),
    # Booking admin, scoped to the coordinator's lab: lab B's objects are refused.
    Row("lab_schedule:index", LAB_STAFF),
    Row("wagtailsnippets_booking_booking:list", LAB_STAFF),
    Row(
        "wagtailsnippets_booking_booking:inspect",
        {SITE_ADMIN},
        admin_snippet("booking", "inspect", "booking_b"),
    ),
    Row(
        "wagtailsnippets_booking_booking:edit",
        {SITE_ADMIN},
        admin_snippet("booking", "edit", "booking_b"),
    ),
    Row(
        "wagtailsnippets_booking_booking:history",
        {SITE_ADMIN},
        admin_snippet("booking", "history", "booking_b"),
    ),
    Row("wagtailsnippets_booking_booking:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippets_booking_resource:list", LAB_STAFF),
    Row(
        "wagtailsnippets_booking_resource:edit",
        {SITE_ADMIN},
        admin_snippet("resource", "edit", "resource_b"),
    ),
    Row(
        "wagtailsnippets_booking_resource:history",
        {SITE_ADMIN},
        admin_snippet("resource", "history", "resource_b"),
    ),
    Row(
        "wagtailsnippets_booking_resource:usage",
        {SITE_ADMIN},
        admin_snippet("resource", "usage", "resource_b"),
    ),
    Row("wagtailsnippets_booking_resource:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row(
        "wagtailsnippets_booking_closure:edit",
        {SITE_ADMIN},
        admin_snippet("closure", "edit", "closure_b"),
    ),
    Row("wagtailsnippets_booking_closure:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row(
        "wagtailsnippets_booking_qualification:edit",
        {SITE_ADMIN},
        admin_snippet("qualification", "edit", "qualification_b"),
    ),
    Row("wagtailsnippets_booking_qualification:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippets_booking_maintenancewindow:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippets_booking_lab:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippets_booking_resourcecategory:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row(
        "wagtailsnippetchoosers_booking_resource:chosen",
        {SITE_ADMIN},
        lambda w: reverse("wagtailsnippetchoosers_booking_resource:chosen", args=[w.resource_b.pk]),
    ),
    Row(
        "wagtailsnippetchoosers_booking_booking:chosen",
        {SITE_ADMIN},
        lambda w: reverse("wagtailsnippetchoosers_booking_booking:chosen", args=[w.booking_b.pk]),
    ),
    # Wagtail's choosers open for any staff member and list only objects in their scope
    # (nothing, for roles without the model); "chosen" refuses objects outside it (above).
    Row("wagtailsnippetchoosers_booking_*", STAFF, unchecked=STAFF),
    # Money: projects and departments are finance's.
    Row("wagtailsnippets_people_project:list", MONEY),
    Row("wagtailsnippets_people_project:*", MONEY, unchecked=MONEY),
    Row("wagtailsnippets_people_department:list", MONEY),
    Row("wagtailsnippets_people_department:*", MONEY, unchecked=MONEY),
    Row("wagtailsnippetchoosers_people_*", STAFF, unchecked=STAFF),
    Row("wagtailsnippets:*", STAFF, unchecked=STAFF),
    # Reporting: finance's screens; a PI downloads their own projects' statements (statement
    # access by role and id guessing: tests/reporting/).
    Row("reporting_statements", MONEY),
    Row("reporting_utilisation", MONEY),
    Row("reporting_billing_period:index", MONEY),
    Row("reporting_usage_record:index", MONEY),
    Row("reporting_adjustment:index", MONEY),
    Row("reporting_rate_card:index", MONEY),
    Row("reporting_*", MONEY, unchecked=MONEY),
    Row("reporting:my_statements", SIGNED_IN),
    Row("reporting:download", NOBODY, lambda w: "/reports/statements/999999/download/"),
    # Pages: a coordinator edits lab A's pages only; finance and approvers edit none.
    Row(
        "wagtailadmin_pages:edit",
        {COORDINATOR, SITE_ADMIN},
        lambda w: reverse("wagtailadmin_pages:edit", args=[w.page_a.pk]),
    ),
    Row(
        "wagtailadmin_pages:delete",
        {SITE_ADMIN},
        lambda w: reverse("wagtailadmin_pages:delete", args=[w.page_b.pk]),
    ),
    Row("wagtailadmin_pages:*", STAFF, unchecked=STAFF),
    Row("wagtailadmin_explore_root", LAB_STAFF),
    Row(
        "wagtailadmin_explore_results",
        STAFF,
        lambda w: f"/admin/pages/{w.page_b.pk}/results/",
        unchecked=STAFF,
    ),
    Row("wagtailadmin_choose_page", STAFF),
    Row("wagtailadmin_home", STAFF),
    # The audit trail: site admins; the coordinator sees only their lab's lines (tested in
    # tests/security/test_history_scope.py).
    Row("scoped_site_history", STAFF),
    Row("scoped_site_history_results", STAFF),
    Row("wagtailadmin_reports:*", STAFF, unchecked=STAFF),
    # Users, groups, sites, redirects, settings, account security: site admins only.
    Row("wagtailusers_users:index", ADMINS),
    Row("wagtailusers_users:*", ADMINS, unchecked=ADMINS),
    Row("wagtailusers_groups:index", ADMINS),
    Row("wagtailusers_groups:*", ADMINS, unchecked=ADMINS),
    Row("wagtailsites:*", ADMINS, unchecked=ADMINS),
    Row("wagtailredirects:index", ADMINS),
    Row("wagtailredirects:*", ADMINS, unchecked=ADMINS),
    Row("wagtailsettings:*", ADMINS, unchecked=ADMINS),
    Row(
        "people_account_security",
        ADMINS,
        lambda w: reverse("people_account_security", args=[w.users[RESEARCHER].pk]),
    ),
    Row(
        "people_reset_two_factor",
        NOBODY,
        lambda w: reverse("people_reset_two_factor", args=[w.users[RESEARCHER].pk]),
    ),  # POST only
    Row(
        "people_unlock", NOBODY, lambda w: reverse("people_unlock", args=[w.users[RESEARCHER].pk])
    ),  # POST only
    Row(
        "people_revoke_token",
        NOBODY,
        lambda w: reverse("people_revoke_token", args=[w.users[RESEARCHER].pk, w.token_b.pk]),
    ),  # POST only
    # The Django admin: superusers only (no role is a Django superuser).
    Row("admin:logout", EVERYONE),  # signing out is harmless for anyone
    Row("admin:*", NOBODY),
    Row("django-admin/*", NOBODY),
    # The rest of Wagtail's admin: staff, each screen checking its own permissions.
    Row("wagtailadmin_sprite", EVERYONE),  # the admin's icons
    Row("wagtailadmin_javascript_catalog", EVERYONE),  # the admin's translated strings
    Row("wagtailadmin_*", STAFF, unchecked=STAFF),
    Row(
        "wagtail_bulk_action",
        STAFF,
        lambda w: "/admin/bulk/wagtailcore/page/delete/",
        unchecked=STAFF,
    ),
    Row("wagtailimages*", STAFF, unchecked=STAFF),
    Row("wagtaildocs*", STAFF, unchecked=STAFF),
    Row("wagtailforms:*", STAFF, unchecked=STAFF),
    Row("wagtailembeds:*", STAFF, unchecked=STAFF),
    Row("admin/^.*/$", NOBODY, lambda w: "/admin/no-such-screen/"),
    Row("admin/test404/", STAFF),
]


# Walking the resolver


def url_patterns(resolver=None, prefix: str = "", namespace: tuple = ()):
    """(name or None, full route) of every URL the site answers."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespace, entry.name)) if entry.name else None
            yield name, prefix + str(entry.pattern)


def key(name: str | None, route: str) -> str:
    return name or route


def is_pattern(row: Row) -> bool:
    """A row ending in * covers every URL whose name (or route) it matches."""
    return row.pattern.endswith("*")


def row_for(name: str | None, route: str) -> Row | None:
    """The exact row for the URL, else the most specific pattern row that matches it."""
    target = key(name, route)
    exact = [row for row in ROWS if row.pattern == target]
    if exact:
        return exact[0]
    matching = [
        row for row in ROWS if "*" in row.pattern and fnmatch.fnmatchcase(target, row.pattern)
    ]
    return max(matching, key=lambda row: len(row.pattern), default=None)


# The site catch-all (Wagtail's page serving) is the public site itself.
SITE_PAGES = ("^((?:[\\w\\-]+/)*)$",)


def sample_path(route: str) -> str:
    """A concrete path for a route, with 1 for every argument."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = re.sub(r"\([^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


# Outcomes

SIGN_IN_PAGES = (
    "/accounts/login/",
    "/account/two-factor/setup/",
    "/account/two-factor/verify/",
    "/admin/login/",
    "/django-admin/login/",
)


def refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(SIGN_IN_PAGES):
            return True
        if location == reverse("wagtailadmin_home"):
            texts = [str(m) for m in get_messages(response.wsgi_request)]
            return any(PERMISSION_DENIED in text for text in texts)
    return False


def build_world() -> World:
    facility = build_facility()
    researcher = UserFactory(email="rosa.researcher@example.org", roles=[Role.RESEARCHER])
    rival = UserFactory(email="rik.rival@example.org", roles=[Role.RESEARCHER])
    users = {
        RESEARCHER: researcher,
        COORDINATOR: make_coordinator(facility.imaging_lab, email="cora@example.org"),
        APPROVER: UserFactory(email="abe@example.org", roles=[Role.APPROVER]),
        FINANCE: UserFactory(email="fin@example.org", roles=[Role.FINANCE]),
        SITE_ADMIN: UserFactory(email="sam@example.org", roles=[Role.SITE_ADMIN]),
    }
    project = ProjectFactory(members=[researcher, rival])
    soon = timezone.localtime() + datetime.timedelta(days=3)
    start = soon.replace(hour=10, minute=0, second=0, microsecond=0)
    a = facility.confocal.resource
    b = facility.orbitrap.resource
    booking_a = request_booking(
        user=researcher,
        resource=a,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    booking_b = request_booking(
        user=rival,
        resource=b,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    token_b, _ = create_token(user=rival, name="rival's script", scope="read", days=30)
    return World(
        users=users,
        booking_a=booking_a,
        booking_b=booking_b,
        resource_a=a,
        resource_b=b,
        page_a=facility.confocal,
        page_b=facility.orbitrap,
        closure_b=Closure.objects.create(
            lab=b.lab, starts_at=start, ends_at=start + datetime.timedelta(days=1), reason="Move"
        ),
        qualification_b=Qualification.objects.create(user=rival, resource=b),
        token_b=token_b,
        project=project,
    )


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role == RESEARCHER:
        client.force_login(world.users[role])
    elif role != ANON:
        sign_in_with_second_factor(client, world.users[role])
    return client


def check(world: World, row: Row, path: str, roles=ROLES) -> list[str]:
    wrong = []
    for role in roles:
        if role in row.unchecked:
            continue
        response = client_for(world, role).get(path)
        assert response.status_code < 500, f"{path} as {role}: {response.status_code}"
        expected = "allowed" if role in row.allowed else "refused"
        actual = "refused" if refused(response) else "allowed"
        if actual != expected:
            wrong.append(f"{path} as {role}: {actual} ({response.status_code}), want {expected}")
    return wrong


# The tests


def test_every_url_has_a_row():
    missing = [
        key(name, route)
        for name, route in url_patterns()
        if route not in SITE_PAGES and row_for(name, route) is None
    ]
    assert missing == [], "URLs without a row in ROWS: " + ", ".join(missing)


def test_every_row_names_a_url():
    keys = [key(name, route) for name, route in url_patterns()]
    unused = [
        row.pattern
        for row in ROWS
        if not any(fnmatch.fnmatchcase(k, row.pattern) or k == row.pattern for k in keys)
    ]
    assert unused == []


EXACT_ROWS = [row for row in ROWS if not is_pattern(row)]
PATTERN_ROWS = [row for row in ROWS if is_pattern(row)]


@pytest.mark.parametrize("row", EXACT_ROWS, ids=lambda row: row.pattern)
def test_each_role_is_allowed_or_refused(db, row):
    world = build_world()
    if row.path is not None:
        path = row.path(world)
    else:
        routes = [route for name, route in url_patterns() if key(name, route) == row.pattern]
        # An unnamed URL's row is its route; a named one is reversed by name.
        path = sample_path(routes[0]) if "/" in row.pattern else reverse(row.pattern)
    assert check(world, row, path) == []


@pytest.mark.parametrize("row", PATTERN_ROWS, ids=lambda row: row.pattern)
def test_every_url_of_a_pattern_row_refuses_the_roles_it_should(db, row):
    world = build_world()
    refused_roles = [role for role in ROLES if role not in row.allowed]
    wrong = []
    for name, route in url_patterns():
        if row_for(name, route) is row:
            wrong += check(world, row, sample_path(route), refused_roles)
    assert wrong == []
