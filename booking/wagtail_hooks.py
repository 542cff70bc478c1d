"""Admin screens: bookings, the lab schedule and resource rules (scoped to the user's labs),
labs and resource categories for site admins, and booking log actions."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views.resources import sign_button
from .admin_views.viewsets import (
    BookingViewSet,
    ClosureViewSet,
    LabScheduleViewSet,
    LabViewSet,
    MaintenanceWindowViewSet,
    QualificationViewSet,
    ResourceViewSet,
)
from .models import Booking, Resource, ResourceCategory


class ResourceCategoryViewSet(SnippetViewSet):
    model = ResourceCategory
    icon = "list-ul"
    list_display = ["name", "slug"]
    panels = ["name", "slug"]


class BookingsGroup(SnippetViewSetGroup):
    menu_label = "Bookings"
    menu_icon = "date"
    menu_order = 200
    items = (
        BookingViewSet,
        LabScheduleViewSet,
        ResourceViewSet,
        ClosureViewSet,
        MaintenanceWindowViewSet,
        QualificationViewSet,
    )


class FacilityGroup(SnippetViewSetGroup):
    menu_label = "Facility"
    menu_icon = "site"
    menu_order = 210
    items = (LabViewSet, ResourceCategoryViewSet)


register_snippet(BookingsGroup)
register_snippet(FacilityGroup)


@hooks.register("register_log_actions")
def register_booking_log_actions(actions) -> None:
    actions.register_action("booking.changed", "Booking changed", "Booking changed")
    actions.register_action("booking.handed_over", "Booking handed over", "Booking handed over")
    for status, label in Booking.Status.choices:
        actions.register_action(
            f"booking.{status}", f"Booking {label.lower()}", f"Booking {label.lower()}"
        )
    for action, label in (
        ("booking.waitlist.joined", "Joined the waiting list"),
        ("booking.waitlist.offered", "Waiting list: slot offered"),
        ("booking.waitlist.accepted", "Waiting list: offer accepted"),
        ("booking.waitlist.expired", "Waiting list: offer expired"),
        ("booking.waitlist.withdrawn", "Left the waiting list"),
        ("booking.maintenance.scheduled", "Maintenance scheduled"),
        ("booking.closure.created", "Closure created"),
        ("booking.feed.issued", "Calendar feed address issued"),
        ("booking.feed.revoked", "Calendar feed stopped"),
        ("booking.kiosk.enabled", "Kiosk address issued"),
        ("booking.kiosk.revoked", "Kiosk address revoked"),
        ("booking.policy_accepted", "Policy accepted"),
        ("booking.outage_warned", "Booker warned of an outage"),
        ("booking.status.up", "Status: up"),
        ("booking.status.limited", "Status: limited"),
        ("booking.status.down", "Status: down"),
    ):
        actions.register_action(action, label, label)


@hooks.register("register_snippet_listing_buttons")
def resource_sign_button(snippet, user, next_url=None):
    """Each resource's row in the admin list leads to its printable sign and kiosk."""
    if isinstance(snippet, Resource):
        yield sign_button(snippet)
