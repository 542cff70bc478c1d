"""Scoping every view of a snippet viewset to the user's labs, in the facility's time zone.

Wagtail's snippet views check model permissions only, and `SnippetViewSet.get_queryset`
narrows the listing alone: an edit, history, usage or inspect URL of another lab's object
would still open. `LabScopedViewSetMixin` wraps every view the viewset builds so that a URL
naming an object outside the user's labs is refused before the view runs, and the listing
and the chooser (labitory.admin_scope) show only objects in scope.
"""

import functools
from collections.abc import Callable

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import ObjectList

from labitory.admin_scope import PolicyChooserViewSet
from labitory.clock import facility_zone

from ..permissions import SCOPE_ACTIONS, LabScopedPermissionPolicy


def objects_in_scope(view: Callable, policy: LabScopedPermissionPolicy) -> Callable:
    """Refuse (Wagtail shows "permission denied") any `pk` outside the user's labs."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            in_scope = policy.instances_user_has_any_permission_for(request.user, SCOPE_ACTIONS)
            try:
                found = in_scope.filter(pk=unquote(str(pk))).exists()
            except (TypeError, ValueError):
                found = False
            if not found:
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def in_facility_zone(view: Callable) -> Callable:
    """Run and render the view in the facility's zone, whatever the editor's profile says.

    Booking times are entered and shown in the facility's local time: the admin otherwise
    uses each editor's own time zone preference.
    """

    @functools.wraps(view)
    def localised(request, *args, **kwargs):
        zone = facility_zone()
        with timezone.override(zone):
            response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            render = response.render

            def render_in_zone():
                with timezone.override(zone):
                    return render()

            response.render = render_in_zone
        return response

    return localised


class LabScopedViewSetMixin:
    """For a SnippetViewSet: a lab-scoped policy, listing, chooser and object URLs.

    Set `lab_paths` (lookups from the model to its lab), if some actions are never allowed
    through the admin `refused_actions`, and `base_form_class` for the form of `panels`.
    """

    lab_paths: tuple[str, ...] = ()
    refused_actions: tuple[str, ...] = ()
    list_select_related: tuple[str, ...] = ()
    # A WagtailAdminModelForm subclass for the panels (e.g. one limiting lab choices).
    base_form_class = None
    chooser_viewset_class = PolicyChooserViewSet

    @cached_property
    def permission_policy(self) -> LabScopedPermissionPolicy:
        return LabScopedPermissionPolicy(
            self.model, lab_paths=self.lab_paths, refused_actions=self.refused_actions
        )

    def get_edit_handler(self):
        if self.base_form_class is None:
            return super().get_edit_handler()
        panels = ObjectList(self.panels, base_form_class=self.base_form_class)
        return panels.bind_to_model(self.model)

    def get_queryset(self, request):
        objects = self.permission_policy.instances_user_has_any_permission_for(
            request.user, SCOPE_ACTIONS
        )
        return objects.select_related(*self.list_select_related)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        return in_facility_zone(objects_in_scope(view, self.permission_policy))
