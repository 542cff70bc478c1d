"""The report form, my reports and a report's page on the site."""

import pytest
from django.urls import reverse

from booking.models import Resource
from operations.models import ProblemReport
from operations.services import report_problem
from tests.factories import UserFactory
from tests.operations.conftest import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, researcher):
    client.force_login(researcher)
    return client


def test_a_report_with_a_photo_is_sent_from_the_form(signed_in, confocal, coordinator):
    response = signed_in.post(
        reverse("operations:report", args=[confocal.pk]),
        {"summary": "Laser off", "severity": "major", "details": "", "attachment": photo()},
    )

    made = ProblemReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("operations:detail", args=[made.pk])
    assert made.attachment_name == "laser.jpg"


def test_a_bad_file_is_named_next_to_its_field(signed_in, confocal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = signed_in.post(
        reverse("operations:report", args=[confocal.pk]),
        {
            "summary": "Laser off",
            "severity": "major",
            "attachment": SimpleUploadedFile("laser.png", b"not a picture"),
        },
    )

    assert response.status_code == 200
    assert "This file is not a .png picture" in response.text
    assert not ProblemReport.objects.exists()


def test_an_inactive_or_unknown_instrument_has_no_report_form(signed_in, confocal):
    Resource.objects.filter(pk=confocal.pk).update(is_active=False)

    assert signed_in.get(reverse("operations:report", args=[confocal.pk])).status_code == 404
    assert signed_in.get(reverse("operations:report", args=[999999])).status_code == 404


def test_the_reporter_lists_and_reads_their_reports(signed_in, confocal, researcher):
    made = report_problem(resource=confocal, by=researcher, summary="Stage", severity="minor")

    assert "Stage" in signed_in.get(reverse("operations:mine")).text
    assert signed_in.get(reverse("operations:detail", args=[made.pk])).status_code == 200


def test_someone_elses_report_does_not_exist_for_another_researcher(client, confocal, researcher):
    made = report_problem(
        resource=confocal, by=researcher, summary="Stage", severity="minor", attachment=photo()
    )
    client.force_login(UserFactory(email="nosy@example.org"))

    assert client.get(reverse("operations:detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("operations:attachment", args=[made.pk])).status_code == 404
    assert "Stage" not in client.get(reverse("operations:mine")).text


def test_the_attachment_downloads_for_the_reporter(signed_in, confocal, researcher):
    made = report_problem(
        resource=confocal, by=researcher, summary="Stage", severity="minor", attachment=photo()
    )

    response = signed_in.get(reverse("operations:attachment", args=[made.pk]))

    assert response.status_code == 200
    assert 'filename="laser.jpg"' in response["Content-Disposition"]
