"""axe-core on every public page, signed out and signed in as a researcher: no serious or
critical violation (the admin's new screens are checked where their journeys run:
test_decide_from_the_dashboard.py, test_close_last_month_from_the_dashboard.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from operations.models import ProblemReport
from tests.e2e.axe import blocking_violations
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_pages(facility) -> list[str]:
    return [
        facility.home.url,
        facility.index.url,
        facility.imaging_lab.url,
        facility.confocal.url,
        facility.safety_policy.url,
        reverse("search") + "?query=confocal",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]


def researcher_pages(facility, researcher) -> list[str]:
    resource = facility.confocal.resource
    project = ProjectFactory(members=[researcher])
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=3)
    booking = Booking.objects.create(
        resource=resource,
        user=researcher,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
        status=Booking.Status.CONFIRMED,
    )
    report = ProblemReport.objects.create(
        resource=resource, reporter=researcher, summary="Stage drifts", severity="minor"
    )
    return [
        reverse("booking:mine"),
        reverse("booking:new", args=[resource.pk]),
        reverse("booking:detail", args=[booking.pk]),
        reverse("booking:change", args=[booking.pk]),
        reverse("booking:find"),
        reverse("notifications:preferences"),
        reverse("booking_feeds:manage"),
        reverse("workflows:queue"),
        reverse("reporting:my_statements"),
        reverse("operations:mine"),
        reverse("operations:report", args=[resource.pk]),
        reverse("operations:detail", args=[report.pk]),
        reverse("account_security"),
        reverse("api_tokens"),
        facility.confocal.url,
    ]


def check(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(base + path)
            assert response.status < 400, f"{path}: {response.status}"
            if problems := blocking_violations(page):
                found[f"{path} @{width}"] = problems
    return found


def test_every_public_page_signed_out(live_server, facility, browser_page):
    assert check(browser_page, live_server.url, public_pages(facility)) == {}


def test_every_researcher_page_signed_in(live_server, facility, researcher, browser_page):
    paths = researcher_pages(facility, researcher)
    page = browser_page
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email address").fill(researcher.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "login" not in url)

    assert check(page, live_server.url, paths) == {}


def test_the_check_finds_what_it_should(browser_page):
    """An image without a text alternative and an unlabelled field are reported."""
    browser_page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>'
    )

    found = " ".join(blocking_violations(browser_page))

    assert "image-alt (critical)" in found and "label (critical)" in found
