"""The waiting list: joining, offers in order, expiry to the next in line, accepting, leaving."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from booking.events import waitlist_event
from booking.models import Booking, Qualification, WaitlistEntry
from booking.services import (
    BookingRefused,
    WaitlistRefused,
    accept_offer,
    cancel_booking,
    expire_offers,
    join_waitlist,
    offer_freed_slot,
    request_booking,
    transition,
    withdraw,
)
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = WaitlistEntry.Status
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def holding(instrument, booker, project) -> Booking:
    """The booker holds tomorrow 10:00–11:00."""
    return request_booking(
        user=booker, resource=instrument, project=project, start=at(1, 10), end=at(1, 11), now=NOW
    )


def researcher(name: str):
    user = UserFactory(email=f"{name}@example.org", first_name=name.title())
    return user, ProjectFactory(members=[user])


@pytest.fixture
def wendy():
    return researcher("wendy")


@pytest.fixture
def walter():
    return researcher("walter")


def wait(instrument, person, start=None, end=None, now=NOW) -> WaitlistEntry:
    user, project = person
    return join_waitlist(
        user=user,
        resource=instrument,
        project=project,
        start=start or at(1, 10),
        end=end or at(1, 11),
        now=now,
    )


def free(booking: Booking, now=NOW) -> list[WaitlistEntry]:
    """Cancel the booking and offer its time, as the booking event's receiver does."""
    cancel_booking(booking=booking, by=booking.user, now=now)
    return offer_freed_slot(
        resource=booking.resource, start=booking.start, end=booking.end, now=now
    )


def reloaded(entry: WaitlistEntry) -> WaitlistEntry:
    return WaitlistEntry.objects.get(pk=entry.pk)


# Joining.


def test_anyone_may_wait_for_a_taken_slot(instrument, holding, wendy):
    entry = wait(instrument, wendy)

    assert entry.status == Status.WAITING
    assert (entry.user, entry.project) == wendy
    assert ModelLogEntry.objects.filter(
        object_id=str(entry.pk), action="booking.waitlist.joined", user=wendy[0]
    ).exists()


def test_a_free_slot_is_booked_not_waited_for(instrument, wendy):
    with pytest.raises(WaitlistRefused) as refused:
        wait(instrument, wendy)

    assert refused.value.codes == ["slot_free"]
    assert not WaitlistEntry.objects.exists()


def test_waiting_twice_for_the_same_time_is_refused(instrument, holding, wendy):
    wait(instrument, wendy)

    with pytest.raises(WaitlistRefused) as refused:
        wait(instrument, wendy, at(1, 10, 30), at(1, 11))

    assert refused.value.codes == ["already_waiting"]
    assert WaitlistEntry.objects.count() == 1


def test_waiting_checks_every_booking_rule_but_the_taken_slot(instrument, holding, wendy):
    user, _ = wendy
    not_theirs = ProjectFactory()
    instrument.max_duration = 30
    instrument.save()

    with pytest.raises(WaitlistRefused) as refused:
        join_waitlist(
            user=user,
            resource=instrument,
            project=not_theirs,
            start=at(1, 10),
            end=at(1, 11),
            now=NOW,
        )

    assert refused.value.codes == ["too_long", "not_project_member"]


def test_the_holder_cannot_wait_for_their_own_slot(instrument, holding, booker, project):
    with pytest.raises(WaitlistRefused) as refused:
        wait(instrument, (booker, project))

    assert refused.value.codes == ["overlaps_own_booking"]


# Offers.


def test_a_freed_slot_is_offered_to_the_first_in_line(
    instrument, holding, wendy, walter, django_capture_on_commit_callbacks
):
    first, second = wait(instrument, wendy), wait(instrument, walter)
    cancel_booking(booking=holding, by=holding.user, now=NOW)
    sent = []
    waitlist_event.connect(
        lambda **kw: sent.append((kw["entry_id"], kw["event"])), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            offered = offer_freed_slot(resource=instrument, start=at(1, 10), end=at(1, 11), now=NOW)
    finally:
        waitlist_event.disconnect(dispatch_uid="t")

    assert offered == [first]
    first, second = reloaded(first), reloaded(second)
    assert first.status == Status.OFFERED
    assert first.offered_at == NOW
    assert first.offer_expires_at == NOW + HOUR
    assert second.status == Status.WAITING
    assert sent == [(first.pk, "waitlist_offered")]


def test_the_offer_hold_is_a_setting(instrument, holding, wendy, settings):
    settings.WAITLIST_OFFER_MINUTES = 20
    entry = wait(instrument, wendy)

    free(holding)

    assert reloaded(entry).offer_expires_at == NOW + 20 * MINUTE


def test_an_offer_never_outlasts_the_chance_to_book(instrument, booker, project, wendy):
    instrument.min_notice = 10
    instrument.save()
    soon = request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=at(0, 9, 30),
        end=at(0, 10),
        now=NOW,
    )
    entry = wait(instrument, wendy, at(0, 9, 30), at(0, 10))

    free(soon, now=NOW + MINUTE)

    assert reloaded(entry).offer_expires_at == at(0, 9, 20)


def test_time_that_is_still_taken_is_not_offered(instrument, holding, booker, project, wendy):
    request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 11),
        end=at(1, 12),
        now=NOW,
    )
    entry = wait(instrument, wendy, at(1, 10, 30), at(1, 11, 30))

    assert free(holding) == []
    assert reloaded(entry).status == Status.WAITING


def test_someone_who_could_not_book_the_slot_is_passed_over(instrument, holding, wendy, walter):
    first, second = wait(instrument, wendy), wait(instrument, walter)
    instrument.requires_qualification = True
    instrument.save()
    Qualification.objects.create(user=walter[0], resource=instrument)

    assert free(holding) == [second]
    assert reloaded(first).status == Status.WAITING


def test_waiters_for_separate_parts_of_the_freed_time_are_all_offered(
    instrument, booker, project, wendy, walter
):
    long = request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 13),
        now=NOW,
    )
    morning = wait(instrument, wendy, at(1, 10), at(1, 11))
    noon = wait(instrument, walter, at(1, 12), at(1, 13))

    assert free(long) == [morning, noon]


def test_nobody_is_offered_time_already_offered_to_someone_else(instrument, holding, wendy, walter):
    first = wait(instrument, wendy)
    second = wait(instrument, walter, at(1, 10, 30), at(1, 11))
    free(holding)

    assert offer_freed_slot(resource=instrument, start=at(1, 10), end=at(1, 11), now=NOW) == []
    assert reloaded(first).status == Status.OFFERED
    assert reloaded(second).status == Status.WAITING


def test_time_on_offer_counts_as_taken_for_joining(instrument, holding, wendy, walter):
    wait(instrument, wendy)
    free(holding)

    assert wait(instrument, walter).status == Status.WAITING


# Expiry.


def test_an_expired_offer_passes_to_the_next_in_line(instrument, holding, wendy, walter):
    first, second = wait(instrument, wendy), wait(instrument, walter)
    free(holding)
    later = NOW + HOUR

    assert expire_offers(now=later - MINUTE) == 0
    assert expire_offers(now=later) == 1

    assert reloaded(first).status == Status.EXPIRED
    second = reloaded(second)
    assert second.status == Status.OFFERED
    assert second.offer_expires_at == later + HOUR
    assert ModelLogEntry.objects.filter(
        object_id=str(first.pk), action="booking.waitlist.expired"
    ).exists()


def test_expiring_twice_is_harmless(instrument, holding, wendy, walter):
    wait(instrument, wendy)
    wait(instrument, walter)
    free(holding)
    expire_offers(now=NOW + HOUR)

    assert expire_offers(now=NOW + HOUR) == 0
    assert WaitlistEntry.objects.filter(status=Status.OFFERED).count() == 1


def test_the_last_expiry_leaves_the_slot_free(instrument, holding, wendy):
    entry = wait(instrument, wendy)
    free(holding)

    assert expire_offers(now=NOW + HOUR) == 1
    assert reloaded(entry).status == Status.EXPIRED
    assert not WaitlistEntry.objects.filter(status=Status.OFFERED).exists()


# Accepting.


def test_accepting_an_offer_books_the_slot(instrument, holding, wendy):
    entry = wait(instrument, wendy)
    free(holding)

    booking = accept_offer(entry=entry, user=wendy[0], now=NOW + 10 * MINUTE)

    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.user, booking.project) == wendy
    assert (booking.start, booking.end) == (at(1, 10), at(1, 11))
    entry = reloaded(entry)
    assert entry.status == Status.ACCEPTED
    assert entry.booking == booking


def test_accepting_checks_every_rule_again(instrument, holding, wendy):
    entry = wait(instrument, wendy)
    free(holding)
    user, project = wendy
    project.members.remove(user)

    with pytest.raises(BookingRefused) as refused:
        accept_offer(entry=entry, user=user, now=NOW + 10 * MINUTE)

    assert refused.value.codes == ["not_project_member"]
    assert reloaded(entry).status == Status.OFFERED
    assert not Booking.objects.filter(user=user).exists()


def test_an_offered_slot_is_held_for_the_person_offered(
    instrument, holding, wendy, booker, project
):
    entry = wait(instrument, wendy)
    free(holding)

    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=booker,
            resource=instrument,
            project=project,
            start=at(1, 10),
            end=at(1, 11),
            now=NOW,
        )
    assert refused.value.codes == ["slot_taken"]

    accept_offer(entry=entry, user=wendy[0], now=NOW + MINUTE)
    assert reloaded(entry).status == Status.ACCEPTED


def test_the_slot_is_free_for_anyone_once_the_offer_lapses(
    instrument, holding, wendy, booker, project
):
    wait(instrument, wendy)
    free(holding)
    booking = request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        now=NOW + HOUR,
    )
    assert booking.holds_slot


def test_an_offer_cannot_be_accepted_once_it_has_expired(instrument, holding, wendy):
    entry = wait(instrument, wendy)
    free(holding)

    with pytest.raises(WaitlistRefused) as refused:
        accept_offer(entry=entry, user=wendy[0], now=NOW + HOUR)

    assert refused.value.codes == ["offer_expired"]


def test_only_the_person_offered_can_accept(instrument, holding, wendy, walter):
    entry = wait(instrument, wendy)
    free(holding)

    with pytest.raises(WaitlistRefused) as refused:
        accept_offer(entry=entry, user=walter[0], now=NOW + MINUTE)

    assert refused.value.codes == ["not_your_offer"]


def test_a_waiting_entry_without_an_offer_cannot_be_accepted(instrument, holding, wendy):
    entry = wait(instrument, wendy)

    with pytest.raises(WaitlistRefused) as refused:
        accept_offer(entry=entry, user=wendy[0], now=NOW)

    assert refused.value.codes == ["no_open_offer"]


# Withdrawing.


def test_withdrawing_leaves_the_list(instrument, holding, wendy):
    entry = wait(instrument, wendy)

    assert withdraw(entry=entry, user=wendy[0], now=NOW).status == Status.WITHDRAWN
    assert free(holding) == []


def test_withdrawing_an_offer_passes_it_to_the_next_in_line(instrument, holding, wendy, walter):
    first, second = wait(instrument, wendy), wait(instrument, walter)
    free(holding)

    withdraw(entry=first, user=wendy[0], now=NOW + MINUTE)

    assert reloaded(first).status == Status.WITHDRAWN
    assert reloaded(second).status == Status.OFFERED


def test_nobody_else_can_withdraw_an_entry(instrument, holding, wendy, walter):
    entry = wait(instrument, wendy)

    with pytest.raises(WaitlistRefused) as refused:
        withdraw(entry=entry, user=walter[0], now=NOW)

    assert refused.value.codes == ["not_your_entry"]
    assert reloaded(entry).status == Status.WAITING


def test_a_closed_entry_cannot_be_withdrawn(instrument, holding, wendy):
    entry = wait(instrument, wendy)
    withdraw(entry=entry, user=wendy[0], now=NOW)

    with pytest.raises(WaitlistRefused) as refused:
        withdraw(entry=entry, user=wendy[0], now=NOW)

    assert refused.value.codes == ["not_waiting"]


# Wiring: a cancellation reaches the waiting list through the booking event.


def test_cancelling_a_booking_offers_its_slot_to_the_waiting_list(
    instrument, holding, wendy, eager_tasks, django_capture_on_commit_callbacks
):
    # The receiver runs on the real clock, for which this slot lies years ahead.
    instrument.horizon_days = 3650
    instrument.save()
    entry = wait(instrument, wendy)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=holding, by=holding.user, now=NOW)

    assert reloaded(entry).status == Status.OFFERED


def test_a_completed_booking_offers_nothing(
    instrument, holding, wendy, eager_tasks, django_capture_on_commit_callbacks
):
    instrument.horizon_days = 3650
    instrument.save()
    entry = wait(instrument, wendy)

    with django_capture_on_commit_callbacks(execute=True):
        transition(holding, Booking.Status.COMPLETED, by=None)

    assert reloaded(entry).status == Status.WAITING
