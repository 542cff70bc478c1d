"""Every change to problem reports: made by a signed-in person, triaged by the lab's staff.

The lab's coordinators (the site admins, when the lab has none) are told of a new report at
once, and the reporter of each triage step that changes something they can see, through the
outbox in the same transaction.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking.models import Resource
from booking.services import StatusChange, StatusRefused, set_resource_status
from labitory.refusals import Problem, Refused
from people.models import User
from workflows.approvers import coordinators_of, site_admins
from workflows.notifications import absolute
from workflows.outbox import Draft, enqueue_many

from .attachments import checked_attachment
from .models import ProblemReport, ReportComment
from .permissions import can_be_assigned, can_triage_report

SUMMARY_MAX = ProblemReport._meta.get_field("summary").max_length
DETAILS_MAX = 4000
COMMENT_MAX = 4000
UNSET = object()  # "leave the assignee as it is"
Status = ProblemReport.Status


class ReportRefused(Refused):
    """The report or its triage cannot be made as given; nothing was written."""


def _report_problem(summary: str, details: str, severity: str) -> Problem | None:
    if not summary.strip():
        return Problem("summary_missing", _("Say in a line what happened."), "summary")
    if len(summary.strip()) > SUMMARY_MAX:
        return Problem(
            "summary_too_long",
            _("Keep it under %(max)s characters.") % {"max": SUMMARY_MAX},
            "summary",
        )
    if len(details) > DETAILS_MAX:
        return Problem(
            "details_too_long",
            _("Keep it under %(max)s characters.") % {"max": DETAILS_MAX},
            "details",
        )
    if severity not in ProblemReport.Severity.values:
        return Problem("unknown_severity", _("Choose how bad it is."), "severity")
    return None


def report_url(report: ProblemReport) -> str:
    return absolute(reverse("operations:detail", args=[report.pk]))


def _tell(event: str, report: ProblemReport, people: list[User], by: User, step: str) -> None:
    context = {
        "resource": report.resource,
        "problem": report.summary,
        "severity": report.get_severity_display(),
        "report_status": report.get_status_display(),
        "report_url": report_url(report),
        "by": by,
    }
    enqueue_many(
        Draft(event, person, f"problem.{report.pk}.{step}.user.{person.pk}", context)
        for person in people
    )


def report_problem(
    *,
    resource: Resource | None,
    by: User,
    summary: str,
    severity: str,
    details: str = "",
    attachment=None,
    now: datetime.datetime | None = None,
) -> ProblemReport:
    """Record the report and tell the lab's coordinators (or, without any, the site admins).

    Raises ReportRefused: `unknown_resource` (None), `resource_inactive`, `summary_missing`,
    `summary_too_long`, `details_too_long`, `unknown_severity`, `attachment_too_large`,
    `attachment_type`, `attachment_mismatch`.
    """
    now = now or timezone.now()
    if resource is None:
        raise ReportRefused("unknown_resource", _("There is no such instrument."))
    if not resource.is_active:
        raise ReportRefused(
            "resource_inactive", _("%(name)s is no longer in use.") % {"name": resource.name}
        )
    if problem := _report_problem(summary, details, severity):
        raise ReportRefused([problem])
    if attachment is not None:
        attachment, problem = checked_attachment(attachment)
        if problem:
            raise ReportRefused([problem])
    with transaction.atomic():
        report = ProblemReport(
            resource=resource,
            reporter=by,
            summary=summary.strip(),
            details=details.strip(),
            severity=severity,
            created_at=now,
        )
        if attachment is not None:
            report.attachment_name = attachment.name[-200:]
            report.attachment.save(attachment.name, attachment, save=False)
        report.save()
        log(instance=report, action="operations.reported", user=by)
        staff = coordinators_of(resource.lab) or site_admins()
        _tell("problem_reported", report, staff, by, "reported")
    return report


def _triage_problem(report: ProblemReport, status: str, assignee, comment: str) -> Problem | None:
    if status not in Status.values:
        return Problem("unknown_status", _("Choose open, investigating or resolved."), "status")
    if assignee not in (UNSET, None) and not can_be_assigned(assignee, report):
        return Problem(
            "assignee_not_lab_staff",
            _("Assign it to one of %(lab)s's coordinators.") % {"lab": report.resource.lab},
            "assignee",
        )
    if len(comment) > COMMENT_MAX:
        return Problem(
            "comment_too_long",
            _("Keep it under %(max)s characters.") % {"max": COMMENT_MAX},
            "comment",
        )
    return None


def triage_report(
    *,
    report: ProblemReport,
    by: User,
    status: str | None = None,
    assignee=UNSET,
    comment: str = "",
    bring_up: bool = False,
    now: datetime.datetime | None = None,
) -> ProblemReport:
    """Move the report along (open → investigating → resolved, or back), assign it, comment;
    log each change and tell the reporter of a new status or comment. With `bring_up`, the
    instrument is set up (its outage ended) in the same transaction, as the status screen
    would: a report is usually resolved when the instrument works again.

    Raises ReportRefused: `not_lab_staff`, `unknown_status`, `assignee_not_lab_staff`,
    `comment_too_long`, `nothing_changed`, and the status service's refusals
    (`resource_inactive`).
    """
    now = now or timezone.now()
    if not can_triage_report(by, report):
        raise ReportRefused(
            "not_lab_staff", _("Only %(lab)s's coordinators may.") % {"lab": report.resource.lab}
        )
    comment = comment.strip()
    with transaction.atomic():
        report = (
            ProblemReport.objects.select_for_update()
            .select_related("resource__lab")
            .get(pk=report.pk)
        )
        status = status or report.status
        if problem := _triage_problem(report, status, assignee, comment):
            raise ReportRefused([problem])
        changes = _apply(report, status, assignee, now)
        was = report.resource.status
        if bring_up and was != Resource.Status.UP:
            _bring_up(report.resource, by, now)
            changes["instrument"] = [was, Resource.Status.UP]
        if not changes and not comment:
            raise ReportRefused("nothing_changed", _("Change the status or assignee, or comment."))
        if changes:
            log(instance=report, action="operations.triaged", user=by, data=changes)
        if comment:
            ReportComment.objects.create(report=report, author=by, text=comment, created_at=now)
            log(instance=report, action="operations.commented", user=by, data={"text": comment})
        if "status" in changes or comment:
            step = f"{report.status}.{now.timestamp():.0f}"
            _tell("problem_report_updated", report, [report.reporter], by, step)
    return report


def _bring_up(resource: Resource, by: User, now: datetime.datetime) -> None:
    try:
        set_resource_status(
            resource=resource, change=StatusChange(status=Resource.Status.UP), by=by, now=now
        )
    except StatusRefused as refused:
        raise ReportRefused(refused.problems) from refused


def _apply(report: ProblemReport, status: str, assignee, now) -> dict:
    """Set what differs; return it as {field: [before, after]} for the log."""
    changes = {}
    if status != report.status:
        changes["status"] = [report.status, status]
        report.status = status
        report.resolved_at = now if status == Status.RESOLVED else None
    if assignee is not UNSET and (assignee.pk if assignee else None) != report.assignee_id:
        changes["assignee"] = [report.assignee_id, assignee.pk if assignee else None]
        report.assignee = assignee
    if changes:
        report.save(update_fields=["status", "resolved_at", "assignee"])
    return changes
