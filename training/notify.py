"""Telling people about training through the one outbox: the lab's trainers of a request,
attendees of their session (with its `.ics`), the signed-off of their level and expiry, holders
of an expiry ahead. Each message has a key, so it is recorded once."""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse

from booking.models import Lab, Resource
from people.models import User
from workflows.approvers import coordinators_of, site_admins
from workflows.notifications import absolute, format_when
from workflows.outbox import Draft, enqueue, enqueue_many

from .models import LabTrainers, TrainingRequest, TrainingSession


def trainers_group(lab: Lab) -> Group:
    """The lab's "Trainers · ⟨lab⟩" group, made the first time it is asked for."""
    found = LabTrainers.objects.filter(lab=lab).select_related("group").first()
    if found:
        return found.group
    group, _ = Group.objects.get_or_create(name=f"Trainers · {lab.name}"[:150])
    LabTrainers.objects.create(lab=lab, group=group)
    return group


def trainers_of(lab: Lab) -> list[User]:
    """Who hears of a new request: the lab's trainers, else its coordinators, else the site
    admins."""
    trainers = list(User.objects.filter(groups__trains_lab__lab=lab, is_active=True).distinct())
    return trainers or coordinators_of(lab) or site_admins()


def lab_url(lab: Lab) -> str:
    return absolute(reverse("training:lab", args=[lab.pk]))


def my_training_url() -> str:
    return absolute(reverse("training:mine"))


def tell_trainers(request: TrainingRequest) -> None:
    context = {
        "resource": request.resource,
        "requester": request.requester,
        "note": request.note,
        "training_url": lab_url(request.resource.lab),
    }
    enqueue_many(
        Draft("training_requested", person, f"training.request.{request.pk}.user.{person.pk}",
              context)
        for person in trainers_of(request.resource.lab)
    )  # fmt: skip


def tell_attendee(
    event: str, session: TrainingSession, person: User, by: User, reason: str = ""
) -> None:
    """`training_scheduled` (with the session's `.ics`) or `training_cancelled`."""
    enqueue(
        event,
        to=person,
        key=f"training.session.{session.pk}.{event}.user.{person.pk}",
        context={
            "booking": session.hold,  # the held time: the calendar file is written from it
            "resource": session.resource,
            "when": format_when(session.starts_at, session.ends_at),
            "by": session.trainer if event == "training_scheduled" else by,
            "reason": reason,
            "training_url": my_training_url(),
        },
    )


def tell_signed_off(
    person: User, resource: Resource, unsupervised: bool, expires_on, by: User | None
) -> None:
    enqueue(
        "training_signed_off",
        to=person,
        key=f"training.signoff.{resource.pk}.{expires_on}.user.{person.pk}",
        context={
            "resource": resource,
            "level": "unsupervised" if unsupervised else "supervised",
            "expires": f"{expires_on:%d %B %Y}" if expires_on else "no expiry",
            "by": by,
            "training_url": my_training_url(),
        },
    )


def tell_expiring(
    person: User, resource: Resource, expires_on: datetime.date, lead: int, renewal: str, pk: int
) -> bool:
    """One reminder per qualification, expiry and lead time; False when it was sent already."""
    message = enqueue(
        "training_expiring",
        to=person,
        key=f"training.expiring.{pk}.{expires_on:%Y-%m-%d}.{lead}",
        context={
            "resource": resource,
            "expires": f"{expires_on:%d %B %Y}",
            "days": lead,
            "renewal": renewal,
            "training_url": my_training_url(),
        },
    )
    return message is not None
