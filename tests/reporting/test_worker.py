"""A real Celery worker on the reports queue (prefork, as deployed) renders a statement in
parallel parts and stores it; the PDF opens with its page footers."""

import io
import time

import pytest
from pypdf import PdfReader

from reporting.models import BillingPeriod, Statement
from reporting.services import record_usage, request_statements
from tests.reporting.conftest import at, finished
from tests.workers import (
    NEEDS_POSTGRES_AND_REDIS,
    ON_POSTGRES_WITH_REDIS,
    start_worker,
    stop_worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES_WITH_REDIS, reason=NEEDS_POSTGRES_AND_REDIS),
]


@pytest.fixture
def reports_worker(settings):
    # Prefork, as deployed; small parts, so that even this statement is laid out by several
    # processes.
    env = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_ROOT": str(settings.PRIVATE_ROOT),
        "REPORTING_CHUNK_LINES": "5",
        "REPORTING_RENDER_WORKERS": "2",
    }
    worker = start_worker("reports", pool="prefork", env=env)
    yield worker
    stop_worker(worker, timeout=60)


def test_a_worker_renders_a_statement_taken_from_the_reports_queue(
    reports_worker, confocal, card, researcher, project
):
    for day in range(1, 31):
        record_usage(booking=finished(confocal, researcher, project, at(day, 9)))
    period = BillingPeriod.objects.get()
    statement = request_statements(period=period, project=project)[0]

    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert reports_worker.poll() is None, "the worker exited"
        current = Statement.objects.get(pk=statement.pk)
        seen.add(current.status)
        if current.is_finished:
            break
        time.sleep(0.3)
    assert current.status == Statement.Status.READY, current.error
    with current.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == current.pages >= 3
    assert f"Page {current.pages} of {current.pages}" in reader.pages[-1].extract_text()
    assert "£1,260.00" in reader.pages[0].extract_text() + reader.pages[1].extract_text()
    assert seen & {Statement.Status.QUEUED, Statement.Status.RENDERING}
