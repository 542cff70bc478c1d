"""Two speed tricks of the API's hot path against the plain ORM, on a small dataset made in
the run (a throw-away test database on DATABASE_URL, as the test suite uses).

Figures (median of 7 rounds), in this process's CPU time: what the tricks save is Python's
work (compiling a queryset, building fields), and CPU time is not inflated by other load on
the machine as a wall clock is:
  rows_row_where_us          labitory.rows.row_where: one token, its user, a project and a
                             user's notification preferences looked up by one column, µs each
  rows_orm_us                the same look-ups as Model.objects.filter(column=value).first()
  fields_cached_page_ms      a page of 50 bookings through BookingSerializer with its fields
                             built once per class and deep-copied per instance (a cache the
                             API had; it saved under a tenth of a page's time, so it went)
  fields_plain_page_ms       the same page with DRF's own get_fields (built per instance)
"""

import copy
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from tests.benchmarks.results import record  # noqa: E402

LOOKUPS = 500
PAGES = 40
ROUNDS = 7


def median_of(rounds: int, run) -> float:
    return statistics.median(run() for _ in range(rounds))


def lookups(find) -> float:
    """µs per look-up: token by hash, user by id, project by id, preferences by user."""
    from people.api_tokens import ApiToken
    from people.models import Project, User
    from workflows.models import NotificationPreferences

    token = ApiToken.objects.first()
    project = Project.objects.first()
    began = time.process_time()
    for _ in range(LOOKUPS):
        find(ApiToken, "token_hash", token.token_hash)
        find(User, "id", token.user_id)
        find(Project, "id", project.pk)
        find(NotificationPreferences, "user_id", token.user_id)
    return round((time.process_time() - began) / (4 * LOOKUPS) * 1e6, 1)


def plain(model, column, value):
    return model.objects.filter(**{column: value}).first()


def cached_get_fields(serializer):
    """The field cache that was measured: the class builds its fields once."""
    from rest_framework.serializers import ModelSerializer

    cls = type(serializer)
    if "_fields_built" not in cls.__dict__:
        cls._fields_built = ModelSerializer.get_fields(serializer)
    return copy.deepcopy(cls._fields_built)


def plain_get_fields(serializer):
    from rest_framework.serializers import ModelSerializer

    return ModelSerializer.get_fields(serializer)


def pages(get_fields) -> float:
    """ms per page of 50 bookings, serialized with `get_fields` in place."""
    from booking.api.serializers import BookingSerializer
    from booking.models import Booking

    page = list(Booking.objects.select_related("resource", "project")[:50])
    original = BookingSerializer.get_fields
    BookingSerializer.get_fields = get_fields
    try:
        rendered = BookingSerializer(page, many=True).data  # warm: fields are built once
        began = time.process_time()
        for _ in range(PAGES):
            rendered = BookingSerializer(page, many=True).data
        assert len(rendered) == len(page)
        return round((time.process_time() - began) / PAGES * 1000, 2)
    finally:
        BookingSerializer.get_fields = original


def dataset() -> None:
    """A researcher with a token and preferences, on a project, with 50 bookings."""
    import datetime

    from django.utils import timezone

    from booking.models import Booking
    from people.api_tokens import create_token
    from tests.factories import ProjectFactory, ResourceFactory, UserFactory
    from workflows.models import NotificationPreferences

    user = UserFactory()
    NotificationPreferences.objects.get_or_create(user=user)
    create_token(user=user, name="bench", scope="read", days=1)
    project = ProjectFactory(members=[user])
    resource = ResourceFactory()
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create(
        Booking(
            resource=resource,
            user=user,
            project=project,
            start=start + datetime.timedelta(hours=2 * n),
            end=start + datetime.timedelta(hours=2 * n + 1),
            status=Booking.Status.CONFIRMED,
            exclusive=True,
        )
        for n in range(50)
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.test")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from labitory.rows import row_where

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        dataset()
        record(
            {
                "rows_row_where_us": median_of(ROUNDS, lambda: lookups(row_where)),
                "rows_orm_us": median_of(ROUNDS, lambda: lookups(plain)),
                "fields_cached_page_ms": median_of(ROUNDS, lambda: pages(cached_get_fields)),
                "fields_plain_page_ms": median_of(ROUNDS, lambda: pages(plain_get_fields)),
            }
        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
