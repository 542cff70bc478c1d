"""A coordinator of one lab reads nothing of another lab in the admin's reports and choosers,
and nobody but a site admin reads the account audit trail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from booking.services import request_booking
from people.audit import record
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def bookings(facility):
    booker = UserFactory(email="booker@example.org")
    project = ProjectFactory(members=[booker])
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    end = start + datetime.timedelta(hours=1)
    mine = request_booking(
        user=booker, resource=facility.confocal.resource, project=project, start=start, end=end
    )
    theirs = request_booking(
        user=booker, resource=facility.orbitrap.resource, project=project, start=start, end=end
    )
    return mine, theirs


def history_labels(client) -> str:
    return client.get(reverse("wagtailadmin_reports:site_history")).text


def test_the_site_history_shows_a_coordinator_only_their_labs_lines(
    client, facility, coordinator, bookings
):
    mine, theirs = bookings
    log(instance=facility.confocal.resource, action="wagtail.edit", data={})
    log(instance=facility.orbitrap.resource, action="wagtail.edit", data={})
    sign_in_with_second_factor(client, coordinator)

    page = history_labels(client)

    assert "Zeiss LSM 980" in page
    assert "Orbitrap Exploris" not in page


def test_the_site_history_export_is_scoped_too(client, facility, coordinator, bookings):
    log(instance=facility.orbitrap.resource, action="wagtail.edit", data={})
    sign_in_with_second_factor(client, coordinator)

    response = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")

    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert b"Orbitrap Exploris" not in content


def test_a_coordinator_does_not_see_the_account_audit_trail(client, coordinator, finance):
    record("people.signed_in", subject=finance)
    sign_in_with_second_factor(client, coordinator)

    assert "fin.finance@example.org" not in history_labels(client)


def test_a_site_admin_sees_and_exports_the_account_audit_trail(client, site_admin, finance):
    record("people.sign_in_failed", subject=finance, reason="password")
    sign_in_with_second_factor(client, site_admin)

    page = history_labels(client)
    response = client.get(
        reverse("wagtailadmin_reports:site_history") + "?export=csv&action=people.sign_in_failed"
    )

    assert "Sign-in failed" in page
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Sign-in failed" in content


def test_the_chooser_will_not_name_another_labs_resource(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)
    chosen = "wagtailsnippetchoosers_booking_resource:chosen"

    own = client.get(reverse(chosen, args=[facility.confocal.resource.pk]))
    other = client.get(reverse(chosen, args=[facility.orbitrap.resource.pk]))

    assert own.status_code == 200 and "Zeiss LSM 980" in own.text
    assert other.status_code == 404 and "Orbitrap" not in other.text


def test_the_chooser_drops_another_labs_resource_from_a_multiple_choice(
    client, facility, coordinator
):
    sign_in_with_second_factor(client, coordinator)
    url = reverse("wagtailsnippetchoosers_booking_resource:chosen_multiple")

    response = client.get(
        url, {"id": [facility.confocal.resource.pk, facility.orbitrap.resource.pk]}
    )

    assert "Zeiss LSM 980" in response.text and "Orbitrap" not in response.text


def test_the_user_filter_names_nobody_from_another_lab(client, facility, coordinator):
    stranger = UserFactory(email="otto.other@example.org", first_name="Otto", last_name="Other")
    log(instance=facility.orbitrap.resource, action="wagtail.edit", user=stranger, data={})
    sign_in_with_second_factor(client, coordinator)

    page = history_labels(client)

    assert "Otto Other" not in page and "otto.other@example.org" not in page
