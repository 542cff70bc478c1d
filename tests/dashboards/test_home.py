"""The admin home shows each role its own panel, scoped to the reader's labs, and an approver
decides a step from it without leaving the page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.dashboards.conftest import another_instrument, fill_lab
from tests.factories import UserFactory
from tests.workflows.helpers import book, request_of
from workflows.models import ApprovalTask

pytestmark = pytest.mark.django_db
HOME = "/admin/"


def home_of(client, user) -> str:
    sign_in_with_second_factor(client, user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_gets_their_labs_day_and_no_other_labs(client, coordinator, busy_labs):
    page = home_of(client, coordinator)

    assert "Your labs today" in page
    assert "Imaging stage drifts" in page and "Imaging service visit" in page
    assert "Proteomics" not in page.split("Your labs today", 1)[1]
    assert "Finance" not in page and "Site health" not in page


def test_finance_gets_the_finance_desk_and_no_page_counts(client, finance, facility):
    page = home_of(client, finance)

    assert "Open months" in page and "Usage records and their export" in page
    assert "Your labs today" not in page and "Site health" not in page


def test_a_site_admin_gets_the_sites_health(client, site_admin, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    page = home_of(client, site_admin)

    assert "Site health" in page and "No backup has been made" in page


def test_the_home_takes_as_many_queries_for_many_bookings_as_for_one(
    client, coordinator, facility, busy_labs
):
    sign_in_with_second_factor(client, coordinator)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for _ in range(4):
        fill_lab(another_instrument(facility.imaging_lab.lab), now=busy_labs, name="X")
    with CaptureQueriesContext(connection) as many:
        page = client.get(HOME).content.decode()
    assert page.count("X stage drifts") == 4
    assert len(many) == len(few)


@pytest.fixture
def staff_pi(project):
    project.pi.groups.add(Group.objects.get(name=Role.APPROVER))
    return project.pi


def test_an_approver_passes_step_one_from_the_home_and_the_booking_still_waits(
    client, instrument, booker, project, two_step_rule, staff_pi
):
    booking = book(instrument, booker, project)
    task = ApprovalTask.objects.get(request__booking=booking)
    page = home_of(client, staff_pi)
    assert "Approve step 1" in page and "Estimated cost" in page

    response = client.post(
        reverse("workflows_admin:decide", args=[task.pk]), {"decision": "approve", "next": HOME}
    )

    assert response.status_code == 302 and response.url == HOME
    booking.refresh_from_db()
    assert booking.status == "requested" and request_of(booking).step == 2
    followed = client.get(HOME).content.decode()
    assert "You passed step 1 of 2 (PI)" in followed
    assert "Nothing is waiting for your approval." in followed


def test_rejecting_from_the_home_needs_a_comment(
    client, instrument, booker, project, two_step_rule, staff_pi
):
    task = ApprovalTask.objects.get(request__booking=book(instrument, booker, project))
    sign_in_with_second_factor(client, staff_pi)

    response = client.post(
        reverse("workflows_admin:decide", args=[task.pk]), {"decision": "reject", "next": HOME}
    )

    assert response.status_code == 400
    assert "Say why you reject the request" in response.content.decode()


def test_a_decision_returns_only_to_the_home_or_the_queue(
    client, instrument, booker, project, two_step_rule, staff_pi
):
    task = ApprovalTask.objects.get(request__booking=book(instrument, booker, project))
    sign_in_with_second_factor(client, staff_pi)

    response = client.post(
        reverse("workflows_admin:decide", args=[task.pk]),
        {"decision": "approve", "next": "https://elsewhere.example/"},
    )

    assert response.url == reverse("workflows_admin:queue")


def test_someone_with_no_role_panel_sees_none(client, facility):
    nobody = UserFactory(roles=[Role.APPROVER])
    page = home_of(client, nobody)

    assert "Nothing is waiting for your approval." in page
    assert "Your labs today" not in page and "Open months" not in page
