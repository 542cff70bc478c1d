"""The booking form shows what the booking would cost, priced by the one pricing function."""

from django.urls import reverse

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
