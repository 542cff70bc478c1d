"""A training session and bookings racing for one slot on PostgreSQL: never both."""

import threading

import pytest
from django.db import connection, connections

from booking.models import Booking, Qualification
from booking.services import BookingRefused, request_booking
from tests.booking.conftest import NOW, at, no_overlapping_holders
from tests.factories import ProjectFactory, UserFactory
from training.models import TrainingSession
from training.services import schedule_session

BOOKERS = 7
TRIALS = 4

pytestmark = pytest.mark.django_db(transaction=True)


def _attempt(work, barrier, outcomes, lock):
    try:
        barrier.wait()
        work()
        outcome = "held"
    except BookingRefused as refused:
        outcome = ",".join(refused.codes)
    except Exception as error:  # recorded so the assertion shows what went wrong
        outcome = f"error: {type(error).__name__}: {error}"
    finally:
        connections.close_all()
    with lock:
        outcomes.append(outcome)


def race(works) -> list[str]:
    barrier, lock, outcomes = threading.Barrier(len(works)), threading.Lock(), []
    threads = [
        threading.Thread(target=_attempt, args=(work, barrier, outcomes, lock)) for work in works
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_session_and_bookings_racing_for_one_slot_never_both_hold_it(
    sorter, trainer, lab_project
):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    bookers = []
    for n in range(BOOKERS):
        user = UserFactory(email=f"racer{n}@example.org")
        Qualification.objects.create(user=user, resource=sorter)
        bookers.append((user, ProjectFactory(code=f"RACE-{n}", members=[user])))
    for trial in range(TRIALS):
        start, end = at(1 + trial, 10), at(1 + trial, 12)

        def session(start=start, end=end):
            schedule_session(
                resource=sorter, by=trainer, trainer=trainer, project=lab_project,
                starts_at=start, ends_at=end, capacity=2, now=NOW,
            )  # fmt: skip

        def booking(user, project, start=start, end=end):
            return lambda: request_booking(
                user=user, resource=sorter, project=project, start=start, end=end, now=NOW
            )

        outcomes = race([session, *(booking(u, p) for u, p in bookers)])
        assert sorted(outcomes) == ["held"] + ["slot_taken"] * BOOKERS, outcomes
    holders = Booking.objects.filter(resource=sorter, status__in=Booking.HOLDING)
    assert holders.count() == TRIALS
    assert TrainingSession.objects.count() == holders.filter(purpose="training").count()
    assert no_overlapping_holders() == []
