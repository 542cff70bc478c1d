"""Admin: each instrument's training policy (scoped to the user's labs), training's log
actions, and a menu link to the site's training pages for trainers and coordinators."""

from django import forms
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from booking.admin_views.forms import LabScopedForm
from booking.admin_views.scoping import LabScopedViewSetMixin

from .models import TrainingPolicy
from .permissions import training_lab_ids


class TrainingPolicyViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = TrainingPolicy
    icon = "success"
    menu_label = "Training policies"
    add_to_admin_menu = False
    lab_paths = ("resource__lab",)
    list_display = ["resource", "valid_months", "renewal"]
    list_select_related = ("resource",)
    base_form_class = LabScopedForm
    panels = [
        FieldPanel("resource", widget=forms.Select),
        FieldPanel("valid_months"),
        FieldPanel("renewal"),
        FieldPanel("recent_use_days"),
        FieldPanel("session_minutes"),
        FieldPanel("refresher_minutes"),
        FieldPanel("description"),
    ]


register_snippet(TrainingPolicyViewSet)


class TrainingMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        labs = training_lab_ids(request.user)
        return labs is None or bool(labs)


@hooks.register("register_admin_menu_item")
def register_training_menu_item():
    return TrainingMenuItem("Training", reverse("training:mine"), icon_name="success", order=206)


@hooks.register("register_log_actions")
def register_training_log_actions(actions) -> None:
    for action, label in (
        ("training.requested", "Training requested"),
        ("training.withdrawn", "Training request withdrawn"),
        ("training.scheduled", "Training session scheduled"),
        ("training.seated", "Seated in a training session"),
        ("training.cancelled", "Training session cancelled"),
        ("training.recorded", "Training attendance recorded"),
    ):
        actions.register_action(action, label, label)
