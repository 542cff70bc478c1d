"""One panel per role on the admin home: the lab coordinator's day, the approver's queue,
the finance desk and the site's health. Each reads through dashboards.queries and shows
only what its reader may act on; wagtail_hooks.py decides who gets which."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from . import queries


class RolePanel(Component):
    class Media:
        css = {"all": ["dashboards/dashboard.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None) -> dict:
        # A component's template is rendered without the request: its forms need the token.
        return {"request": self.request, "csrf_token": get_token(self.request), **self.read()}

    def read(self) -> dict:
        raise NotImplementedError


class CoordinatorPanel(RolePanel):
    name = "coordinator_day"
    order = 10
    template_name = "dashboards/coordinator.html"

    def read(self) -> dict:
        return {
            "day": queries.coordinator_day(self.request.user, now=timezone.now()),
            "schedule_url": reverse("lab_schedule:index"),
            "bookings_url": reverse("wagtailsnippets_booking_booking:list"),
            "maintenance_url": reverse("wagtailsnippets_booking_maintenancewindow:list"),
            "problems_url": reverse("wagtailsnippets_operations_problemreport:list"),
        }


class ApproverPanel(RolePanel):
    name = "approver_queue"
    order = 20
    template_name = "dashboards/approver.html"

    def read(self) -> dict:
        return {
            "queue": queries.approver_queue(self.request.user),
            "queue_url": reverse("workflows_admin:queue"),
            "here": reverse("wagtailadmin_home"),
        }


class FinancePanel(RolePanel):
    name = "finance_desk"
    order = 30
    template_name = "dashboards/finance.html"

    def read(self) -> dict:
        return {
            "desk": queries.finance_desk(now=timezone.now()),
            "statements_url": reverse("reporting_statements"),
            "usage_url": reverse("reporting_usage_record:index"),
        }


class SiteAdminPanel(RolePanel):
    name = "site_health"
    order = 40
    template_name = "dashboards/site_admin.html"

    def read(self) -> dict:
        return {
            "health": queries.site_health(now=timezone.now()),
            "outbox_url": reverse("outbox:list"),
            "jobs_url": reverse("scheduled_jobs:list"),
        }
