"""Statements print the facility's logo read through the storage backend, so they render the
same from local disk or from S3-compatible storage."""

from base64 import b64decode

from wagtail.models import Site

from labitory.statement_branding import facility_branding
from labpages.models import FacilitySettings
from tests.factories import ImageFactory


def test_the_logo_is_inlined_from_the_storage(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = ImageFactory(title="Facility logo")
    facility = FacilitySettings.for_site(Site.objects.get(is_default_site=True))
    facility.logo = logo
    facility.save()

    branding = facility_branding()

    kind, _, data = branding.logo_url.partition(";base64,")
    assert kind == "data:image/" + logo.file.name.rsplit(".", 1)[1].replace("jpg", "jpeg")
    with logo.file.open("rb") as stored:
        assert b64decode(data) == stored.read()


def test_no_logo_prints_none(db):
    assert facility_branding().logo_url == ""
