"""Reporting a problem and triaging it: who is told, what is refused, what is logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from booking.models import Resource
from booking.services import StatusChange, set_resource_status
from operations.models import ProblemReport, ReportComment
from operations.services import ReportRefused, report_problem, triage_report
from tests.conftest import make_coordinator
from tests.operations.conftest import photo
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db


def report(resource, by, **extra) -> ProblemReport:
    values = {"summary": "Laser does not switch on", "severity": "major", **extra}
    return report_problem(resource=resource, by=by, **values)


def test_a_report_is_recorded_and_the_labs_coordinators_are_told_at_once(
    confocal, researcher, coordinator, facility
):
    other_lab = make_coordinator(facility.proteomics_lab)

    made = report(confocal, researcher)

    assert (made.status, made.reporter, made.resource) == ("open", researcher, confocal)
    told = OutboxMessage.objects.filter(event="problem_reported")
    assert [m.recipient_id for m in told] == [coordinator.pk]
    assert other_lab.pk not in [m.recipient_id for m in told]
    assert ModelLogEntry.objects.filter(action="operations.reported").count() == 1


def test_a_photo_is_stored_privately_without_its_metadata(confocal, researcher):
    made = report(confocal, researcher, attachment=photo())

    assert made.attachment_name == "laser.jpg"
    assert made.attachment.name.startswith("problem-reports/")
    assert "laser" not in made.attachment.name
    with made.attachment.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert 0x0110 not in image.getexif()


@pytest.mark.parametrize(
    ("attachment", "code"),
    [
        (SimpleUploadedFile("laser.jpg", b"%PDF-1.4 not a photo"), "attachment_mismatch"),
        (SimpleUploadedFile("notes.pdf", b"just text"), "attachment_mismatch"),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "attachment_type"),
        (SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1)), "attachment_too_large"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_written(
    confocal, researcher, coordinator, attachment, code
):
    with pytest.raises(ReportRefused) as refused:
        report(confocal, researcher, attachment=attachment)

    assert refused.value.codes == [code]
    assert not ProblemReport.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"summary": "  "}, "summary_missing"),
        ({"summary": "x" * 201}, "summary_too_long"),
        ({"details": "x" * 4001}, "details_too_long"),
        ({"severity": "apocalyptic"}, "unknown_severity"),
    ],
)
def test_bad_input_is_refused(confocal, researcher, fields, code):
    with pytest.raises(ReportRefused) as refused:
        report(confocal, researcher, **fields)

    assert refused.value.codes == [code]
    assert not ProblemReport.objects.exists()


def test_a_report_on_an_inactive_or_unknown_instrument_is_refused(confocal, researcher):
    Resource.objects.filter(pk=confocal.pk).update(is_active=False)
    confocal.refresh_from_db()

    with pytest.raises(ReportRefused) as inactive:
        report(confocal, researcher)
    with pytest.raises(ReportRefused) as unknown:
        report(None, researcher)

    assert inactive.value.codes == ["resource_inactive"]
    assert (unknown.value.codes, unknown.value.status) == (["unknown_resource"], 404)


def test_triage_moves_assigns_comments_and_tells_the_reporter(confocal, researcher, coordinator):
    made = report(confocal, researcher)

    triage_report(
        report=made,
        by=coordinator,
        status="investigating",
        assignee=coordinator,
        comment="Engineer booked for Tuesday.",
    )

    made.refresh_from_db()
    assert (made.status, made.assignee) == ("investigating", coordinator)
    assert ReportComment.objects.get(report=made).text == "Engineer booked for Tuesday."
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(made.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["operations.reported", "operations.triaged", "operations.commented"]
    told = OutboxMessage.objects.get(event="problem_report_updated")
    assert told.recipient_id == researcher.pk


def test_resolving_records_when(confocal, researcher, coordinator):
    made = report(confocal, researcher)

    triage_report(report=made, by=coordinator, status="resolved")

    made.refresh_from_db()
    assert made.status == "resolved" and made.resolved_at is not None


def test_another_labs_coordinator_may_not_triage(confocal, researcher, facility):
    made = report(confocal, researcher)
    stranger = make_coordinator(facility.proteomics_lab)

    with pytest.raises(ReportRefused) as refused:
        triage_report(report=made, by=stranger, status="resolved")

    assert (refused.value.codes, refused.value.status) == (["not_lab_staff"], 403)
    made.refresh_from_db()
    assert made.status == "open"


def test_the_reporter_may_not_triage_their_own_report(confocal, researcher):
    made = report(confocal, researcher)

    with pytest.raises(ReportRefused) as refused:
        triage_report(report=made, by=researcher, status="resolved")

    assert refused.value.codes == ["not_lab_staff"]


def test_a_report_is_assigned_only_to_the_labs_staff(confocal, researcher, coordinator):
    made = report(confocal, researcher)

    with pytest.raises(ReportRefused) as refused:
        triage_report(report=made, by=coordinator, assignee=researcher)

    assert refused.value.codes == ["assignee_not_lab_staff"]


def test_a_triage_that_changes_nothing_is_refused(confocal, researcher, coordinator):
    made = report(confocal, researcher)

    with pytest.raises(ReportRefused) as refused:
        triage_report(report=made, by=coordinator, status="open")

    assert refused.value.codes == ["nothing_changed"]
    assert not OutboxMessage.objects.filter(event="problem_report_updated").exists()


def down(resource, by, days: int = 2):
    back = timezone.now() + timezone.timedelta(days=days)
    change = StatusChange(status="down", note="Laser failed", expected_back=back)
    set_resource_status(resource=resource, change=change, by=by)


def test_resolving_brings_the_instrument_up_and_ends_its_outage_in_one_step(
    confocal, researcher, coordinator
):
    made = report(confocal, researcher)
    down(confocal, coordinator)

    triage_report(report=made, by=coordinator, status="resolved", bring_up=True)

    confocal.refresh_from_db()
    assert confocal.status == Resource.Status.UP and confocal.expected_back is None
    assert not confocal.outages.filter(ends_at__gt=timezone.now()).exists()
    entry = ModelLogEntry.objects.get(object_id=str(made.pk), action="operations.triaged")
    assert entry.data["instrument"] == ["down", "up"]
    assert ModelLogEntry.objects.filter(
        object_id=str(confocal.pk), action="booking.status.up", user=coordinator
    ).exists()


def test_bringing_up_alone_is_a_change(confocal, researcher, coordinator):
    made = report(confocal, researcher)
    down(confocal, coordinator)

    triage_report(report=made, by=coordinator, bring_up=True)

    confocal.refresh_from_db()
    assert confocal.status == Resource.Status.UP


def test_another_labs_coordinator_cannot_bring_it_up(confocal, researcher, coordinator, facility):
    made = report(confocal, researcher)
    down(confocal, coordinator)

    with pytest.raises(ReportRefused):
        triage_report(report=made, by=make_coordinator(facility.proteomics_lab), bring_up=True)

    confocal.refresh_from_db()
    assert confocal.status == Resource.Status.DOWN
