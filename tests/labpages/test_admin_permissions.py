"""A coordinator edits their own lab's pages in the Wagtail admin, and nobody else's."""

from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from labpages.models import InstrumentPage
from tests.conftest import sign_in_with_second_factor

PERMISSION_MESSAGE = "Sorry, you do not have permission to access this area."


def messages(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_instrument_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["labpages", "instrumentpage", parent.pk])


def edit_form(page: InstrumentPage, **changes) -> dict:
    """What the admin's edit form posts for an instrument page with an empty body."""
    fields = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": streamfield([]),
        "location": page.location,
        "contact_name": page.contact_name,
        "contact_email": page.contact_email,
        "resource": page.resource_id or "",
        "comments": inline_formset([]),
    }
    fields.update(changes)
    return nested_form_data(fields)


def test_a_coordinator_opens_the_editor_of_their_labs_instrument(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.get(edit_url(facility.confocal))

    assert response.status_code == 200


def test_a_coordinator_publishes_an_edit_to_their_labs_instrument(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.post(
        edit_url(facility.confocal),
        {
            **edit_form(facility.confocal, summary="Now with an Airyscan detector."),
            "action-publish": "action-publish",
        },
    )

    assert response.status_code == 302
    confocal = InstrumentPage.objects.get(pk=facility.confocal.pk)
    assert confocal.summary == "Now with an Airyscan detector."
    assert confocal.live_revision.user == coordinator
    assert not confocal.has_unpublished_changes


def test_a_coordinators_saved_draft_stays_off_the_live_page(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    client.post(edit_url(facility.confocal), edit_form(facility.confocal, summary="Draft text."))

    confocal = InstrumentPage.objects.get(pk=facility.confocal.pk)
    assert confocal.summary == "Four laser lines for live-cell imaging."
    assert confocal.get_latest_revision_as_object().summary == "Draft text."


def test_a_coordinator_is_sent_away_from_another_labs_instrument_editor(
    client, facility, coordinator
):
    sign_in_with_second_factor(client, coordinator)

    response = client.get(edit_url(facility.orbitrap))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert PERMISSION_MESSAGE in messages(response)


def test_a_coordinator_cannot_publish_to_another_labs_instrument(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    client.post(
        edit_url(facility.orbitrap),
        {**edit_form(facility.orbitrap, summary="Vandalised."), "action-publish": "1"},
    )

    orbitrap = InstrumentPage.objects.get(pk=facility.orbitrap.pk)
    assert orbitrap.summary == "High-resolution proteomics."
    assert orbitrap.latest_revision is None


def test_a_coordinator_may_add_an_instrument_to_their_own_lab(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    assert client.get(add_instrument_url(facility.imaging_lab)).status_code == 200


def test_a_coordinator_cannot_add_a_page_under_another_lab(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.get(add_instrument_url(facility.proteomics_lab))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert PERMISSION_MESSAGE in messages(response)


def test_a_coordinator_cannot_add_a_lab_to_the_home_page(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=["labpages", "labpage", facility.home.pk])
    )

    assert response.status_code == 302


def test_a_researcher_cannot_reach_the_admin(client, researcher):
    client.force_login(researcher)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_researcher_cannot_open_any_page_editor(client, facility, researcher):
    client.force_login(researcher)

    response = client.get(edit_url(facility.confocal))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_reaches_the_admin_home(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
