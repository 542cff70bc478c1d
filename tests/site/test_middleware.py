import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from labitory.middleware import FacilityTimezoneMiddleware
from labpages.models import FacilitySettings


def zone_seen_by_a_view(path: str = "/") -> str:
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    FacilityTimezoneMiddleware(view)(RequestFactory().get(path))
    return seen[0]


def set_facility_zone(name: str) -> None:
    facility = FacilitySettings.for_site(Site.objects.get(is_default_site=True))
    facility.time_zone = name
    facility.save()


def test_a_request_is_served_in_the_facilitys_zone(db):
    set_facility_zone("Asia/Tokyo")

    assert zone_seen_by_a_view() == "Asia/Tokyo"


def test_a_changed_zone_applies_to_the_next_request(db):
    set_facility_zone("Asia/Tokyo")
    zone_seen_by_a_view()

    set_facility_zone("America/Chicago")

    assert zone_seen_by_a_view() == "America/Chicago"


def test_the_zone_is_released_after_the_request(db):
    set_facility_zone("Asia/Tokyo")

    zone_seen_by_a_view()

    assert timezone.get_current_timezone_name() != "Asia/Tokyo"


def test_without_a_site_requests_use_the_projects_zone(db, settings):
    Site.objects.all().delete()

    assert zone_seen_by_a_view() == settings.TIME_ZONE


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/"])
def test_the_admin_and_health_check_answer_before_any_site_exists(client, db, path):
    Site.objects.all().delete()

    assert client.get(path).status_code == 200


def test_the_public_site_answers_404_before_any_site_exists(client, db):
    Site.objects.all().delete()

    assert client.get("/").status_code == 404


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_the_admin_answers_only_get_and_post(client, facility, method):
    # An HTTP DELETE once reached Django's DeletionMixin past Wagtail's delete screen: a
    # site admin deleted without the protection check or the log (a 500 on a used resource).
    from booking.models import Resource
    from people.roles import Role
    from tests.conftest import sign_in_with_second_factor
    from tests.factories import UserFactory

    sign_in_with_second_factor(client, UserFactory(roles=[Role.SITE_ADMIN]))
    resource = facility.confocal.resource
    url = reverse("wagtailsnippets_booking_resource:delete", args=[resource.pk])

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert Resource.objects.filter(pk=resource.pk).exists()
    assert client.get(url).status_code == 200  # the delete screen itself still opens
