"""Who may see and triage problem reports: the reporter follows their own; the lab's
coordinators and site admins see and triage every report of the lab's instruments."""

from booking.permissions import can_manage_lab, coordinated_lab_ids, is_facility_wide
from people.models import User

from .models import ProblemReport


def can_triage_report(user: User | None, report: ProblemReport) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return can_manage_lab(user, report.resource.lab)


def can_see_report(user: User | None, report: ProblemReport) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return report.reporter_id == user.pk or can_triage_report(user, report)


def can_be_assigned(user: User, report: ProblemReport) -> bool:
    """A report is assigned to someone who could triage it."""
    return user.is_active and (
        is_facility_wide(user) or report.resource.lab_id in coordinated_lab_ids(user)
    )
