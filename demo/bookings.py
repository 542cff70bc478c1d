"""Demo bookings across the past and coming weeks, made through the booking services.

Researchers accept the policies and get the qualifications they need, then book; past
bookings are checked in and out (or left as no-shows), as the real life cycle would.
Runs only while the demo facility has no bookings at all, so a second run adds nothing.
"""

import datetime
import random

from django.utils import timezone

from booking.models import Booking, Qualification, RequiredPolicy, Resource
from booking.services import BookingRefused, check_in, check_out, request_booking, transition
from booking.services.policies import accept_policy
from labitory.clock import facility_zone
from people.models import Project, User

RESEARCHERS = (
    "researcher@demo.labitory.test",
    "external@demo.labitory.test",
    "industry@demo.labitory.test",
)
COORDINATOR = "coordinator@demo.labitory.test"
# Two months back, so that last month is a whole month of usage for its statements.
PAST_DAYS = 62
FUTURE_DAYS = 28


def seed_demo_bookings(now: datetime.datetime | None = None) -> int:
    """Create the demo bookings if there are none yet; return how many were made."""
    now = now or timezone.now()
    if Booking.objects.exists():
        return 0
    bookers = list(User.objects.filter(email__in=RESEARCHERS))
    resources = list(Resource.objects.filter(is_active=True).order_by("pk"))
    if not bookers or not resources:
        return 0
    prepare_bookers(bookers, resources, now)
    rng = random.Random(2026)
    made = 0
    for offset in range(-PAST_DAYS, FUTURE_DAYS):
        day = (now.astimezone(facility_zone()) + datetime.timedelta(days=offset)).date()
        if day.weekday() >= 5:
            continue
        for resource in resources:
            for hour in rng.sample(range(8, 18, 2), k=rng.randint(0, 2)):
                made += book_demo_slot(resource, rng.choice(bookers), day, hour, rng, now)
    return made


def prepare_bookers(bookers: list[User], resources: list[Resource], now: datetime.datetime) -> None:
    """Every demo researcher accepts the required policies and is trained where needed."""
    coordinator = User.objects.filter(email=COORDINATOR).first()
    policy_ids = set(RequiredPolicy.objects.values_list("policy_id", flat=True))
    for user in bookers:
        for policy_id in policy_ids:
            accept_policy(user=user, policy_page_id=policy_id, now=now)
        for resource in resources:
            if resource.requires_qualification:
                Qualification.objects.get_or_create(
                    user=user, resource=resource, defaults={"granted_by": coordinator}
                )


def book_demo_slot(
    resource: Resource,
    user: User,
    day: datetime.date,
    hour: int,
    rng: random.Random,
    now: datetime.datetime,
) -> int:
    """Book one slot as if it had been booked a few days ahead; 1 if it was made, else 0."""
    project = Project.objects.for_member(user).active_on(day).order_by("code").first()
    minutes = max(resource.min_duration, min(resource.max_duration, rng.choice((60, 90, 120))))
    minutes -= minutes % resource.granularity
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=facility_zone())
    end = start + datetime.timedelta(minutes=minutes)
    booked_at = min(now, start - datetime.timedelta(days=3))
    try:
        booking = request_booking(
            user=user, resource=resource, project=project, start=start, end=end, now=booked_at
        )
    except BookingRefused:
        return 0
    if end <= now and booking.status == Booking.Status.CONFIRMED:
        live_past_booking(booking, user, rng)
    return 1


def live_past_booking(booking: Booking, user: User, rng: random.Random) -> None:
    """Most past bookings were used; a few were no-shows."""
    if rng.random() < 0.08:
        transition(booking, Booking.Status.NO_SHOW, by=None)
        return
    arrived = booking.start + datetime.timedelta(minutes=rng.choice((0, 5, 10)))
    check_in(booking=booking, by=user, now=arrived)
    left = booking.end - datetime.timedelta(minutes=rng.choice((0, 0, 15)))
    check_out(booking=booking, by=user, now=left)
