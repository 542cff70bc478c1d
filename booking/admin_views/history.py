"""The admin's Site history report, narrowed to what the reader may see.

Wagtail shows a model's log entries to anyone holding any permission on the model, so a
coordinator of one lab would read every lab's booking and resource history there, and the
account audit trail (sign-ins, two-factor, roles). Here a reader who is not facility-wide
sees entries of lab-scoped objects only for objects in their labs, and no account entries.
Page entries are already narrowed by Wagtail to the pages the reader may edit.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry
from wagtail.snippets.models import get_snippet_models

from people.models import User

from ..permissions import SCOPE_ACTIONS, LabScopedPermissionPolicy, is_facility_wide


def lab_scoped_models() -> list[tuple[type, LabScopedPermissionPolicy]]:
    found = []
    for model in get_snippet_models():
        policy = getattr(getattr(model, "snippet_viewset", None), "permission_policy", None)
        if isinstance(policy, LabScopedPermissionPolicy):
            found.append((model, policy))
    return found


def readable_entries(user: User) -> Q:
    """A filter on ModelLogEntry: the entries `user` may read."""
    if is_facility_wide(user):
        return Q()
    hidden = Q(content_type=ContentType.objects.get_for_model(User))
    for model, policy in lab_scoped_models():
        in_scope = (
            policy.instances_user_has_any_permission_for(user, SCOPE_ACTIONS)
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        hidden |= Q(content_type=ContentType.objects.get_for_model(model)) & ~Q(
            object_id__in=in_scope
        )
    return ~hidden


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = queryset.filter(readable_entries(self.request.user))
        return queryset
