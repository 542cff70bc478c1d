"""Booking for a researcher in the admin: the form calls book_for; refusals show beside their
field and write nothing; the bookings list leads to it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking.models import Booking, StaffBooking
from booking.services import OnBehalf, book_for
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


# The report of overridden rules, scoped to the coordinator's labs.


@pytest.fixture
def overridden(confocal, orbitrap, rosa, project, site_admin):
    """One booking with an override in each lab, and one without any."""
    confocal.min_notice = orbitrap.min_notice = 7 * 24 * 60
    confocal.save()
    orbitrap.save()
    made = []
    for resource, hour in ((confocal, 10), (orbitrap, 10), (confocal, 14)):
        overrides = {"notice"} if hour == 10 else set()
        start = at_local(8 if not overrides else 2, hour)
        made.append(
            book_for(
                on_behalf=OnBehalf(site_admin, frozenset(overrides), "Samples degrade"),
                researcher=rosa,
                resource=resource,
                project=project,
                start=start,
                end=start + datetime.timedelta(hours=1),
            )
        )
    return made


def at_local(days: int, hour: int) -> datetime.datetime:
    return datetime.datetime.fromisoformat(local(days, hour)).replace(
        tzinfo=timezone.get_current_timezone()
    )


def test_the_report_lists_the_labs_overrides_only(as_coordinator, overridden):
    response = as_coordinator.get(url(Booking, "overrides"))

    assert response.status_code == 200
    listed = [row.pk for row in response.context["object_list"]]
    assert listed == [overridden[0].pk]
    assert "Samples degrade" in response.text and "notice" in response.text


def test_the_report_exports_csv(as_coordinator, overridden):
    response = as_coordinator.get(url(Booking, "overrides") + "?export=csv")

    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0] == "ID,Resource,For,Start,Booked by,Overrode,Why"
    assert len(lines) == 2
    assert f"{overridden[0].pk},Zeiss LSM 980,Rosa Franklin," in lines[1]
    assert lines[1].endswith(",notice,Samples degrade")


def test_the_lab_schedule_leads_to_the_screen_per_resource(as_coordinator, confocal):
    response = as_coordinator.get(reverse("lab_schedule:index"))
    assert f"{url(*BOOK_FOR)}?resource={confocal.pk}" in response.text


def test_an_override_of_notice_shows_on_the_booking_in_the_log_and_in_the_report(
    as_coordinator, coordinator, confocal, form
):
    """The issue's done-when: one booking made with the notice rule overridden, followed
    to the three places that must say so."""
    confocal.min_notice = 7 * 24 * 60
    confocal.save()
    form |= {"overrides": ["notice"], "override_reason": "Samples degrade overnight"}

    as_coordinator.post(url(*BOOK_FOR), form)

    booking = Booking.objects.get()
    shown = as_coordinator.get(url(Booking, "inspect", booking.pk)).text
    assert "overrode: notice — Samples degrade overnight" in shown
    entry = ModelLogEntry.objects.get(object_id=str(booking.pk), action=f"booking.{booking.status}")
    assert entry.user == coordinator
    assert entry.data["overridden"] == ["too_little_notice"]
    assert entry.data["override_reason"] == "Samples degrade overnight"
    report = as_coordinator.get(url(Booking, "overrides"))
    assert [row.pk for row in report.context["object_list"]] == [booking.pk]
    assert "Samples degrade overnight" in report.text
