"""Project-wide admin hooks: scheduled jobs, bulk actions that ask each viewset's policy
(site/admin_scope.py), and the admin API's documents and images limited to what the user
may choose."""

from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.snippets.models import register_snippet

from .admin_jobs import ScheduledJobsGroup
from .admin_scope import (
    MEDIA_CHOOSING,
    ChoosableMediaBulkAction,
    PolicyCheckedDeleteBulkAction,
    refuse_unpermitted_bulk_action,
)

register_snippet(ScheduledJobsGroup)

# Registered after Wagtail's own (order 0), so the registry keeps these: the snippet bulk
# delete, and every document and image bulk action, limited to what the user may see.
hooks.register("register_bulk_action", PolicyCheckedDeleteBulkAction, order=100)
hooks.register("before_bulk_action", refuse_unpermitted_bulk_action)
for module in (document_bulk_actions, image_bulk_actions):
    for name in module.__all__:
        action = getattr(module, name)
        scoped = type(name, (ChoosableMediaBulkAction, action), {"__module__": __name__})
        hooks.register("register_bulk_action", scoped, order=100)


class ChoosableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API lists only documents in collections the user may choose from (a lab
    coordinator: their lab's collection), not every document of the site."""

    def get_queryset(self):
        choosable = document_policy.instances_user_has_any_permission_for(
            self.request.user, MEDIA_CHOOSING
        )
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        choosable = image_policy.instances_user_has_any_permission_for(
            self.request.user, MEDIA_CHOOSING
        )
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


@hooks.register("construct_admin_api", order=100)
def limit_admin_api_media(router) -> None:
    """Replaces the endpoints Wagtail's documents and images apps registered (order 0)."""
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
