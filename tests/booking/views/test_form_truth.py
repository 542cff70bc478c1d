"""The booking form tells the truth before submit: who would approve, step by step (from the
chain a request would get), the quota left, the rules the time breaks; required policies are
accepted in the form itself; the booking's page shows cost and room and offers an .ics file."""

from django.urls import reverse

from booking.models import Booking, PolicyAcceptance, Quota, RequiredPolicy
from tests.booking.test_policies import publish
from tests.booking.views.screens import book, local, post_booking, when
from tests.workflows.helpers import make_rule
from workflows.approvals import chain_for
from workflows.models import ApprovalStep


def forecast(client, resource, project, start, end) -> str:
    query = {**when("start", start), **when("end", end), "project": project.pk}
    response = client.get(reverse("booking:estimate", args=[resource.pk]), query)
    assert response.status_code == 200
    return response.text


def test_the_form_names_the_approvers_in_the_order_a_request_would_ask_them(
    signed_in, resource, project
):
    rule = make_rule(
        resource.lab,
        {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI},
        {"label": "Lab coordinator", "approvers": ApprovalStep.Approvers.GROUP},
        longer_than=120,
    )
    long = forecast(signed_in, resource, project, local(2, 9), local(2, 12))
    short = forecast(signed_in, resource, project, local(2, 9), local(2, 10))

    assert "Needs approval: PI, then Lab coordinator." in long
    assert "longer than 120 minutes" in long
    assert "No approval needed" in short and "Needs approval" not in short
    _, chain = chain_for([], resource.lab)
    assert [step["label"] for step in chain] == ["Lab coordinators"]  # no rule: the lab's own
    assert rule.steps.count() == 2


def test_the_form_says_the_quota_left_in_the_week_of_the_chosen_time(
    signed_in, resource, researcher, project
):
    Quota.objects.create(resource=resource, scope="user", period="week", hours=10)
    book(resource, researcher, project, local(7, 9), local(7, 13))
    text = forecast(signed_in, resource, project, local(7, 14), local(7, 15))
    assert "You have 6 h left of 10 h this week." in text


def test_the_form_lists_the_rules_a_time_breaks_before_submit(
    signed_in, resource, researcher, project
):
    book(resource, researcher, project, local(3, 10), local(3, 11))
    text = forecast(signed_in, resource, project, local(3, 10), local(3, 11))
    assert "can’t be booked as it is" in text


def test_a_required_policy_is_accepted_in_the_booking_form(
    signed_in, facility, resource, researcher, project
):
    page = publish(facility.safety_policy)
    RequiredPolicy.objects.create(resource=resource, policy=page)

    form = signed_in.get(reverse("booking:new", args=[resource.pk])).text
    refused = post_booking(signed_in, resource, project, local(4, 9), local(4, 10))
    assert f'name="accept_policy" value="{page.pk}"' in form
    assert refused.status_code == 200 and not Booking.objects.exists()

    booked = post_booking(
        signed_in, resource, project, local(4, 9), local(4, 10), accept_policy=str(page.pk)
    )
    assert booked.status_code == 302
    assert PolicyAcceptance.objects.filter(user=researcher, policy=page).exists()
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_the_confirmation_shows_room_and_an_ics_file(signed_in, facility, resource, project):
    facility.confocal.location = "Room 2.14, Crick Building"
    facility.confocal.save_revision().publish()
    booking = book(resource, project.members.get(), project, local(5, 9), local(5, 10))

    page = signed_in.get(reverse("booking:detail", args=[booking.pk])).text
    ics = signed_in.get(reverse("booking:ics", args=[booking.pk]))

    assert "Room 2.14, Crick Building" in page
    assert reverse("booking:ics", args=[booking.pk]) in page
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"Zeiss LSM 980" in ics.content


def test_another_persons_ics_file_is_not_found(client, resource, project, rival):
    booking = book(resource, project.members.get(), project, local(5, 9), local(5, 10))
    client.force_login(rival.pi)
    assert client.get(reverse("booking:ics", args=[booking.pk])).status_code == 404
