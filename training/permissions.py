"""Who may do what with training: a lab's trainers (its "Trainers · ⟨lab⟩" group) and its
coordinators (and site admins) run sessions and sign people off; coordinators see the lab's
training overview; anyone signed in asks for training on an instrument that needs it."""

from booking.models import Lab, Resource
from booking.permissions import can_manage_lab, coordinated_lab_ids, is_facility_wide
from people.models import User

from .models import LabTrainers, TrainingRequest, TrainingSession


def trained_lab_ids(user: User) -> frozenset[int]:
    """Labs whose trainers group the user belongs to."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(LabTrainers.objects.filter(group__user=user).values_list("lab_id", flat=True))


def can_train(user: User | None, lab: Lab) -> bool:
    """Schedule sessions, invite, record attendance and sign off on the lab's instruments."""
    if user is None or not user.is_authenticated:
        return False
    return can_manage_lab(user, lab) or lab.pk in trained_lab_ids(user)


def can_see_lab_training(user: User | None, lab: Lab) -> bool:
    """The lab's overview: who is trained until when, requests, sessions, the export."""
    return can_train(user, lab)


def training_lab_ids(user: User) -> frozenset[int] | None:
    """The labs the user runs training for; None for every lab (site admins)."""
    if is_facility_wide(user):
        return None
    return coordinated_lab_ids(user) | trained_lab_ids(user)


def can_request_training(user: User | None, resource: Resource) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and resource.is_active
    )


def can_see_session(user: User | None, session: TrainingSession) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if can_train(user, session.resource.lab):
        return True
    if session.attendances.filter(user=user).exists():
        return True
    return session.open_to_requesters and waiting_request(user, session.resource) is not None


def waiting_request(user: User, resource: Resource) -> TrainingRequest | None:
    """The user's request for training on the resource still waiting for a session."""
    return TrainingRequest.objects.filter(
        resource=resource, requester=user, status=TrainingRequest.Status.PENDING
    ).first()
