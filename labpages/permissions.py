"""Who may do what with the site's pages."""

from wagtail.permission_policies.pages import PagePermissionPolicy

from people.models import User


def can_edit_pages(user: User) -> bool:
    """Anyone who may add, change or publish some page (a lab's coordinators, site admins)."""
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])
