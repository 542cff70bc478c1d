"""The usage export (CSV and XLSX): names, e-mail addresses and project codes that would start
a formula are written as text; amounts stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from booking.models import BookingAnswer
from reporting.services import record_usage
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.reporting.conftest import at, finished, make_card

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.fixture
def hostile_usage(department):
    """One priced usage line per formula character, in the instrument, booker and project."""
    expected = {}
    for day, start in enumerate(FORMULA_STARTS, start=1):
        resource = ResourceFactory(name=f'{start}HYPERLINK("https://evil.test","x")')
        make_card(resource)
        booker = UserFactory(email=f"{start}cmd{day}@example.org")
        project = ProjectFactory(code=f"{start}SUM({day},1)", department=department)
        record = record_usage(booking=finished(resource, booker, project, at(day, 9)))
        expected[record.pk] = {
            "instrument": resource.name,
            "user": booker.email,
            "project": project.code,
        }
    return expected


def export(client, user, spreadsheet_format):
    sign_in_with_second_factor(client, user)
    response = client.get(reverse("reporting_usage_record:index"), {"export": spreadsheet_format})
    assert response.status_code == 200
    return response.content


def test_the_csv_usage_export_writes_formula_text_as_quoted_text(client, finance, hostile_usage):
    rows = list(csv.DictReader(io.StringIO(export(client, finance, "csv").decode())))

    assert len(rows) == len(FORMULA_STARTS)
    for row in rows:
        for column, value in hostile_usage[int(row["id"])].items():
            assert row[column] == "'" + value, (column, row[column])
        assert Decimal(row["amount"]) == Decimal("42.00")  # a number, not quoted


def test_the_xlsx_usage_export_has_no_formula_cells_and_keeps_amounts_as_numbers(
    client, finance, hostile_usage
):
    sheet = load_workbook(io.BytesIO(export(client, finance, "xlsx"))).active
    headings = [cell.value for cell in sheet[1]]

    assert sheet.max_row == 1 + len(FORMULA_STARTS)
    for cells in sheet.iter_rows(min_row=2):
        row = dict(zip(headings, cells, strict=True))
        assert all(cell.data_type != "f" for cell in cells)
        for column, value in hostile_usage[row["id"].value].items():
            assert row[column].data_type == "s"
            # XML keeps a carriage return as a line feed.
            assert row[column].value == "'" + value.replace("\r", "\n"), column
        assert row["amount"].data_type == "n"
        assert row["amount"].value == 42


def test_the_usage_export_carries_the_bookers_answers_as_text(client, finance, department):
    resource = ResourceFactory(name="Zeiss LSM 980")
    make_card(resource)
    booking = finished(resource, UserFactory(), ProjectFactory(department=department), at(1, 9))
    for text, value in (("=Biosafety level", "2"), ("Samples", "12")):
        BookingAnswer.objects.create(booking=booking, question_text=text, kind="short_text",
                                     value=value)  # fmt: skip
    record_usage(booking=booking)

    (row,) = csv.DictReader(io.StringIO(export(client, finance, "csv").decode()))

    assert row["answers"] == "'=Biosafety level: 2; Samples: 12"
