"""/api/v1/usage/ and /api/v1/statements/: finance reads everything, a PI their own
projects', anyone else nothing; a statement's PDF downloads with the session or a token."""

import pytest
from rest_framework.test import APIClient

from people.api_tokens import create_token
from reporting.models import BillingPeriod, Statement, UsageRecord
from reporting.services import record_usage, request_statements
from reporting.services.statements import render_statement
from tests.conftest import sign_in_with_second_factor
from tests.reporting.conftest import at, finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements(confocal, card, researcher, project, other_project):
    """October's usage and rendered statements: BIO-2041 (led by `pi`), CHEM-3310, and
    Biosciences; and one November line of BIO-2041 with no statement yet."""
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    record_usage(booking=finished(confocal, researcher, other_project, at(6, 9), minutes=120))
    period = BillingPeriod.objects.get()
    for statement in request_statements(period=period, dispatch=False):
        render_statement(statement_id=statement.pk, attempt=statement.attempt)
    record_usage(booking=finished(confocal, researcher, project, at(3, 9, month=11)))
    return {
        "own": Statement.objects.get(project=project),
        "other": Statement.objects.get(project=other_project),
        "department": Statement.objects.get(department__isnull=False),
    }


def signed_in(user, *, second_factor: bool = False) -> APIClient:
    client = APIClient()
    if second_factor:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def with_token(user) -> APIClient:
    """A token made on the token screen in a session verified with two-factor (staff tokens
    made without it are refused: tests/people/test_api_tokens.py)."""
    client = APIClient()
    _, raw = create_token(user=user, name="billing", scope="read", days=30, with_second_factor=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def listed(client: APIClient, path: str, **params) -> list[dict]:
    response = client.get(path, params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


# Statements.


def test_finance_lists_every_statement_with_status_and_link(finance, statements):
    rows = listed(signed_in(finance, second_factor=True), "/api/v1/statements/")

    assert {row["id"] for row in rows} == {s.pk for s in statements.values()}
    own = next(row for row in rows if row["id"] == statements["own"].pk)
    assert own["period"] == "2026-10" and own["period_label"] == "October 2026"
    assert own["status"] == "ready" and own["progress"] == 100
    assert own["project_code"] == "BIO-2041" and own["department_code"] is None
    assert own["subject"] == "Project BIO-2041"
    assert own["total"] == "42.00" and own["sha256"] == statements["own"].sha256
    assert own["download_url"] == f"http://testserver/api/v1/statements/{own['id']}/download/"


def pdf_of(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_download_link_gives_the_pdf_to_the_one_who_listed_it(pi, statements):
    client = signed_in(pi, second_factor=True)
    [row] = listed(client, "/api/v1/statements/")

    response = client.get(row["download_url"].removeprefix("http://testserver"))

    assert pdf_of(response).startswith(b"%PDF")
    assert response["X-Content-SHA256"] == statements["own"].sha256


@pytest.mark.parametrize("who", ["finance", "pi"])
def test_a_token_downloads_the_statements_its_owner_may_see(request, who, statements):
    client = with_token(request.getfixturevalue(who))
    [row, *_] = [
        row for row in listed(client, "/api/v1/statements/") if row["id"] == statements["own"].pk
    ]

    response = client.get(row["download_url"], HTTP_ACCEPT="application/pdf")

    assert pdf_of(response).startswith(b"%PDF")


def test_behind_nginx_a_token_download_is_handed_to_nginx(finance, statements, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    statement = statements["own"]

    response = with_token(finance).get(
        f"/api/v1/statements/{statement.pk}/download/", HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{statement.file.name}"
    assert response["X-Content-SHA256"] == statement.sha256


def test_a_token_gets_a_404_for_a_statement_it_may_not_see(pi, researcher, statements):
    for client, statement in (
        (with_token(pi), statements["other"]),
        (with_token(pi), statements["department"]),
        (with_token(researcher), statements["own"]),
    ):
        response = client.get(
            f"/api/v1/statements/{statement.pk}/download/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_statement_not_yet_ready_cannot_be_downloaded(finance, statements):
    Statement.objects.filter(pk=statements["own"].pk).update(status=Statement.Status.RENDERING)

    response = with_token(finance).get(f"/api/v1/statements/{statements['own'].pk}/download/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_download_without_credentials_is_a_401(statements):
    response = APIClient().get(f"/api/v1/statements/{statements['own'].pk}/download/")

    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_pi_lists_only_their_own_projects_statements(pi, statements):
    rows = listed(signed_in(pi, second_factor=True), "/api/v1/statements/")

    assert [row["id"] for row in rows] == [statements["own"].pk]
    other = signed_in(pi, second_factor=True).get(f"/api/v1/statements/{statements['other'].pk}/")
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_a_member_who_is_not_the_pi_sees_no_money(researcher, statements):
    client = signed_in(researcher)

    assert listed(client, "/api/v1/statements/") == []
    assert listed(client, "/api/v1/usage/") == []
    assert client.get(f"/api/v1/statements/{statements['own'].pk}/").status_code == 404


def test_statements_filter_by_period_project_and_status(finance, project, statements):
    client = with_token(finance)

    assert len(listed(client, "/api/v1/statements/", period="2026-10")) == 3
    assert listed(client, "/api/v1/statements/", period="2026-11") == []
    assert [r["id"] for r in listed(client, "/api/v1/statements/", project=project.pk)] == [
        statements["own"].pk
    ]
    assert listed(client, "/api/v1/statements/", status="failed") == []


def test_a_statement_not_yet_ready_has_no_link(finance, statements):
    Statement.objects.filter(pk=statements["own"].pk).update(status=Statement.Status.RENDERING)

    row = with_token(finance).get(f"/api/v1/statements/{statements['own'].pk}/").json()

    assert row["status"] == "rendering" and row["download_url"] is None


@pytest.mark.parametrize("period", ["2026-13", "26-10", "2026-1", "october", "2026-10-01"])
def test_a_period_that_is_not_a_month_is_refused(finance, statements, period):
    for path in ("/api/v1/statements/", "/api/v1/usage/"):
        response = with_token(finance).get(path, {"period": period})

        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid" and body["problems"][0]["field"] == "period"
        assert "YYYY-MM" in body["message"]


def test_a_finance_session_without_two_factor_is_refused(finance, statements):
    response = signed_in(finance).get("/api/v1/statements/")

    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"


# Usage.


def test_finance_lists_every_usage_line(finance, statements):
    rows = listed(with_token(finance), "/api/v1/usage/")

    assert [(row["period"], row["project_code"], row["hours"]) for row in rows] == [
        ("2026-10", "BIO-2041", "1.00"),
        ("2026-10", "CHEM-3310", "2.00"),
        ("2026-11", "BIO-2041", "1.00"),
    ]
    first = rows[0]
    assert first["kind"] == "usage" and first["priced"] is True
    assert first["hourly_rate"] == "42.00" and first["amount"] == "42.00"
    assert first["resource_name"] == "Zeiss LSM 980"


def test_usage_filters_by_period_project_resource_and_kind(finance, project, confocal, statements):
    client = with_token(finance)

    assert len(listed(client, "/api/v1/usage/", period="2026-10")) == 2
    assert len(listed(client, "/api/v1/usage/", project=project.pk)) == 2
    assert len(listed(client, "/api/v1/usage/", period="2026-11", project=project.pk)) == 1
    assert len(listed(client, "/api/v1/usage/", resource=confocal.pk)) == 3
    assert listed(client, "/api/v1/usage/", kind="no_show") == []
    bad = client.get("/api/v1/usage/", {"kind": "free"})
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "kind"


def test_a_pi_reads_their_projects_usage_only(pi, statements):
    client = signed_in(pi, second_factor=True)
    rows = listed(client, "/api/v1/usage/")

    assert {row["project_code"] for row in rows} == {"BIO-2041"} and len(rows) == 2
    hidden = UsageRecord.objects.get(project__code="CHEM-3310")
    assert client.get(f"/api/v1/usage/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/usage/{rows[0]['id']}/").json()["id"] == rows[0]["id"]


def test_money_needs_signing_in(statements):
    for path in ("/api/v1/usage/", "/api/v1/statements/"):
        response = APIClient().get(path)
        assert response.status_code in (401, 403)
        assert response.json()["code"] == "not_authenticated"
