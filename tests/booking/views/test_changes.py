"""The change form and approval: a change that needs approval is shown with its reasons
before anything is saved, and once confirmed the booking waits for approval again, its page
saying why (issue 14, item 2)."""

import pytest
from django.urls import reverse

from booking.models import Booking
from people.models import User
from tests.booking.views.screens import book, errors_of, local, when
from tests.factories import UserFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalRequest, ApprovalStep

pytestmark = pytest.mark.django_db

PI_STEP = {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI}


@pytest.fixture
def booking(resource, researcher, project) -> Booking:
    make_rule(resource.lab, dict(PI_STEP), longer_than=60)
    booking = book(resource, researcher, project, local(3, 10), local(3, 11))
    assert booking.status == Booking.Status.CONFIRMED
    return booking


def post_change(client, booking, end, *, hand_to="", confirm=False):
    data = {
        **when("start", booking.start),
        **when("end", end),
        "project": booking.project_id,
        "hand_to": hand_to,
    }
    if confirm:
        data["confirm_approval"] = "1"
    return client.post(reverse("booking:change", args=[booking.pk]), data)


def test_the_form_says_a_change_needs_approval_before_saving_it(signed_in, booking):
    response = post_change(signed_in, booking, local(3, 12))

    assert response.status_code == 200
    page = errors_of(response)
    assert "This change needs approval because Check first: longer than 60 minutes" in page
    assert "Save and ask for approval" in page and 'name="confirm_approval"' in page
    booking.refresh_from_db()
    assert (booking.status, booking.end) == (Booking.Status.CONFIRMED, local(3, 11))
    assert not ApprovalRequest.objects.filter(booking=booking).exists()


def test_a_confirmed_change_needing_approval_puts_the_booking_back_to_requested(signed_in, booking):
    response = post_change(signed_in, booking, local(3, 12), confirm=True)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.end) == (Booking.Status.REQUESTED, local(3, 12))
    assert ApprovalRequest.objects.get(booking=booking).status == "pending"
    detail = errors_of(signed_in.get(response.url))
    assert "It is waiting for approval" in detail
    assert "Requested: waiting for approval" in detail
    assert "Why: Check first: longer than 60 minutes" in detail


def test_a_change_needing_no_approval_is_saved_at_once(signed_in, booking):
    response = post_change(signed_in, booking, local(3, 10, 45))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.end) == (Booking.Status.CONFIRMED, local(3, 10, 45))


def test_a_hand_over_to_someone_whose_category_needs_approval_waits_for_it(
    signed_in, resource, researcher, project
):
    make_rule(resource.lab, dict(PI_STEP), booker_categories=[User.Category.INDUSTRY])
    partner = UserFactory(email="ivy.industry@example.org", category=User.Category.INDUSTRY)
    project.members.add(partner)
    booking = book(resource, researcher, project, local(3, 10), local(3, 11))

    shown = post_change(signed_in, booking, booking.end, hand_to=partner.email)
    saved = post_change(signed_in, booking, booking.end, hand_to=partner.email, confirm=True)

    assert "This change needs approval because Check first: industry user" in errors_of(shown)
    assert saved.status_code == 302
    booking.refresh_from_db()
    assert (booking.user, booking.status) == (partner, Booking.Status.REQUESTED)
