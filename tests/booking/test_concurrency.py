"""Many people racing for one slot: exactly one wins, the rest are told the slot is taken."""

import threading

import pytest
from django.db import connections

from booking.models import Booking
from booking.services import BookingRefused, request_booking
from tests.booking.conftest import NOW, at, no_overlapping_holders
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

RACERS = 16
TRIALS = 5

pytestmark = pytest.mark.django_db(transaction=True)


def race(resource, bookers, start, end) -> list[str]:
    """Release every booker through one barrier at the same slot; return each outcome."""
    barrier = threading.Barrier(len(bookers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user, project):
        try:
            barrier.wait()
            request_booking(
                user=user, resource=resource, project=project, start=start, end=end, now=NOW
            )
            outcome = "booked"
        except BookingRefused as refused:
            outcome = ",".join(refused.codes)
        except Exception as error:  # recorded so the assertion shows what went wrong
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=pair) for pair in bookers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def racers():
    bookers = []
    for n in range(RACERS):
        user = UserFactory(email=f"racer{n}@example.org")
        bookers.append((user, ProjectFactory(code=f"RACE-{n}", members=[user])))
    return bookers


def test_exactly_one_of_sixteen_racers_gets_the_slot(racers):
    resource = ResourceFactory(name="Cryo-EM Krios", capacity=1)
    for trial in range(TRIALS):
        outcomes = race(resource, racers, at(1 + trial, 10), at(1 + trial, 12))
        assert sorted(outcomes) == ["booked"] + ["slot_taken"] * (RACERS - 1), outcomes
    assert Booking.objects.count() == TRIALS
    assert no_overlapping_holders() == []


def test_a_bench_of_three_seats_takes_exactly_three_racers(racers):
    bench = ResourceFactory(name="Tissue culture hood", capacity=3)
    outcomes = race(bench, racers, at(1, 10), at(1, 12))
    assert sorted(outcomes) == ["booked"] * 3 + ["slot_taken"] * (RACERS - 3), outcomes
    assert Booking.objects.filter(resource=bench).count() == 3
