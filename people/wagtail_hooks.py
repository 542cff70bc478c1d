"""Admin screens for departments and projects (cost centres), account security, and the
account audit actions."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from labitory.admin_scope import PolicyChooserViewSet

from . import admin_views
from .audit import ACTIONS
from .middleware import second_factor_refusal
from .models import Department, Project
from .permissions import ProjectPermissionPolicy
from .two_factor import is_half_signed_in


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    panels = [FieldPanel("name"), FieldPanel("code")]


class ProjectViewSet(SnippetViewSet):
    """Projects for finance and site admins; the chooser shows others only their own
    projects (people/permissions.py)."""

    model = Project
    icon = "tag"
    chooser_viewset_class = PolicyChooserViewSet
    list_display = ["code", "name", "pi", "department", "active_from", "active_to"]
    list_filter = ["department"]
    search_fields = ["code", "name"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("pi"), FieldPanel("department")]),
        FieldPanel("members"),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_to")]),
    ]

    @cached_property
    def permission_policy(self) -> ProjectPermissionPolicy:
        return ProjectPermissionPolicy(self.model)


class PeopleGroup(SnippetViewSetGroup):
    menu_label = "Projects"
    menu_icon = "tag"
    menu_order = 300
    items = (ProjectViewSet, DepartmentViewSet)


register_snippet(PeopleGroup)


@hooks.register("register_log_actions")
def register_account_log_actions(actions) -> None:
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_account_security_urls():
    return [
        path(
            "people/account-security/<int:pk>/",
            admin_views.account_security,
            name="people_account_security",
        ),
        path(
            "people/account-security/<int:pk>/reset-two-factor/",
            admin_views.reset_two_factor,
            name="people_reset_two_factor",
        ),
        path(
            "people/account-security/<int:pk>/unlock/",
            admin_views.unlock,
            name="people_unlock",
        ),
        path(
            "people/account-security/<int:pk>/tokens/<int:token_pk>/revoke/",
            admin_views.revoke_users_token,
            name="people_revoke_token",
        ),
    ]


@hooks.register("register_user_listing_buttons")
def account_security_button(user, request_user):
    if admin_views.can_manage_account_security(request_user):
        yield Button(
            "Sign-in and two-factor",
            reverse("people_account_security", args=[user.pk]),
            icon_name="lock",
            priority=50,
        )


@hooks.register("before_serve_page")
def restricted_pages_need_the_second_factor(page, request, serve_args, serve_kwargs):
    """Only public pages are open to a staff member who has not entered their code yet: a
    page for signed-in people or for some groups waits for the second factor
    (people/middleware.py lets page serving through for them)."""
    if is_half_signed_in(request.user) and page.get_view_restrictions().exists():
        return second_factor_refusal(request)
    return None
