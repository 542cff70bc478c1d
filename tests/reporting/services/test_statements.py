"""Rendering a statement: a PDF that opens, with every line, the right totals, page X of Y
on every page, a stored checksum, the same figures when re-rendered, and one ready signal."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from booking.models import Booking
from people.models import User
from reporting.models import BillingPeriod, Statement
from reporting.services import add_adjustment, close_period, record_usage, request_statements
from reporting.services.statements import render_statement
from tests.pdfs import check_statement_pdf
from tests.reporting.conftest import NOW, at, finished


def pdf_text(statement: Statement) -> tuple[list[str], str]:
    with statement.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [page.extract_text() for page in reader.pages]
    return pages, "\n".join(pages)


def render(statement: Statement) -> Statement:
    statement.refresh_from_db()
    return render_statement(statement_id=statement.pk, attempt=statement.attempt)


@pytest.fixture
def october(confocal, card, researcher, project, finance) -> BillingPeriod:
    for day in range(1, 31):
        record_usage(booking=finished(confocal, researcher, project, at(day, 9), minutes=90))
    period = BillingPeriod.objects.get(starts_on=datetime.date(2026, 10, 1))
    add_adjustment(
        project=project,
        amount=Decimal("-20.00"),
        reason="Laser down 1 h",
        by=finance,
        now=at(20, 12),
    )
    return period


def test_the_pdf_holds_every_line_totals_and_page_x_of_y(october, project, settings):
    settings.REPORTING_CHUNK_LINES = 12  # several parts, joined
    statement = render(request_statements(period=october, project=project)[0])
    assert statement.status == Statement.Status.READY, statement.error
    pages, text = pdf_text(statement)
    assert statement.pages == len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert text.count("Zeiss LSM 980") >= 30 + 1
    # 30 × 1.5 h × £42 = £1,890.00, less the £20.00 adjustment
    assert "£1,890.00" in text and "-£20.00" in text and "£1,870.00" in text
    assert statement.total == Decimal("1870.00")
    assert "Laser down 1 h" in text and "BIO-2041" in text


def test_the_pdf_is_valid_for_a_strict_checker_and_a_second_reader(october, project, settings):
    settings.REPORTING_CHUNK_LINES = 12
    statement = render(request_statements(period=october, project=project)[0])
    with statement.file.open("rb") as handle:
        pdf = handle.read()
    pages = check_statement_pdf(pdf, pages=statement.pages)  # qpdf --check, then pdfminer
    assert len(pages) >= 3
    assert "BIO-2041" in pages[0] and "Zeiss LSM 980" in "".join(pages)


def test_the_checksum_is_stored_and_a_re_render_gives_the_same_file(october, project, finance):
    close_period(period=october, by=finance, now=NOW)
    statement = Statement.objects.get(period=october, project=project)
    first = render(statement)
    again = render(request_statements(period=october, project=project)[0])
    assert len(first.sha256) == 64
    assert again.sha256 == first.sha256
    assert again.total == first.total and again.period_was_closed


def test_an_unpriced_line_is_listed_loudly_not_dropped(october, confocal, project, researcher):
    researcher.category = User.Category.INDUSTRY
    researcher.save()
    record_usage(booking=finished(confocal, researcher, project, at(31, 9)))
    statement = render(request_statements(period=october, project=project)[0])
    _, text = pdf_text(statement)
    assert "1 unpriced line" in text and "UNPRICED" in text
    assert statement.line_count == 31


def test_a_department_statement_covers_its_projects(october, confocal, researcher, other_project):
    record_usage(booking=finished(confocal, researcher, other_project, at(31, 14)))
    statements = request_statements(period=october)
    department = next(s for s in statements if s.department_id)
    department = render(department)
    _, text = pdf_text(department)
    assert department.line_count == 31 and "CHEM-3310" in text and "BIO-2041" in text


def test_a_superseded_attempt_does_nothing(october, project):
    statement = request_statements(period=october, project=project)[0]
    request_statements(period=october, project=project)
    assert render_statement(statement_id=statement.pk, attempt=statement.attempt) is None


def test_a_failure_is_recorded_with_its_reason(october, project, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("reporting.services.statements.join_parts", broken)
    statement = render(request_statements(period=october, project=project)[0])
    assert statement.status == Statement.Status.FAILED
    assert statement.error == "OSError: disk full"


def test_no_shows_are_stated_as_such(october, confocal, researcher, project):
    card = confocal.rate_cards.get()
    card.no_show_percent = Decimal("50")
    card.save()
    record_usage(
        booking=finished(confocal, researcher, project, at(31, 9), status=Booking.Status.NO_SHOW)
    )
    _, text = pdf_text(render(request_statements(period=october, project=project)[0]))
    assert "No-show" in text


def test_a_task_redelivered_after_its_worker_died_renders_the_same_attempt(october, project):
    statement = request_statements(period=october, project=project, dispatch=False)[0]
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.RENDERING)
    assert render(statement).status == Statement.Status.READY


def test_a_finished_attempt_is_not_rendered_again(october, project):
    statement = render(request_statements(period=october, project=project, dispatch=False)[0])
    assert render_statement(statement_id=statement.pk, attempt=statement.attempt) is None
