"""The public pages render from the tree: home, lab, instrument, policy, 404."""

from wagtail.rich_text import RichText

from booking.models import RequiredPolicy
from labpages.models import HomeFeaturedInstrument
from tests.factories import ImageFactory, InstrumentPageFactory, LabPageFactory


def titles(pages) -> list[str]:
    return [page.title for page in pages]


def publish(page) -> None:
    page.save_revision().publish()


def test_the_home_page_is_the_sites_root(client, facility):
    response = client.get("/")

    assert response.status_code == 200
    assert response.context["page"].pk == facility.home.pk


def test_the_home_page_lists_the_live_labs(client, facility):
    response = client.get("/")

    assert titles(response.context["labs"]) == ["Imaging lab", "Proteomics lab"]
    assert "Imaging lab" in response.text and "Proteomics lab" in response.text


def test_the_home_page_leaves_out_an_unpublished_lab(client, facility):
    facility.proteomics_lab.unpublish()

    response = client.get("/")

    assert titles(response.context["labs"]) == ["Imaging lab"]


def test_the_home_page_shows_its_featured_instruments(client, facility):
    HomeFeaturedInstrument.objects.create(home=facility.home, instrument=facility.orbitrap)

    response = client.get("/")

    assert titles(response.context["featured"]) == ["Orbitrap mass spectrometer"]
    assert "Featured instruments" in response.text
    assert facility.orbitrap.url in response.text


def test_the_home_page_leaves_out_a_featured_instrument_that_is_not_live(client, facility):
    HomeFeaturedInstrument.objects.create(home=facility.home, instrument=facility.orbitrap)
    facility.orbitrap.unpublish()

    response = client.get("/")

    assert response.context["featured"] == []
    assert "Featured instruments" not in response.text


def test_a_lab_page_lists_its_own_instruments_only(client, facility):
    response = client.get(facility.imaging_lab.url)

    assert response.status_code == 200
    assert titles(response.context["page"].instruments) == ["Confocal microscope"]
    assert "Confocal microscope" in response.text
    assert "Orbitrap mass spectrometer" not in response.text


def test_a_lab_page_lists_its_policies(client, facility):
    response = client.get(facility.imaging_lab.url)

    assert titles(response.context["page"].policies) == ["Laser safety"]
    assert facility.safety_policy.url in response.text


def test_a_lab_page_names_its_coordinators(client, facility, coordinator):
    response = client.get(facility.imaging_lab.url)

    assert response.context["page"].coordinators == [coordinator]
    assert "Cora Coordinator" in response.text


def test_a_lab_page_leaves_out_inactive_coordinators(client, facility, coordinator):
    coordinator.is_active = False
    coordinator.save()

    response = client.get(facility.imaging_lab.url)

    assert response.context["page"].coordinators == []
    assert "Cora Coordinator" not in response.text


def test_a_lab_page_without_a_lab_record_renders(client, facility):
    page = LabPageFactory(parent=facility.home, lab=None, title="Teaching lab")

    response = client.get(page.url)

    assert response.status_code == 200
    assert response.context["page"].coordinators == []


def test_an_instrument_page_renders_its_title_and_summary(client, facility):
    response = client.get(facility.confocal.url)

    assert response.status_code == 200
    assert "Confocal microscope" in response.text
    assert "Four laser lines for live-cell imaging." in response.text


def test_an_instrument_page_with_an_empty_body_renders(client, facility):
    page = InstrumentPageFactory(parent=facility.imaging_lab, title="Plate reader", body=[])

    assert client.get(page.url).status_code == 200


def test_an_instrument_page_without_a_resource_renders(client, facility):
    page = InstrumentPageFactory(parent=facility.imaging_lab, title="Old microtome", resource=None)

    response = client.get(page.url)

    assert response.status_code == 200
    assert "Old microtome" in response.text


def test_an_instrument_page_renders_its_rich_text_body(client, facility):
    facility.confocal.body = [("text", RichText("<p>Equipped with an Airyscan detector.</p>"))]
    publish(facility.confocal)

    assert "Equipped with an Airyscan detector." in client.get(facility.confocal.url).text


def test_an_instrument_page_shows_a_figure(client, facility):
    image = ImageFactory(title="Confocal bench")
    facility.confocal.body = [
        ("figure", {"image": image, "alt_text": "The confocal on its bench", "caption": ""})
    ]
    publish(facility.confocal)

    response = client.get(facility.confocal.url)

    assert 'alt="The confocal on its bench"' in response.text


def test_an_instrument_page_renders_when_a_figures_image_was_deleted(client, facility):
    image = ImageFactory(title="Confocal bench")
    facility.confocal.body = [
        ("figure", {"image": image, "alt_text": "The confocal on its bench", "caption": "Gone"}),
        ("text", RichText("<p>Still here.</p>")),
    ]
    publish(facility.confocal)
    image.delete()

    response = client.get(facility.confocal.url)

    assert response.status_code == 200
    assert "Still here." in response.text
    assert "The confocal on its bench" not in response.text


def test_an_instrument_page_links_its_lab(client, facility):
    response = client.get(facility.confocal.url)

    assert response.context["page"].lab_page.pk == facility.imaging_lab.pk
    assert facility.imaging_lab.url in response.text


def test_an_instrument_page_lists_its_live_required_policies(client, facility):
    RequiredPolicy.objects.create(
        resource=facility.confocal.resource, policy=facility.safety_policy
    )

    response = client.get(facility.confocal.url)

    assert titles(response.context["page"].policies) == ["Laser safety"]
    assert facility.safety_policy.url in response.text


def test_a_draft_edit_is_not_public_until_published(client, facility):
    facility.confocal.summary = "Now with a spectral detector."
    facility.confocal.save_revision()

    assert "Now with a spectral detector." not in client.get(facility.confocal.url).text

    facility.confocal.get_latest_revision().publish()

    assert "Now with a spectral detector." in client.get(facility.confocal.url).text


def test_an_unpublished_page_is_not_found(client, facility):
    facility.confocal.unpublish()

    assert client.get(facility.confocal.url).status_code == 404


def test_a_policy_page_renders_its_body(client, facility):
    response = client.get(facility.safety_policy.url)

    assert response.status_code == 200
    assert "Leave the instrument as you found it." in response.text


def test_an_unknown_address_answers_404_with_the_sites_page(client, facility):
    response = client.get("/no-such-instrument/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "We can’t find that page" in response.text
