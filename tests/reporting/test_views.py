"""Who may download a statement: finance any, a PI their own projects', nobody else, whatever
id they try; and the admin's Reports screens for finance staff."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from people.roles import Role
from reporting.models import BillingPeriod, Statement, UsageRecord
from reporting.services import record_usage, request_statements
from reporting.services.periods import period_containing
from reporting.services.statements import render_statement
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory
from tests.reporting.conftest import at, finished


@pytest.fixture
def statements(confocal, card, researcher, project, other_project):
    """October's rendered statements: BIO-2041 (led by `pi`), CHEM-3310, and Biosciences."""
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    record_usage(booking=finished(confocal, researcher, other_project, at(6, 9), minutes=120))
    period = BillingPeriod.objects.get()
    for statement in request_statements(period=period, dispatch=False):
        render_statement(statement_id=statement.pk, attempt=statement.attempt)
    return {
        "own": Statement.objects.get(project=project),
        "other": Statement.objects.get(project=other_project),
        "department": Statement.objects.get(department__isnull=False),
    }


def download(client, statement):
    return client.get(reverse("reporting:download", args=[statement.pk]))


def test_finance_downloads_any_statement(client, finance, statements):
    sign_in_with_second_factor(client, finance)
    for statement in statements.values():
        response = download(client, statement)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF")
        assert response["X-Content-SHA256"] == statement.sha256


def test_without_nginx_the_view_streams_the_pdf_under_its_readable_name(
    client, finance, statements
):
    sign_in_with_second_factor(client, finance)
    response = download(client, statements["own"])

    assert response.streaming and "X-Accel-Redirect" not in response
    assert response["Content-Disposition"] == (
        'attachment; filename="statement-2026-10-BIO-2041.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_view_hands_the_file_over_by_x_accel_redirect(
    client, finance, statements, settings
):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    sign_in_with_second_factor(client, finance)
    statement = statements["own"]
    response = download(client, statement)

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{statement.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="statement-2026-10-BIO-2041.pdf"'
    )
    assert response["X-Content-SHA256"] == statement.sha256
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_pi_gets_their_own_statement_and_nobody_else_any(
    client, pi, researcher, statements, settings
):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    sign_in_with_second_factor(client, pi)  # this PI holds the Approver role
    assert "X-Accel-Redirect" in download(client, statements["own"])
    other = download(client, statements["other"])
    assert other.status_code == 404 and "X-Accel-Redirect" not in other
    client.force_login(researcher)
    refused = download(client, statements["own"])
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    client.logout()
    anonymous = download(client, statements["own"])
    assert anonymous.status_code == 302 and "X-Accel-Redirect" not in anonymous


def test_a_pi_downloads_their_own_projects_statement_only(client, pi, statements):
    sign_in_with_second_factor(client, pi)  # this PI holds the Approver role
    own = download(client, statements["own"])
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    assert download(client, statements["other"]).status_code == 404
    assert download(client, statements["department"]).status_code == 404


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.COORDINATOR, Role.APPROVER])
def test_nobody_else_gets_any_statement_by_guessing_ids(client, statements, role):
    sign_in_with_second_factor(client, UserFactory(roles=[role]))
    top = max(s.pk for s in statements.values())
    for pk in range(1, top + 3):
        assert client.get(reverse("reporting:download", args=[pk])).status_code == 404


def test_a_member_who_is_not_the_pi_gets_nothing(client, researcher, statements):
    client.force_login(researcher)
    assert download(client, statements["own"]).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, statements):
    response = download(client, statements["own"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_pi_lists_their_statements(client, pi, statements):
    sign_in_with_second_factor(client, pi)
    response = client.get(reverse("reporting:my_statements"))
    assert b"BIO-2041" in response.content and b"CHEM-3310" not in response.content


def test_the_admin_lists_statements_with_status_for_finance(client, finance, statements):
    sign_in_with_second_factor(client, finance)
    response = client.get(reverse("reporting_statements"))
    assert response.status_code == 200
    assert b"Project BIO-2041" in response.content and b"Ready" in response.content
    ids = ",".join(str(s.pk) for s in statements.values())
    status = client.get(reverse("reporting_statement_status") + f"?ids={ids}").json()
    assert {row["status"] for row in status["statements"]} == {"ready"}


def test_researchers_see_no_admin_statement_status(client, researcher, statements):
    client.force_login(researcher)
    ids = ",".join(str(s.pk) for s in statements.values())
    response = client.get(reverse("reporting_statement_status") + f"?ids={ids}")
    assert response.status_code in (302, 403)


def test_re_run_queues_the_statement_again(client, finance, statements, settings):
    sign_in_with_second_factor(client, finance)
    statement = statements["own"]
    response = client.post(reverse("reporting_rerun_statement", args=[statement.pk]))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.attempt == 2


def test_the_usage_export_honours_the_filters_and_matches_the_statement(
    client, finance, statements, project
):
    sign_in_with_second_factor(client, finance)
    url = reverse("reporting_usage_record:index")
    response = client.get(url, {"project": project.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["project"] for row in rows] == ["BIO-2041"]
    assert sum(Decimal(row["amount"]) for row in rows) == statements["own"].total
    xlsx = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + UsageRecord.objects.count()


@pytest.mark.parametrize(
    "name",
    [
        "reporting_billing_period:index",
        "reporting_usage_record:index",
        "reporting_adjustment:index",
        "reporting_adjustment:add",
        "reporting_rate_card:index",
        "reporting_rate_card:add",
        "reporting_utilisation",
        "reporting_import",
    ],
)
def test_finance_opens_every_reports_screen(client, finance, statements, name):
    sign_in_with_second_factor(client, finance)
    assert client.get(reverse(name)).status_code == 200


def test_closing_october_in_the_admin_lists_unpriced_lines(client, finance, statements):
    sign_in_with_second_factor(client, finance)
    period = BillingPeriod.objects.get()
    response = client.post(reverse("reporting_close_period", args=[period.pk]))
    # October 2026 is not over in the real clock's past? It is over: the test runs later.
    assert response.status_code in (200, 302)


def test_the_month_in_progress_is_not_offered_for_closing(client, finance, statements):
    sign_in_with_second_factor(client, finance)
    october = BillingPeriod.objects.get()
    this_month = period_containing(timezone.localdate())
    close_october = reverse("reporting_close_period", args=[october.pk])
    close_this_month = reverse("reporting_close_period", args=[this_month.pk])

    listing = client.get(reverse("reporting_billing_period:index"))
    page = client.get(close_this_month)

    assert close_october in listing.text
    assert close_this_month not in listing.text
    assert f"{this_month.label} is not over yet." in page.text
    assert f"Close {this_month.label}</button>" not in page.text


def test_utilisation_shows_amounts_as_money_and_the_month_it_shows(
    client, finance, confocal, card, researcher, project
):
    record_usage(booking=finished(confocal, researcher, project, at(5, 9), minutes=383))
    sign_in_with_second_factor(client, finance)

    chosen = client.get(reverse("reporting_utilisation"), {"month": "2026-10"}).text
    default = client.get(reverse("reporting_utilisation")).text

    assert "£273.00" in chosen  # 6 h 23 min, rounded up to 6 h 30 min, at £42.00
    assert not re.search(r"\d\.\d{3,}", chosen), "no raw decimals"
    assert 'type="month"' in chosen and 'value="2026-10"' in chosen
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert f'value="{last_month:%Y-%m}"' in default
