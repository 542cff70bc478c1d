"""Keep a lab's editing rights in step with its page, and other labs' pages out of a lab
coordinator's page chooser."""

from django.db.models import QuerySet
from wagtail import hooks

from booking.permissions import coordinated_lab_ids, is_facility_wide

from .models import LabPage
from .permissions import can_edit_pages
from .services import grant_lab_editing


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def grant_lab_editing_after_save(request, page) -> None:
    if isinstance(page.specific_deferred, LabPage):
        grant_lab_editing(page.specific)


@hooks.register("construct_page_chooser_queryset")
def hide_other_labs_pages(pages: QuerySet, request) -> QuerySet:
    """Site admins choose from the whole tree; anyone else not from a lab's subtree unless
    they coordinate that lab (drafts and titles of another lab are not theirs to browse).
    Pages outside every lab (home, instrument index) stay choosable."""
    user = request.user
    if is_facility_wide(user):
        return pages
    hidden = LabPage.objects.exclude(lab_id__in=coordinated_lab_ids(user))
    for path in hidden.values_list("path", flat=True):
        pages = pages.exclude(path__startswith=path)
    return pages


@hooks.register("construct_homepage_summary_items", order=100)
def page_summary_for_page_editors(request, summary_items):
    """Wagtail's counts of pages, images and documents mean something only to page editors;
    finance and approvers see their own panels instead. Runs after Wagtail adds its items."""
    if not can_edit_pages(request.user):
        summary_items.clear()
