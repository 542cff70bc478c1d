"""workflows.outbox.enqueue: recorded in the caller's transaction, worded by the worker, sent
after the commit, once per key, as the recipient's preferences allow."""

import pytest
from django.core import mail
from django.db import transaction

from booking.services import request_booking
from workflows.delivery import Outcome, deliver
from workflows.frozen import Gone
from workflows.models import OutboxMessage
from workflows.outbox import enqueue, suppressed, write
from workflows.preferences import update_preferences

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

REPORT = {"title": "Usage statement, March 2030", "url": "https://x.test/r/1", "count": 3}


def test_it_records_one_pending_row_that_the_worker_words(booker):
    message = enqueue("report_ready", to=booker, key="report.1.user.1", context=REPORT)

    row = OutboxMessage.objects.get()
    assert message == row
    assert row.status == OutboxMessage.Status.PENDING
    assert row.address == "bea.booker@example.org"
    assert row.context == REPORT
    assert (row.subject, row.written_at) == ("", None)

    write(row)
    assert row.written_at is not None
    assert row.subject == "Ready: Usage statement, March 2030"
    assert "Usage statement, March 2030: ready to download (3 lines)." in row.text_body
    assert 'href="https://x.test/r/1"' in row.html_body
    assert "Download the report" in row.html_body


def test_a_second_enqueue_with_the_same_key_is_ignored(booker):
    enqueue("report_ready", to=booker, key="report.1", context=REPORT)

    again = enqueue("report_ready", to=booker, key="report.1", context={**REPORT, "count": 9})

    assert again is None
    assert write(OutboxMessage.objects.get()).text_body.count("3 lines") == 1


def test_a_change_that_rolls_back_leaves_no_message(booker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("report_ready", to=booker, key="report.1", context=REPORT)
        raise RuntimeError("the change failed")

    assert not OutboxMessage.objects.exists()


def test_delivery_is_asked_for_only_after_the_commit(
    booker, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue("report_ready", to=booker, key="report.1", context=REPORT)
        assert mail.outbox == []

    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("report_ready", to=booker, key="report.2", context=REPORT)
    assert [m.subject for m in mail.outbox] == ["Ready: Usage statement, March 2030"]
    assert OutboxMessage.objects.get(key="report.2").status == OutboxMessage.Status.SENT


def test_a_duplicate_inside_the_same_transaction_does_not_break_it(booker):
    with transaction.atomic():
        enqueue("report_ready", to=booker, key="report.1", context=REPORT)
        assert enqueue("report_ready", to=booker, key="report.1", context=REPORT) is None
        enqueue("report_ready", to=booker, key="report.2", context=REPORT)

    assert OutboxMessage.objects.count() == 2


def test_a_topic_the_recipient_turned_off_is_not_written(booker):
    update_preferences(user=booker, reminder_hours=24, wanted_topics=set())

    assert enqueue("report_ready", to=booker, key="report.1", context=REPORT) is None
    assert not OutboxMessage.objects.exists()


def test_approver_messages_cannot_be_turned_off(booker, approver, instrument, project):
    booking = request_booking(
        user=booker, resource=instrument, project=project, start=at(1, 10), end=at(1, 11), now=NOW
    )
    update_preferences(user=approver, reminder_hours=0, wanted_topics=set())
    context = {
        "booking": booking,
        "step": 2,
        "step_count": 3,
        "reasons": ["Outside opening hours", "Longer than 4 hours"],
        "decision_url": "https://labitory.test/admin/approvals/9/?t=abc",
    }

    message = write(
        enqueue("approval_needed", to=approver, key="approval.9.step.2", context=context)
    )

    assert message.subject == "Approval needed: Confocal LSM 980 for Bea Booker"
    assert "Tuesday 5 March 2030, 10:00–11:00 (Europe/London)" in message.text_body
    assert "Approval step 2 of 3" in message.text_body
    assert "  - Longer than 4 hours" in message.text_body
    assert "https://labitory.test/admin/approvals/9/?t=abc" in message.text_body
    assert 'href="https://labitory.test/admin/approvals/9/?t=abc"' in message.html_body


def test_an_inactive_person_gets_nothing(booker):
    booker.is_active = False
    booker.save()

    assert enqueue("report_ready", to=booker, key="report.1", context=REPORT) is None


def test_an_unknown_event_is_refused(booker):
    with pytest.raises(KeyError, match="no_such_event"):
        enqueue("no_such_event", to=booker, key="x", context={})


def test_an_empty_key_is_refused(booker):
    with pytest.raises(ValueError, match="key"):
        enqueue("report_ready", to=booker, key="  ", context=REPORT)


def test_the_html_escapes_what_people_typed(booker):
    message = write(
        enqueue(
            "report_ready", to=booker, key="r", context={**REPORT, "title": "<script>x</script>"}
        )
    )

    assert "<script>" not in message.html_body
    assert "&lt;script&gt;" in message.html_body
    assert "<script>x</script>: ready" in message.text_body


def test_the_message_id_is_stable_and_free_of_colons(booker):
    message = enqueue("report_ready", to=booker, key="report:1:user:1", context=REPORT)

    assert message.message_id == OutboxMessage.objects.get().message_id
    assert message.message_id.startswith("<report_ready.")
    assert message.message_id.endswith("@localhost>")
    assert ":" not in message.message_id


def test_nothing_is_written_while_notifications_are_suppressed(booker):
    with suppressed():
        assert enqueue("report_ready", to=booker, key="report.1", context=REPORT) is None

    assert enqueue("report_ready", to=booker, key="report.2", context=REPORT) is not None
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["report.2"]


def test_plain_values_are_kept_as_they_were_and_objects_are_read_again(booker, instrument, project):
    booking = request_booking(
        user=booker, resource=instrument, project=project, start=at(1, 10), end=at(1, 11), now=NOW
    )
    message = enqueue(
        "booking_cancelled_by_staff",
        to=booker,
        key="k",
        context={"booking": booking, "when": "then", "reason": "Laser service", "by": None},
    )
    instrument.name = "Confocal LSM 980 (room 2.14)"
    instrument.save()

    written = write(OutboxMessage.objects.get(pk=message.pk))

    assert "Laser service" in written.text_body and "then" in written.text_body
    assert "Confocal LSM 980 (room 2.14)" in written.subject


def test_a_context_value_a_message_cannot_carry_is_refused_at_once(booker):
    with pytest.raises(TypeError, match="cannot carry object"):
        enqueue("report_ready", to=booker, key="r", context={**REPORT, "title": object()})

    assert not OutboxMessage.objects.exists()


def test_a_message_whose_booking_was_deleted_fails_with_the_reason(
    booker, instrument, project, eager_tasks, django_capture_on_commit_callbacks
):
    booking = request_booking(
        user=booker, resource=instrument, project=project, start=at(1, 10), end=at(1, 11), now=NOW
    )
    message = OutboxMessage.objects.get(event="booking_confirmed")
    booking.delete()

    with pytest.raises(Gone):
        write(OutboxMessage.objects.get(pk=message.pk))
    assert deliver(message.pk) == Outcome.FAILED
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error.startswith("Cannot be written: booking")
    assert mail.outbox == []
