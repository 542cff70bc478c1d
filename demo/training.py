"""Demo training: the cell sorter's lab gets a trainers group (the demo coordinator), a
training policy, a researcher waiting for a refresher and an upcoming session to join.

Made once, when there is no training session yet, so a second run adds nothing.
"""

import datetime

from django.utils import timezone

from booking.models import Resource
from booking.services import BookingRefused
from labitory.clock import facility_zone
from people.models import Project, User
from training.models import TrainingPolicy, TrainingSession
from training.notify import trainers_group
from training.services import request_training, schedule_session

SORTER = "Cell sorter FACSAria Fusion"
TRAINER = "coordinator@demo.labitory.test"
REQUESTER = "external@demo.labitory.test"


def seed_demo_training(now: datetime.datetime | None = None) -> int:
    """Create the demo training if there is none; return how many sessions were made."""
    now = now or timezone.now()
    sorter = Resource.objects.filter(name=SORTER).select_related("lab").first()
    trainer = User.objects.filter(email=TRAINER).first()
    requester = User.objects.filter(email=REQUESTER).first()
    if TrainingSession.objects.exists() or not (sorter and trainer and requester):
        return 0
    trainer.groups.add(trainers_group(sorter.lab))
    TrainingPolicy.objects.get_or_create(
        resource=sorter,
        defaults={
            "valid_months": 12,
            "description": "Two hours at the instrument: start-up, fluidics, sort set-up in "
            "the biosafety cabinet, clean-down. Bring a test sample.",
        },
    )
    note = "Refresher before my sign-off runs out; I sort CL2 samples next month."
    request_training(resource=sorter, by=requester, note=note, now=now)
    return _first_free_session(sorter, trainer, now)


def _first_free_session(sorter: Resource, trainer: User, now: datetime.datetime) -> int:
    project = Project.objects.active_on(now.date()).order_by("code").first()
    if project is None:
        return 0
    start_day = now.astimezone(facility_zone()).date() + datetime.timedelta(days=5)
    for offset in range(10):
        day = start_day + datetime.timedelta(days=offset)
        for hour in (9, 11, 14, 16):
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=facility_zone())
            try:
                schedule_session(
                    resource=sorter, by=trainer, trainer=trainer, project=project,
                    starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=4,
                    note="Meet at the instrument room.", now=now,
                )  # fmt: skip
            except BookingRefused:
                continue
            return 1
    return 0
