"""Reads of training state: a person's own training, and a lab's overview."""

import datetime
from dataclasses import dataclass

import tablib
from django.db.models import Count, QuerySet

from booking.models import Lab, Qualification, Resource
from people.models import User

from .models import QualificationRecord, TrainingRequest, TrainingSession

EXPORT_HEADERS = ["Person", "E-mail", "Instrument", "Level", "Expires", "Granted by", "Note"]


def my_qualifications(user: User) -> QuerySet[Qualification]:
    return Qualification.objects.filter(user=user).select_related("resource__lab")


def my_requests(user: User) -> QuerySet[TrainingRequest]:
    return (
        TrainingRequest.objects.filter(requester=user)
        .select_related("resource__lab", "session")
        .order_by("-created_at")
    )


def upcoming_sessions(now: datetime.datetime) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(status=TrainingSession.Status.SCHEDULED, ends_at__gt=now)
        .select_related("resource__lab", "trainer")
        .annotate(seated=Count("attendances"))
    )


def my_sessions(user: User, now: datetime.datetime) -> QuerySet[TrainingSession]:
    return upcoming_sessions(now).filter(attendances__user=user)


def joinable_sessions(user: User, now: datetime.datetime) -> list[TrainingSession]:
    """Sessions open to requesters, not started and not full, on instruments the user waits
    for training on."""
    waiting = TrainingRequest.objects.filter(
        requester=user, status=TrainingRequest.Status.PENDING
    ).values("resource")
    sessions = upcoming_sessions(now).filter(
        resource__in=waiting, open_to_requesters=True, starts_at__gt=now
    )
    # `seated` is upcoming_sessions' count of attendances.
    return [s for s in sessions if s.seated < s.capacity]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LabTraining:
    lab: Lab
    qualifications: list[Qualification]
    pending: list[TrainingRequest]
    sessions: list[TrainingSession]
    recent: list[TrainingSession]
    resources: list[Resource]


def lab_training(lab: Lab, now: datetime.datetime) -> LabTraining:
    """Who is trained on what until when, requests waiting, sessions to come and to record."""
    return LabTraining(
        lab=lab,
        qualifications=list(lab_qualifications(lab)),
        pending=list(
            TrainingRequest.objects.filter(
                resource__lab=lab, status=TrainingRequest.Status.PENDING
            ).select_related("resource", "requester")
        ),
        sessions=list(upcoming_sessions(now).filter(resource__lab=lab)),
        recent=list(
            TrainingSession.objects.filter(
                resource__lab=lab, status=TrainingSession.Status.SCHEDULED, ends_at__lte=now
            ).select_related("resource", "trainer")
        ),
        resources=list(
            Resource.objects.filter(lab=lab, requires_qualification=True, is_active=True)
        ),
    )


def lab_qualifications(lab: Lab) -> QuerySet[Qualification]:
    return (
        Qualification.objects.filter(resource__lab=lab)
        .select_related("user", "resource", "granted_by")
        .order_by("resource__name", "user__last_name", "user__email")
    )


def qualifications_dataset(lab: Lab) -> tablib.Dataset:
    rows = [
        (
            q.user.name,
            q.user.email,
            q.resource.name,
            "Unsupervised" if q.unsupervised else "Supervised",
            q.expires_on,
            q.granted_by.name if q.granted_by else "",
            q.note,
        )  # fmt: skip
        for q in lab_qualifications(lab)
    ]
    return tablib.Dataset(*rows, headers=EXPORT_HEADERS, title=f"Training {lab.slug}"[:31])


def history_of(user: User) -> QuerySet[QualificationRecord]:
    return QualificationRecord.objects.filter(user=user).select_related("resource", "by")
