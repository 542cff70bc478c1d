import pytest
from django.db import IntegrityError, transaction

from booking.models import Resource
from tests.factories import LabFactory, ResourceFactory


def test_it_refuses_a_resource_with_no_capacity(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(capacity=0)


def test_a_bench_may_hold_several_bookings_at_once(db):
    assert ResourceFactory(capacity=6).capacity == 6


def test_a_resource_holds_one_booking_at_a_time_by_default(db):
    assert ResourceFactory().capacity == 1


def test_it_refuses_two_resources_of_one_name_in_one_lab(db):
    lab = LabFactory()
    ResourceFactory(lab=lab, name="Confocal")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(lab=lab, name="Confocal")


def test_two_labs_may_each_have_a_resource_of_the_same_name(db):
    ResourceFactory(lab=LabFactory(), name="Confocal")
    ResourceFactory(lab=LabFactory(), name="Confocal")

    assert Resource.objects.filter(name="Confocal").count() == 2


def test_a_resource_is_shown_by_name(db):
    assert str(ResourceFactory(name="Zeiss LSM 980")) == "Zeiss LSM 980"
