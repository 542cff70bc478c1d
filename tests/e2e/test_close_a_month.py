"""Finance staff close October, watch its statements render, download a PDF that opens,
and find its total equal to the usage export's, to the penny."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from booking.models import Booking
from people import two_factor
from reporting.services import record_usage
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    ProjectFactory,
    ResourceFactory,
    UserFactory,
)
from tests.reporting.conftest import at, finished, make_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def october_usage(db):
    department = DepartmentFactory(code="BIO", name="Biosciences")
    researcher = UserFactory(first_name="Rae", last_name="Researcher")
    project = ProjectFactory(code="BIO-2041", department=department, members=[researcher])
    for name, rate in (("Zeiss LSM 980", "42.00"), ("Orbitrap Exploris", "85.00")):
        resource = ResourceFactory(name=name)
        make_card(resource, hourly_rate=Decimal(rate), no_show_percent=Decimal("50"))
        for day in range(1, 29, 2):
            record_usage(booking=finished(resource, researcher, project, at(day, 9), minutes=75))
        record_usage(
            booking=finished(
                resource, researcher, project, at(30, 9), status=Booking.Status.NO_SHOW
            )
        )
    return project


def sign_in_as_staff(page, user) -> None:
    """Password, then the code of the user's authenticator app (staff need both)."""
    device = two_factor.add_known_authenticator(user, secret="KRSXG5CTMVRXEZLU")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(two_factor.current_code(device))
    page.get_by_role("button", name="Sign in").click()


def test_finance_closes_october_and_downloads_a_statement_matching_the_export(
    live_server, october_usage, finance, browser_page, screenshot, eager_tasks
):
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, finance)

    page.goto(live_server.url + reverse("reporting_billing_period:index"))
    expect(page.get_by_text("October 2026")).to_be_visible()
    screenshot("reports-1-periods")
    page.goto(live_server.url + reverse("reporting_billing_period:index"))
    page.get_by_role("link", name="Close period…").first.click(force=True)
    expect(page.get_by_role("button", name="Close October 2026")).to_be_visible()
    screenshot("reports-2-close")
    page.get_by_role("button", name="Close October 2026").click()

    expect(page.get_by_text("October 2026 is closed")).to_be_visible()
    rows = page.locator("tr[data-statement]")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("[data-label]")).to_have_text("Ready", timeout=60_000)
    expect(rows.last.locator("[data-label]")).to_have_text("Ready", timeout=60_000)
    screenshot("reports-3-statements")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("reports-3-statements-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    project_row = page.locator("tr[data-statement]", has_text="Project BIO-2041")
    with page.expect_download() as download:
        project_row.get_by_role("link", name="Download PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert "Final" in text

    export = page.request.get(
        live_server.url
        + reverse("reporting_usage_record:index")
        + f"?project={october_usage.pk}&export=csv"
    )
    rows = list(csv.DictReader(io.StringIO(export.text())))
    export_total = sum(Decimal(row["amount"]) for row in rows)
    assert f"£{export_total:,.2f}" in text
    # 14 × 1.25 h × (£42 + £85) + no-shows at half of 1 h: £21.00 + £42.50
    assert export_total == Decimal("2286.00")

    page.goto(live_server.url + reverse("reporting_utilisation") + "?month=2026-10")
    expect(
        page.get_by_role("heading", name="Utilisation per instrument, October 2026")
    ).to_be_visible()
    screenshot("reports-4-utilisation")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("reports-4-utilisation-phone")


def test_the_statements_page_follows_a_render_without_reloading(
    live_server, october_usage, finance, browser_page
):
    from reporting.models import BillingPeriod
    from reporting.services import request_statements
    from reporting.services.statements import render_statement

    period = BillingPeriod.objects.get()
    statement = request_statements(period=period, project=october_usage, dispatch=False)[0]
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, finance)
    page.goto(live_server.url + reverse("reporting_statements") + f"?period={period.pk}")
    row = page.locator(f'tr[data-statement="{statement.pk}"]')
    expect(row.locator("[data-label]")).to_have_text("Queued")
    expect(row.get_by_role("link", name="Download PDF")).to_be_hidden()

    render_statement(statement_id=statement.pk, attempt=statement.attempt)

    expect(row.locator("[data-label]")).to_have_text("Ready", timeout=15_000)
    expect(row.get_by_role("link", name="Download PDF")).to_be_visible()
    expect(page.get_by_text("All statements are finished.")).to_be_visible()
