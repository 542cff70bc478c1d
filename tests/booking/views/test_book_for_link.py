"""The instrument page leads its lab's staff to booking it for a researcher; nobody else sees
the way."""

import pytest
from django.urls import reverse

from tests.conftest import make_coordinator

pytestmark = pytest.mark.django_db

LINK = "Book for a researcher"


def test_the_labs_coordinator_is_led_to_the_form_with_the_instrument_chosen(
    client, facility, coordinator
):
    client.force_login(coordinator)
    page = client.get(facility.confocal.url).text
    target = reverse("wagtailsnippets_booking_booking:book_for")
    assert LINK in page
    assert f"{target}?resource={facility.confocal.resource.pk}" in page


@pytest.mark.parametrize("who", ["researcher", "finance", "other_coordinator", "anonymous"])
def test_nobody_else_sees_the_way(client, facility, researcher, finance, who):
    people = {
        "researcher": researcher,
        "finance": finance,
        "other_coordinator": make_coordinator(facility.proteomics_lab),
    }
    if who in people:
        client.force_login(people[who])
    assert LINK not in client.get(facility.confocal.url).text
