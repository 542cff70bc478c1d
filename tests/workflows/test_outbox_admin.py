"""The outbox in the Wagtail admin: site admins list, filter and inspect messages, and send a
failed one again; nobody adds, edits or deletes one; others do not see it."""

import pytest

from tests.conftest import sign_in_with_second_factor
from workflows.models import OutboxMessage
from workflows.outbox import enqueue, write

pytestmark = pytest.mark.django_db

LIST = "/admin/notifications/outbox/"
REPORT = {"title": "March statement", "url": "https://labitory.test/r/1", "count": 2}


@pytest.fixture
def messages(booker, researcher):
    sent = enqueue("report_ready", to=booker, key="a", context=REPORT)
    failed = enqueue("report_ready", to=researcher, key="b", context={**REPORT, "title": "Q2"})
    for message in (sent, failed):  # both were worded when they were tried
        write(message).save()
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=10, last_error="SMTPRecipientsRefused: 550"
    )
    return sent, failed


@pytest.fixture
def admin_client(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)
    return client


def test_site_admins_list_messages_filtered_by_status(admin_client, messages):
    page = admin_client.get(LIST, {"status": "failed"}).content.decode()

    assert "Ready: Q2" in page
    assert "Ready: March statement" not in page
    assert "SMTPRecipientsRefused: 550" in page


def test_the_listing_finds_a_recipient_and_an_event(admin_client, messages):
    page = admin_client.get(LIST, {"address": "bea.booker"}).content.decode()
    assert "Ready: March statement" in page and "Ready: Q2" not in page

    page = admin_client.get(LIST, {"event": "booking_confirmed"}).content.decode()
    assert "Ready: March statement" not in page


def test_a_failed_message_is_inspected_and_sent_again(
    admin_client, messages, eager_tasks, django_capture_on_commit_callbacks
):
    _, failed = messages
    inspect = admin_client.get(f"{LIST}inspect/{failed.pk}/").content.decode()
    assert "Retry sending" in inspect

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{LIST}retry/{failed.pk}/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.SENT
    assert (
        "Message queued to send again"
        in admin_client.get(f"{LIST}inspect/{failed.pk}/").content.decode()
    )


def test_a_sent_message_cannot_be_sent_again(admin_client, messages):
    sent, _ = messages
    assert "Retry sending" not in admin_client.get(f"{LIST}inspect/{sent.pk}/").content.decode()

    response = admin_client.post(f"{LIST}retry/{sent.pk}/", follow=True)

    assert "Only a failed message can be retried; this one is sent." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == OutboxMessage.Status.SENT


def test_messages_are_never_added_or_edited_in_the_admin(admin_client, messages):
    sent, _ = messages

    assert admin_client.get(f"{LIST}add/").status_code in (302, 403, 404)
    assert admin_client.get(f"{LIST}edit/{sent.pk}/")["Location"].endswith(
        f"{LIST}inspect/{sent.pk}/"
    )
    assert admin_client.post(f"{LIST}delete/{sent.pk}/").status_code in (302, 403, 404)
    assert OutboxMessage.objects.filter(pk=sent.pk).exists()


def test_a_coordinator_does_not_see_the_outbox(client, coordinator, messages):
    sign_in_with_second_factor(client, coordinator)

    assert client.get(LIST).status_code in (302, 403)
    _, failed = messages
    client.post(f"{LIST}retry/{failed.pk}/")
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.FAILED


def test_the_dashboard_tells_site_admins_of_failed_messages(admin_client, messages):
    page = admin_client.get("/admin/").content.decode()

    assert "Site health" in page
    assert "1 message failed" in page
    assert f"{LIST}?status=failed" in page


def test_the_dashboard_says_all_is_well_when_the_outbox_is_healthy(admin_client, booker):
    enqueue("report_ready", to=booker, key="fresh", context=REPORT)  # pending, not yet due

    page = admin_client.get("/admin/").content.decode()
    assert "No message failed" in page and "none overdue" in page


def test_the_dashboard_panel_is_only_for_those_who_may_see_the_outbox(
    client, coordinator, messages
):
    sign_in_with_second_factor(client, coordinator)

    assert "message failed" not in client.get("/admin/").content.decode()
