"""The booking form shows what the booking would cost, priced by the one pricing function."""

from django.urls import reverse

from tests.booking.views.screens import book, local, when
from tests.reporting.conftest import at


def test_the_booking_form_shows_the_estimate_to_the_project(
    client, confocal, card, researcher, project
):
    client.force_login(researcher)
    url = reverse("booking:new", args=[confocal.pk])
    response = client.get(
        url,
        {
            "start": f"{at(5, 9, month=12):%Y-%m-%dT%H:%M}",
            "end": f"{at(5, 11, month=12):%Y-%m-%dT%H:%M}",
            "project": project.pk,
        },
    )
    assert response.status_code == 200
    assert "about £84.00</strong> to project BIO-2041" in response.content.decode()


def test_without_a_rate_card_there_is_no_estimate(client, confocal, researcher, project):
    client.force_login(researcher)
    response = client.get(
        reverse("booking:new", args=[confocal.pk]),
        {
            "start": f"{at(5, 9, month=12):%Y-%m-%dT%H:%M}",
            "end": f"{at(5, 11, month=12):%Y-%m-%dT%H:%M}",
        },
    )
    assert b"Estimated cost" not in response.content


def chosen(start, end, project) -> dict:
    return {**when("start", start), **when("end", end), "project": project.pk}


def test_the_estimate_follows_the_times_and_project_as_they_change(
    client, confocal, card, researcher, project, other_project
):
    """What the form asks for whenever a time or the project changes (booking-form.js)."""
    client.force_login(researcher)
    url = reverse("booking:estimate", args=[confocal.pk])

    two_hours = client.get(url, chosen(local(3, 9), local(3, 11), project))
    longer_elsewhere = client.get(url, chosen(local(3, 9), local(3, 11, 30), other_project))

    assert "about £84.00</strong> to project BIO-2041" in two_hours.text
    assert f"about £105.00</strong> to project {other_project.code}" in longer_elsewhere.text


def test_the_estimate_is_empty_for_times_that_do_not_parse(client, confocal, card, researcher):
    client.force_login(researcher)
    response = client.get(
        reverse("booking:estimate", args=[confocal.pk]), {"start_0": "garbled", "end_1": "25:99"}
    )
    assert response.status_code == 200 and "Estimated cost" not in response.text


def test_a_refused_submit_shows_the_estimate_of_what_was_posted(
    client, confocal, card, researcher, project, other_project
):
    """Without JavaScript: the page the submit returns prices the new times and project."""
    client.force_login(researcher)
    taken = book(confocal, researcher, project, local(3, 10), local(3, 11))
    response = client.post(
        reverse("booking:new", args=[confocal.pk]),
        chosen(local(3, 9), local(3, 11, 30), other_project),  # overlaps the booking above
    )
    assert response.status_code == 200 and taken.pk
    assert f"about £105.00</strong> to project {other_project.code}" in response.text
