"""PATCH /api/v1/bookings/{id}/ and its preview, POST /api/v1/bookings/{id}/preview/: a change
that needs approval waits for it again, and the preview says so (and why) before it is made
(issue 14, item 2)."""

import pytest

from booking.models import Booking
from tests.api.helpers import book, iso, soon
from tests.workflows.helpers import make_rule, request_of
from workflows.models import ApprovalRequest, ApprovalStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_needs_approval(instrument):
    """Bookings longer than an hour wait for the project's PI."""
    return make_rule(
        instrument.lab, {"approvers": ApprovalStep.Approvers.PROJECT_PI}, longer_than=60
    )


@pytest.fixture
def confirmed(booker, instrument, project, long_needs_approval) -> Booking:
    booking = book(booker, instrument, project, soon(2, 10), soon(2, 11))
    assert booking.status == Booking.Status.CONFIRMED
    return booking


def longer(booking) -> dict:
    return {"end": iso(soon(2, 12))}


def test_a_patch_making_a_booking_longer_than_a_rule_allows_puts_it_back_to_requested(
    api, confirmed, project
):
    response = api.patch(f"/api/v1/bookings/{confirmed.pk}/", longer(confirmed), format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "requested"
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.REQUESTED and confirmed.end == soon(2, 12)
    request = request_of(confirmed)
    assert request.status == ApprovalRequest.Status.PENDING
    assert request.tasks.get().approver == project.pi


def test_the_change_preview_says_it_would_need_approval_and_why(api, confirmed):
    response = api.post(
        f"/api/v1/bookings/{confirmed.pk}/preview/", longer(confirmed), format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["changes"] is True and body["problems"] == []
    assert body["status"] == "requested" and body["needs_approval"] is True
    [reason] = body["approval_reasons"]
    assert reason["code"] == "approval_rule" and "longer than 60 minutes" in reason["message"]
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED and confirmed.end == soon(2, 11)
    assert not ApprovalRequest.objects.filter(booking=confirmed).exists()


def test_the_change_preview_gives_the_rules_a_change_breaks(api, confirmed):
    response = api.post(
        f"/api/v1/bookings/{confirmed.pk}/preview/", {"end": iso(soon(2, 16))}, format="json"
    )

    body = response.json()
    assert response.status_code == 200 and body["ok"] is False
    assert [problem["code"] for problem in body["problems"]] == ["too_long"]


def test_the_change_preview_of_a_change_needing_no_approval(api, confirmed):
    response = api.post(
        f"/api/v1/bookings/{confirmed.pk}/preview/",
        {"start": iso(soon(3, 10)), "end": iso(soon(3, 11))},
        format="json",
    )

    body = response.json()
    assert body["ok"] is True and body["status"] == "confirmed"
    assert body["needs_approval"] is False and body["approval_reasons"] == []


def test_the_change_preview_of_a_cancelled_booking_is_a_409(api, confirmed):
    api.post(f"/api/v1/bookings/{confirmed.pk}/cancel/", {}, format="json")

    response = api.post(
        f"/api/v1/bookings/{confirmed.pk}/preview/", longer(confirmed), format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


def test_the_change_preview_of_someone_elses_booking_is_not_found(
    api, instrument, rival, rival_project
):
    theirs = book(rival, instrument, rival_project, soon(2, 10), soon(2, 11))

    response = api.post(f"/api/v1/bookings/{theirs.pk}/preview/", {}, format="json")

    assert response.status_code == 404


def test_the_change_preview_is_in_the_schema(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    preview = schema["paths"]["/api/v1/bookings/{id}/preview/"]["post"]
    assert preview["summary"] == "Check a change to a booking without making it"
    answer = preview["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ChangePreview"}
