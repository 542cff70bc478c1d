"""Finding an instrument free for a window, across labs and categories."""

import pytest
from django.urls import reverse

from tests.booking.views.screens import local

pytestmark = pytest.mark.django_db


def find_url() -> str:
    return reverse("booking:find")


def window(days: int = 2, start: str = "10:00", end: str = "11:00", **extra) -> dict:
    return {"date": f"{local(days, 0):%Y-%m-%d}", "start": start, "end": end, **extra}


def test_the_find_page_needs_signing_in(client):
    response = client.get(find_url())
    assert (
        response.status_code == 302
        and response.url == f"{reverse('account_login')}?next={find_url()}"
    )


def test_the_form_alone_shows_no_results(signed_in, facility):
    response = signed_in.get(find_url())
    assert response.status_code == 200 and response.context["candidates"] is None
    assert '<label for="id_date">Date</label>' in response.text


def test_each_instrument_says_whether_it_can_be_booked(signed_in, facility):
    orbitrap = facility.orbitrap.resource
    orbitrap.requires_qualification = True
    orbitrap.save()

    response = signed_in.get(find_url(), window())

    page = response.text
    confocal = facility.confocal.resource
    day = f"{local(2, 0):%Y-%m-%d}"
    assert "Bookable" in page
    assert (
        f"{reverse('booking:new', args=[confocal.pk])}?start={day}T10:00&amp;end={day}T11:00"
        in page
    )
    assert "Not available" in page and "You need to be trained on Orbitrap Exploris" in page
    assert reverse("booking:new", args=[orbitrap.pk]) not in page


def test_filters_by_lab_and_category(signed_in, facility):
    response = signed_in.get(find_url(), window(lab="proteomics"))
    names = [c.resource.name for c in response.context["candidates"]]
    assert names == ["Orbitrap Exploris"]


def test_no_results_says_so(signed_in, facility):
    response = signed_in.get(find_url(), window(lab="imaging", category="mass-spectrometry"))
    assert response.context["candidates"] == []
    assert "No instruments found" in response.text


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start": "11:00", "end": "10:00"}, "end"),
        ({"start": "noon"}, "start"),
        ({"date": ""}, "date"),
    ],
)
def test_a_garbled_window_is_a_form_error(signed_in, facility, changes, field):
    response = signed_in.get(find_url(), {**window(), **changes})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert response.context["candidates"] is None


def test_the_instrument_index_links_to_the_find_page(client, facility):
    assert find_url() in client.get(facility.index.url).text
