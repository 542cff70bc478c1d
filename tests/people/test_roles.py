import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page

from people.roles import ROLE_PERMISSIONS, Role
from tests.factories import UserFactory


def permission_names(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_five_role_groups_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Researcher", "Lab coordinator", "Approver", "Finance", "Site admin"} <= names


def test_a_researcher_holds_no_model_permissions(db):
    assert permission_names(Group.objects.get(name=Role.RESEARCHER)) == set()


def test_a_researcher_cannot_use_the_admin(db):
    researcher = UserFactory(roles=[Role.RESEARCHER])

    assert not researcher.has_perm("wagtailadmin.access_admin")


@pytest.mark.parametrize("role", Role.STAFF)
def test_every_staff_role_may_open_the_admin(db, role):
    assert UserFactory(roles=[role]).has_perm("wagtailadmin.access_admin")


def test_a_coordinator_may_open_the_admin_and_view_resources(db):
    names = permission_names(Group.objects.get(name=Role.COORDINATOR))

    assert {"wagtailadmin.access_admin", "booking.view_resource"} <= names


def test_a_coordinator_role_alone_grants_no_page_editing(db):
    group = Group.objects.get(name=Role.COORDINATOR)

    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_finance_may_change_projects(db):
    finance = UserFactory(roles=[Role.FINANCE])

    assert finance.has_perms(["people.add_project", "people.change_project"])


def test_finance_may_not_edit_pages(facility):
    finance = UserFactory(roles=[Role.FINANCE])

    assert not facility.confocal.permissions_for_user(finance).can_edit()
    assert not facility.home.permissions_for_user(finance).can_add_subpage()


def test_finance_may_not_manage_users(db):
    assert not UserFactory(roles=[Role.FINANCE]).has_perm("people.change_user")


def test_a_site_admin_holds_page_permissions_on_the_root_page(db):
    group = Group.objects.get(name=Role.SITE_ADMIN)
    granted = set(
        GroupPagePermission.objects.filter(
            group=group, page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )

    assert {"add_page", "change_page", "publish_page"} <= granted


def test_a_site_admin_may_edit_and_publish_any_page(facility):
    permissions = facility.orbitrap.permissions_for_user(UserFactory(roles=[Role.SITE_ADMIN]))

    assert permissions.can_edit()
    assert permissions.can_publish()


def test_a_site_admin_holds_every_permission_of_labitorys_apps(db):
    names = permission_names(Group.objects.get(name=Role.SITE_ADMIN))

    assert {"people.delete_project", "booking.delete_resource", "booking.add_lab"} <= names


def test_every_listed_permission_exists(db):
    for role, wanted in ROLE_PERMISSIONS.items():
        assert set(wanted) <= permission_names(Group.objects.get(name=role)), role


def test_the_groups_and_their_permissions_come_back_after_a_flush(transactional_db):
    before = {role: permission_names(Group.objects.get(name=role)) for role in Role.ALL}

    call_command("flush", interactive=False, verbosity=0)

    after = {role: permission_names(Group.objects.get(name=role)) for role in Role.ALL}
    assert after == before
    assert after[Role.FINANCE]
