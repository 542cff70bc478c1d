"""The statement's ledger: long names wrap instead of being cut, each line names its booking,
the statement carries its number and cost centre, and parts end at a page's end so that no
page but the last is nearly empty (checked with qpdf and pdfminer, tests/pdfs.py)."""

import datetime
from pathlib import Path

import pytest

from reporting.models import BillingPeriod
from reporting.rendering.ledger import (
    PROJECT_COLUMNS,
    ROWS_PER_PAGE,
    chunk_rows,
    ledger_row,
    paginate,
)
from reporting.services import record_usage, request_statements
from reporting.services.statements import render_statement
from tests.factories import ResourceFactory
from tests.pdfs import check_statement_pdf
from tests.reporting.conftest import at, finished, make_card

SHOTS = Path("/tmp/shots")
LONG_NAME = "Zeiss LSM 980 with Airyscan 2 and a spectral detector"
LINE = {
    "date": "01 Oct 2026 09:00",
    "ref": "B-12345",
    "resource": LONG_NAME,
    "user": "Rae Researcher",
    "kind": "Booking",
    "hours": "1.50",
    "rate": "£42.00",
    "amount": "£63.00",
}


def test_a_long_name_wraps_onto_a_second_line_of_the_same_row():
    row = ledger_row(LINE, PROJECT_COLUMNS)

    first, *rest = row.split("\n")
    assert len(rest) >= 1 and "B-12345" in first and "£63.00" in first
    words = " ".join(part.split() and " ".join(part.split()) for part in row.split("\n"))
    for word in LONG_NAME.split():
        assert word in words


def test_pages_are_planned_whole_and_parts_end_at_a_page_end():
    rows = [f"row {n}" for n in range(150)] + ["tall\nrow\nhere"] * 10

    pages = paginate(rows)
    parts = chunk_rows(rows, most=2 * ROWS_PER_PAGE)

    assert [len(page) for page in pages[:2]] == [ROWS_PER_PAGE - 2, ROWS_PER_PAGE]
    assert sum(len(part) for part in parts) == len(rows)
    assert [len(part) for part in parts][0] == len(pages[0]) + len(pages[1])


@pytest.mark.django_db
def test_no_ledger_page_but_the_last_is_nearly_empty(researcher, project, finance, settings):
    settings.REPORTING_CHUNK_LINES = 60  # a part per page: the old cut left a page of 2 lines
    short, long = (ResourceFactory(name=name) for name in ("Zeiss LSM 980", LONG_NAME))
    for resource in (short, long):
        make_card(resource)
    for n in range(70):
        resource = long if n == 0 else short
        day, hour = 1 + n // 8, 8 + n % 8
        record_usage(booking=finished(resource, researcher, project, at(day, hour), minutes=45))
    period = BillingPeriod.objects.get(starts_on=datetime.date(2026, 10, 1))
    statement = request_statements(period=period, project=project)[0]
    statement = render_statement(statement_id=statement.pk, attempt=statement.attempt)
    with statement.file.open("rb") as handle:
        pdf = handle.read()
    texts = check_statement_pdf(pdf, pages=statement.pages)
    (SHOTS / "statement-layout.pdf").write_bytes(pdf)

    assert statement.number in texts[0] and "Cost centre" in texts[0]
    ledger = [text.count("B-") for text in texts if "B-" in text]
    assert sum(ledger) == 70
    assert all(count >= ROWS_PER_PAGE // 3 for count in ledger[:-1]), ledger
    assert "spectral detector" in "".join(texts)
