"""A coordinator of one lab reads nothing of another lab in the admin's reports and choosers,
and nobody but a site admin reads the account audit trail."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.log_actions import log

from booking.services import request_booking
from labpages.services import grant_lab_editing
from people.audit import record
from tests.conftest import sign_in_with_second_factor
from tests.factories import ImageFactory, ProjectFactory, UserFactory


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


def test_a_bulk_delete_confirmation_does_not_name_another_labs_booking(
    client, facility, coordinator, bookings
):
    mine, theirs = bookings
    sign_in_with_second_factor(client, coordinator)

    response = client.get(f"/admin/bulk/booking/booking/delete/?id={theirs.pk}")

    assert response.status_code == 404
    assert "Orbitrap" not in response.text


def test_the_project_chooser_shows_a_coordinator_only_their_own_projects(
    client, facility, coordinator
):
    ProjectFactory(code="IMG-001", members=[coordinator])
    other = ProjectFactory(code="PRO-999")
    sign_in_with_second_factor(client, coordinator)

    listing = client.get(reverse("wagtailsnippetchoosers_people_project:choose"))
    searched = client.get(
        reverse("wagtailsnippetchoosers_people_project:choose_results"), {"q": "-"}
    )
    chosen = client.get(reverse("wagtailsnippetchoosers_people_project:chosen", args=[other.pk]))

    assert "IMG-001" in listing.text and "PRO-999" not in listing.text
    assert searched.status_code == 200 and "PRO-999" not in searched.text
    assert chosen.status_code == 404 and other.pi.name not in chosen.text


def test_finance_chooses_from_every_project(client, finance):
    ProjectFactory(code="PRO-999")
    sign_in_with_second_factor(client, finance)

    listing = client.get(reverse("wagtailsnippetchoosers_people_project:choose"))

    assert "PRO-999" in listing.text


def document_in(lab_page, title: str) -> Document:
    grant_lab_editing(lab_page)
    lab_page.refresh_from_db()
    return Document.objects.create(
        title=title,
        collection=lab_page.collection,
        file=SimpleUploadedFile(f"{title}.txt", b"Standard operating procedure."),
    )


def test_the_admin_api_lists_a_coordinator_only_their_labs_documents(client, facility, coordinator):
    document_in(facility.imaging_lab, "Confocal SOP")
    document_in(facility.proteomics_lab, "Orbitrap SOP")
    sign_in_with_second_factor(client, coordinator)

    response = client.get("/admin/api/main/documents/")

    assert response.status_code == 200
    assert "Confocal SOP" in response.text and "Orbitrap SOP" not in response.text


def test_the_admin_api_lists_a_coordinator_only_their_labs_images(client, facility, coordinator):
    for lab_page, title in (
        (facility.imaging_lab, "Confocal bench"),
        (facility.proteomics_lab, "Orbitrap bench"),
    ):
        grant_lab_editing(lab_page)
        lab_page.refresh_from_db()
        ImageFactory(title=title, collection=lab_page.collection)
    sign_in_with_second_factor(client, coordinator)

    response = client.get("/admin/api/main/images/")

    assert response.status_code == 200
    assert "Confocal bench" in response.text and "Orbitrap bench" not in response.text


def test_the_page_chooser_hides_another_labs_pages_from_a_coordinator(
    client, facility, coordinator
):
    sign_in_with_second_factor(client, coordinator)

    home = client.get(reverse("wagtailadmin_choose_page_child", args=[facility.home.pk]))
    inside = client.get(
        reverse("wagtailadmin_choose_page_child", args=[facility.proteomics_lab.pk])
    )
    searched = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Orbitrap"})

    assert "Imaging lab" in home.text and "Proteomics lab" not in home.text
    assert "Orbitrap mass spectrometer" not in inside.text
    assert "Orbitrap mass spectrometer" not in searched.text


def test_the_page_chooser_still_shows_a_coordinator_their_own_labs_pages(
    client, facility, coordinator
):
    sign_in_with_second_factor(client, coordinator)

    inside = client.get(reverse("wagtailadmin_choose_page_child", args=[facility.imaging_lab.pk]))

    assert "Confocal microscope" in inside.text


def test_a_document_bulk_action_does_not_name_another_labs_document(client, facility, coordinator):
    mine = document_in(facility.imaging_lab, "Confocal SOP")
    theirs = document_in(facility.proteomics_lab, "Orbitrap SOP")
    sign_in_with_second_factor(client, coordinator)

    refused = client.get(f"/admin/bulk/wagtaildocs/document/delete/?id={theirs.pk}")
    mixed = client.get(f"/admin/bulk/wagtaildocs/document/add_tags/?id={mine.pk}&id={theirs.pk}")

    assert refused.status_code == 404 and "Orbitrap SOP" not in refused.text
    assert "Confocal SOP" in mixed.text and "Orbitrap SOP" not in mixed.text
