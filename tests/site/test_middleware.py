import zoneinfo

import pytest
from django.test import RequestFactory
from wagtail.models import Site

from labitory.middleware import facility_zone
from labpages.models import FacilitySettings


@pytest.fixture
def request_for_default_site(db):
    return RequestFactory().get("/", HTTP_HOST="localhost")


def test_requests_use_the_facilitys_time_zone(request_for_default_site):
    settings = FacilitySettings.for_site(Site.objects.get(is_default_site=True))
    settings.time_zone = "Asia/Tokyo"
    settings.save()

    assert facility_zone(request_for_default_site) == zoneinfo.ZoneInfo("Asia/Tokyo")


def test_a_request_without_a_site_falls_back_to_the_default_zone(request_for_default_site):
    Site.objects.all().delete()

    assert facility_zone(request_for_default_site) is None


@pytest.mark.parametrize("path", ["/healthz", "/admin/login/"])
def test_the_admin_and_health_check_answer_before_any_site_exists(client, db, path):
    Site.objects.all().delete()

    assert client.get(path).status_code == 200


def test_the_public_site_answers_404_before_any_site_exists(client, db):
    Site.objects.all().delete()

    assert client.get("/").status_code == 404
