"""Which bookings approval rules catch, and that others are confirmed at once."""

import datetime

import pytest

from booking.bookable import bookable_resources
from booking.models import Booking, BookingQuestion, OpeningHours, Qualification
from booking.rules import Proposal, evaluate
from booking.services import change_booking, request_booking
from people.models import User
from tests.factories import ResourceFactory
from tests.workflows.helpers import NOW, at, book, make_rule
from workflows.models import ApprovalRule, ApprovalStep

pytestmark = pytest.mark.django_db

PI_STEP = {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI}


def reasons(instrument, booker, project, start=None, end=None):
    proposal = Proposal(instrument, booker, project, start or at(1, 10), end or at(1, 11))
    return evaluate(proposal, now=NOW).approval_reasons


def test_a_booking_no_rule_matches_is_confirmed_at_once(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=120)

    assert book(instrument, booker, project).status == Booking.Status.CONFIRMED


def test_always_catches_every_booking_and_names_the_rule(instrument, booker, project):
    rule = make_rule(instrument.lab, dict(PI_STEP), always=True)

    (reason,) = reasons(instrument, booker, project)

    assert reason.rule_id == rule.pk and reason.message == "Check first: every booking"
    assert book(instrument, booker, project).status == Booking.Status.REQUESTED


def test_first_booking_only_until_the_booker_has_used_the_resource(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), first_booking=True)
    assert reasons(instrument, booker, project)

    Booking.objects.create(
        resource=instrument,
        user=booker,
        project=project,
        start=at(-3, 10),
        end=at(-3, 11),
        status=Booking.Status.COMPLETED,
    )

    assert reasons(instrument, booker, project) == []


def test_longer_than(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)

    assert reasons(instrument, booker, project, at(1, 10), at(1, 11)) == []
    assert (
        "longer than 60 minutes"
        in reasons(instrument, booker, project, at(1, 10), at(1, 12))[0].message
    )


def test_outside_opening_hours(instrument, booker, project):
    OpeningHours.objects.create(
        resource=instrument,
        weekday=at(1, 0).weekday(),
        opens=datetime.time(9),
        closes=datetime.time(17),
    )
    instrument.allow_outside_hours = True
    instrument.save()
    make_rule(instrument.lab, dict(PI_STEP), outside_opening_hours=True)

    assert reasons(instrument, booker, project, at(1, 10), at(1, 11)) == []
    codes = [r.code for r in reasons(instrument, booker, project, at(1, 17), at(1, 18))]
    assert codes == ["outside_opening_hours", "approval_rule"]


def test_lacking_an_unsupervised_qualification(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), lacks_unsupervised_qualification=True)
    qualification = Qualification.objects.create(
        user=booker, resource=instrument, unsupervised=False
    )
    assert reasons(instrument, booker, project)

    qualification.unsupervised = True
    qualification.save()
    assert reasons(instrument, booker, project) == []

    qualification.expires_on = at(0, 0).date()
    qualification.save()
    assert reasons(instrument, booker, project), "an expired qualification does not count"


def test_booker_category(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), booker_categories=[User.Category.INDUSTRY])
    assert reasons(instrument, booker, project) == []

    booker.category = User.Category.INDUSTRY
    assert "industry user" in reasons(instrument, booker, project)[0].message


def test_all_conditions_must_hold_when_the_rule_says_so(instrument, booker, project):
    make_rule(
        instrument.lab,
        dict(PI_STEP),
        match=ApprovalRule.Match.ALL,
        longer_than=60,
        booker_categories=[User.Category.INDUSTRY],
    )
    long = (at(1, 10), at(1, 12))
    assert reasons(instrument, booker, project, *long) == []

    booker.category = User.Category.INDUSTRY
    assert reasons(instrument, booker, project, *long)
    assert reasons(instrument, booker, project, at(1, 10), at(1, 11)) == []


def test_scope_resources_categories_and_lab(instrument, booker, project):
    sibling = ResourceFactory(name="Widefield", lab=instrument.lab)
    elsewhere = ResourceFactory(name="Elsewhere")
    rule = make_rule(instrument.lab, dict(PI_STEP), always=True)
    rule.resources.set([sibling])
    rule.save()  # a ParentalManyToManyField writes on save

    assert reasons(instrument, booker, project) == []
    assert reasons(sibling, booker, project)

    rule.resources.set([])
    rule.categories.set([instrument.category])
    rule.save()
    assert reasons(instrument, booker, project)
    assert reasons(sibling, booker, project) == []
    assert reasons(elsewhere, booker, project) == [], "another lab's rules never apply"


def test_an_inactive_rule_does_nothing(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), always=True, is_active=False)

    assert reasons(instrument, booker, project) == []


def test_the_find_page_says_which_instruments_need_approval(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), always=True)

    (candidate,) = bookable_resources(user=booker, start=at(1, 10), end=at(1, 11), now=NOW)

    assert candidate.bookable and candidate.needs_approval
    assert candidate.approval_reasons[0].message == "Check first: every booking"


def test_an_answer_condition_catches_bookings_with_that_answer(instrument, booker, project):
    level = BookingQuestion.objects.create(
        resource=instrument, text="Biosafety level", kind="choice", options="1\n2"
    )
    make_rule(instrument.lab, dict(PI_STEP), answer_question=level, answer_value="2")

    def booked(answer, hour):
        return request_booking(user=booker, resource=instrument, project=project,
                               start=at(1, hour), end=at(1, hour + 1),
                               answers={str(level.pk): answer}, now=NOW)  # fmt: skip

    assert booked("1", 10).status == Booking.Status.CONFIRMED
    waiting = booked("2", 12)
    assert waiting.status == Booking.Status.REQUESTED
    assert waiting.approval_requests.get().reasons == ["Check first: “Biosafety level” answered 2"]


def test_changing_an_answer_to_the_condition_sends_the_booking_for_approval(
    instrument, booker, project
):
    level = BookingQuestion.objects.create(resource=instrument, text="Level", kind="number")
    make_rule(instrument.lab, dict(PI_STEP), answer_question=level, answer_value="2")
    booking = request_booking(user=booker, resource=instrument, project=project,
                              start=at(1, 10), end=at(1, 11), answers={str(level.pk): 1},
                              now=NOW)  # fmt: skip
    assert booking.status == Booking.Status.CONFIRMED

    changed = change_booking(booking=booking, by=booker, start=booking.start, end=booking.end,
                             project=project, answers={str(level.pk): 2}, now=NOW)  # fmt: skip

    assert changed.status == Booking.Status.REQUESTED
