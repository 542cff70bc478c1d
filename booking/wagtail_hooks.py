"""Admin screens for labs, resource categories and resources."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Booking, Lab, Resource, ResourceCategory


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "calendar-alt"
    list_display = ["name", "lab", "category", "capacity", "is_active"]
    list_filter = ["lab", "category", "is_active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("lab"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("is_active")]),
    ]


class LabViewSet(SnippetViewSet):
    model = Lab
    icon = "site"
    list_display = ["name", "slug", "coordinators"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("coordinators")]


class ResourceCategoryViewSet(SnippetViewSet):
    model = ResourceCategory
    icon = "list-ul"
    list_display = ["name", "slug"]
    panels = [FieldPanel("name"), FieldPanel("slug")]


class FacilityGroup(SnippetViewSetGroup):
    menu_label = "Resources"
    menu_icon = "calendar-alt"
    menu_order = 200
    items = (ResourceViewSet, LabViewSet, ResourceCategoryViewSet)


register_snippet(FacilityGroup)


@hooks.register("register_log_actions")
def register_booking_log_actions(actions) -> None:
    actions.register_action("booking.changed", "Booking changed", "Booking changed")
    actions.register_action("booking.handed_over", "Booking handed over", "Booking handed over")
    for status, label in Booking.Status.choices:
        actions.register_action(
            f"booking.{status}", f"Booking {label.lower()}", f"Booking {label.lower()}"
        )
