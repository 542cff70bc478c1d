"""The admin home's panels, one per role the user holds (a person may hold several)."""

from wagtail import hooks

from booking.permissions import coordinated_lab_ids, is_facility_wide
from people.roles import Role, group_names
from reporting.permissions import is_finance
from workflows.queries import open_task_count

from .panels import ApproverPanel, CoordinatorPanel, FinancePanel, SiteAdminPanel


def is_approver(user) -> bool:
    """In the Approver role, or with requests waiting (a coordinator may be a step)."""
    return Role.APPROVER in group_names(user) or open_task_count(user) > 0


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels) -> None:
    user = request.user
    if coordinated_lab_ids(user):
        panels.append(CoordinatorPanel(request))
    if is_approver(user):
        panels.append(ApproverPanel(request))
    if is_finance(user):
        panels.append(FinancePanel(request))
    if is_facility_wide(user):
        panels.append(SiteAdminPanel(request))
