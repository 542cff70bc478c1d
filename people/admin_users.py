"""The Wagtail admin's user screens, with Labitory's own user fields."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import IndexView as WagtailIndexView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .roles import Role

# Setting the category and ticking "category confirmed" is how staff confirm a self sign-up.
PROFILE_FIELDS = ("category", "category_confirmed", "department", "supervisor", "language")


class UserCreateForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class UserChangeForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


def roles_of(user) -> str:
    """The user's roles in words ("Lab coordinator, Approver"), from the prefetched groups."""
    names = [group.name for group in user.groups.all() if group.name in Role.ALL]
    return ", ".join(sorted(names, key=Role.ALL.index)) or "No role"


class IndexView(WagtailIndexView):
    """Wagtail's user list, with each person's roles beside their name (one query for all)."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        roles = Column("roles", accessor=roles_of, label="Roles", width="20%")
        return [*columns[:3], roles, *columns[3:]]

    def get_base_queryset(self):
        groups = Prefetch("groups", queryset=Group.objects.only("name"))
        return super().get_base_queryset().prefetch_related(groups)


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"
    index_view_class = IndexView

    def get_form_class(self, for_update: bool = False):
        return UserChangeForm if for_update else UserCreateForm
