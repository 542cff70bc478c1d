"""Booking for a researcher in the admin: the form calls book_for; refusals show beside their
field and write nothing; the bookings list leads to it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, StaffBooking
from people.roles import Role
from tests.booking.admin.conftest import assert_denied, messages, url
from tests.conftest import make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def local(days: int, hour: int) -> str:
    """A facility-time form value `days` from today at `hour`."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return f"{moment:%Y-%m-%d}T{hour:02d}:00"


@pytest.fixture
def rosa(db):
    return UserFactory(first_name="Rosa", last_name="Franklin", roles=[Role.RESEARCHER])


@pytest.fixture
def project(rosa):
    return ProjectFactory(code="BIO-2041", members=[rosa])


@pytest.fixture
def form(rosa, confocal, project):
    return {
        "researcher": rosa.pk,
        "resource": confocal.pk,
        "project": project.pk,
        "start": local(3, 10),
        "end": local(3, 11),
        "note": "",
        "override_reason": "",
    }


BOOK_FOR = Booking, "book_for"


def test_the_bookings_list_leads_to_the_screen(as_coordinator):
    response = as_coordinator.get(url(Booking, "list"))
    assert url(*BOOK_FOR) in response.text and "Book for a researcher" in response.text


def test_the_screen_offers_only_the_coordinators_lab(as_coordinator, confocal, orbitrap):
    response = as_coordinator.get(url(*BOOK_FOR) + f"?resource={confocal.pk}")
    assert response.status_code == 200
    assert confocal.name in response.text and orbitrap.name not in response.text
    assert response.context["form"].initial["resource"] == str(confocal.pk)


def test_a_booking_for_rosa_is_hers_and_leads_to_it(as_coordinator, coordinator, rosa, form):
    response = as_coordinator.post(url(*BOOK_FOR), form)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(Booking, "inspect", booking.pk)
    assert booking.user == rosa and booking.made_by_staff.staff == coordinator
    assert any("for Rosa Franklin" in text for text in messages(response))


def test_an_override_is_shown_on_the_booking(as_coordinator, confocal, form):
    confocal.min_notice = 7 * 24 * 60
    confocal.save()
    form |= {"overrides": ["notice"], "override_reason": "Samples degrade"}

    response = as_coordinator.post(url(*BOOK_FOR), form, follow=True)

    assert "overrode: notice — Samples degrade" in response.text
    assert "Booked by Cora Coordinator" in response.text


def test_an_override_without_a_reason_is_said_beside_the_field(as_coordinator, confocal, form):
    confocal.min_notice = 7 * 24 * 60
    confocal.save()

    response = as_coordinator.post(url(*BOOK_FOR), form | {"overrides": ["notice"]})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "override_reason": ["Say why the rules are overridden."]
    }
    assert not Booking.objects.exists() and not StaffBooking.objects.exists()


def test_a_broken_rule_is_said_and_nothing_written(as_coordinator, confocal, form):
    confocal.min_notice = 7 * 24 * 60
    confocal.save()

    response = as_coordinator.post(url(*BOOK_FOR), form)

    assert response.status_code == 200
    assert "must be booked at least 7 days ahead" in response.text
    assert not Booking.objects.exists()


def test_another_labs_resource_is_not_a_choice(as_coordinator, orbitrap, form):
    response = as_coordinator.post(url(*BOOK_FOR), form | {"resource": orbitrap.pk})

    assert response.status_code == 200
    assert "resource" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_someone_not_a_researcher_is_not_a_choice(as_coordinator, form, finance):
    response = as_coordinator.post(url(*BOOK_FOR), form | {"researcher": finance.pk})

    assert "researcher" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_a_researcher_is_refused_the_screen(client, rosa, form):
    client.force_login(rosa)
    response = client.post(url(*BOOK_FOR), form)
    assert response.status_code == 302 and not Booking.objects.exists()


def test_finance_is_refused_the_screen(client, finance, form):
    sign_in_with_second_factor(client, finance)
    assert_denied(client.post(url(*BOOK_FOR), form))
    assert not Booking.objects.exists()


def test_a_coordinator_of_another_lab_cannot_book_here(client, facility, form):
    sign_in_with_second_factor(client, make_coordinator(facility.proteomics_lab))
    response = client.post(url(*BOOK_FOR), form)
    assert response.status_code == 200 and "resource" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_the_researcher_sees_who_booked_for_them_and_why(
    as_coordinator, client, rosa, confocal, form
):
    confocal.min_notice = 7 * 24 * 60
    confocal.save()
    form |= {"overrides": ["notice"], "override_reason": "Samples degrade"}
    as_coordinator.post(url(*BOOK_FOR), form)
    booking = Booking.objects.get()

    client.force_login(rosa)
    response = client.get(reverse("booking:detail", args=[booking.pk]))

    assert "Booked by Cora Coordinator for you; overrode: notice — Samples degrade." in (
        response.text
    )
