"""outbox.muted(): made-up history (the demo seed) writes no messages; real news still does."""

import pytest

from workflows import outbox
from workflows.models import OutboxMessage
from workflows.outbox import Draft

pytestmark = pytest.mark.django_db

REPORT = {"title": "Usage statement, March 2030", "url": "https://x.test/r/1", "count": 3}


def test_nothing_is_written_while_muted_and_sending_resumes_after(booker):
    with outbox.muted():
        assert outbox.enqueue("report_ready", to=booker, key="a", context=REPORT) is None
        assert outbox.enqueue_many([Draft("report_ready", booker, "b", REPORT)]) == 0
    assert not OutboxMessage.objects.exists()

    assert outbox.enqueue("report_ready", to=booker, key="c", context=REPORT) is not None
