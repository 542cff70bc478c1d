"""Finance close last month from the admin home; the month in progress offers no close button,
and its close page says why and offers none either."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import BillingPeriod
from reporting.services import record_usage
from tests.e2e.axe import assert_accessible
from tests.e2e.test_close_a_month import sign_in_as_staff
from tests.e2e.test_decide_from_the_dashboard import shots
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.reporting.conftest import finished, make_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_months(settings, tmp_path):
    """Usage in last month and in this one, each in its own open billing period."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    researcher = UserFactory(first_name="Rae", last_name="Researcher")
    project = ProjectFactory(code="BIO-2041", members=[researcher])
    resource = ResourceFactory(name="Zeiss LSM 980")
    make_card(resource, hourly_rate=Decimal("42.00"), effective_from=datetime.date(2020, 1, 1))
    first_of_this_month = timezone.localdate().replace(day=1)
    last_month = first_of_this_month - datetime.timedelta(days=20)
    for day in (last_month, first_of_this_month):
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        record_usage(booking=finished(resource, researcher, project, start, minutes=90))
    return BillingPeriod.objects.order_by("starts_on")


def test_finance_closes_last_month_from_the_dashboard_but_not_this_one(
    live_server, browser_page, finance, two_months, eager_tasks
):
    last, this = two_months
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, finance)
    desk = page.get_by_role("region", name="Finance")
    expect(desk.get_by_role("row", name=this.label)).to_contain_text("is not over yet")
    expect(desk.get_by_role("link", name=f"Close {this.label}…")).to_have_count(0)
    assert_accessible(page)
    shots(page, "finance-open-months")

    desk.get_by_role("link", name=f"Close {last.label}…").click()
    page.get_by_role("button", name=f"Close {last.label}").click()
    expect(page.get_by_text(f"{last.label} is closed")).to_be_visible()

    page.goto(live_server.url + reverse("reporting_close_period", args=[this.pk]))
    expect(page.get_by_text(f"{this.label} is not over yet.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Close {this.label}")).to_have_count(0)
    last.refresh_from_db(), this.refresh_from_db()
    assert (last.status, this.status) == ("closed", "open")
