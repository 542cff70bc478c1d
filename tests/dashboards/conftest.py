"""A facility with a booking of each kind in the Imaging lab (coordinated by `coordinator`)
and the same again in the Proteomics lab, which no panel of an Imaging coordinator shows."""

import datetime

import pytest
from django.utils import timezone

from booking.models import Booking, MaintenanceWindow
from operations.models import ProblemReport
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.workflows.conftest import managers, two_step_rule  # noqa: F401 (shared fixtures)


def place(resource, user, project, start, hours=1, status=Booking.Status.CONFIRMED):
    return Booking.objects.create(
        resource=resource,
        user=user,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        status=status,
    )


def fill_lab(resource, *, now, name: str) -> None:
    """Today's booking, a request waiting, a no-show, maintenance and an open report."""
    user = UserFactory(first_name=name, last_name="Booker")
    project = ProjectFactory(members=[user])
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    place(resource, user, project, midnight + datetime.timedelta(hours=1))
    place(
        resource,
        user,
        project,
        now + datetime.timedelta(days=2),
        status=Booking.Status.REQUESTED,
    )
    place(resource, user, project, now - datetime.timedelta(days=2), status="no_show")
    MaintenanceWindow.objects.create(
        resource=resource,
        starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5, hours=3),
        reason=f"{name} service visit",
    )
    ProblemReport.objects.create(
        resource=resource, reporter=user, summary=f"{name} stage drifts", severity="minor"
    )


@pytest.fixture
def busy_labs(facility):
    now = timezone.now()
    fill_lab(facility.confocal.resource, now=now, name="Imaging")
    fill_lab(facility.orbitrap.resource, now=now, name="Proteomics")
    return now


def another_instrument(lab):
    """A further instrument of `lab`, so a second set of bookings overlaps nothing."""
    return ResourceFactory(lab=lab)
