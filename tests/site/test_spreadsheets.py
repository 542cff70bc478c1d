"""The formula guard on every spreadsheet the site hands out (labitory.spreadsheets): the rule,
the site history and page report exports, and a walk of the URLconf that fails when a view
writes spreadsheets some other way. The usage export's own tests are in
tests/reporting/test_exports.py."""

import csv
import datetime
import inspect
import io
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from labitory.spreadsheets import cell
from reporting.admin_views.usage import UsageRecordIndexView
from tests.conftest import sign_in_with_second_factor
from tests.factories import PolicyPageFactory, ResourceFactory, UserFactory

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
# Views that write spreadsheets themselves, each through labitory.spreadsheets.
OWN_WRITERS = {UsageRecordIndexView}
# The per-cell methods the guard wraps, and the writers that call them.
CELL_METHODS = (
    "preprocess_field_value",
    "get_heading",
    "write_csv_row",
    "generate_xlsx_row",
    "stream_csv",
    "write_xlsx",
    "as_spreadsheet",
)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_would_start_a_formula_gets_a_leading_quote(start):
    assert cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize(
    "value",
    [
        "Zeiss LSM 980",
        "rosa@example.org",
        "BIO-2041",
        "",
        None,
        42,
        -3,
        Decimal("-12.50"),
        1.5,
        datetime.date(2026, 3, 30),
    ],
)
def test_other_text_and_every_number_and_date_are_left_as_they_are(value):
    assert cell(value) == value
    assert type(cell(value)) is type(value)


def view_class_of(callback) -> type | None:
    """The class behind a view function, also through decorators that do not copy it over
    (Wagtail's require_admin_access keeps the view in its closure)."""
    for _ in range(5):
        if hasattr(callback, "view_class"):
            return callback.view_class
        cells = getattr(callback, "__closure__", None) or ()
        inner = [c.cell_contents for c in cells if inspect.isfunction(c.cell_contents)]
        if not inner:
            return None
        callback = inner[0]
    return None


def spreadsheet_views() -> set[type]:
    """Every class-based view in the URLconf that can write a spreadsheet."""
    found, pending = set(), list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            pending.extend(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = view_class_of(pattern.callback)
            if view_class and issubclass(view_class, SpreadsheetExportMixin):
                found.add(view_class)
    return found


def test_every_spreadsheet_export_in_the_urlconf_goes_through_the_guard():
    views = spreadsheet_views()
    names = {view.__name__ for view in views}
    # The walk finds what it should: Wagtail's reports, its redirects and our own listings.
    assert {"ScopedLogEntriesView", "AgingPagesView", "IndexView", "UsageRecordIndexView"} <= names

    bypassing = [
        f"{view.__module__}.{view.__qualname__}.{name}"
        for view in views - OWN_WRITERS
        for name in CELL_METHODS
        if getattr(view, name) is not getattr(SpreadsheetExportMixin, name)
    ]
    assert bypassing == []
    assert SpreadsheetExportMixin.preprocess_field_value._labitory_protects_formulas


def exported(client, user, url: str, spreadsheet_format: str) -> list[list]:
    """The exported rows (headings first) as text, or as openpyxl cells for XLSX."""
    sign_in_with_second_factor(client, user)
    response = client.get(url, {"export": spreadsheet_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if spreadsheet_format == "csv":
        return list(csv.reader(io.StringIO(body.decode())))
    return [list(row) for row in load_workbook(io.BytesIO(body)).active.iter_rows()]


def assert_written_as_text(rows: list[list], hostile: list[str], spreadsheet_format: str):
    """Each hostile value is in the export, quoted, and no XLSX cell is a formula."""
    if spreadsheet_format == "csv":
        values = {value for row in rows for value in row}
        for value in hostile:
            assert "'" + value in values, repr(value)
            assert value not in values, repr(value)
        return
    assert all(cell.data_type != "f" for row in rows for cell in row)
    values = {cell.value for row in rows for cell in row if cell.data_type == "s"}
    for value in hostile:
        # XML keeps a carriage return as a line feed.
        assert "'" + value.replace("\r", "\n") in values, repr(value)


@pytest.mark.parametrize("spreadsheet_format", ["csv", "xlsx"])
def test_the_site_history_export_writes_names_and_people_as_text(
    client, site_admin, spreadsheet_format
):
    hostile_names, hostile_people = [], []
    for start in FORMULA_STARTS:
        resource = ResourceFactory(name=f'{start}HYPERLINK("https://evil.test","x")')
        actor = UserFactory(first_name=f"{start}cmd|' /C calc'!A0", last_name="")
        log(instance=resource, action="wagtail.edit", user=actor)
        hostile_names.append(resource.name)
        if actor.get_full_name().startswith(start):  # a name loses a leading tab or return
            hostile_people.append(actor.get_full_name())

    rows = exported(client, site_admin, reverse("scoped_site_history"), spreadsheet_format)

    assert len(hostile_people) == 4
    assert_written_as_text(rows, hostile_names + hostile_people, spreadsheet_format)


@pytest.mark.parametrize("spreadsheet_format", ["csv", "xlsx"])
def test_a_page_report_export_writes_page_titles_as_text(
    client, site_admin, facility, spreadsheet_format
):
    titles = []
    for number, start in enumerate(FORMULA_STARTS):
        page = PolicyPageFactory(
            parent=facility.imaging_lab,
            title=f"{start}2+5+cmd|' /C calc'!A0",
            slug=f"p{number}",
            last_published_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        )
        titles.append(page.title)

    rows = exported(
        client, site_admin, reverse("wagtailadmin_reports:aging_pages"), spreadsheet_format
    )

    assert_written_as_text(rows, titles, spreadsheet_format)
