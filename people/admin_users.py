"""The Wagtail admin's user screens, with Labitory's own user fields."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

# Setting the category and ticking "category confirmed" is how staff confirm a self sign-up.
PROFILE_FIELDS = ("category", "category_confirmed", "department", "supervisor", "language")


class UserCreateForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class UserChangeForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"

    def get_form_class(self, for_update: bool = False):
        return UserChangeForm if for_update else UserCreateForm
