"""The OpenAPI schema: valid, warning-free, only /api/v1/, errors documented, served as built."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_command_validates_without_a_warning(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "labitory.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"]
        + ["--file", str(tmp_path / "schema.yaml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr


def test_the_schema_holds_only_api_v1(schema):
    assert sorted(schema["paths"]) == [
        "/api/v1/approvals/",
        "/api/v1/approvals/{id}/",
        "/api/v1/approvals/{id}/approve/",
        "/api/v1/approvals/{id}/reject/",
        "/api/v1/bookings/",
        "/api/v1/bookings/preview/",
        "/api/v1/bookings/{id}/",
        "/api/v1/bookings/{id}/cancel/",
        "/api/v1/bookings/{id}/check-in/",
        "/api/v1/bookings/{id}/check-out/",
        "/api/v1/bookings/{id}/preview/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/qualifications/",
        "/api/v1/resources/",
        "/api/v1/resources/{id}/",
        "/api/v1/resources/{id}/availability/",
        "/api/v1/statements/",
        "/api/v1/statements/{id}/",
        "/api/v1/statements/{id}/download/",
        "/api/v1/training-requests/",
        "/api/v1/training-requests/{id}/",
        "/api/v1/usage/",
        "/api/v1/usage/{id}/",
    ]


def test_every_operation_documents_its_errors_in_one_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        is_list = method == "get" and "{id}" not in path
        expected = {"403", "429"}
        if "{id}" in path or is_list:
            expected.add("404")
        if method in ("post", "patch"):
            expected.add("409")
        assert expected <= set(responses), (method, path)
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "message",
        "problems",
    }


def test_status_can_be_read_but_never_sent(schema):
    components = schema["components"]["schemas"]
    assert components["Booking"]["properties"]["status"]["readOnly"] is True
    for name in ("BookingRequestRequest", "PatchedBookingChangeRequest", "CancelRequest"):
        assert "status" not in components[name]["properties"]
    assert "status" not in components["RecurrenceRequest"]["properties"]


def test_the_served_schema_is_the_one_built(client, schema, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == schema


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/redoc/"])
def test_the_docs_are_served_beside_the_schema(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "/api/v1/schema/" in response.content.decode()


def test_every_operation_has_a_summary_and_error_examples(schema):
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                [example] = response["content"]["application/json"]["examples"].values()
                assert set(example["value"]) == {"code", "message", "problems"}, (code, path)


def test_list_filters_are_documented_as_parameters(schema):
    def names(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert {"resource", "lab", "page", "page_size"} <= names("/api/v1/approvals/")
    assert {"active"} <= names("/api/v1/projects/")
    assert {"period", "project", "resource", "kind"} <= names("/api/v1/usage/")
    assert {"period", "project", "status"} <= names("/api/v1/statements/")
    assert {"lab", "category", "bookable"} <= names("/api/v1/resources/")
    assert {"resource", "status", "start_after", "start_before", "mine"} <= names(
        "/api/v1/bookings/"
    )


def test_booking_a_series_and_previewing_are_documented(schema):
    components = schema["components"]["schemas"]
    request = components["BookingRequestRequest"]["properties"]
    assert request["repeat"]["allOf"] == [{"$ref": "#/components/schemas/RecurrenceRequest"}]
    assert set(components["RecurrenceRequest"]["properties"]) == {
        "frequency",
        "interval",
        "weekdays",
        "count",
        "until",
    }
    created = schema["paths"]["/api/v1/bookings/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Booked"
    }
    assert {"$ref": "#/components/schemas/Series"} in components["Booked"]["oneOf"]
    preview = schema["paths"]["/api/v1/bookings/preview/"]["post"]
    assert preview["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Preview"
    }
    assert preview["requestBody"]["content"]["application/json"]["examples"]
    occurrence = components["Occurrence"]["properties"]
    assert {"ok", "problems", "needs_approval", "approval_reasons"} <= set(occurrence)


def test_availability_documents_free_and_busy_time(schema):
    availability = schema["components"]["schemas"]["Availability"]["properties"]
    assert {"free", "busy"} <= set(availability)
    busy = schema["components"]["schemas"]["Busy"]["properties"]
    assert {"start", "end", "kind", "booking", "booker", "booker_name"} <= set(busy)


def test_the_statement_download_is_a_pdf(schema):
    download = schema["paths"]["/api/v1/statements/{id}/download/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/pdf"}
    assert "404" in download["responses"]


def test_attendance_documents_its_refusals(schema):
    check_in = schema["paths"]["/api/v1/bookings/{id}/check-in/"]["post"]
    for code in ("check_in_not_open", "check_in_closed", "illegal_transition"):
        assert code in check_in["description"]
    assert (
        "not_checked_in"
        in schema["paths"]["/api/v1/bookings/{id}/check-out/"]["post"]["description"]
    )


def test_decisions_document_the_approval_refusals(schema):
    for verb in ("approve", "reject"):
        operation = schema["paths"][f"/api/v1/approvals/{{id}}/{verb}/"]["post"]
        for code in ("comment_required", "already_decided", "request_cancelled"):
            assert code in operation["description"]
        assert operation["requestBody"]["content"]["application/json"]["examples"]
