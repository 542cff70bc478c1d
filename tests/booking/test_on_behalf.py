"""book_for: a coordinator books for a researcher, every rule applying to the researcher,
with only the overridable rules set aside, and only with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import ModelLogEntry

from booking.models import Booking, OpeningHours, Qualification, Quota, StaffBooking
from booking.permissions import can_book_for
from booking.rules import OVERRIDABLE
from booking.services import (
    BookingRefused,
    OnBehalf,
    OnBehalfRefused,
    book_for,
    find_researcher,
    request_booking,
)
from people.roles import Role
from tests.booking.conftest import NOW, at
from tests.conftest import make_coordinator
from tests.factories import ProjectFactory, UserFactory
from workflows.models import OutboxMessage
from workflows.outbox import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def confocal(facility):
    resource = facility.confocal.resource
    resource.min_notice = 24 * 60
    resource.horizon_days = 30
    resource.save()
    return resource


@pytest.fixture
def rosa_project(researcher):
    return ProjectFactory(code="IMG-7", members=[researcher])


def book(staff, researcher, resource, project, start, end, overrides=(), reason=""):
    return book_for(
        on_behalf=OnBehalf(staff=staff, overrides=frozenset(overrides), reason=reason),
        researcher=researcher,
        resource=resource,
        project=project,
        start=start,
        end=end,
        now=NOW,
    )


def test_the_booking_is_the_researchers_and_says_who_made_it(
    coordinator, researcher, confocal, rosa_project
):
    booking = book(coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 11))

    assert booking.user == researcher and booking.project == rosa_project
    assert booking.status == Booking.Status.CONFIRMED
    made = booking.made_by_staff
    assert made.staff == coordinator and made.overridden == [] and made.reason == ""
    entry = ModelLogEntry.objects.for_instance(booking).get()
    assert entry.user == coordinator and entry.data["booked_by"] == coordinator.pk
    assert entry.data["overridden"] == []


def test_the_rules_apply_to_the_researcher_without_overrides(
    coordinator, researcher, confocal, rosa_project
):
    with pytest.raises(BookingRefused) as refused:
        book(coordinator, researcher, confocal, rosa_project, at(0, 12), at(0, 13))
    assert refused.value.codes == ["too_little_notice"]
    assert not Booking.objects.exists()


def test_a_project_the_researcher_may_not_charge_is_refused(coordinator, researcher, confocal):
    others = ProjectFactory(code="OTHER-1", members=[coordinator])
    with pytest.raises(BookingRefused) as refused:
        book(coordinator, researcher, confocal, others, at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_project_member"]
    assert not Booking.objects.exists()


def test_notice_overridden_with_a_reason_is_logged_and_recorded(
    coordinator, researcher, confocal, rosa_project
):
    booking = book(
        coordinator,
        researcher,
        confocal,
        rosa_project,
        at(0, 12),
        at(0, 13),
        overrides={"notice"},
        reason="Samples degrade overnight",
    )

    made = StaffBooking.objects.get(booking=booking)
    assert made.overridden == ["notice"] and made.reason == "Samples degrade overnight"
    assert made.overrides_text == "overrode: notice — Samples degrade overnight"
    entry = ModelLogEntry.objects.for_instance(booking).get()
    assert entry.data["overridden"] == ["too_little_notice"]
    assert entry.data["override_reason"] == "Samples degrade overnight"
    assert entry.data["booked_by_name"] == coordinator.name


def test_horizon_can_be_overridden(coordinator, researcher, confocal, rosa_project):
    booking = book(
        coordinator, researcher, confocal, rosa_project, at(40, 10), at(40, 11),
        overrides={"horizon"}, reason="Beamtime agreed in advance",
    )  # fmt: skip
    assert booking.made_by_staff.overridden == ["horizon"]


def test_opening_hours_can_be_overridden(coordinator, researcher, confocal, rosa_project):
    OpeningHours.objects.create(
        resource=confocal, weekday=at(2, 0).weekday(),
        opens=datetime.time(9), closes=datetime.time(17),
    )  # fmt: skip
    with pytest.raises(BookingRefused) as refused:
        book(coordinator, researcher, confocal, rosa_project, at(2, 18), at(2, 19))
    assert refused.value.codes == ["outside_opening_hours"]

    booking = book(
        coordinator, researcher, confocal, rosa_project, at(2, 18), at(2, 19),
        overrides={"opening_hours"}, reason="Supervised evening run",
    )  # fmt: skip
    assert booking.made_by_staff.overridden == ["opening_hours"]


def test_quota_can_be_overridden(coordinator, researcher, confocal, rosa_project):
    Quota.objects.create(
        resource=confocal, scope=Quota.Scope.USER, period=Quota.Period.WEEK, hours=Decimal(1)
    )
    with pytest.raises(BookingRefused) as refused:
        book(coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 12))
    assert refused.value.codes == ["quota_exceeded"]

    booking = book(
        coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 12),
        overrides={"quota"}, reason="Thesis deadline",
    )  # fmt: skip
    assert booking.made_by_staff.overridden == ["quota"]


def test_training_covers_a_missing_and_an_expired_qualification(
    coordinator, researcher, confocal, rosa_project
):
    confocal.requires_qualification = True
    confocal.save()
    with pytest.raises(BookingRefused) as refused:
        book(coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_qualified"]
    first = book(
        coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 11),
        overrides={"training"}, reason="Trained today, record to follow",
    )  # fmt: skip
    Qualification.objects.create(
        user=researcher, resource=confocal, expires_on=NOW.date() - datetime.timedelta(days=1)
    )
    second = book(
        coordinator, researcher, confocal, rosa_project, at(3, 10), at(3, 11),
        overrides={"training"}, reason="Renewal booked",
    )  # fmt: skip
    assert first.made_by_staff.overridden == second.made_by_staff.overridden == ["training"]
    entry = ModelLogEntry.objects.for_instance(second).get()
    assert entry.data["overridden"] == ["qualification_expired"]


def test_an_override_not_needed_is_not_recorded(coordinator, researcher, confocal, rosa_project):
    booking = book(
        coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 11),
        overrides={"notice"}, reason="Just in case",
    )  # fmt: skip
    assert booking.made_by_staff.overridden == [] and booking.made_by_staff.reason == ""


def test_an_override_leaves_the_other_rules_standing(
    coordinator, researcher, confocal, rosa_project
):
    with pytest.raises(BookingRefused) as refused:
        book(
            coordinator, researcher, confocal, rosa_project, at(0, 12), at(0, 12, 7),
            overrides={"notice"}, reason="Urgent",
        )  # fmt: skip
    assert "too_little_notice" not in refused.value.codes
    assert "off_granularity" in refused.value.codes
    assert not Booking.objects.exists()


def test_an_overlap_is_never_overridden(coordinator, researcher, confocal, rosa_project):
    other = UserFactory(roles=[Role.RESEARCHER])
    taken = request_booking(
        user=other, resource=confocal, project=ProjectFactory(members=[other]),
        start=at(0, 12), end=at(0, 13), now=NOW - datetime.timedelta(days=2),
    )  # fmt: skip
    with pytest.raises(OnBehalfRefused) as refused:
        book(
            coordinator, researcher, confocal, rosa_project, at(0, 12), at(0, 13),
            overrides={"notice", "slot_taken"}, reason="Urgent",
        )  # fmt: skip
    assert refused.value.codes == ["override_not_allowed"]
    with pytest.raises(BookingRefused) as refused:
        book(
            coordinator, researcher, confocal, rosa_project, at(0, 12), at(0, 13),
            overrides=set(OVERRIDABLE), reason="Urgent",
        )  # fmt: skip
    assert refused.value.codes == ["slot_taken"]
    assert list(Booking.objects.values_list("pk", flat=True)) == [taken.pk]


def test_an_override_without_a_reason_is_refused(coordinator, researcher, confocal, rosa_project):
    with pytest.raises(OnBehalfRefused) as refused:
        book(
            coordinator, researcher, confocal, rosa_project, at(0, 12), at(0, 13),
            overrides={"notice"}, reason="   ",
        )  # fmt: skip
    assert refused.value.codes == ["override_reason_missing"]
    assert refused.value.status == 400
    assert not Booking.objects.exists() and not StaffBooking.objects.exists()


def test_a_coordinator_of_another_lab_is_refused(facility, researcher, confocal, rosa_project):
    proteomics = make_coordinator(facility.proteomics_lab)
    with pytest.raises(OnBehalfRefused) as refused:
        book(proteomics, researcher, confocal, rosa_project, at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_lab_staff"] and refused.value.status == 403
    assert not Booking.objects.exists()


def test_a_researcher_cannot_book_for_another(researcher, confocal, rosa_project):
    colleague = UserFactory(roles=[Role.RESEARCHER])
    with pytest.raises(OnBehalfRefused) as refused:
        book(colleague, researcher, confocal, rosa_project, at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_lab_staff"]


def test_only_an_active_researcher_is_booked_for(coordinator, confocal, finance):
    project = ProjectFactory(members=[finance])
    with pytest.raises(OnBehalfRefused) as refused:
        book(coordinator, finance, confocal, project, at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_a_researcher"]
    gone = UserFactory(roles=[Role.RESEARCHER], is_active=False)
    with pytest.raises(OnBehalfRefused) as refused:
        book(coordinator, gone, confocal, ProjectFactory(members=[gone]), at(2, 10), at(2, 11))
    assert refused.value.codes == ["not_a_researcher"]
    assert not Booking.objects.exists()


def test_an_unknown_person_is_refused(db):
    for missing in (999999, "x"):
        with pytest.raises(OnBehalfRefused) as refused:
            find_researcher(missing)
        assert refused.value.codes == ["unknown_user"] and refused.value.status == 404


def test_a_site_admin_books_for_anyone_in_any_lab(site_admin, researcher, confocal, rosa_project):
    booking = book(site_admin, researcher, confocal, rosa_project, at(2, 10), at(2, 11))
    assert booking.made_by_staff.staff == site_admin


# can_book_for: the question every screen asks before offering the booking.


def test_can_book_for_answers_for_the_resources_lab_only(
    facility, coordinator, site_admin, researcher, confocal, finance
):
    orbitrap = facility.orbitrap.resource
    assert can_book_for(coordinator, researcher, confocal)
    assert not can_book_for(coordinator, researcher, orbitrap)
    assert can_book_for(site_admin, researcher, orbitrap)
    assert not can_book_for(make_coordinator(facility.proteomics_lab), researcher, confocal)
    assert not can_book_for(researcher, researcher, confocal)
    assert not can_book_for(coordinator, finance, confocal)
    assert not can_book_for(AnonymousUser(), researcher, confocal)


def test_the_researcher_is_told_who_booked_for_them(
    coordinator, researcher, confocal, rosa_project
):
    book(coordinator, researcher, confocal, rosa_project, at(2, 10), at(2, 11))

    message = write(OutboxMessage.objects.get(recipient=researcher, event="booking_confirmed"))
    assert "Cora Coordinator booked this for you." in message.text_body
    assert not OutboxMessage.objects.filter(recipient=coordinator).exists()


def test_a_booking_of_ones_own_says_nothing_of_who_booked(researcher, confocal, rosa_project):
    request_booking(
        user=researcher, resource=confocal, project=rosa_project,
        start=at(2, 10), end=at(2, 11), now=NOW,
    )  # fmt: skip
    message = write(OutboxMessage.objects.get(recipient=researcher, event="booking_confirmed"))
    assert "booked this for you" not in message.text_body
