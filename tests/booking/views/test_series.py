"""Repeating a booking from the booking form, cancelling part of a series, and changing or
handing over a booking: the screens wired to their services."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from booking.models import Booking, OpeningHours
from booking.services import book_series
from tests.booking.views.screens import book, local, new_url, when
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def weekly(count: int = 3, **extra) -> dict:
    return {
        "repeat-frequency": "WEEKLY",
        "repeat-interval": "1",
        "repeat-ends": "count",
        "repeat-count": str(count),
        **extra,
    }


def post_series(client, resource, project, repeat: dict, *buttons: str):
    data = {**when("start", local(1, 10)), **when("end", local(1, 11)), "project": project.pk}
    data.update(repeat)
    data.update({button: "1" for button in buttons})
    return client.post(new_url(resource), data)


# Repeating a booking.


def test_a_repeat_shows_every_date_first_and_books_nothing(signed_in, resource, project):
    response = post_series(signed_in, resource, project, weekly(3))

    assert response.status_code == 200
    assert [o.is_free for o in response.context["occurrences"]] == [True, True, True]
    assert "Book the 3 free occurrences" in response.text
    assert "Every week, 3 times" in response.text
    assert not Booking.objects.exists()


def test_the_note_is_kept_on_every_occurrence(signed_in, resource, project):
    repeat = {**weekly(2), "note": "Bring the 63x oil objective"}
    response = post_series(signed_in, resource, project, repeat, "confirm")

    assert response.status_code == 302
    notes = set(Booking.objects.filter(project=project).values_list("note", flat=True))
    assert notes == {"Bring the 63x oil objective"}


def test_a_taken_date_is_shown_with_its_reason_and_only_the_free_ones_are_booked(
    signed_in, resource, project, rival
):
    book(resource, rival.pi, rival, local(8, 10), local(8, 11))

    preview = post_series(signed_in, resource, project, weekly(3))
    assert preview.context["free_count"] == 2
    assert "Can’t be booked" in preview.text
    assert "Someone else has booked that time." in preview.text

    response = post_series(signed_in, resource, project, weekly(3), "confirm")

    assert response.status_code == 302 and response.url == reverse("booking:mine")
    mine = Booking.objects.filter(project=project).order_by("start")
    assert [b.start for b in mine] == [local(1, 10), local(15, 10)]
    assert mine[0].series_id == mine[1].series_id is not None
    assert "Booked 2 of 3 occurrences" in signed_in.get(response.url).text


def test_going_back_from_the_preview_keeps_what_was_typed(signed_in, resource, project):
    response = post_series(signed_in, resource, project, weekly(5), "back")
    assert response.status_code == 200
    assert "booking/booking_form.html" in [t.name for t in response.templates]
    assert 'value="5"' in response.text and "open" in response.text
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "repeat, message",
    [
        (weekly(**{"repeat-ends": "until", "repeat-count": ""}), "Say how the series ends"),
        (weekly(500), "less than or equal to 100"),
        (weekly(**{"repeat-interval": "0"}), "greater than or equal to 1"),
        (weekly(**{"repeat-ends": "until", "repeat-until": "2099-01-01"}), "at most 100"),
    ],
)
def test_an_unusable_repetition_is_explained_and_nothing_is_booked(
    signed_in, resource, project, repeat, message
):
    response = post_series(signed_in, resource, project, repeat)
    assert response.status_code == 200
    assert message in response.text
    assert "This booking can’t be made yet" in response.text
    assert not Booking.objects.exists()


def test_a_series_with_no_free_date_cannot_be_confirmed(signed_in, resource, project, rival):
    for week in range(3):
        book(resource, rival.pi, rival, local(1 + 7 * week, 10), local(1 + 7 * week, 11))
    preview = post_series(signed_in, resource, project, weekly(3))
    assert "None of these dates can be booked" in preview.text
    assert 'name="confirm"' not in preview.text

    refused = post_series(signed_in, resource, project, weekly(3), "confirm")
    assert refused.status_code == 200
    assert "Someone else has booked that time." in refused.text
    assert not Booking.objects.filter(project=project).exists()


# Cancelling part of a series.


@pytest.fixture
def series(resource, researcher, project) -> list[Booking]:
    made, _ = book_series(
        user=researcher,
        resource=resource,
        project=project,
        start=local(1, 10),
        end=local(1, 11),
        rule="FREQ=WEEKLY;INTERVAL=1;COUNT=3",
    )
    return list(Booking.objects.filter(series=made).order_by("start"))


def test_a_booking_in_a_series_offers_to_cancel_part_of_it(signed_in, series):
    detail = signed_in.get(reverse("booking:detail", args=[series[0].pk])).text
    assert "Part of a repeating series" in detail
    page = signed_in.get(reverse("booking:cancel", args=[series[0].pk])).text
    assert "This one and the later ones in the series" in page and 'value="all"' in page


@pytest.mark.parametrize(
    "scope, cancelled", [("one", [1]), ("following", [1, 2]), ("all", [0, 1, 2])]
)
def test_cancelling_this_one_the_following_or_all(signed_in, series, scope, cancelled):
    response = signed_in.post(reverse("booking:cancel", args=[series[1].pk]), {"scope": scope})

    assert response.status_code == 302
    statuses = [Booking.objects.get(pk=b.pk).status for b in series]
    expected = ["cancelled" if i in cancelled else "confirmed" for i in range(3)]
    assert statuses == expected


def test_someone_elses_series_is_not_found(client, series, rival):
    client.force_login(rival.pi)
    url = reverse("booking:cancel", args=[series[0].pk])
    assert client.post(url, {"scope": "all"}).status_code == 404
    assert not Booking.objects.filter(status="cancelled").exists()


def test_a_booking_outside_a_series_ignores_a_scope(signed_in, resource, researcher, project):
    alone = book(resource, researcher, project, local(2, 10), local(2, 11))
    other = book(resource, researcher, project, local(3, 10), local(3, 11))
    signed_in.post(reverse("booking:cancel", args=[alone.pk]), {"scope": "all"})
    assert Booking.objects.get(pk=other.pk).status == "confirmed"


# Changing and handing over.


@pytest.fixture
def booking(resource, researcher, project) -> Booking:
    return book(resource, researcher, project, local(3, 10), local(3, 11))


def change_url(booking) -> str:
    return reverse("booking:change", args=[booking.pk])


def post_change(client, booking, start, end, project, hand_to=""):
    data = {**when("start", start), **when("end", end), "project": project.pk, "hand_to": hand_to}
    return client.post(change_url(booking), data)


def test_the_change_form_is_filled_in_with_the_booking(signed_in, booking):
    page = signed_in.get(change_url(booking)).text
    assert 'value="10:00"' in page and 'value="11:00"' in page
    assert f'<option value="{booking.project_id}" selected>' in page
    assert change_url(booking) in signed_in.get(reverse("booking:detail", args=[booking.pk])).text


def test_moving_a_booking_checks_and_saves_it(signed_in, booking, project):
    response = post_change(signed_in, booking, local(4, 14), local(4, 15), project)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (local(4, 14), local(4, 15))
    assert "Your booking is changed." in signed_in.get(response.url).text


def test_a_change_a_rule_refuses_is_shown_by_its_field_and_changes_nothing(
    signed_in, booking, project
):
    response = post_change(signed_in, booking, local(4, 10), local(4, 16), project)
    assert response.status_code == 200
    assert "Bookings last at most 4 hours." in response.context["form"].errors["end"][0]
    assert 'id="id_end-error"' in response.text and "Your booking is unchanged." in response.text
    booking.refresh_from_db()
    assert booking.start == local(3, 10)


def test_handing_over_to_a_colleague_on_the_project(signed_in, booking, project):
    colleague = UserFactory(email="colin.colleague@example.org")
    project.members.add(colleague)

    response = post_change(
        signed_in, booking, local(3, 10), local(3, 11), project, "Colin.Colleague@example.org"
    )

    assert response.status_code == 302 and response.url == reverse("booking:mine")
    booking.refresh_from_db()
    assert booking.user == colleague
    assert signed_in.get(reverse("booking:detail", args=[booking.pk])).status_code == 404


def test_handing_over_to_someone_outside_the_project_is_refused(
    signed_in, booking, project, researcher
):
    outsider = UserFactory(email="otto.outsider@example.org")
    response = post_change(signed_in, booking, local(3, 10), local(3, 11), project, outsider.email)
    errors = response.context["form"].errors["hand_to"]
    assert errors == ["otto.outsider@example.org is not a member of the booking’s project."]
    booking.refresh_from_db()
    assert booking.user == researcher


@pytest.mark.parametrize("address", ["nobody@example.org", "not an address"])
def test_handing_over_needs_an_active_account(signed_in, booking, project, researcher, address):
    UserFactory(email="gone@example.org", is_active=False)
    response = post_change(signed_in, booking, local(3, 10), local(3, 11), project, address)
    assert response.status_code == 200 and response.context["form"].errors["hand_to"]
    booking.refresh_from_db()
    assert booking.user == researcher


def test_someone_elses_booking_cannot_be_changed(client, booking, rival, project):
    start = booking.start
    client.force_login(rival.pi)
    assert client.get(change_url(booking)).status_code == 404
    response = post_change(client, booking, local(4, 10), local(4, 11), project, rival.pi.email)
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.start == start


def test_a_cancelled_booking_cannot_be_changed(signed_in, booking):
    signed_in.post(reverse("booking:cancel", args=[booking.pk]))
    response = signed_in.get(change_url(booking))
    assert response.status_code == 302
    assert "cannot be changed" in signed_in.get(response.url).text


def test_dates_that_need_approval_say_so_and_why(signed_in, resource, project):
    resource.allow_outside_hours = True
    resource.save()
    weekday = local(1, 0).weekday()
    OpeningHours.objects.create(
        resource=resource, weekday=weekday, opens=datetime.time(9), closes=datetime.time(17)
    )
    data = {**when("start", local(1, 18)), **when("end", local(1, 19)), "project": project.pk}
    response = signed_in.post(new_url(resource), {**data, **weekly(2)})

    page = unescape(response.text)
    assert page.count("Free, needs approval") == 2
    assert ">Free</span>" not in page
    assert "2 of them will wait for approval" in page
    reasons = response.context["occurrences"][0].approval_reasons
    assert reasons and reasons[0].message in page
