"""Keep a lab's editing rights in step with its page."""

from wagtail import hooks

from .models import LabPage
from .services import grant_lab_editing


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def grant_lab_editing_after_save(request, page) -> None:
    if isinstance(page.specific_deferred, LabPage):
        grant_lab_editing(page.specific)
