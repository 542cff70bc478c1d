"""Finding an instrument free for a window, across labs and categories."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import OpeningHours, Qualification, Quota
from tests.booking.views.screens import local
from tests.factories import LabFactory, ResourceCategoryFactory, ResourceFactory

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


# A facility with many instruments: every one is judged, and shown a page at a time.


@pytest.fixture
def many(researcher):
    """A lab whose instruments each ask something of the rules (opening hours, training, an
    upcoming-booking limit, a weekly quota): `add(n)` adds n. Every fourth asks for training
    the researcher lacks; the others are bookable (every fifth thanks to their training)."""
    lab = LabFactory(name="Core facility", slug="core")
    category = ResourceCategoryFactory(name="Scopes", slug="scopes")
    made = []

    def add(count: int) -> None:
        for _ in range(count):
            n = len(made)
            resource = ResourceFactory(
                name=f"Scope {n:03d}",
                lab=lab,
                category=category,
                requires_qualification=n % 4 == 3 or n % 5 == 0,
                max_future_bookings=3,
            )
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    resource=resource, weekday=day, opens=datetime.time(8), closes=datetime.time(18)
                )
                for day in range(7)
            )
            if n % 4 != 3 and n % 5 == 0:
                Qualification.objects.create(user=researcher, resource=resource)
            if n % 6 == 0:
                Quota.objects.create(
                    resource=resource, scope=Quota.Scope.USER, period=Quota.Period.WEEK, hours=9
                )
            made.append(resource)

    return add


def test_every_instrument_is_judged_and_shown_twenty_at_a_time(signed_in, researcher, many):
    many(60)

    first = signed_in.get(find_url(), window(lab="core"))
    last = signed_in.get(find_url(), window(lab="core", page=3))

    assert len(first.context["candidates"]) == 60
    heading = first.text[first.text.index('id="results-heading"') :][:400]
    assert "<strong>45</strong> of 60 instruments free" in heading
    assert "Showing 1–20, free ones first" in first.text
    assert [c.resource.name for c in first.context["page_obj"]][:2] == ["Scope 000", "Scope 001"]
    assert all(candidate.bookable for candidate in first.context["page_obj"])
    assert [c.bookable for c in last.context["page_obj"]] == [True] * 5 + [False] * 15
    assert "Showing 41–60" in last.text


def test_the_page_links_keep_the_search(signed_in, many):
    many(25)

    page = signed_in.get(find_url(), window(lab="core", category="scopes")).text

    assert '<nav class="pagination" aria-label="Result pages">' in page
    day = f"{local(2, 0):%Y-%m-%d}"
    assert (
        f'href="?date={day}&amp;start=10%3A00&amp;end=11%3A00&amp;lab=core&amp;category=scopes'
        '&amp;page=2" rel="next"' in page
    )


def test_judging_more_instruments_costs_no_more_queries(signed_in, researcher, many):
    def queries_for(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.get(find_url(), window(lab="core", page=page))
        assert response.status_code == 200
        return len(captured)

    many(30)
    queries_for(1)  # the first request reads what is cached afterwards (the site's pages)
    with_30 = [queries_for(1), queries_for(2)]
    many(30)
    with_60 = [queries_for(1), queries_for(2)]

    assert with_60 == with_30
    assert max(with_60) <= 30
