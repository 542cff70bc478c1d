"""Who may edit which part of the page tree.

A lab's coordinators group edits the lab page and everything below it, and manages the
images and documents in the lab's own collection. Site admins hold the whole tree.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from people.roles import Role, is_last_app

from .models import LabPage

PAGE_EDITING = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
PAGE_ADMIN = (*PAGE_EDITING, "bulk_delete_page")
MEDIA_EDITING = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _grant_pages(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=codenames
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_media(group: Group, collection: Collection) -> None:
    for app_label, codename in MEDIA_EDITING:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


@transaction.atomic
def grant_lab_editing(lab_page: LabPage) -> Group | None:
    """Give the lab's coordinators group its page subtree and a media collection.

    Creates the group and the collection when missing; safe to call again.
    Returns the coordinators group, or None when the page presents no lab record.
    """
    lab = lab_page.lab
    if lab is None:
        return None
    if lab.coordinators is None:
        lab.coordinators, _ = Group.objects.get_or_create(name=f"{Role.COORDINATOR}s · {lab.name}")
        lab.save(update_fields=["coordinators"])
    if lab_page.collection is None:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=lab.name).first()
        lab_page.collection = existing or root.add_child(name=lab.name)
        LabPage.objects.filter(pk=lab_page.pk).update(collection=lab_page.collection)
    _grant_pages(lab.coordinators, lab_page, PAGE_EDITING)
    _grant_media(lab.coordinators, lab_page.collection)
    return lab.coordinators


def grant_site_admin_tree(sender=None, **kwargs) -> None:
    """Site admins hold the whole page tree and every collection (post_migrate handler)."""
    if not is_last_app(sender):
        return
    group = Group.objects.filter(name=Role.SITE_ADMIN).first()
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if group is None or root_page is None or root_collection is None:
        return
    _grant_pages(group, root_page, PAGE_ADMIN)
    _grant_media(group, root_collection)
