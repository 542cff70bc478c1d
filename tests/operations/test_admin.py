"""Triage in the admin: the report, its comments and a way to the instrument's status, and
a save that goes through the triage service."""

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.services import StatusChange, set_resource_status
from operations.models import ProblemReport
from operations.services import report_problem, triage_report
from tests.conftest import make_coordinator, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(confocal, researcher) -> ProblemReport:
    return report_problem(resource=confocal, by=researcher, summary="Stage stuck", severity="minor")


def edit_url(report) -> str:
    return reverse("wagtailsnippets_operations_problemreport:edit", args=[report.pk])


def test_the_triage_screen_shows_the_report_and_its_comments(client, coordinator, report):
    triage_report(report=report, by=coordinator, comment="Looking at it today.")
    sign_in_with_second_factor(client, coordinator)

    page = client.get(edit_url(report)).text

    assert "Stage stuck" in page and "Looking at it today." in page
    assert reverse("wagtailsnippets_booking_resource:status", args=[report.resource_id]) in page


def test_saving_triages_through_the_service(client, coordinator, report):
    sign_in_with_second_factor(client, coordinator)

    response = client.post(
        edit_url(report), {"status": "resolved", "assignee": "", "comment": "Fixed."}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved" and report.comments.get().text == "Fixed."


def test_a_save_that_changes_nothing_says_so_next_to_the_form(client, coordinator, report):
    sign_in_with_second_factor(client, coordinator)

    response = client.post(edit_url(report), {"status": "open", "assignee": "", "comment": ""})

    assert response.status_code == 200
    assert "Change the status or assignee, or comment." in response.text


def test_another_labs_coordinator_cannot_open_it(client, facility, report):
    sign_in_with_second_factor(client, make_coordinator(facility.proteomics_lab))

    response = client.post(edit_url(report), {"status": "resolved", "comment": ""})

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    report.refresh_from_db()
    assert report.status == "open"


def test_the_screen_offers_to_bring_a_down_instrument_up_with_the_resolution(
    client, coordinator, report
):
    sign_in_with_second_factor(client, coordinator)
    assert "Bring the instrument back up" not in client.get(edit_url(report)).text
    back = timezone.now() + timezone.timedelta(days=1)
    change = StatusChange(status="down", note="Stage stuck", expected_back=back)
    set_resource_status(resource=report.resource, change=change, by=coordinator)
    assert "Bring the instrument back up" in client.get(edit_url(report)).text

    response = client.post(
        edit_url(report),
        {"status": "resolved", "assignee": "", "comment": "Fixed.", "bring_up": "on"},
    )

    assert response.status_code == 302
    report.resource.refresh_from_db()
    assert report.resource.status == "up"
