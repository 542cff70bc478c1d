"""The instrument listing and site search, as queries and as wired into their pages."""

import pytest
from django.db import connection
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend

from labpages.queries import instrument_listing, site_search
from tests.factories import InstrumentPageFactory


def titles(pages) -> list[str]:
    return sorted(page.title for page in pages)


def test_the_listing_shows_every_live_instrument(facility):
    listing = instrument_listing()

    assert titles(listing.instruments) == ["Confocal microscope", "Orbitrap mass spectrometer"]
    assert not listing.is_filtered


def test_the_listing_leaves_out_unpublished_instruments(facility):
    facility.orbitrap.unpublish()

    assert titles(instrument_listing().instruments) == ["Confocal microscope"]


def test_the_listing_filters_by_lab_slug(facility):
    listing = instrument_listing(lab_slug="proteomics")

    assert titles(listing.instruments) == ["Orbitrap mass spectrometer"]
    assert listing.lab == facility.proteomics_lab.lab
    assert listing.is_filtered


def test_the_listing_filters_by_category_slug(facility):
    listing = instrument_listing(category_slug="microscopy")

    assert titles(listing.instruments) == ["Confocal microscope"]
    assert listing.category == facility.microscopy


def test_the_listing_filters_by_free_text(facility):
    listing = instrument_listing(text="orbitrap")

    assert titles(listing.instruments) == ["Orbitrap mass spectrometer"]
    assert listing.text == "orbitrap"


def test_the_listing_finds_a_word_of_an_instruments_body(facility):
    facility.confocal.body = [("text", RichText("<p>Equipped with an Airyscan detector.</p>"))]
    facility.confocal.save_revision().publish()

    assert titles(instrument_listing(text="airyscan").instruments) == ["Confocal microscope"]


def test_the_listing_combines_lab_and_text(facility):
    assert titles(instrument_listing(lab_slug="proteomics", text="confocal").instruments) == []


def test_the_listing_combines_lab_and_category(facility):
    InstrumentPageFactory(parent=facility.imaging_lab, title="Slide scanner")

    listing = instrument_listing(lab_slug="imaging", category_slug="microscopy")

    assert titles(listing.instruments) == ["Confocal microscope"]


def test_an_unknown_lab_slug_gives_an_empty_listing(facility):
    listing = instrument_listing(lab_slug="no-such-lab")

    assert titles(listing.instruments) == []
    assert listing.lab is None


def test_an_unknown_category_slug_gives_an_empty_listing(facility):
    assert titles(instrument_listing(category_slug="no-such-category").instruments) == []


def test_blank_text_does_not_filter(facility):
    listing = instrument_listing(text="   ")

    assert len(titles(listing.instruments)) == 2
    assert listing.text == ""


def test_the_index_page_filters_by_the_lab_in_its_query_string(client, facility):
    response = client.get(facility.index.url, {"lab": "imaging"})

    assert response.status_code == 200
    assert titles(response.context["instruments"]) == ["Confocal microscope"]
    assert "Confocal microscope" in response.text
    assert "Orbitrap mass spectrometer" not in response.text


def test_the_index_page_filters_by_the_category_in_its_query_string(client, facility):
    response = client.get(facility.index.url, {"category": "mass-spectrometry"})

    assert titles(response.context["instruments"]) == ["Orbitrap mass spectrometer"]


def test_the_index_page_filters_by_the_text_in_its_query_string(client, facility):
    response = client.get(facility.index.url, {"q": "confocal"})

    assert titles(response.context["instruments"]) == ["Confocal microscope"]


def test_the_index_page_shows_nothing_for_an_unknown_lab(client, facility):
    response = client.get(facility.index.url, {"lab": "no-such-lab"})

    assert response.status_code == 200
    assert titles(response.context["instruments"]) == []
    assert "No instruments found" in response.text


def test_the_index_page_offers_only_labs_with_live_pages(client, facility):
    facility.proteomics_lab.unpublish()

    response = client.get(facility.index.url)

    assert [lab.slug for lab in response.context["labs"]] == ["imaging"]


def test_site_search_finds_an_instrument_by_a_word_in_its_body(facility):
    facility.orbitrap.body = [("text", RichText("<p>Coupled to a nanoflow UHPLC.</p>"))]
    facility.orbitrap.save_revision().publish()

    assert titles(site_search("nanoflow")) == ["Orbitrap mass spectrometer"]


def test_site_search_leaves_out_unpublished_pages(facility):
    facility.orbitrap.unpublish()

    assert titles(site_search("orbitrap")) == []


def test_site_search_with_an_empty_query_finds_nothing(facility):
    assert titles(site_search("  ")) == []


def test_the_search_page_finds_an_instrument_by_a_word_in_its_body(client, facility):
    facility.confocal.body = [("text", RichText("<p>Equipped with an Airyscan detector.</p>"))]
    facility.confocal.save_revision().publish()

    response = client.get("/search/", {"q": "airyscan"})

    assert response.status_code == 200
    assert titles(response.context["results"]) == ["Confocal microscope"]
    assert facility.confocal.url in response.text


def test_the_search_page_with_an_empty_query_shows_no_results(client, facility):
    response = client.get("/search/", {"q": ""})

    assert response.status_code == 200
    assert list(response.context["results"]) == []
    assert facility.confocal.url not in response.text


def test_the_search_page_without_a_query_shows_no_results(client, facility):
    response = client.get("/search/")

    assert response.status_code == 200
    assert list(response.context["results"]) == []


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL search backend only")
def test_on_postgresql_search_uses_the_postgresql_backend():
    assert "Postgres" in type(get_search_backend()).__name__
