"""The researcher's booking screens, wired to the services: instrument page, booking form,
confirmation, my bookings, cancel, check-in, and signing in."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, OpeningHours, Qualification, Quota
from tests.booking.views.screens import book, errors_of, local, new_url, post_booking, when
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# Signing in and out.


def test_anonymous_people_are_sent_to_sign_in(client, resource):
    for url in (reverse("booking:mine"), new_url(resource), reverse("booking:detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={url}"


def test_the_sign_in_page_asks_for_email_and_password(client, facility):
    page = client.get(reverse("account_login")).text
    assert 'type="email"' in page and 'type="password"' in page
    assert "<label" in page and "Email address" in page


def test_signing_in_leads_to_my_bookings_and_the_header_shows_the_name(client, researcher):
    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/bookings/"
    page = client.get(response.url).text
    assert researcher.name in page and "Sign out" in page and "My bookings" in page


def test_a_wrong_password_is_a_clear_message(client, researcher, facility):
    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.text


def test_signing_out_is_a_post(signed_in, facility):
    response = signed_in.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "Sign in" in signed_in.get(facility.home.url).text


def test_the_header_offers_sign_in_to_anonymous_visitors(client, facility):
    page = client.get(facility.home.url).text
    assert f"{reverse('account_login')}?next=" in page and "My bookings" not in page


# The instrument page.


def test_the_instrument_page_shows_free_slots_that_open_the_form(signed_in, facility, resource):
    OpeningHours.objects.create(
        resource=resource,
        weekday=local(1, 0).weekday(),
        opens=datetime.time(9),
        closes=datetime.time(12),
    )
    day = local(1, 0).date()
    response = signed_in.get(facility.confocal.url, {"day": day.isoformat(), "view": "day"})

    page = errors_of(response)
    assert "Online booking opens" not in page
    expected = f"{new_url(resource)}?start={day}T09:00&end={day}T10:00"
    assert expected in page
    assert f"{day}T11:45" in page and f"{day}T12:00&" not in page


def test_taken_time_shows_no_other_persons_details(signed_in, facility, resource, rival):
    Booking.objects.create(
        resource=resource,
        user=rival.pi,
        project=rival,
        start=local(1, 10),
        end=local(1, 11),
        note="Secret samples",
    )
    page = signed_in.get(facility.confocal.url, {"day": local(1, 0).date(), "view": "day"}).text
    assert "Booked" in page
    for detail in ("Rita", "Rival", "RIVAL-9", "Secret samples"):
        assert detail not in page


def test_the_viewers_own_booking_is_marked_and_linked(
    signed_in, facility, resource, researcher, project
):
    mine = book(resource, researcher, project, local(1, 10), local(1, 11))
    page = signed_in.get(facility.confocal.url, {"day": local(1, 0).date(), "view": "day"}).text
    assert "Your booking" in page
    assert reverse("booking:detail", args=[mine.pk]) in page


def test_the_week_view_shows_seven_days_and_moves_by_a_week(client, facility):
    day = local(2, 0).date()
    page = unescape(client.get(facility.confocal.url, {"day": day, "view": "week"}).text)
    assert page.count('class="week__day') == 7
    assert f"?day={day + datetime.timedelta(days=7)}&view=week#book" in page
    assert f"?day={day - datetime.timedelta(days=7)}&view=week#book" in page


def test_a_garbled_day_shows_today(client, facility):
    for value in ("not-a-date", "9999-12-31", "0001-01-01"):
        response = client.get(facility.confocal.url, {"day": value, "view": "sideways"})
        assert response.status_code == 200
        assert 'aria-current="date">Today' in response.text


def test_the_booking_rules_are_shown_in_words(client, facility):
    page = client.get(facility.confocal.url).text
    assert "Times go in steps of 15 minutes." in page
    assert "Sign in to book" in page


def test_an_inactive_resource_has_no_booking_panel(client, facility, resource):
    resource.is_active = False
    resource.save()
    page = client.get(facility.confocal.url).text
    assert "not taking bookings at the moment" in page
    assert 'class="availability"' not in page


def test_the_instrument_page_uses_the_same_queries_however_many_bookings(
    client, facility, resource, researcher, project, rival
):
    client.force_login(researcher)
    url = facility.confocal.url
    params = {"day": local(1, 0).date(), "view": "week"}
    Quota.objects.create(resource=resource, scope="user", period="week", hours=40)

    def add_bookings(count: int, first: int = 0) -> None:
        start = local(1, 0)
        for n in range(first, first + count):
            owner, paid_by = (researcher, project) if n % 2 else (rival.pi, rival)
            begins = start + datetime.timedelta(hours=2 * n)
            Booking.objects.create(
                resource=resource,
                user=owner,
                project=paid_by,
                start=begins,
                end=begins + datetime.timedelta(hours=1),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    client.get(url, params)
    add_bookings(5)
    few = queries()
    add_bookings(45, first=5)
    assert Booking.objects.count() == 50
    many = queries()
    assert few == many, f"{few} queries with 5 bookings, {many} with 50"


# The booking form.


def test_the_form_is_filled_in_from_the_slot(signed_in, resource, project):
    start, end = local(1, 10), local(1, 11)
    response = signed_in.get(
        new_url(resource), {"start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"}
    )
    page = response.text
    assert (
        f'value="{start:%Y-%m-%d}"' in page and 'value="10:00"' in page and 'value="11:00"' in page
    )
    assert f'<option value="{project.pk}" selected>' in page
    assert "Times go in steps of 15 minutes." in page


def test_the_form_shows_the_quota_left(signed_in, resource, researcher, project):
    Quota.objects.create(resource=resource, scope="user", period="week", hours=10)
    page = signed_in.get(new_url(resource)).text
    assert "You have 10 h left of 10 h this week." in page


def test_an_unknown_resource_is_not_found(signed_in):
    assert signed_in.get(reverse("booking:new", args=[999_999])).status_code == 404


def test_booking_a_free_slot_confirms_it(signed_in, resource, researcher, project):
    response = post_booking(signed_in, resource, project, local(1, 10), local(1, 11), note="Cells")

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("booking:detail", args=[booking.pk])
    assert (booking.user, booking.project, booking.note) == (researcher, project, "Cells")
    assert booking.start == local(1, 10) and booking.status == Booking.Status.CONFIRMED
    page = signed_in.get(response.url).text
    assert "Confirmed: you’re booked" in page and f"Your booking reference is {booking.pk}" in page


def test_a_booking_that_needs_approval_says_it_is_waiting(signed_in, resource, project):
    resource.allow_outside_hours = True
    resource.save()
    OpeningHours.objects.create(
        resource=resource,
        weekday=local(1, 0).weekday(),
        opens=datetime.time(9),
        closes=datetime.time(17),
    )
    response = post_booking(signed_in, resource, project, local(1, 18), local(1, 19))
    assert Booking.objects.get().status == Booking.Status.REQUESTED
    assert "Requested: waiting for approval" in signed_in.get(response.url).text


def test_the_good_path_from_the_instrument_page_to_my_bookings(signed_in, facility, project):
    day = local(1, 0).date()
    page = unescape(signed_in.get(facility.confocal.url, {"day": day, "view": "day"}).text)
    slot = re.search(rf'href="(/bookings/new/\d+/\?start={day}T10:00&end=[^"]+)"', page).group(1)

    form = signed_in.get(slot).text
    assert 'value="10:00"' in form
    response = post_booking(
        signed_in, facility.confocal.resource, project, local(1, 10), local(1, 11)
    )
    assert response.status_code == 302

    mine = signed_in.get(reverse("booking:mine")).text
    assert facility.confocal.resource.name in mine and "Confirmed" in mine and "BIO-2041" in mine


@pytest.mark.parametrize(
    "setup, start, end, field, message",
    [
        ("taken", (1, 10), (1, 11), "start", "Someone else has booked that time."),
        ("none", (1, 10, 5), (1, 11), "start", "booked in steps of 15 minutes"),
        ("none", (1, 10), (1, 15), "end", "Bookings last at most 4 hours."),
        ("none", (1, 11), (1, 10), "end", "The booking must end after it starts."),
        ("none", (-1, 10), (-1, 11), "start", "That time has already begun"),
        ("none", (120, 10), (120, 11), "start", "at most 90 days ahead"),
        ("hours", (1, 18), (1, 19), "start", "is not open for the whole of that time"),
    ],
)
def test_each_refused_rule_shows_its_message_next_to_its_field_and_writes_nothing(
    signed_in, resource, project, rival, setup, start, end, field, message
):
    if setup == "taken":
        book(resource, rival.pi, rival, local(1, 10), local(1, 11))
    if setup == "hours":
        OpeningHours.objects.create(
            resource=resource,
            weekday=local(1, 0).weekday(),
            opens=datetime.time(9),
            closes=datetime.time(17),
        )
    before = Booking.objects.count()

    response = post_booking(signed_in, resource, project, local(*start), local(*end))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}-error"' in response.text
    assert Booking.objects.count() == before


def test_a_missing_qualification_is_shown_above_the_form(signed_in, resource, project):
    resource.requires_qualification = True
    resource.save()
    response = post_booking(signed_in, resource, project, local(1, 10), local(1, 11))
    assert "You need to be trained on" in " ".join(response.context["form"].non_field_errors())
    assert "Training needed." in response.text
    assert not Booking.objects.exists()


def test_a_qualified_person_books(signed_in, resource, researcher, project):
    resource.requires_qualification = True
    resource.save()
    Qualification.objects.create(user=researcher, resource=resource)
    post_booking(signed_in, resource, project, local(1, 10), local(1, 11))
    assert Booking.objects.exists()


def test_a_missing_project_is_reported_with_the_other_problems(signed_in, resource):
    response = post_booking(signed_in, resource, None, local(1, 10, 5), local(1, 11))
    errors = response.context["form"].errors
    assert "Choose the project this booking is charged to." in errors["project"]
    assert "start" in errors
    assert not Booking.objects.exists()


def test_a_project_the_person_is_not_in_is_refused(signed_in, resource, rival):
    response = post_booking(signed_in, resource, rival, local(1, 10), local(1, 11))
    assert response.context["form"].errors["project"] == ["Choose one of your own active projects."]
    assert not Booking.objects.exists()


def test_a_resource_field_slipped_into_the_form_is_ignored(signed_in, facility, resource, project):
    other = facility.orbitrap.resource
    post_booking(signed_in, resource, project, local(1, 10), local(1, 11), resource=other.pk)
    assert Booking.objects.get().resource == resource


@pytest.mark.parametrize(
    "data",
    [
        {"start_0": "2030-02-31", "start_1": "10:00"},
        {"start_0": "<script>", "start_1": "10:00"},
        {"start_1": "10"},
        {"end_1": "24:30"},
        {"start_0": "", "start_1": ""},
    ],
)
def test_garbled_dates_are_form_errors_not_server_errors(signed_in, resource, project, data):
    fields = {**when("start", local(1, 10)), **when("end", local(1, 11)), "project": project.pk}
    fields.update(data)
    response = signed_in.post(new_url(resource), fields)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Booking.objects.exists()


def test_a_lost_race_is_a_message_not_a_server_error(
    signed_in, resource, project, rival, monkeypatch
):
    from booking.services import BookingRefused
    from booking.services.bookings import slot_taken
    from booking.views import bookings as views

    def lose(**kwargs):
        raise BookingRefused([slot_taken()])

    monkeypatch.setattr(views, "request_booking", lose)
    response = post_booking(signed_in, resource, project, local(1, 10), local(1, 11))
    assert response.status_code == 200
    assert "Someone else has just booked that time" in response.context["form"].errors["start"][0]


# One booking: detail, cancel, book again, check-in.


HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def booking(resource, researcher, project) -> Booking:
    return book(resource, researcher, project, local(3, 10), local(3, 11))


def test_another_persons_booking_is_not_found(client, booking, rival):
    client.force_login(rival.pi)
    for name in ("detail", "cancel"):
        assert client.get(reverse(f"booking:{name}", args=[booking.pk])).status_code == 404
    for name in ("cancel", "check_in", "check_out"):
        assert client.post(reverse(f"booking:{name}", args=[booking.pk])).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_the_detail_page_shows_the_booking(signed_in, booking):
    page = signed_in.get(reverse("booking:detail", args=[booking.pk])).text
    assert booking.resource.name in page and "BIO-2041" in page and "10:00" in page
    assert reverse("booking:cancel", args=[booking.pk]) in page
    assert "Cancel free of charge until" in page


def test_cancelling_asks_first_then_cancels_with_the_reason(signed_in, booking):
    url = reverse("booking:cancel", args=[booking.pk])
    confirm = signed_in.get(url).text
    assert "Cancel this booking?" in confirm and "late cancellation" not in confirm

    response = signed_in.post(url, {"reason": "Samples not ready"})

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancel_reason == "Samples not ready" and not booking.late_cancellation
    assert "Your booking is cancelled." in signed_in.get(response.url).text


def test_cancelling_late_is_announced_and_recorded(signed_in, resource, researcher, project):
    # Within the day's notice of cancellation, at any time of day: the next full hour but one.
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + HOUR * 2
    soon = book(resource, researcher, project, start, start + HOUR)
    url = reverse("booking:cancel", args=[soon.pk])
    assert "This will be a late cancellation" in signed_in.get(url).text
    signed_in.post(url)
    soon.refresh_from_db()
    assert soon.status == Booking.Status.CANCELLED and soon.late_cancellation


def test_a_cancelled_booking_cannot_be_cancelled_again(signed_in, booking):
    url = reverse("booking:cancel", args=[booking.pk])
    signed_in.post(url)
    response = signed_in.post(url)
    assert response.status_code == 302
    assert "cannot be cancelled" in signed_in.get(response.url).text


def test_book_again_fills_the_form_a_week_later(signed_in, booking):
    page = unescape(signed_in.get(reverse("booking:detail", args=[booking.pk])).text)
    later = local(10, 10)
    expected = (
        f"{new_url(booking.resource)}?start={later:%Y-%m-%dT%H:%M}"
        f"&end={local(10, 11):%Y-%m-%dT%H:%M}&project={booking.project_id}"
    )
    assert expected in page


def test_check_in_and_out_from_the_booking_page(signed_in, resource, researcher, project):
    now = timezone.now()
    booking = Booking.objects.create(
        resource=resource,
        user=researcher,
        project=project,
        start=now - datetime.timedelta(minutes=5),
        end=now + datetime.timedelta(hours=1),
    )
    detail = reverse("booking:detail", args=[booking.pk])
    assert "Check in now" in signed_in.get(detail).text

    signed_in.post(reverse("booking:check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    page = signed_in.get(detail).text
    assert "Check out" in page and "Check in now" not in page

    signed_in.post(reverse("booking:check_out", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_check_in_before_it_opens_is_a_message(signed_in, booking):
    detail = reverse("booking:detail", args=[booking.pk])
    assert "Check in now" not in signed_in.get(detail).text
    response = signed_in.post(reverse("booking:check_in", args=[booking.pk]))
    assert "Check-in opens at" in signed_in.get(response.url).text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# My bookings.


def test_my_bookings_lists_upcoming_and_past_separately(
    signed_in, resource, researcher, project, booking
):
    past = Booking.objects.create(
        resource=resource,
        user=researcher,
        project=project,
        start=local(-3, 10),
        end=local(-3, 11),
        status=Booking.Status.COMPLETED,
    )
    upcoming = signed_in.get(reverse("booking:mine")).text
    assert reverse("booking:detail", args=[booking.pk]) in upcoming
    assert reverse("booking:detail", args=[past.pk]) not in upcoming

    earlier = signed_in.get(reverse("booking:mine"), {"show": "past"}).text
    assert reverse("booking:detail", args=[past.pk]) in earlier
    assert "Completed" in earlier


def test_my_bookings_shows_only_my_own(signed_in, resource, rival, booking):
    theirs = book(resource, rival.pi, rival, local(4, 10), local(4, 11))
    page = signed_in.get(reverse("booking:mine")).text
    assert reverse("booking:detail", args=[theirs.pk]) not in page


def test_my_bookings_filters_by_status_and_instrument(signed_in, facility, researcher, project):
    confocal, orbitrap = facility.confocal.resource, facility.orbitrap.resource
    kept = book(confocal, researcher, project, local(2, 10), local(2, 11))
    other = book(orbitrap, researcher, project, local(2, 10), local(2, 11))
    cancelled = book(confocal, researcher, project, local(3, 10), local(3, 11))
    signed_in.post(reverse("booking:cancel", args=[cancelled.pk]))

    page = signed_in.get(
        reverse("booking:mine"), {"status": "confirmed", "resource": confocal.pk}
    ).text

    assert reverse("booking:detail", args=[kept.pk]) in page
    assert reverse("booking:detail", args=[other.pk]) not in page
    assert reverse("booking:detail", args=[cancelled.pk]) not in page
    assert "Clear filters" in page


def test_each_listed_booking_has_a_text_status_and_its_actions(signed_in, booking):
    page = signed_in.get(reverse("booking:mine")).text
    assert 'class="status status--confirmed"' in page and "Confirmed" in page
    assert reverse("booking:cancel", args=[booking.pk]) in page
    assert "Book again" in page


def test_an_empty_list_says_so(signed_in, facility):
    assert "No upcoming bookings" in signed_in.get(reverse("booking:mine")).text


def test_the_panel_says_what_stands_between_a_newcomer_and_a_booking(client, facility, resource):
    newcomer = UserFactory(email="new@example.org")
    resource.requires_qualification = True
    resource.save()
    client.force_login(newcomer)
    page = client.get(facility.confocal.url).text
    assert "Before you can book" in page
    assert "The lab must train you on this instrument." in page
    assert "Ask your PI to add you to an active project" in page


def test_my_bookings_uses_the_same_queries_however_many_bookings(
    signed_in, facility, researcher, project
):
    resources = [facility.confocal.resource, facility.orbitrap.resource]

    def add(count: int, first: int) -> None:
        for n in range(first, first + count):
            start = local(1, 0) + datetime.timedelta(hours=n)
            Booking.objects.create(
                resource=resources[n % 2],
                user=researcher,
                project=project,
                start=start,
                end=start + datetime.timedelta(minutes=30),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("booking:mine")).status_code == 200
        return len(captured)

    signed_in.get(reverse("booking:mine"))
    add(3, 0)
    few = queries()
    add(17, 3)
    assert few == queries()


def test_free_time_says_when_the_viewer_cannot_book_it_yet(
    signed_in, facility, resource, researcher, project
):
    resource.requires_qualification = True
    resource.save()
    day = local(1, 0).date()

    week = errors_of(signed_in.get(facility.confocal.url))
    day_view = errors_of(signed_in.get(facility.confocal.url, {"day": day, "view": "day"}))

    assert "Before you can book" in week and "The lab must train you" in week
    assert "Free: you can’t book it yet" in week and "entry--blocked" in week
    assert "Free, but you can’t book it yet" in day_view
    assert "Free: choose a start time</span>" not in day_view  # the legend keeps its words

    Qualification.objects.create(resource=resource, user=researcher)
    trained = errors_of(signed_in.get(facility.confocal.url))
    assert "can’t book it yet" not in trained and "entry--blocked" not in trained
