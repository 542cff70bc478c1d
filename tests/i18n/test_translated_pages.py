"""Pages in German: translations live under /de/, English URLs stay as they were, and a policy
is accepted per published version in any language."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from booking import queries
from booking.models import RequiredPolicy
from booking.services import accept_policy
from labpages.models import PolicyPage

pytestmark = pytest.mark.django_db


def translate(page, locale: Locale, title: str):
    """The page's German copy, published, under its parent's German copy (every ancestor is
    translated first, top down, as translating a subtree does)."""
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if ancestor.get_translation_or_none(locale) is None:
            translate(ancestor, locale, ancestor.title)
    german = page.copy_for_translation(locale)
    german.title = title
    german.save_revision().publish()
    return type(page).objects.get(pk=german.pk)


@pytest.fixture
def german(db) -> Locale:
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def policy(facility) -> PolicyPage:
    facility.safety_policy.save_revision().publish()
    page = PolicyPage.objects.get(pk=facility.safety_policy.pk)
    RequiredPolicy.objects.create(resource=facility.confocal.resource, policy=page)
    return page


@pytest.fixture
def laser_de(policy, german) -> PolicyPage:
    return translate(policy, german, "Lasersicherheit")


def unaccepted(facility, user) -> list[str]:
    return [page.title for page in queries.unaccepted_policies(facility.confocal.resource, user)]


def test_accepting_the_german_version_meets_the_requirement(facility, researcher, laser_de):
    with translation.override("de"):
        assert unaccepted(facility, researcher) == ["Lasersicherheit"]

    accept_policy(user=researcher, policy_page_id=laser_de.pk)

    assert unaccepted(facility, researcher) == []


def test_a_new_version_of_the_accepted_translation_asks_again(facility, researcher, laser_de):
    accept_policy(user=researcher, policy_page_id=laser_de.pk)
    laser_de.save_revision().publish()

    assert unaccepted(facility, researcher) == ["Laser safety"]


def test_accepting_the_english_version_still_counts(facility, researcher, policy, laser_de):
    accept_policy(user=researcher, policy_page_id=policy.pk)

    assert unaccepted(facility, researcher) == []


def test_the_rules_read_acceptance_the_same_way(facility, researcher, laser_de):
    from booking.rules import Proposal
    from tests.api.helpers import soon

    def missing() -> list[str]:
        return Proposal(
            resource=facility.confocal.resource,
            user=researcher,
            project=None,
            start=soon(2, 10),
            end=soon(2, 11),
        ).unaccepted_policies

    assert missing() == ["Laser safety"]
    accept_policy(user=researcher, policy_page_id=laser_de.pk)
    assert missing() == []


def test_german_pages_live_under_de_and_english_urls_stay(client, facility, german):
    home_de = translate(facility.home, german, "Startseite")
    lab_de = translate(facility.imaging_lab, german, "Bildgebungslabor")

    assert facility.imaging_lab.url == "/imaging-lab/" or not facility.imaging_lab.url.startswith(
        "/de/"
    )
    assert lab_de.url.startswith("/de/")
    assert "Bildgebungslabor" in client.get(lab_de.url).text
    assert "Bildgebungslabor" not in client.get(facility.imaging_lab.url).text
    assert home_de.url == "/de/"


def test_an_english_url_asked_for_in_german_leads_to_the_translation(client, facility, german):
    lab_de = translate(facility.imaging_lab, german, "Bildgebungslabor")

    response = client.get(facility.imaging_lab.url, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 302 and response.url == lab_de.url


def test_an_untranslated_page_is_served_as_it_is_in_german(client, facility, german):
    response = client.get(facility.imaging_lab.url, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    assert facility.imaging_lab.title in response.text
    assert response["Content-Language"] == "de"


def test_a_coordinator_does_not_submit_translations(client, facility, german):
    """wagtail-localize's submit view does not keep to a coordinator's lab (a coordinator of
    another lab could translate this one), so translating pages is the site admins' for now."""
    from django.urls import reverse

    from tests.conftest import make_coordinator, sign_in_with_second_factor

    coordinator = make_coordinator(facility.imaging_lab, email="cora@example.org")
    sign_in_with_second_factor(client, coordinator)
    url = reverse("wagtail_localize:submit_page_translation", args=[facility.imaging_lab.pk])

    client.post(url, {"locales": [german.pk]})

    assert facility.imaging_lab.get_translation_or_none(german) is None


def test_the_coordinator_of_another_lab_cannot_translate_this_one(client, facility, german):
    from django.urls import reverse

    from tests.conftest import make_coordinator, sign_in_with_second_factor

    other = make_coordinator(facility.proteomics_lab, email="otto@example.org")
    sign_in_with_second_factor(client, other)
    url = reverse("wagtail_localize:submit_page_translation", args=[facility.imaging_lab.pk])

    client.post(url, {"locales": [german.pk]})

    assert facility.imaging_lab.get_translation_or_none(german) is None
