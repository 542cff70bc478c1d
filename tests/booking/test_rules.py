"""Each rule refuses its own bad input with its own code, and lets good input through."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Page

from booking.models import (
    Booking,
    Closure,
    MaintenanceWindow,
    OpeningHours,
    PolicyAcceptance,
    Qualification,
    Quota,
    RequiredPolicy,
)
from booking.rules import Proposal, evaluate
from labpages.models import PolicyPage
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ensure_tree_roots

pytestmark = pytest.mark.django_db


def verdict(instrument, booker, project, start, end, **kwargs):
    return evaluate(Proposal(instrument, booker, project, start, end, **kwargs), now=NOW)


def codes(instrument, booker, project, start, end, **kwargs) -> list[str]:
    return verdict(instrument, booker, project, start, end, **kwargs).codes


def book(instrument, user, project, start, end, status=Booking.Status.CONFIRMED) -> Booking:
    return Booking.objects.create(
        resource=instrument,
        user=user,
        project=project,
        start=start,
        end=end,
        status=status,
        exclusive=instrument.is_exclusive,
    )


def test_a_well_formed_booking_passes_every_rule(instrument, booker, project):
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == []


def test_it_refuses_naive_datetimes(instrument, booker, project):
    naive = datetime.datetime(2030, 3, 5, 10)
    assert codes(instrument, booker, project, naive, naive + datetime.timedelta(hours=1)) == [
        "naive_datetime"
    ]


def test_it_refuses_an_end_before_the_start(instrument, booker, project):
    assert codes(instrument, booker, project, at(1, 11), at(1, 10)) == ["ends_before_start"]


def test_it_refuses_zero_length(instrument, booker, project):
    assert codes(instrument, booker, project, at(1, 10), at(1, 10)) == ["zero_length"]


def test_it_refuses_times_off_the_granularity(instrument, booker, project):
    assert codes(instrument, booker, project, at(1, 10, 5), at(1, 11)) == ["off_granularity"]


def test_it_refuses_too_short_and_too_long(instrument, booker, project):
    instrument.min_duration = 30
    assert codes(instrument, booker, project, at(1, 10), at(1, 10, 15)) == ["too_short"]
    assert codes(instrument, booker, project, at(1, 8), at(1, 12, 15)) == ["too_long"]


def test_overnight_bookings_pass_when_the_maximum_allows_them(instrument, booker, project):
    instrument.max_duration = 16 * 60
    assert codes(instrument, booker, project, at(1, 18), at(2, 8)) == []


def test_it_refuses_the_past(instrument, booker, project):
    assert codes(instrument, booker, project, at(0, 8), at(0, 10)) == ["in_past"]


def test_it_refuses_too_little_notice(instrument, booker, project):
    instrument.min_notice = 120
    assert codes(instrument, booker, project, at(0, 10), at(0, 11)) == ["too_little_notice"]
    assert codes(instrument, booker, project, at(0, 11), at(0, 12)) == []


def test_it_refuses_beyond_the_horizon(instrument, booker, project):
    instrument.horizon_days = 14
    assert codes(instrument, booker, project, at(15, 10), at(15, 11)) == ["beyond_horizon"]


def test_it_refuses_an_inactive_resource(instrument, booker, project):
    instrument.is_active = False
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["resource_inactive"]


def test_it_refuses_outside_opening_hours(instrument, booker, project):
    tuesday = at(1, 0).weekday()
    OpeningHours.objects.create(
        resource=instrument, weekday=tuesday, opens=datetime.time(9), closes=datetime.time(12)
    )
    OpeningHours.objects.create(
        resource=instrument, weekday=tuesday, opens=datetime.time(13), closes=datetime.time(17)
    )
    assert codes(instrument, booker, project, at(1, 9), at(1, 12)) == []
    assert codes(instrument, booker, project, at(1, 11), at(1, 14)) == ["outside_opening_hours"]
    assert codes(instrument, booker, project, at(1, 17), at(1, 18)) == ["outside_opening_hours"]


def test_outside_hours_needs_approval_when_the_resource_allows_it(instrument, booker, project):
    OpeningHours.objects.create(
        resource=instrument,
        weekday=at(1, 0).weekday(),
        opens=datetime.time(9),
        closes=datetime.time(17),
    )
    instrument.allow_outside_hours = True
    result = verdict(instrument, booker, project, at(1, 17), at(1, 19))
    assert result.ok and [r.code for r in result.approval_reasons] == ["outside_opening_hours"]


def test_it_refuses_closures_of_the_resource_and_of_its_lab(instrument, booker, project):
    Closure.objects.create(
        lab=instrument.lab, starts_at=at(2, 0), ends_at=at(3, 0), reason="Bank holiday"
    )
    Closure.objects.create(resource=instrument, starts_at=at(5, 0), ends_at=at(6, 0), reason="Move")
    assert codes(instrument, booker, project, at(2, 10), at(2, 11)) == ["closed"]
    assert codes(instrument, booker, project, at(5, 10), at(5, 11)) == ["closed"]
    assert codes(instrument, booker, project, at(4, 10), at(4, 11)) == []


def test_it_refuses_maintenance_windows(instrument, booker, project):
    MaintenanceWindow.objects.create(
        resource=instrument, starts_at=at(1, 9), ends_at=at(1, 12), reason="Laser alignment"
    )
    assert codes(instrument, booker, project, at(1, 11), at(1, 13)) == ["maintenance"]


def test_it_refuses_a_missing_project(instrument, booker):
    assert codes(instrument, booker, None, at(1, 10), at(1, 11)) == ["unknown_project"]


def test_it_refuses_a_project_the_booker_is_not_a_member_of(instrument, booker):
    other = ProjectFactory(code="CHEM-7")
    assert codes(instrument, booker, other, at(1, 10), at(1, 11)) == ["not_project_member"]


def test_the_project_pi_may_book_against_it(instrument, booker):
    led = ProjectFactory(code="PI-1", pi=booker)
    assert codes(instrument, booker, led, at(1, 10), at(1, 11)) == []


def test_it_refuses_a_project_that_has_ended(instrument, booker, project):
    project.active_to = NOW.date()
    project.save()
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["project_inactive"]


def test_it_refuses_unqualified_and_expired_qualifications(instrument, booker, project):
    instrument.requires_qualification = True
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["not_qualified"]
    Qualification.objects.create(user=booker, resource=instrument, expires_on=NOW.date())
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["qualification_expired"]
    Qualification.objects.filter(user=booker).update(expires_on=None)
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == []


def publish_policy(title: str) -> PolicyPage:
    root = ensure_tree_roots()
    policy = root.add_child(instance=PolicyPage(title=title, body="<p>Wear goggles.</p>"))
    policy.save_revision().publish()
    return policy


def test_it_refuses_until_the_current_policy_version_is_accepted(instrument, booker, project):
    policy = publish_policy("Laser safety")
    RequiredPolicy.objects.create(resource=instrument, policy=policy)
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["policy_not_accepted"]

    policy.refresh_from_db()
    PolicyAcceptance.objects.create(
        user=booker, policy=policy, revision_id=policy.live_revision_id, accepted_at=timezone.now()
    )
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == []

    policy.body = "<p>Wear goggles and gloves.</p>"
    policy.save_revision().publish()
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["policy_not_accepted"]


def test_unpublished_policies_are_not_required(instrument, booker, project):
    policy = publish_policy("Old rules")
    RequiredPolicy.objects.create(resource=instrument, policy=policy)
    Page.objects.filter(pk=policy.pk).update(live=False)
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == []


def test_it_refuses_more_future_bookings_than_allowed(instrument, booker, project):
    instrument.max_future_bookings = 1
    book(instrument, booker, project, at(1, 10), at(1, 11))
    assert codes(instrument, booker, project, at(2, 10), at(2, 11)) == ["too_many_bookings"]


def test_it_refuses_over_the_weekly_user_quota(instrument, booker, project):
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.USER, period=Quota.Period.WEEK, hours=Decimal(4)
    )
    book(instrument, booker, project, at(1, 9), at(1, 12))
    assert codes(instrument, booker, project, at(2, 9), at(2, 10)) == []
    assert codes(instrument, booker, project, at(2, 9), at(2, 11)) == ["quota_exceeded"]
    # Next week starts afresh.
    assert codes(instrument, booker, project, at(7, 9), at(7, 12, 30)) == []


def test_it_refuses_over_the_monthly_project_quota(instrument, booker, project):
    colleague = project.pi
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.PROJECT, period=Quota.Period.MONTH, hours=Decimal(2)
    )
    book(instrument, colleague, project, at(1, 9), at(1, 11))
    assert codes(instrument, booker, project, at(2, 9), at(2, 10)) == ["quota_exceeded"]


def test_a_booking_without_a_project_is_refused_for_that_not_for_a_project_quota(
    instrument, booker
):
    """Longer than a project quota and with no project: the one problem is the project."""
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.PROJECT, period=Quota.Period.MONTH, hours=Decimal(1)
    )
    assert codes(instrument, booker, None, at(2, 9), at(2, 11)) == ["unknown_project"]


def test_it_refuses_overlapping_the_bookers_own_booking(instrument, booker, project):
    instrument.capacity = 3
    instrument.save()
    book(instrument, booker, project, at(1, 10), at(1, 11))
    assert codes(instrument, booker, project, at(1, 10, 30), at(1, 11, 30)) == [
        "overlaps_own_booking"
    ]


def test_it_refuses_a_taken_slot_and_respects_the_buffer(instrument, booker, project):
    other = ProjectFactory(code="OTHER-1")
    book(instrument, other.pi, other, at(1, 10), at(1, 11))
    assert codes(instrument, booker, project, at(1, 10, 30), at(1, 11, 30)) == ["slot_taken"]
    assert codes(instrument, booker, project, at(1, 11), at(1, 12)) == []
    instrument.buffer = 15
    assert codes(instrument, booker, project, at(1, 11), at(1, 12)) == ["slot_taken"]
    assert codes(instrument, booker, project, at(1, 11, 15), at(1, 12)) == []


def test_released_bookings_do_not_hold_the_slot(instrument, booker, project):
    other = ProjectFactory(code="OTHER-1")
    book(instrument, other.pi, other, at(1, 10), at(1, 11), status=Booking.Status.CANCELLED)
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == []


def test_a_bench_takes_bookings_up_to_its_capacity(instrument, booker, project):
    instrument.capacity = 2
    instrument.save()
    for code in ("A-1", "A-2"):
        other = ProjectFactory(code=code)
        book(instrument, other.pi, other, at(1, 10), at(1, 11))
    assert codes(instrument, booker, project, at(1, 10), at(1, 11)) == ["slot_taken"]
    assert codes(instrument, booker, project, at(1, 11), at(1, 12)) == []


def test_editing_a_booking_does_not_collide_with_itself(instrument, booker, project):
    mine = book(instrument, booker, project, at(1, 10), at(1, 11))
    assert (
        codes(instrument, booker, project, at(1, 10, 30), at(1, 11, 30), booking_id=mine.pk) == []
    )


def test_every_problem_is_reported_at_once(instrument, booker):
    instrument.requires_qualification = True
    found = codes(instrument, booker, None, at(1, 10, 5), at(1, 10, 20))
    assert set(found) >= {"off_granularity", "unknown_project", "not_qualified"}
