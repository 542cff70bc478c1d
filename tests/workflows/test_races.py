"""An approval and a cancellation arriving together leave one consistent state."""

import threading
from functools import partial

import pytest
from django.db import connections

from booking.models import Booking
from booking.services import IllegalTransition, cancel_booking
from tests.workflows.helpers import NOW, at, book, make_rule
from workflows import approvals
from workflows.approvals import ApprovalRefused
from workflows.models import ApprovalRequest, ApprovalStep, ApprovalTask

pytestmark = pytest.mark.django_db(transaction=True)

TRIALS = 6


def at_once(*actions) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except (ApprovalRefused, IllegalTransition) as refused:
            outcomes.append(getattr(refused, "code", "illegal"))
        except Exception as error:  # shown by the assertion
            outcomes.append(f"error: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_approve_and_cancel_together(instrument, booker, project):
    make_rule(instrument.lab, {"approvers": ApprovalStep.Approvers.PROJECT_PI}, always=True)
    for trial in range(TRIALS):
        booking = book(instrument, booker, project, at(1 + trial, 10), at(1 + trial, 11))
        task = ApprovalTask.objects.get(request__booking=booking)

        outcomes = at_once(
            partial(approvals.decide, task, by=project.pi, approve=True),
            partial(cancel_booking, booking=booking, by=booker, now=NOW),
        )

        assert not any(o.startswith("error") for o in outcomes), outcomes
        booking.refresh_from_db()
        request = ApprovalRequest.objects.get(booking=booking)
        # Whichever came first, the booking ends cancelled and the request agrees with it.
        assert booking.status == Booking.Status.CANCELLED
        if outcomes.count("done") == 2:
            assert request.status == ApprovalRequest.Status.APPROVED, "approved, then cancelled"
        else:
            assert request.status == ApprovalRequest.Status.CANCELLED
            assert "request_cancelled" in outcomes
        assert not ApprovalTask.objects.filter(request=request, decision="pending").exists()
