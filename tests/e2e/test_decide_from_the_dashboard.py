"""A PI and then a lab manager approve a two-step request from their admin home, each with
one click; the booker hears "approved" only after the second step. Every role's home page is
screenshot at desktop and phone width and passes axe."""

import datetime
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from booking.services import request_booking
from people.roles import Role
from tests.dashboards.conftest import busy_labs  # noqa: F401 (a fixture)
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import SHOTS
from tests.e2e.test_close_a_month import sign_in_as_staff
from tests.factories import ProjectFactory, UserFactory
from workflows.models import ApprovalRule, ApprovalStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(page, name: str) -> None:
    """The page at 1280 px and at 390 px wide, then back to desktop."""
    os.makedirs(SHOTS, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/e2e-dashboard-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def said_approved(address: str) -> list[str]:
    return [
        m.subject
        for m in mail.outbox
        if address in m.to and re.search(r"\bapproved\b", m.subject + m.body, re.I)
    ]


@pytest.fixture
def two_step_request(facility, researcher):
    approver_role = Group.objects.get(name=Role.APPROVER)
    pi = UserFactory(first_name="Petra", last_name="Principal", roles=[Role.APPROVER])
    manager = UserFactory(first_name="Mo", last_name="Manager", roles=[Role.APPROVER])
    managers = Group.objects.create(name="Imaging lab managers")
    manager.groups.add(managers, approver_role)
    project = ProjectFactory(code="BIO-2041", pi=pi, members=[researcher])
    rule = ApprovalRule.objects.create(
        name="Confocal: PI and manager", lab=facility.imaging_lab.lab, always=True
    )
    ApprovalStep.objects.create(rule=rule, sort_order=0, label="PI", approvers="project_pi")
    ApprovalStep.objects.create(
        rule=rule, sort_order=1, label="Lab manager", approvers="group", group=managers
    )
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=2)
    booking = request_booking(
        user=researcher,
        resource=facility.confocal.resource,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=2),
        note="Live cells, please keep the incubator on.",
        now=now,
    )
    return booking, pi, manager


def decide_from_home(chromium, live_server, approver, name: str, outcome: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, approver)
    panel = page.get_by_role("region", name="Waiting for your approval")
    expect(panel.get_by_text("Live cells, please keep the incubator on.")).to_be_visible()
    expect(panel.get_by_text("Estimated cost")).to_be_visible()
    assert_accessible(page)
    shots(page, f"approver-{name}")
    panel.get_by_role("button", name=re.compile(r"^Approve step")).click()
    expect(page.get_by_text(outcome)).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for your approval.")).to_be_visible()
    context.close()


def test_step_one_from_the_dashboard_tells_the_booker_nothing_approved_yet(
    live_server, chromium, two_step_request, researcher, settings, eager_tasks
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    booking, pi, manager = two_step_request

    decide_from_home(chromium, live_server, pi, "pi", "You passed step 1 of 2 (PI)")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert said_approved(researcher.email) == []

    decide_from_home(chromium, live_server, manager, "manager", "Approved and confirmed:")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert len(said_approved(researcher.email)) == 1


@pytest.mark.parametrize(
    "role, panel",
    [("coordinator", "Your labs today"), ("finance", "Finance"), ("site_admin", "Site health")],
)
def test_each_roles_home_passes_axe(
    live_server, browser_page, role, panel, request, settings, tmp_path
):
    settings.BACKUP_DIR = tmp_path
    request.getfixturevalue("busy_labs")  # a day in each lab, as in tests/dashboards
    user = request.getfixturevalue(role)
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, user)
    expect(page.get_by_role("region", name=panel)).to_be_visible()
    assert_accessible(page)
    shots(page, role)


@pytest.mark.parametrize(
    "name, url", [("users", "wagtailusers_users:index"), ("jobs", "scheduled_jobs:list")]
)
def test_the_site_admins_changed_lists_pass_axe(live_server, browser_page, site_admin, name, url):
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, site_admin)
    page.goto(live_server.url + reverse(url))
    expect(page.get_by_role("columnheader", name=re.compile("Roles|Last result"))).to_be_visible()
    assert_accessible(page)
    shots(page, name)
