"""Finding time across instruments: which resources this user can book for a window."""

import datetime

import pytest

from booking.bookable import bookable_resources
from booking.models import Booking, OpeningHours
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ResourceCategoryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def microscopes(instrument):
    category = ResourceCategoryFactory(name="Microscopy", slug="microscopy")
    free = ResourceFactory(name="Widefield", category=category, lab=instrument.lab)
    taken = ResourceFactory(name="Spinning disk", category=category, lab=instrument.lab)
    restricted = ResourceFactory(
        name="STED", category=category, lab=instrument.lab, requires_qualification=True
    )
    after_hours = ResourceFactory(
        name="Lightsheet", category=category, lab=instrument.lab, allow_outside_hours=True
    )
    OpeningHours.objects.create(
        resource=after_hours,
        weekday=at(1, 0).weekday(),
        opens=datetime.time(8),
        closes=datetime.time(9),
    )
    other = ProjectFactory(code="OTHER-9")
    Booking.objects.create(
        resource=taken, user=other.pi, project=other, start=at(1, 10), end=at(1, 12)
    )
    return {"free": free, "taken": taken, "restricted": restricted, "after_hours": after_hours}


def test_each_resource_says_whether_and_why_not(microscopes, booker):
    found = {
        c.resource.name: c
        for c in bookable_resources(
            user=booker, start=at(1, 10), end=at(1, 11), now=NOW, category_slug="microscopy"
        )
    }
    assert set(found) == {"Widefield", "Spinning disk", "STED", "Lightsheet"}
    assert found["Widefield"].bookable and not found["Widefield"].needs_approval
    assert [p.code for p in found["Spinning disk"].problems] == ["slot_taken"]
    assert [p.code for p in found["STED"].problems] == ["not_qualified"]
    assert found["Lightsheet"].bookable and found["Lightsheet"].needs_approval


def test_bookable_resources_come_first(microscopes, booker):
    found = bookable_resources(
        user=booker, start=at(1, 10), end=at(1, 11), now=NOW, category_slug="microscopy"
    )
    assert [c.bookable for c in found] == [True, True, False, False]


def test_the_lab_filter_narrows_the_search(microscopes, booker):
    elsewhere = ResourceFactory(name="Elsewhere scope", category=microscopes["free"].category)
    found = bookable_resources(
        user=booker, start=at(1, 10), end=at(1, 11), now=NOW, lab_slug=elsewhere.lab.slug
    )
    assert [c.resource for c in found] == [elsewhere]
