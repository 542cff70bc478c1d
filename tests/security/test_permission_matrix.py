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

`WRITES` (further down) is the table of unsafe methods: every POST, PUT, PATCH and DELETE a
URL's view accepts, sent by eight roles (anonymous, Rosa the researcher, Rik the other
researcher, the coordinators of lab A and of lab B, an approver, finance, a site admin) to
real objects of Rosa and of lab A, asserting each role's answer and what it did to the
database. `test_every_unsafe_method_has_a_row` fails when a view accepts a method the table
does not cover.
"""

import datetime
import fnmatch
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from booking.models import Closure, Qualification
from booking.services import request_booking
from booking.services.kiosks import enable_kiosk
from operations.services import report_problem
from people.api_tokens import create_token
from people.roles import Role
from tests.conftest import build_facility, make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.security.resolver import url_patterns
from training.models import TrainingPolicy
from training.services import request_training, schedule_session

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
    kiosk_a: str  # the raw token of lab A's instrument's kiosk
    report_b: object  # Rosa's report on lab B's instrument, with a file
    sorter_b: object  # lab B's instrument that needs training
    session_b: object  # a training session on it
    request_b: object  # Rik's request for training on it
    policy_b: object  # its training policy


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
    # Open by address, not by role: the test client calls from loopback with no proxy in
    # between, as Prometheus scraping gunicorn does. tests/site/test_metrics.py checks that
    # any other address, or a request through nginx, gets a 404 whoever is signed in.
    Row("metrics", EVERYONE),
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
    # The language switcher's target answers POST only (its form is on every page).
    Row("set_language", NOBODY),
    # An English page's URL asked for in another language (tests/i18n/test_translated_pages.py):
    # the page itself, for everyone.
    Row("unprefixed_page", EVERYONE, lambda w: "/"),
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
    Row("booking:estimate", SIGNED_IN, by_pk("booking:estimate", "resource_a")),
    Row("booking:detail", {RESEARCHER}, by_pk("booking:detail", "booking_a")),
    Row("booking:ics", {RESEARCHER}, by_pk("booking:ics", "booking_a")),
    Row("booking:change", {RESEARCHER}, by_pk("booking:change", "booking_a")),
    Row("booking:cancel", {RESEARCHER}, by_pk("booking:cancel", "booking_a")),
    Row("booking:check_in", NOBODY, by_pk("booking:check_in", "booking_a")),  # POST only
    Row("booking:check_out", NOBODY, by_pk("booking:check_out", "booking_a")),  # POST only
    Row("booking:waitlist_join", SIGNED_IN, by_pk("booking:waitlist_join", "resource_a")),
    Row("booking:waitlist_accept", NOBODY, lambda w: "/bookings/waitlist/999999/accept/"),
    Row("booking:waitlist_leave", NOBODY, lambda w: "/bookings/waitlist/999999/leave/"),
    Row("booking:accept_policy", NOBODY, lambda w: f"/bookings/policies/{w.page_a.pk}/accept/"),
    # An instrument's QR code opens its check-in page, for anyone signed in; its sign and
    # kiosk addresses are its lab's coordinators' (lab B's is refused to lab A's).
    Row(
        "booking:instrument_check_in",
        SIGNED_IN,
        by_pk("booking:instrument_check_in", "resource_a"),
    ),
    Row("booking:instrument_sign", {SITE_ADMIN}, by_pk("booking:instrument_sign", "resource_b")),
    Row("booking:kiosk_enable", NOBODY, by_pk("booking:kiosk_enable", "resource_a")),  # POST
    Row("booking:kiosk_revoke", NOBODY, by_pk("booking:kiosk_revoke", "resource_a")),  # POST
    # The kiosk: its resting page (busy times, no names) and "Done" are anyone's who holds
    # the address; checking in needs a sign-in (tests/booking/views/test_kiosk.py).
    Row("kiosk:display", EVERYONE, lambda w: reverse("kiosk:display", args=[w.kiosk_a])),
    Row("kiosk:leave", EVERYONE, lambda w: reverse("kiosk:leave", args=[w.kiosk_a])),
    Row("kiosk:sign_in", SIGNED_IN, lambda w: reverse("kiosk:sign_in", args=[w.kiosk_a])),
    Row("kiosk:check_in", SIGNED_IN, lambda w: reverse("kiosk:check_in", args=[w.kiosk_a])),
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
    Row("wagtailsnippets_booking_booking:book_for", LAB_STAFF),
    Row(
        "wagtailsnippets_booking_booking:attendance",
        {SITE_ADMIN},
        admin_snippet("booking", "attendance", "booking_b"),
    ),
    Row("wagtailsnippets_booking_booking:overrides", LAB_STAFF),
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
    Row(
        "wagtailsnippets_booking_resource:status",
        {SITE_ADMIN},
        admin_snippet("resource", "status", "resource_b"),
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
    # Problem reports: anyone signed in reports one and follows their own; each lab's staff
    # triage their lab's reports in the admin (never added or deleted there).
    Row("operations:mine", SIGNED_IN),
    Row("operations:report", SIGNED_IN, by_pk("operations:report", "resource_b")),
    Row("operations:detail", {RESEARCHER, SITE_ADMIN}, by_pk("operations:detail", "report_b")),
    Row(
        "operations:attachment",
        {RESEARCHER, SITE_ADMIN},
        by_pk("operations:attachment", "report_b"),
    ),
    Row("wagtailsnippets_operations_problemreport:list", LAB_STAFF),
    Row(
        "wagtailsnippets_operations_problemreport:edit",
        {SITE_ADMIN},
        by_pk("wagtailsnippets_operations_problemreport:edit", "report_b"),
    ),
    Row(
        "wagtailsnippets_operations_problemreport:history",
        {SITE_ADMIN},
        by_pk("wagtailsnippets_operations_problemreport:history", "report_b"),
    ),
    Row("wagtailsnippets_operations_problemreport:add", NOBODY),
    Row(
        "wagtailsnippets_operations_problemreport:delete",
        NOBODY,
        by_pk("wagtailsnippets_operations_problemreport:delete", "report_b"),
    ),
    Row("wagtailsnippets_operations_problemreport:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row(
        "wagtailsnippetchoosers_operations_problemreport:chosen",
        {SITE_ADMIN},
        by_pk("wagtailsnippetchoosers_operations_problemreport:chosen", "report_b"),
    ),
    Row("wagtailsnippetchoosers_operations_problemreport:*", STAFF, unchecked=STAFF),
    # Training: anyone signed in asks for it and follows their own; a lab's trainers and
    # coordinators run its sessions and see its overview (lab B's refused to lab A's).
    Row("training:mine", SIGNED_IN),
    Row("training:request", SIGNED_IN, by_pk("training:request", "sorter_b")),
    Row("training:withdraw", NOBODY, by_pk("training:withdraw", "request_b")),  # POST only
    Row("training:session", {SITE_ADMIN}, by_pk("training:session", "session_b")),
    Row("training:join", NOBODY, by_pk("training:join", "session_b")),  # POST only
    Row("training:cancel", NOBODY, by_pk("training:cancel", "session_b")),  # POST only
    Row("training:lab", {SITE_ADMIN}, lambda w: reverse("training:lab", args=[w.sorter_b.lab_id])),
    Row(
        "training:schedule",
        {SITE_ADMIN},
        lambda w: reverse("training:schedule", args=[w.sorter_b.lab_id]),
    ),
    Row(
        "training:export",
        {SITE_ADMIN},
        lambda w: reverse("training:export", args=[w.sorter_b.lab_id, "xlsx"]),
    ),
    Row("api:qualification-list", SIGNED_IN),
    Row("api:training-request-list", SIGNED_IN),
    Row("api:training-request-detail", NOBODY, by_pk("api:training-request-detail", "request_b")),
    Row("wagtailsnippets_training_trainingpolicy:list", LAB_STAFF),
    Row(
        "wagtailsnippets_training_trainingpolicy:edit",
        {SITE_ADMIN},
        by_pk("wagtailsnippets_training_trainingpolicy:edit", "policy_b"),
    ),
    Row("wagtailsnippets_training_trainingpolicy:*", LAB_STAFF, unchecked=LAB_STAFF),
    Row("wagtailsnippetchoosers_training_*", STAFF, unchecked=STAFF),
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
    Row(
        "reporting_import_template",
        MONEY,
        lambda w: reverse("reporting_import_template", args=["projects"]),
    ),
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
    # Page translation (wagtail-localize) and the locales screen: admin screens that check
    # page and locale permissions themselves; nobody outside the staff reaches them.
    Row("wagtail_localize:*", STAFF, unchecked=STAFF),
    Row("wagtaillocales:*", STAFF, unchecked=STAFF),
    Row("admin/^.*/$", NOBODY, lambda w: "/admin/no-such-screen/"),
    Row("admin/test404/", STAFF),
]


# Walking the resolver


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
    sorter_b = ResourceFactory(name="Sorter B", lab=b.lab, requires_qualification=True)
    session_b = schedule_session(
        resource=sorter_b, by=users[SITE_ADMIN], trainer=users[SITE_ADMIN], project=project,
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=2,
    )  # fmt: skip
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
        kiosk_a=enable_kiosk(resource=a, by=users[COORDINATOR])[1],
        report_b=report_problem(
            resource=b,
            by=researcher,
            summary="Vacuum alarm",
            severity="major",
            attachment=SimpleUploadedFile("log.txt", b"pressure 1e-3"),
        ),
        sorter_b=sorter_b,
        session_b=session_b,
        request_b=request_training(resource=sorter_b, by=rival),
        policy_b=TrainingPolicy.objects.create(resource=sorter_b),
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


# Writes: every unsafe method of every URL, against real objects of another user and lab
#
# `WRITES` is the second table. A row names a URL (as in ROWS), one unsafe method, the roles
# allowed, the request's path and body, and the state the request would change (`effect`,
# read afresh from the database before and after). Each role sends the request from a
# session of its own: web forms with the CSRF token that session was given, the API with a
# real token of the role. A refused role must get a refusal AND leave the state as it was
# (and write nothing else); an allowed role must get through AND change it, so code that
# refuses everything or allows everything fails. Each role's attempt is rolled back before
# the next one, so every role meets the same world.
#
# The objects belong to Rosa (the researcher) and to lab A (Imaging): Rik, the other
# researcher, and the coordinator of lab B (Proteomics) are the "another user / another lab"
# roles. `test_every_unsafe_method_has_a_row` fails when a URL accepts a method that has no
# row, so a new form or action cannot join the site untested.

OWNER, OTHER, COORD_A, COORD_B = RESEARCHER, "other_researcher", "coordinator_a", "coordinator_b"
WRITE_ROLES = (ANON, OWNER, OTHER, COORD_A, COORD_B, APPROVER, FINANCE, SITE_ADMIN)
W_SIGNED_IN = frozenset(WRITE_ROLES) - {ANON}
W_STAFF = frozenset({COORD_A, COORD_B, APPROVER, FINANCE, SITE_ADMIN})
W_LAB_A = frozenset({COORD_A, SITE_ADMIN})
W_LABS = frozenset({COORD_A, COORD_B, SITE_ADMIN})
ONLY_OWNER = frozenset({OWNER})
UNSAFE = ("post", "put", "patch", "delete")
# A write refused for being outside the caller's reach may also be a 400 ("not one of your
# choices") or a 409; never a 500.
WRITE_REFUSALS = (400, 401, 403, 404, 405, 409)


@dataclass
class WriteWorld:
    users: dict
    tokens: dict  # role → the raw API token (read and write) of that role
    objs: dict  # name → object; everything of lab A or of Rosa

    def __getattr__(self, name):
        try:
            return self.objs[name]
        except KeyError as missing:
            raise AttributeError(name) from missing

    def user(self, role: str):
        return self.users.get(role)


@dataclass(frozen=True)
class Write:
    pattern: str
    method: str
    allowed: frozenset
    path: Callable[[WriteWorld], str] | None = None
    data: Callable[[WriteWorld, str], dict] = lambda w, role: {}
    # The state the request changes, read from the database; None: only the answer is
    # checked (a write with nothing to measure, e.g. a lockout in the cache).
    effect: Callable[[WriteWorld, str], object] | None = None
    api: bool = False
    # Whose form page supplies the body (every field as the page renders it), before
    # `data` overrides some: an admin edit is posted with the admin's own form.
    form_of: str | None = None
    form_path: Callable[[WriteWorld], str] | None = None
    # False: allowed roles get an answer but nothing changes (a preview; a PUT to a Django
    # form view, which reads no body and shows the form again).
    changes: bool = True
    # Roles whose request is answered without a refusal but changes nothing (a form error,
    # the service saying no); their state must stay as it was.
    declined: frozenset = NOBODY
    unchecked: frozenset = NOBODY
    xfail: str | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.pattern}{' ' + self.note if self.note else ''}"


def rows_of(model, pk, *fields):
    """The row's fields, or None once it is deleted."""
    return model.objects.filter(pk=pk).values_list(*fields).first()


def build_write_world() -> WriteWorld:
    """Everything a write may aim at, owned by Rosa or kept by lab A (Imaging)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from booking.models import Booking, MaintenanceWindow, RequiredPolicy, WaitlistEntry
    from booking.services import issue_feed
    from reporting.models import Adjustment, Statement
    from reporting.services import record_usage
    from reporting.services.periods import open_period_for, period_containing
    from tests.reporting.conftest import make_card
    from tests.workflows.helpers import make_rule
    from workflows.links import link_token
    from workflows.models import (
        ApprovalStep,
        ApprovalTask,
        Delegation,
        MessageTemplate,
        OutboxMessage,
    )

    facility = build_facility()
    lab_a, lab_b = facility.imaging_lab, facility.proteomics_lab
    # The laser safety policy, published and required on lab B's instrument: one to accept.
    facility.safety_policy.save_revision().publish()
    RequiredPolicy.objects.create(
        resource=facility.orbitrap.resource, policy=facility.safety_policy
    )
    users = {
        OWNER: UserFactory(email="rosa.researcher@example.org", roles=[Role.RESEARCHER]),
        OTHER: UserFactory(email="rik.rival@example.org", roles=[Role.RESEARCHER]),
        COORD_A: make_coordinator(lab_a, email="cora@example.org"),
        COORD_B: make_coordinator(lab_b, email="colm@example.org"),
        APPROVER: UserFactory(email="abe@example.org", roles=[Role.APPROVER]),
        FINANCE: UserFactory(email="fin@example.org", roles=[Role.FINANCE]),
        SITE_ADMIN: UserFactory(email="sam@example.org", roles=[Role.SITE_ADMIN]),
    }
    owner, other, approver = users[OWNER], users[OTHER], users[APPROVER]
    # Staff hold an authenticator app, so their API tokens are those of verified staff.
    tokens = {}
    for role, user in users.items():
        if role in W_STAFF:
            TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        tokens[role] = create_token(
            user=user,
            name="matrix",
            scope="read_write",
            days=30,
            with_second_factor=role in W_STAFF,
        )[1]
    # Everyone may charge the project, so that booking is open to everyone signed in.
    project = ProjectFactory(code="BIO-2041", pi=approver, members=list(users.values()))
    confocal = facility.confocal.resource
    stage = ResourceFactory(name="Stage B", lab=lab_a.lab)
    laser = ResourceFactory(name="Laser C", lab=lab_a.lab)
    now = timezone.now()
    day = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    hour = datetime.timedelta(hours=1)

    def held(resource, user, start, end, status=Booking.Status.CONFIRMED, **fields):
        return Booking.objects.create(
            resource=resource,
            user=user,
            project=project,
            start=start,
            end=end,
            status=status,
            exclusive=True,
            **fields,
        )

    booking = request_booking(
        user=owner, resource=confocal, project=project, start=day, end=day + hour
    )
    others = request_booking(
        user=other, resource=confocal, project=project, start=day + 3 * hour, end=day + 4 * hour
    )
    booking_now = held(stage, owner, now - datetime.timedelta(minutes=5), now + hour)
    booking_in = held(
        laser, owner, now - hour / 2, now + hour / 2, Booking.Status.CHECKED_IN, checked_in_at=now
    )
    used = held(
        laser,
        owner,
        now - datetime.timedelta(days=2),
        now - datetime.timedelta(days=2) + hour,
        Booking.Status.COMPLETED,
    )
    # From here on, every lab A booking waits for Abe.
    rule = make_rule(
        lab_a.lab, {"approvers": ApprovalStep.Approvers.USERS, "users": [approver]}, always=True
    )
    waiting = request_booking(
        user=owner, resource=confocal, project=project, start=day + hour * 24, end=day + hour * 25
    )
    task = ApprovalTask.objects.get(request__booking=waiting)
    entry = WaitlistEntry.objects.create(
        resource=confocal, user=owner, project=project, start=others.start, end=others.end
    )
    offer = WaitlistEntry.objects.create(
        resource=confocal,
        user=owner,
        project=project,
        start=day + 48 * hour,
        end=day + 49 * hour,
        status=WaitlistEntry.Status.OFFERED,
        offered_at=now,
        offer_expires_at=now + hour,
    )
    card = make_card(confocal)
    record = record_usage(booking=used)
    period = open_period_for(timezone.localdate())
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    kiosk, confocal_kiosk = enable_kiosk(resource=confocal, by=users[COORD_A])
    stage_kiosk = enable_kiosk(resource=stage, by=users[COORD_A])[1]
    sorter = ResourceFactory(name="Sorter A", lab=lab_a.lab, requires_qualification=True)
    rik_asked = request_training(resource=sorter, by=other)
    session_with = {
        "resource": sorter, "by": users[COORD_A], "trainer": users[COORD_A],
        "project": project, "capacity": 3,
    }  # fmt: skip
    objs = {
        "sorter": sorter,
        "sorter_c": ResourceFactory(name="Sorter C", lab=lab_a.lab, requires_qualification=True),
        "t_request": request_training(resource=sorter, by=owner),
        "t_session": schedule_session(
            **session_with, starts_at=day + 200 * hour, ends_at=day + 202 * hour
        ),
        "t_past": schedule_session(
            **session_with,
            starts_at=now - hour,
            ends_at=now + hour,
            invite=[rik_asked],
            now=now - 2 * hour,
        ),  # fmt: skip
        "t_policy": TrainingPolicy.objects.create(resource=sorter),
        "kiosk": kiosk,
        "confocal_kiosk": confocal_kiosk,
        "stage_kiosk": stage_kiosk,
        "facility": facility,
        "project": project,
        "resource": confocal,
        "booking": booking,
        "others": others,
        "booking_now": booking_now,
        "booking_in": booking_in,
        "waiting": waiting,
        "task": task,
        "link": link_token(task),
        "entry": entry,
        "offer": offer,
        "feed": issue_feed(owner=owner, kind="personal")[0],
        "token": create_token(user=owner, name="Rosa's script", scope="read", days=30)[0],
        "closure": Closure.objects.create(
            lab=lab_a.lab, starts_at=day + 96 * hour, ends_at=day + 100 * hour, reason="Move"
        ),
        "maintenance": MaintenanceWindow.objects.create(
            resource=confocal,
            starts_at=day + 120 * hour,
            ends_at=day + 122 * hour,
            reason="Service",
            created_by=users[COORD_A],
        ),
        "qualification": Qualification.objects.create(user=owner, resource=confocal),
        "report": report_problem(
            resource=confocal, by=owner, summary="Stage stuck", severity="minor"
        ),
        "rule": rule,
        "delegation": Delegation.objects.create(
            delegator=approver,
            delegate=users[SITE_ADMIN],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=7),
        ),
        "card": card,
        "period": period,
        "past_period": period_containing(period.starts_on - datetime.timedelta(days=1)),
        "record": record,
        "adjustment": Adjustment.objects.create(
            period=period,
            project=project,
            resource=confocal,
            amount=5,
            reason="Refund",
            created_by=users[FINANCE],
        ),
        "statement": Statement.objects.create(
            period=period, project=project, status=Statement.Status.FAILED
        ),
        "message": OutboxMessage.objects.create(
            key=f"matrix.{booking.pk}",
            event="booking_confirmed",
            recipient=owner,
            address=owner.email,
            next_attempt_at=now,
            status=OutboxMessage.Status.FAILED,
        ),
        "wording": MessageTemplate.objects.create(
            event="booking_cancelled", subject="Cancelled", text_body="Your booking is off."
        ),
        "job": PeriodicTask.objects.create(
            name="Matrix job", task="labitory.tasks.noop", interval=interval
        ),
        "interval": interval,
    }
    return WriteWorld(users=users, tokens=tokens, objs=objs)


# Sending a write as a role


class FormFields(HTMLParser):
    """The fields of the biggest POST form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.current: list | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = []
            self.forms.append(self.current)
        if self.current is None or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "image", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.current.append(
                (a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
            )
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.current.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.current.append((a["name"], ""))

    def handle_data(self, data):
        if self.textarea and self.current:
            name, value = self.current[-1]
            self.current[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None


def form_fields(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    fields = max(parser.forms, key=len, default=[])
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def session_of(world: WriteWorld, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role in (OWNER, OTHER):
        client.force_login(world.user(role))
    elif role != ANON:
        sign_in_with_second_factor(client, world.user(role))
    return client


def csrf_token(client: Client, role: str) -> str:
    """The token this session's own pages carry, read from a form the role may open."""
    page = reverse("account_login") if role == ANON else reverse("api_tokens")
    html = client.get(page).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def prepared(world: WriteWorld, row: Write, role: str) -> Callable[[], object]:
    """The role's request, ready to send: session, CSRF token and form read beforehand (so
    that what reading them writes is not counted as the write's)."""
    path = row.path(world)
    if row.api:
        auth = {} if role == ANON else {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}
        body = json.dumps(row.data(world, role))
        return lambda: Client().generic(
            row.method.upper(), path, body, content_type="application/json", **auth
        )
    client = session_of(world, role)
    data: dict = {}
    if row.form_of:
        source = client if row.form_of in ("self", role) else session_of(world, row.form_of)
        form_path = row.form_path(world) if row.form_path else path
        data = form_fields(source.get(form_path).content.decode())
    data.update(row.data(world, role))
    token = csrf_token(client, role)
    if row.method == "post":
        return lambda: client.post(path, {**data, "csrfmiddlewaretoken": token})
    return lambda: client.generic(
        row.method.upper(),
        path,
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_CSRFTOKEN=token,
    )


# What a refused write must not have written: the number of rows of the project's own
# models (sessions and sign-in records aside).
COUNTED_APPS = ("booking", "workflows", "reporting", "labpages")


def fingerprint() -> dict:
    counted = [m for m in apps.get_models() if m._meta.app_label in COUNTED_APPS]
    return {m._meta.label: m.objects.count() for m in counted}


def write_refused(response) -> bool:
    return response.status_code in WRITE_REFUSALS or refused(response)


class RolledBack(Exception):
    pass


def attempt(world: WriteWorld, row: Write, role: str) -> str | None:
    """One role's attempt, rolled back afterwards; a sentence when it went wrong."""
    outcome = None
    cache.clear()
    try:
        with transaction.atomic():
            request = prepared(world, row, role)
            before = row.effect(world, role) if row.effect else None
            counts = fingerprint()
            response = request()
            after = row.effect(world, role) if row.effect else None
            outcome = judge(row, role, response, before != after, counts != fingerprint())
            raise RolledBack
    except RolledBack:
        pass
    return outcome


def judge(row: Write, role: str, response, changed: bool, wrote: bool) -> str | None:
    status = response.status_code
    where = f"{row.id} as {role}: {status}"
    if status >= 500:
        return f"{where} (a server error)"
    if role in row.allowed:
        if write_refused(response):
            return f"{where}, refused; want allowed"
        if row.effect and changed != row.changes:
            return f"{where}, {'changed' if changed else 'changed nothing'}; want the opposite"
        return None
    if changed:
        return f"{where}, and the state CHANGED; want it untouched"
    if role in row.declined:
        return None
    if not write_refused(response):
        return f"{where}, not refused; want refused"
    if wrote:
        return f"{where}, refused but wrote rows"
    return None


# The table of writes


def to(name: str, *objects: str):
    return lambda w: reverse(name, args=[getattr(w, o).pk for o in objects])


def local(prefix: str, moment: datetime.datetime) -> dict:
    moment = timezone.localtime(moment)
    return {f"{prefix}_0": f"{moment:%Y-%m-%d}", f"{prefix}_1": f"{moment:%H:%M}"}


def later(w: WriteWorld, days: int, hours: int = 0) -> datetime.datetime:
    return w.booking.start + datetime.timedelta(days=days, hours=hours)


def booking_state(name: str):
    def state(w: WriteWorld, role: str):
        from booking.models import Booking

        return rows_of(Booking, getattr(w, name).pk, "status", "start", "end", "user", "note")

    return state


def own_count(model_path: str, owner_field: str = "user", **filters):
    """How many `model` rows the acting role owns (an anonymous role owns none)."""

    def count(w: WriteWorld, role: str):
        model = apps.get_model(model_path)
        return model.objects.filter(**{owner_field: w.user(role)}, **filters).count()

    return count


def state_of(model_path: str, name: str, *fields: str):
    def state(w: WriteWorld, role: str):
        return rows_of(apps.get_model(model_path), getattr(w, name).pk, *(fields or ("pk",)))

    return state


def new_booking(w: WriteWorld, role: str) -> dict:
    start = later(w, 5, 4)
    return {
        **local("start", start),
        **local("end", start + datetime.timedelta(hours=1)),
        "project": w.project.pk,
        "note": "matrix",
    }


def api_booking(w: WriteWorld, role: str) -> dict:
    start = later(w, 5, 4)
    return {
        "resource": w.resource.pk,
        "project": w.project.pk,
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=1)).isoformat(),
    }


def moved(w: WriteWorld, role: str) -> dict:
    start = later(w, 0, 1)
    return {
        **local("start", start),
        **local("end", start + datetime.timedelta(hours=1)),
        "project": w.project.pk,
        "hand_to": "",
        # Saved even when the change needs approval (the form asks first).
        "confirm_approval": "1",
    }


def api_moved(w: WriteWorld, role: str) -> dict:
    start = later(w, 0, 1)
    return {"start": start.isoformat(), "end": (start + datetime.timedelta(hours=1)).isoformat()}


EVERYTHING = lambda w, role: fingerprint()  # noqa: E731  (what a read by POST must not write)


def new_session(w: WriteWorld, role: str) -> dict:
    day = timezone.localtime(w.booking.start + datetime.timedelta(days=20)).date()
    user = w.user(role)
    return {
        "resource": w.sorter_c.pk, "kind": "induction", "day": f"{day:%Y-%m-%d}",
        "starts": "10:00", "ends": "12:00", "capacity": "3", "trainer": user.pk if user else "",
        "project": w.project.pk, "open_to_requesters": "on", "note": "",
    }  # fmt: skip


def signed_off(w: WriteWorld, role: str) -> dict:
    rik = w.user(OTHER).pk
    return {f"attended_{rik}": "on", f"level_{rik}": "unsupervised"}


WRITES = [
    # Training: anyone signed in asks for it; withdrawing and joining are the asker's; lab A's
    # sessions are lab A's coordinators' (and site admins').
    Write(
        "training:request",
        "post",
        W_SIGNED_IN,
        to("training:request", "sorter_c"),
        lambda w, r: {"note": "Used one before"},
        own_count("training.TrainingRequest", "requester"),
    ),
    Write(
        "training:withdraw",
        "post",
        ONLY_OWNER,
        to("training:withdraw", "t_request"),
        effect=state_of("training.TrainingRequest", "t_request", "status"),
    ),
    # Staff see the session but are waiting for no training on it: the service says no.
    Write(
        "training:join",
        "post",
        ONLY_OWNER,
        to("training:join", "t_session"),
        effect=lambda w, r: w.t_session.attendances.count(),
        declined=frozenset({COORD_A, SITE_ADMIN}),
    ),
    Write(
        "training:cancel",
        "post",
        W_LAB_A,
        to("training:cancel", "t_session"),
        lambda w, r: {"reason": "Trainer ill"},
        state_of("training.TrainingSession", "t_session", "status"),
    ),
    Write(
        "training:session",
        "post",
        W_LAB_A,
        to("training:session", "t_past"),
        signed_off,
        lambda w, r: Qualification.objects.filter(resource=w.sorter).count(),
    ),
    Write(
        "training:schedule",
        "post",
        W_LAB_A,
        lambda w: reverse("training:schedule", args=[w.sorter.lab_id]),
        new_session,
        lambda w, r: apps.get_model("training.TrainingSession").objects.count(),
    ),
    Write(
        "api:training-request-list",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("api:training-request-list"),
        lambda w, r: {"resource": w.sorter_c.pk},
        own_count("training.TrainingRequest", "requester"),
        api=True,
    ),
    # Anyone signed in reports a problem with an instrument.
    Write(
        "operations:report",
        "post",
        W_SIGNED_IN,
        to("operations:report", "resource"),
        lambda w, r: {"summary": "Laser off", "severity": "major", "details": ""},
        own_count("operations.ProblemReport", "reporter"),
    ),
    # Booking on the site: everyone signed in books; only Rosa touches Rosa's booking.
    Write(
        "booking:new",
        "post",
        W_SIGNED_IN,
        to("booking:new", "resource"),
        new_booking,
        own_count("booking.Booking"),
    ),
    Write(
        "booking:change",
        "post",
        ONLY_OWNER,
        to("booking:change", "booking"),
        moved,
        booking_state("booking"),
    ),
    Write(
        "booking:cancel",
        "post",
        ONLY_OWNER,
        to("booking:cancel", "booking"),
        lambda w, r: {"reason": "matrix"},
        booking_state("booking"),
    ),
    Write(
        "booking:check_in",
        "post",
        ONLY_OWNER,
        to("booking:check_in", "booking_now"),
        effect=booking_state("booking_now"),
    ),
    Write(
        "booking:check_out",
        "post",
        ONLY_OWNER,
        to("booking:check_out", "booking_in"),
        effect=booking_state("booking_in"),
    ),
    # Checking in from the instrument's code or its kiosk: only Rosa checks in to Rosa's
    # booking; anyone else signed in is told so, and the kiosk signs them out.
    Write(
        "booking:instrument_check_in",
        "post",
        ONLY_OWNER,
        lambda w: reverse("booking:instrument_check_in", args=[w.booking_now.resource_id]),
        lambda w, r: {"booking": w.booking_now.pk},
        booking_state("booking_now"),
        declined=W_SIGNED_IN - ONLY_OWNER,
    ),
    Write(
        "kiosk:check_in",
        "post",
        ONLY_OWNER,
        lambda w: reverse("kiosk:check_in", args=[w.stage_kiosk]),
        lambda w, r: {"booking": w.booking_now.pk},
        booking_state("booking_now"),
        declined=W_SIGNED_IN - ONLY_OWNER,
    ),
    # "Done" signs out a kiosk session only; it writes nothing.
    Write(
        "kiosk:leave",
        "post",
        W_SIGNED_IN | {ANON},
        lambda w: reverse("kiosk:leave", args=[w.confocal_kiosk]),
        effect=EVERYTHING,
        changes=False,
    ),
    # Kiosk addresses of lab A's instrument: lab A's coordinator and site admins.
    Write(
        "booking:kiosk_enable",
        "post",
        W_LAB_A,
        to("booking:kiosk_enable", "resource"),
        effect=lambda w, r: apps.get_model("booking.Kiosk").objects.count(),
    ),
    Write(
        "booking:kiosk_revoke",
        "post",
        W_LAB_A,
        to("booking:kiosk_revoke", "resource"),
        effect=state_of("booking.Kiosk", "kiosk", "revoked_at"),
    ),
    # Rik holds the slot Rosa already waits for: neither may join again.
    Write(
        "booking:waitlist_join",
        "post",
        W_SIGNED_IN - {OTHER, OWNER},
        to("booking:waitlist_join", "resource"),
        lambda w, r: {
            **local("start", w.others.start),
            **local("end", w.others.end),
            "project": w.project.pk,
        },
        own_count("booking.WaitlistEntry"),
        declined=frozenset({OTHER, OWNER}),
    ),
    Write(
        "booking:waitlist_leave",
        "post",
        ONLY_OWNER,
        to("booking:waitlist_leave", "entry"),
        effect=state_of("booking.WaitlistEntry", "entry", "status"),
    ),
    Write(
        "booking:waitlist_accept",
        "post",
        ONLY_OWNER,
        to("booking:waitlist_accept", "offer"),
        effect=state_of("booking.WaitlistEntry", "offer", "status"),
    ),
    Write(
        "booking:accept_policy",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("booking:accept_policy", args=[w.facility.safety_policy.pk]),
        effect=own_count("booking.PolicyAcceptance"),
    ),
    Write(
        "booking_feeds:manage",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("booking_feeds:manage"),
        lambda w, r: {"kind": "resource", "resource": w.resource.pk},
        own_count("booking.CalendarFeed", "owner"),
    ),
    Write(
        "booking_feeds:stop",
        "post",
        ONLY_OWNER,
        to("booking_feeds:stop", "feed"),
        effect=state_of("booking.CalendarFeed", "feed"),
    ),
    # Approvals: the task is Abe's alone.
    Write(
        "workflows:queue",
        "post",
        {APPROVER},
        lambda w: reverse("workflows:queue"),
        lambda w, r: {"tasks": [w.task.pk]},
        booking_state("waiting"),
    ),
    Write(
        "workflows:decide",
        "post",
        {APPROVER},
        to("workflows:decide", "task"),
        lambda w, r: {"decision": "approve", "comment": "fine"},
        booking_state("waiting"),
    ),
    Write(
        "workflows:link",
        "post",
        {APPROVER},
        lambda w: reverse("workflows:link", args=[w.link]),
        effect=EVERYTHING,
        changes=False,
    ),
    # The switcher: a signed-in person's own language is remembered; a visitor gets a cookie.
    Write(
        "set_language",
        "post",
        frozenset(WRITE_ROLES) - {ANON},
        lambda w: reverse("set_language"),
        lambda w, r: {"language": "de", "next": "/"},
        lambda w, role: list(
            apps.get_model("people.User")
            .objects.filter(pk=getattr(w.user(role), "pk", None))
            .values_list("language", flat=True)
        ),
        declined=frozenset({ANON}),
    ),
    Write(
        "notifications:preferences",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("notifications:preferences"),
        lambda w, r: {"reminder_hours": "0"},
        own_count("workflows.NotificationPreferences", reminder_hours=0),
        form_of="self",
    ),
    # Account: tokens are their owner's; only site admins act on another person's account.
    Write(
        "api_tokens",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("api_tokens"),
        lambda w, r: {"name": "new", "scope": "read", "days": "30"},
        own_count("people.ApiToken"),
    ),
    Write(
        "api_token_revoke",
        "post",
        ONLY_OWNER,
        to("api_token_revoke", "token"),
        effect=state_of("people.ApiToken", "token", "revoked_at"),
    ),
    Write(
        "people_reset_two_factor",
        "post",
        {SITE_ADMIN},
        lambda w: reverse("people_reset_two_factor", args=[w.user(APPROVER).pk]),
        effect=lambda w, r: TOTPDevice.objects.filter(user=w.user(APPROVER)).count(),
    ),
    Write(
        "people_revoke_token",
        "post",
        {SITE_ADMIN},
        lambda w: reverse("people_revoke_token", args=[w.user(OWNER).pk, w.token.pk]),
        effect=state_of("people.ApiToken", "token", "revoked_at"),
    ),
    Write(
        "people_unlock",
        "post",
        {SITE_ADMIN},
        lambda w: reverse("people_unlock", args=[w.user(OWNER).pk]),
        effect=EVERYTHING,
        changes=False,
    ),
    Write(
        "people_account_security",
        "post",
        {SITE_ADMIN},
        lambda w: reverse("people_account_security", args=[w.user(OWNER).pk]),
        effect=EVERYTHING,
        changes=False,
    ),
    # The API, each role with its own token.
    Write(
        "api:booking-list",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("api:booking-list"),
        api_booking,
        own_count("booking.Booking"),
        api=True,
    ),
    # Booking for Rosa with `booked_for`: lab A's staff only (lab A's instrument).
    Write(
        "api:booking-list",
        "post",
        W_LAB_A,
        lambda w: reverse("api:booking-list"),
        lambda w, r: {**api_booking(w, r), "booked_for": w.user(OWNER).pk},
        lambda w, r: apps.get_model("booking.StaffBooking").objects.count(),
        api=True,
        note="booked_for",
    ),
    Write(
        "api:booking-preview",
        "post",
        W_SIGNED_IN,
        lambda w: reverse("api:booking-preview"),
        api_booking,
        EVERYTHING,
        api=True,
        changes=False,
    ),
    Write(
        "api:booking-detail",
        "patch",
        ONLY_OWNER,
        to("api:booking-detail", "booking"),
        api_moved,
        booking_state("booking"),
        api=True,
    ),
    Write(
        "api:booking-preview-change",
        "post",
        ONLY_OWNER,
        to("api:booking-preview-change", "booking"),
        api_moved,
        booking_state("booking"),
        api=True,
        changes=False,
    ),
    Write(
        "api:booking-cancel",
        "post",
        ONLY_OWNER,
        to("api:booking-cancel", "booking"),
        lambda w, r: {"reason": "matrix"},
        booking_state("booking"),
        api=True,
    ),
    Write(
        "api:booking-check-in",
        "post",
        ONLY_OWNER,
        to("api:booking-check-in", "booking_now"),
        effect=booking_state("booking_now"),
        api=True,
    ),
    Write(
        "api:booking-check-out",
        "post",
        ONLY_OWNER,
        to("api:booking-check-out", "booking_in"),
        effect=booking_state("booking_in"),
        api=True,
    ),
    Write(
        "api:approval-approve",
        "post",
        {APPROVER},
        to("api:approval-approve", "task"),
        lambda w, r: {"comment": "fine"},
        booking_state("waiting"),
        api=True,
    ),
    Write(
        "api:approval-reject",
        "post",
        {APPROVER},
        to("api:approval-reject", "task"),
        lambda w, r: {"comment": "no"},
        booking_state("waiting"),
        api=True,
    ),
]


# Which unsafe methods each URL accepts, read from its view


def decorated_methods(view) -> list[str] | None:
    """The methods of `require_http_methods` (and `require_POST`...) around a function view."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(item, str) and item.isupper() for item in value)
            ):
                return [method.lower() for method in value]
        view = getattr(view, "__wrapped__", None)
    return None


def accepted_unsafe_methods(view) -> list[str]:
    """POST/PUT/PATCH/DELETE the view answers: a DRF route's actions, a class view's
    handlers, a function view's decorator, or POST for a function view that takes any."""
    if getattr(view, "actions", None):
        return [m for m in UNSAFE if m in view.actions]
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is not None:
        return [m for m in UNSAFE if hasattr(view_class, m)]
    methods = decorated_methods(view)
    return ["post"] if methods is None else [m for m in UNSAFE if m in methods]


def url_views(resolver=None, prefix: str = "", namespace: tuple = ()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from url_views(entry, prefix + str(entry.pattern), inner)
        else:
            name = ":".join((*namespace, entry.name)) if entry.name else None
            yield (
                key(name, prefix + str(entry.pattern)),
                prefix + str(entry.pattern),
                entry.callback,
            )


def accepted_methods_by_key() -> dict[str, list[str]]:
    return {k: accepted_unsafe_methods(view) for k, _, view in url_views()}


# The admin screens of the project's own models: every form and action, on lab A's objects.


def snippet_writes(
    url: str,
    model: str,
    obj: Callable[[WriteWorld], object],
    allowed,
    change: dict,
    *,
    edit=None,
    delete=None,
    add=None,
    add_changes: bool = True,
    edit_changes: bool = True,
    declined_add=NOBODY,
) -> list[Write]:
    """Edit (POST with the admin's own form, and PUT), delete (POST and DELETE) and, where
    the screen has them, add and copy (the copy page's form posted back).

    `allowed` may do all of it unless `edit`, `delete` or `add` say otherwise (NOBODY: the
    model is never changed that way, e.g. a closed month's records). `add_changes=False`:
    the copied form repeats a unique value, so an allowed add is answered with a form error;
    what is asserted is that the others are refused. `declined_add`: roles that may open the
    add form (their own lab) but whose add of lab A's copy is refused by the form.
    PUT reaches Django's form views without a body: allowed roles' answers are not judged,
    the others must be refused.
    """
    edit = allowed if edit is None else frozenset(edit)
    delete = allowed if delete is None else frozenset(delete)
    add = allowed if add is None else frozenset(add)
    pk = lambda w: obj(w).pk  # noqa: E731
    fields = tuple(change) or ("pk",)
    state = lambda w, role: rows_of(apps.get_model(model), pk(w), *fields)  # noqa: E731
    count = lambda w, role: apps.get_model(model).objects.count()  # noqa: E731
    at = lambda view: lambda w: reverse(f"{url}:{view}", args=[pk(w)])  # noqa: E731
    methods = accepted_methods_by_key()
    rows = []
    if "post" in methods.get(f"{url}:edit", ()):
        rows += [
            Write(
                f"{url}:edit",
                "post",
                edit,
                at("edit"),
                lambda w, r: change,
                state,
                form_of=SITE_ADMIN,
                changes=bool(change) and edit_changes,
            ),
            Write(f"{url}:edit", "put", edit, at("edit"), effect=state, unchecked=edit),
        ]
    rows += [
        Write(f"{url}:delete", "post", delete, at("delete"), effect=state),
        # The admin deletes through its screen's POST only: an HTTP DELETE is a 405 for all.
        Write(f"{url}:delete", "delete", NOBODY, at("delete"), effect=state),
    ]
    for view in ("add", "copy"):
        if "post" not in methods.get(f"{url}:{view}", ()):
            continue
        path = (lambda w: reverse(f"{url}:add")) if view == "add" else at("copy")
        rows += [
            Write(
                f"{url}:{view}",
                "post",
                add,
                path,
                effect=count,
                form_of=SITE_ADMIN,
                form_path=at("copy") if f"{url}:copy" in methods else path,
                # The copy screen's own POST shows the form again; the add screen saves.
                changes=view == "add" and add_changes,
                declined=declined_add,
            ),
            Write(
                f"{url}:{view}",
                "put",
                add,
                path,
                effect=count,
                unchecked=add,
                declined=declined_add,
            ),
        ]
    return rows


def lab_a(w: WriteWorld):
    return w.facility.imaging_lab.lab


ADMIN_WRITES = [
    # Training policies: lab A's coordinators and site admins; only site admins delete one.
    *snippet_writes(
        "wagtailsnippets_training_trainingpolicy",
        "training.TrainingPolicy",
        lambda w: w.t_policy,
        W_LAB_A,
        {"valid_months": 6},
        delete={SITE_ADMIN},
        add_changes=False,
        declined_add={COORD_B},
    ),
    # Triage goes through its service; reports are never added or deleted in the admin.
    *snippet_writes(
        "wagtailsnippets_operations_problemreport",
        "operations.ProblemReport",
        lambda w: w.report,
        W_LAB_A,
        {"status": "investigating"},
        delete=NOBODY,
        add=NOBODY,
    ),
    *snippet_writes(
        "wagtailsnippets_booking_resource",
        "booking.Resource",
        lambda w: w.resource,
        W_LAB_A,
        {"name": "Renamed"},
        delete=NOBODY,
        add_changes=False,
        declined_add={COORD_B},
    ),
    *snippet_writes(
        "wagtailsnippets_booking_closure",
        "booking.Closure",
        lambda w: w.closure,
        W_LAB_A,
        {"reason": "Changed"},
        declined_add={COORD_B},
    ),
    *snippet_writes(
        "wagtailsnippets_booking_maintenancewindow",
        "booking.MaintenanceWindow",
        lambda w: w.maintenance,
        W_LAB_A,
        {"reason": "Changed"},
        declined_add={COORD_B},
    ),
    *snippet_writes(
        "wagtailsnippets_booking_qualification",
        "booking.Qualification",
        lambda w: w.qualification,
        W_LAB_A,
        {},
        add_changes=False,
        declined_add={COORD_B},
    ),
    # Labs are the site admins' to make and name; a lab with instruments is never deleted.
    *snippet_writes(
        "wagtailsnippets_booking_lab",
        "booking.Lab",
        lab_a,
        ADMINS,
        {"name": "Imaging core"},
        delete=NOBODY,
        add_changes=False,
    ),
    *snippet_writes(
        "wagtailsnippets_booking_resourcecategory",
        "booking.ResourceCategory",
        lambda w: w.facility.microscopy,
        {SITE_ADMIN},
        {"name": "Light microscopy"},
        delete=NOBODY,
        add_changes=False,
    ),
    *snippet_writes(
        "wagtailsnippets_workflows_approvalrule",
        "workflows.ApprovalRule",
        lambda w: w.rule,
        W_LAB_A,
        {"name": "Renamed rule"},
        declined_add={COORD_B},
    ),
    *snippet_writes(
        "wagtailsnippets_workflows_delegation",
        "workflows.Delegation",
        lambda w: w.delegation,
        {APPROVER, SITE_ADMIN},
        {"note": "Away"},
        declined_add={COORD_A, COORD_B},
    ),
    *snippet_writes(
        "wagtailsnippets_people_project",
        "people.Project",
        lambda w: w.project,
        MONEY,
        {"name": "Renamed project"},
        delete=NOBODY,
        add_changes=False,
    ),
    *snippet_writes(
        "wagtailsnippets_people_department",
        "people.Department",
        lambda w: w.project.department,
        MONEY,
        {"name": "Renamed department"},
        delete=NOBODY,
        add_changes=False,
    ),
    *snippet_writes(
        "reporting_rate_card",
        "reporting.RateCard",
        lambda w: w.card,
        MONEY,
        {"hourly_rate": "50.00"},
        delete=NOBODY,
        add_changes=False,
    ),
    # Periods and usage records are made by the services alone, and never edited or deleted:
    # a correction is an adjustment line, itself never changed once written.
    *snippet_writes(
        "reporting_billing_period",
        "reporting.BillingPeriod",
        lambda w: w.period,
        NOBODY,
        {},
    ),
    *snippet_writes(
        "reporting_usage_record", "reporting.UsageRecord", lambda w: w.record, NOBODY, {}
    ),
    *snippet_writes(
        "reporting_adjustment",
        "reporting.Adjustment",
        lambda w: w.adjustment,
        MONEY,
        {"reason": "Changed"},
        edit=NOBODY,
        delete=NOBODY,
        add_changes=False,
    ),
    *snippet_writes(
        "message_wording",
        "workflows.MessageTemplate",
        lambda w: w.wording,
        ADMINS,
        {"subject": "Off"},
        add_changes=False,
    ),
    *snippet_writes(
        "scheduled_jobs",
        "django_celery_beat.PeriodicTask",
        lambda w: w.job,
        ADMINS,
        {"name": "Renamed job"},
        delete=NOBODY,
        add=NOBODY,
        edit_changes=False,
    ),
    *snippet_writes(
        "scheduled_intervals",
        "django_celery_beat.IntervalSchedule",
        lambda w: w.interval,
        ADMINS,
        {"every": 2},
        delete=NOBODY,
        add_changes=False,
    ),
    # The outbox is a record of what was sent: nobody adds or deletes a message by hand.
    *snippet_writes("outbox", "workflows.OutboxMessage", lambda w: w.message, NOBODY, {}),
    # A booking changes only through its services: cancelled by lab A's staff, never edited.
    Write(
        "wagtailsnippets_booking_booking:cancel",
        "post",
        W_LAB_A,
        to("wagtailsnippets_booking_booking:cancel", "booking"),
        lambda w, r: {"reason": "Instrument broken"},
        booking_state("booking"),
    ),
    # Booking for a researcher: lab A's staff on lab A's instrument; lab B's coordinator is
    # not offered it (a form error), everyone else is refused the screen.
    Write(
        "wagtailsnippets_booking_booking:book_for",
        "post",
        W_LAB_A,
        lambda w: reverse("wagtailsnippets_booking_booking:book_for"),
        lambda w, r: {
            "researcher": w.user(OWNER).pk,
            "resource": w.resource.pk,
            "project": w.project.pk,
            "start": f"{timezone.localtime(later(w, 7, 5)):%Y-%m-%dT%H:%M}",
            "end": f"{timezone.localtime(later(w, 7, 6)):%Y-%m-%dT%H:%M}",
        },
        lambda w, r: apps.get_model("booking.StaffBooking").objects.count(),
        declined=frozenset({COORD_B}),
    ),
    Write(  # the admin takes GET and POST only: a 405 for everyone
        "wagtailsnippets_booking_booking:book_for",
        "put",
        NOBODY,
        lambda w: reverse("wagtailsnippets_booking_booking:book_for"),
        effect=lambda w, r: apps.get_model("booking.StaffBooking").objects.count(),
    ),
    Write(
        "wagtailsnippets_booking_resource:status",
        "post",
        W_LAB_A,
        to("wagtailsnippets_booking_resource:status", "resource"),
        lambda w, r: {"status": "limited", "note": "One laser off", "on_hit": "cancel"},
        lambda w, r: rows_of(apps.get_model("booking.Resource"), w.resource.pk, "status"),
    ),
    # Attendance recorded at the desk: lab A's staff, for the booking under way.
    Write(
        "wagtailsnippets_booking_booking:attendance",
        "post",
        W_LAB_A,
        to("wagtailsnippets_booking_booking:attendance", "booking_now"),
        lambda w, r: {"action": "check_in", "reason": "Card reader down"},
        booking_state("booking_now"),
    ),
    Write(  # the admin takes GET and POST only: a 405 for everyone
        "wagtailsnippets_booking_booking:attendance",
        "put",
        NOBODY,
        to("wagtailsnippets_booking_booking:attendance", "booking_now"),
        effect=booking_state("booking_now"),
    ),
    Write(  # the admin takes GET and POST only: a 405 for everyone
        "wagtailsnippets_booking_resource:status",
        "put",
        NOBODY,
        to("wagtailsnippets_booking_resource:status", "resource"),
        effect=lambda w, r: rows_of(apps.get_model("booking.Resource"), w.resource.pk, "status"),
    ),
    Write(  # the admin takes GET and POST only: a 405 for everyone
        "wagtailsnippets_booking_booking:cancel",
        "put",
        NOBODY,
        to("wagtailsnippets_booking_booking:cancel", "booking"),
        effect=booking_state("booking"),
    ),
    Write(
        "wagtailsnippets_booking_booking:delete",
        "post",
        NOBODY,
        to("wagtailsnippets_booking_booking:delete", "booking"),
        effect=booking_state("booking"),
    ),
    Write(
        "wagtailsnippets_booking_booking:delete",
        "delete",
        NOBODY,
        to("wagtailsnippets_booking_booking:delete", "booking"),
        effect=booking_state("booking"),
    ),
    Write(
        "wagtailsnippets_booking_booking:add",
        "post",
        NOBODY,
        lambda w: reverse("wagtailsnippets_booking_booking:add"),
        new_booking,
        lambda w, r: apps.get_model("booking.Booking").objects.count(),
    ),
    Write(
        "wagtailsnippets_booking_booking:add",
        "put",
        NOBODY,
        lambda w: reverse("wagtailsnippets_booking_booking:add"),
        effect=lambda w, r: apps.get_model("booking.Booking").objects.count(),
    ),
    # Bulk delete asks each object's own policy: Abe's delegation is not lab A's to delete.
    Write(
        "wagtail_bulk_action",
        "post",
        {APPROVER, SITE_ADMIN},
        lambda w: (
            "/admin/bulk/workflows/delegation/delete/?"
            + urlencode({"id": w.delegation.pk, "next": "/admin/"})
        ),
        effect=state_of("workflows.Delegation", "delegation"),
        note="a delegation",
    ),
    # Outbox: sending a failed message again.
    # Other staff are told "You may not retry messages." on a redirect, not Wagtail's
    # refusal page; the message stays as it was.
    Write(
        "outbox:retry",
        "post",
        ADMINS,
        to("outbox:retry", "message"),
        effect=state_of("workflows.OutboxMessage", "message", "status", "next_attempt_at"),
        declined=frozenset({COORD_A, COORD_B, APPROVER, FINANCE}),
    ),
    # Money's own actions.
    Write(
        "reporting_close_period",
        "post",
        MONEY,
        to("reporting_close_period", "period"),
        lambda w, r: {"confirm": "on"},
        state_of("reporting.BillingPeriod", "period", "closed_at"),
        # The month is still open on the clock: closing it is refused by the service, so
        # this row asserts who may ask (closing is tested in tests/reporting/).
        changes=False,
    ),
    Write(
        "reporting_rerun_statement",
        "post",
        MONEY,
        to("reporting_rerun_statement", "statement"),
        effect=state_of("reporting.Statement", "statement", "status", "attempt"),
    ),
    Write(
        "reporting_render_period",
        "post",
        MONEY,
        to("reporting_render_period", "period"),
        effect=lambda w, r: apps.get_model("reporting.Statement").objects.count(),
    ),
]


def every(pattern: str, allowed, methods=UNSAFE, **kwargs) -> list[Write]:
    """A pattern row per method: the refused roles are checked on every URL it covers."""
    return [Write(pattern, method, frozenset(allowed), **kwargs) for method in methods]


# Screens of Wagtail, allauth and Django themselves: the roles without access are refused on
# every URL (with the whole database untouched); the allowed roles' own writes are those
# libraries' to test.
LIBRARY_WRITES = [
    # allauth's sign-in, sign-up and account forms: open to whom they serve; tested in
    # tests/people/.
    *every("account_*", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    *every("socialaccount_*", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    *every("openid_connect_*", NOBODY),
    *every("accounts/social/*", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    # Two-factor steps of one's own account (tests/people/test_two_factor.py).
    *every("two_factor_*", W_SIGNED_IN, unchecked=W_SIGNED_IN),
    *every("backup_codes", W_SIGNED_IN, unchecked=W_SIGNED_IN),
    *every("account_security", W_SIGNED_IN, unchecked=W_SIGNED_IN),
    # Pages that only read, whatever the method.
    *every("search", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    *every("booking:mine", W_SIGNED_IN, unchecked=W_SIGNED_IN),
    *every("booking:detail", ONLY_OWNER, unchecked=ONLY_OWNER),
    *every("^api/", NOBODY),
    *every("scoped_site_history*", W_STAFF, unchecked=W_STAFF),
    *every("admin_login_redirect", NOBODY, unchecked=frozenset(WRITE_ROLES)),
    *every("django_admin_login_redirect", NOBODY, unchecked=frozenset(WRITE_ROLES)),
    *every("reporting_import*", MONEY, unchecked=MONEY),
    # The Django admin is for superusers, and no role is one.
    *every("django-admin/*", NOBODY),
    *every("admin:*", NOBODY, unchecked=frozenset({ANON})),
    # Signing out of Django's admin, and Wagtail's sign-in for private pages: anyone's.
    *every("admin:logout", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    *every("wagtailcore_login", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    # The admin's icon sprite: a static file, whatever the method.
    *every("wagtailadmin_sprite", EVERYONE | W_SIGNED_IN, unchecked=frozenset(WRITE_ROLES)),
    # Wagtail's own admin: staff only; each screen checks its own permissions.
    *every("wagtail*", W_STAFF, unchecked=W_STAFF),
    *every("admin/^.*/$", NOBODY, unchecked=frozenset(WRITE_ROLES)),
    *every("outbox:*", ADMINS, unchecked=ADMINS),
    *every("message_wording:*", ADMINS, unchecked=ADMINS),
    *every("scheduled_*", ADMINS, unchecked=ADMINS),
    *every("reporting_*", MONEY, unchecked=MONEY),
]
WRITES += ADMIN_WRITES + LIBRARY_WRITES


def write_row_for(url_key: str, method: str) -> Write | None:
    rows = [row for row in WRITES if row.method == method]
    exact = [row for row in rows if row.pattern == url_key]
    if exact:
        return exact[0]
    matching = [
        row for row in rows if "*" in row.pattern and fnmatch.fnmatchcase(url_key, row.pattern)
    ]
    return max(matching, key=lambda row: len(row.pattern), default=None)


def test_every_unsafe_method_has_a_row():
    missing = [
        f"{method.upper()} {url_key}"
        for url_key, route, view in url_views()
        if route not in SITE_PAGES
        for method in accepted_unsafe_methods(view)
        if write_row_for(url_key, method) is None
    ]
    assert missing == [], "Unsafe methods without a row in WRITES: " + ", ".join(missing)


def test_the_method_reader_knows_the_views_kinds():
    methods = accepted_methods_by_key()
    assert methods["booking:check_in"] == ["post"]  # require_POST
    assert methods["booking:change"] == ["post"]  # require_http_methods(["GET", "POST"])
    assert methods["api:booking-detail"] == ["patch"]  # a DRF route
    assert methods["wagtailsnippets_booking_closure:delete"] == ["post", "delete"]  # a class
    assert methods["api_tokens"] == ["post"]  # a function view that takes any method


# A row without a path of its own (a pattern, or a name whose every URL it covers) is tried
# on every URL it covers.
PATTERN_WRITES = [row for row in WRITES if row.path is None]


@pytest.mark.parametrize("row", PATTERN_WRITES, ids=lambda row: row.id)
def test_every_url_of_a_pattern_row_refuses_unsafe_methods_to_the_roles_it_should(db, row):
    world = build_write_world()
    wrong = []
    for url_key, route, view in url_views():
        if route in SITE_PAGES or row.method not in accepted_unsafe_methods(view):
            continue
        if write_row_for(url_key, row.method) is not row:
            continue
        sample = Write(url_key, row.method, row.allowed, lambda w, r=route: sample_path(r))
        wrong += [
            attempt(world, sample, role)
            for role in WRITE_ROLES
            if role not in row.allowed and role not in row.unchecked
        ]
    wrong = [line for line in wrong if line]
    assert not wrong, "\n".join(wrong)


EXACT_WRITES = [row for row in WRITES if row.path is not None]


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(row, marks=[pytest.mark.xfail(strict=True, reason=row.xfail)])
        if row.xfail
        else row
        for row in EXACT_WRITES
    ],
    ids=lambda row: row.id,
)
def test_each_role_may_write_or_is_refused_and_changes_nothing(db, row):
    world = build_write_world()
    wrong = [attempt(world, row, role) for role in WRITE_ROLES if role not in row.unchecked]
    wrong = [line for line in wrong if line]
    assert not wrong, "\n".join(wrong)
