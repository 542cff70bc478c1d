"""Finance staff are told through the outbox, once, when a period's statements are ready."""

import pytest

from reporting.models import Statement
from reporting.services import request_statements
from tests.factories import UserFactory
from tests.reporting.services.test_statements import october, render  # noqa: F401 (fixture)
from workflows.models import OutboxMessage
from workflows.outbox import write

pytestmark = pytest.mark.django_db


def test_each_finance_person_hears_once_when_the_last_statement_is_ready(
    october,  # noqa: F811
    finance,
    django_capture_on_commit_callbacks,
):
    UserFactory(email="not.finance@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        statements = request_statements(period=october, dispatch=False)
        render(statements[0])
    assert not OutboxMessage.objects.exists(), "nothing until every statement is ready"

    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements[1:]:
            render(statement)
    with django_capture_on_commit_callbacks(execute=True):
        render(statements[-1])  # a re-render of the same batch says nothing new

    (message,) = [write(message) for message in OutboxMessage.objects.all()]
    assert message.event == "report_ready" and message.recipient == finance
    assert f"?period={october.pk}" in message.text_body
    lines = sum(s.line_count for s in Statement.objects.filter(pk__in=[s.pk for s in statements]))
    assert f"{len(statements)} usage statements for October 2026: ready to download" in (
        message.text_body
    )
    assert f"({lines} line" in message.text_body
