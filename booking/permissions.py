"""Who may do what with booking data.

Superusers and site admins see the whole facility. A lab coordinator (a member of the
"Lab coordinator" role and of a lab's coordinators group) sees and edits only the objects
of the labs they coordinate. Everyone else sees nothing in the admin.

The model permissions come from the user's roles (people/roles.py); the object scope comes
from `LabScopedPermissionPolicy`, which every lab-scoped admin viewset uses.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from people.models import User
from people.roles import Role, group_names

from .models import Booking, Lab, Resource

# Any of these on an object means the object is in the user's scope.
SCOPE_ACTIONS = ("add", "change", "delete", "view")


def is_facility_wide(user: User) -> bool:
    """Superusers and site admins act on every lab."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.SITE_ADMIN in group_names(user)


def coordinated_lab_ids(user: User) -> frozenset[int]:
    """Labs whose coordinators group the user belongs to, if they hold the coordinator role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # Kept on the user object: asked many times per request, the answer cannot change in one.
    remembered = vars(user)
    if "_labitory_lab_ids" not in remembered:
        ids: frozenset[int] = frozenset()
        if Role.COORDINATOR in group_names(user):
            ids = frozenset(
                Lab.objects.filter(coordinators__user=user).values_list("pk", flat=True)
            )
        remembered["_labitory_lab_ids"] = ids
    return remembered["_labitory_lab_ids"]


def labs_in_scope(user: User) -> QuerySet[Lab]:
    """Every lab for facility-wide users, a coordinator's own labs, otherwise none."""
    if is_facility_wide(user):
        return Lab.objects.all()
    return Lab.objects.filter(pk__in=coordinated_lab_ids(user))


def can_manage_lab(user: User, lab: Lab) -> bool:
    return is_facility_wide(user) or lab.pk in coordinated_lab_ids(user)


# What a booking still allows. Who may ask is the caller's scope (their own booking on the
# site and in the API, the lab's bookings in the admin); these answer whether it can be done
# now, with the sentence the service refuses with, so that a screen never offers what the
# service would refuse.


def why_not_cancellable(booking: Booking, *, now: datetime.datetime) -> str | None:
    """Why the booking cannot be cancelled at `now`, or None when it can."""
    if booking.purpose == Booking.Purpose.TRAINING:
        return "This time is held for a training session: cancel the session instead."
    if Booking.Status.CANCELLED not in Booking.TRANSITIONS[booking.status]:
        return f"This booking is {booking.get_status_display().lower()}: it cannot be cancelled."
    if booking.end <= now:
        return "This booking has already ended, so it cannot be cancelled."
    return None


def can_cancel_booking(booking: Booking, *, now: datetime.datetime) -> bool:
    return why_not_cancellable(booking, now=now) is None


def why_not_changeable(booking: Booking, *, now: datetime.datetime) -> str | None:
    """Why the booking cannot be moved, re-charged or handed over at `now`, or None."""
    if booking.purpose == Booking.Purpose.TRAINING:
        return "This time is held for a training session: it changes with the session."
    if booking.status not in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED):
        return f"A {booking.get_status_display().lower()} booking cannot be changed."
    if booking.start <= now:
        return "This booking has started, so it can no longer be changed."
    return None


def can_change_booking(booking: Booking, *, now: datetime.datetime) -> bool:
    return why_not_changeable(booking, now=now) is None


class LabScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the roles, narrowed to the labs the user may act on.

    `lab_paths` are lookups from the model to a lab id, e.g. ``("resource__lab",)`` for a
    booking or ``("lab", "resource__lab")`` for a closure that belongs to either; an object
    is in scope when any of them reaches one of the user's labs. `refused_actions` are
    refused to everyone, superusers included (bookings are never added or deleted here).
    """

    def __init__(
        self, model, *, lab_paths: Iterable[str], refused_actions: Iterable[str] = ()
    ) -> None:
        super().__init__(model)
        self.lab_paths = tuple(lab_paths)
        self.refused_actions = frozenset(refused_actions)

    # The model level: does the user hold the action anywhere?

    def user_has_permission(self, user: User, action: str) -> bool:
        if action in self.refused_actions:
            return False
        if not (is_facility_wide(user) or coordinated_lab_ids(user)):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet[User]:
        actions = [action for action in actions if action not in self.refused_actions]
        UserModel = get_user_model()
        if not actions:
            return UserModel.objects.none()
        site_admins = UserModel.objects.filter(groups__name=Role.SITE_ADMIN)
        coordinators = UserModel.objects.filter(groups__name=Role.COORDINATOR).filter(
            groups__coordinated_lab__isnull=False
        )
        return (
            super()
            .users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(pk__in=site_admins) | Q(pk__in=coordinators))
            .distinct()
        )

    # The object level: is this object in one of the user's labs?

    def lab_filter(self, lab_ids: Iterable[int]) -> Q:
        lab_ids = list(lab_ids)
        query = Q(pk__in=[])
        for path in self.lab_paths:
            query |= Q(**{f"{path}__in": lab_ids})
        return query

    def lab_ids_of(self, instance: Model) -> set[int]:
        """The labs an object belongs to, following each of the lab paths."""
        found = set()
        for path in self.lab_paths:
            *relations, last = path.split("__")
            value: Model | None = instance
            for relation in relations:
                value = getattr(value, relation, None)
            if value is not None:
                lab_id = value.pk if last == "pk" else getattr(value, f"{last}_id", None)
                if lab_id is not None:
                    found.add(lab_id)
        return found

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        if is_facility_wide(user):
            return manager.all()
        return manager.filter(self.lab_filter(coordinated_lab_ids(user)))

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Model
    ) -> bool:
        if not self.user_has_any_permission(user, actions):
            return False
        if is_facility_wide(user):
            return True
        return bool(self.lab_ids_of(instance) & coordinated_lab_ids(user))

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet[User]:
        in_lab = Q(groups__coordinated_lab__in=self.lab_ids_of(instance))
        return (
            self.users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(groups__name=Role.SITE_ADMIN) | in_lab)
            .distinct()
        )


# Attendance and calendars: the booker acts on their own booking; the lab's staff record
# attendance for them.


def can_check_in(user: User | None, booking: Booking) -> bool:
    """The booker may check in to their own booking."""
    return bool(user and user.is_authenticated and user.is_active and user.pk == booking.user_id)


def can_check_out(user: User | None, booking: Booking) -> bool:
    return can_check_in(user, booking)


def can_record_attendance(user: User | None, booking: Booking) -> bool:
    """A lab's coordinators (and site admins) check its bookers in or out, or record a
    no-show, at the desk."""
    if user is None or not user.is_authenticated:
        return False
    return can_manage_lab(user, booking.resource.lab)


def can_see_booker_names(user: User | None, resource: Resource) -> bool:
    """Who booked a resource, and for which project: shown to its lab's coordinators and to
    site admins only. Everyone else (researchers, approvers, finance, other labs'
    coordinators) sees busy times. The API's free/busy answer and the resource calendar feed
    both ask here."""
    if user is None or not user.is_authenticated:
        return False
    return is_facility_wide(user) or resource.lab_id in coordinated_lab_ids(user)


def can_set_resource_status(user: User | None, resource: Resource) -> bool:
    """Whether an instrument is up, limited or down is said by its lab's coordinators and by
    site admins."""
    if user is None or not user.is_authenticated:
        return False
    return can_manage_lab(user, resource.lab)


def is_researcher(user: User | None) -> bool:
    """Staff book only for active people in the Researcher role: the facility's labs are
    open to every researcher, so a researcher of the facility is a user of each lab."""
    return bool(user and user.is_active and Role.RESEARCHER in group_names(user))


def can_book_for(staff: User | None, researcher: User | None, resource: Resource) -> bool:
    """A lab's coordinators (and site admins) book its resources on behalf of researchers."""
    if staff is None or not staff.is_authenticated:
        return False
    return can_manage_lab(staff, resource.lab) and is_researcher(researcher)
