"""Snippet choosers and bulk actions that ask each viewset's own permission policy.

Wagtail's snippet choosers list every object of a model, and its snippet bulk actions check
the model permission once (`user.has_perm`) and name every id of the URL on their
confirmation page. Our viewsets narrow permissions per object (a coordinator acts on their
own lab's objects, an approver on their own delegations, a researcher sees their own
projects), so both would step around that. Here:

- a chooser lists, searches and answers for only the objects the viewset's policy lets the
  user see (`visible_objects`);
- a bulk action shows and acts on only those objects (any other id is left out, and a URL
  naming none of them is a 404), and asks the policy about each one
  (`user_has_permission_for_instance`); objects it refuses are listed as not permitted and
  left alone. `refuse_unpermitted_bulk_action` (a `before_bulk_action` hook) refuses any bulk
  action, ours or one added later, that reaches execution with such an object;
- Wagtail's document and image bulk actions already check each object, but their
  confirmation named every id: they too leave out what the user may not choose.
"""

import functools
import operator

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

# Holding any of these on an object means the user may see it in the admin.
VISIBLE_WITH = ("add", "change", "delete", "view")


def policy_of(model: type[Model]):
    """The permission policy of the model's snippet viewset, or None for other models."""
    viewset = getattr(model, "snippet_viewset", None)
    return getattr(viewset, "permission_policy", None)


def visible_objects(user, model: type[Model]) -> QuerySet:
    return policy_of(model).instances_user_has_any_permission_for(user, VISIBLE_WITH)


# Choosers


class DatabaseSearchForm(SearchFilterMixin, BaseFilterForm):
    """The chooser's search box, answered by the database over the viewset's `search_fields`.

    The search index can filter only on fields declared as `index.FilterField`; a scope
    that follows relations (a booking's resource's lab, a project's members) is refused
    with `FilterFieldError`. The viewsets' listings search the same way
    (`search_backend_name = None`).
    """

    search_fields: tuple[str, ...] = ()

    def filter(self, objects: QuerySet) -> QuerySet:
        query = self.cleaned_data.get("q")
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        matches = (Q(**{f"{field}__icontains": query}) for field in self.search_fields)
        return objects.filter(functools.reduce(operator.or_, matches))


class VisibleObjectsMixin:
    """For a chooser view: the objects the viewset's policy lets the user see."""

    def get_object_list(self):
        return visible_objects(self.request.user, self.model_class)

    def get_filter_form_class(self):
        fields = self.model_class.snippet_viewset.search_fields
        if not isinstance(fields, list | tuple) or not fields:  # unset is a sentinel
            return super().get_filter_form_class()
        return type("ChooserSearchForm", (DatabaseSearchForm,), {"search_fields": fields})


class PolicyChooseView(VisibleObjectsMixin, ChooseView):
    pass


class PolicyChooseResultsView(VisibleObjectsMixin, ChooseResultsView):
    pass


class PolicyChosenView(SnippetChosenView):
    """The chooser's "chosen" URL answers with an object's title and edit link: only for
    objects the user may see (another's id is a 404, as if it did not exist)."""

    def get_object(self, pk):
        return visible_objects(self.request.user, self.model_class).get(pk=pk)


class PolicyChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_objects(self.request.user, self.model_class).filter(pk__in=pks)


class PolicyChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PolicyChooseView
    choose_results_view_class = PolicyChooseResultsView
    chosen_view_class = PolicyChosenView
    chosen_multiple_view_class = PolicyChosenMultipleView


# Bulk actions


def policy_action(bulk_action) -> str:
    """The policy action a bulk action needs: its own name when the policy knows it
    (delete), otherwise "change"."""
    if bulk_action.action_type in VISIBLE_WITH:
        return bulk_action.action_type
    return "change"


def refused_objects(user, bulk_action, objects) -> list:
    """The objects the model's policy does not let `user` act on with `bulk_action`."""
    policy = policy_of(bulk_action.model)
    if policy is None:
        return []
    action = policy_action(bulk_action)
    allowed = policy.user_has_permission_for_instance
    return [obj for obj in objects if not allowed(user, action, obj)]


def listed(visible: QuerySet, object_ids) -> list:
    """The objects of a bulk URL's ids among `visible`; a 404 when there are none (or an id
    is malformed), so a URL naming only others' objects learns nothing."""
    ids = [unquote(str(pk)) for pk in object_ids]
    try:
        objects = list(visible.filter(pk__in=ids))
    except (TypeError, ValueError, ValidationError) as error:
        raise Http404 from error
    if not objects:
        raise Http404
    return objects


class PolicyCheckedBulkAction:
    """For a snippet bulk action: only visible objects, each checked by the policy."""

    def get_queryset(self, model, object_ids):
        return listed(visible_objects(self.request.user, model), object_ids)

    def check_perm(self, obj) -> bool:
        return not refused_objects(self.request.user, self, [obj])


class PolicyCheckedDeleteBulkAction(PolicyCheckedBulkAction, DeleteBulkAction):
    """Replaces Wagtail's snippet bulk delete (registered after it, so the registry keeps
    this one for every snippet model)."""


# The media a user may pick in a chooser: what Wagtail's own choosers list.
MEDIA_CHOOSING = ("choose", "add", "change", "delete")


class ChoosableMediaBulkAction:
    """For Wagtail's document and image bulk actions, which check each object already but
    name every id of the URL on their confirmation page: documents and images in
    collections the user may not choose from are left out."""

    def get_queryset(self, model, object_ids):
        policy = self.permission_policy
        return listed(
            policy.instances_user_has_any_permission_for(self.request.user, MEDIA_CHOOSING),
            object_ids,
        )


def refuse_unpermitted_bulk_action(request, action_type, objects, bulk_action):
    """`before_bulk_action`: the last word before any bulk action on a snippet model runs."""
    if refused_objects(request.user, bulk_action, objects):
        return permission_denied(request)
    return None
