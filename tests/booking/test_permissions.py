"""Who may act on which lab's booking data: the lab-scoped permission policy."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from booking.models import Booking, Closure, Resource
from booking.permissions import (
    LabScopedPermissionPolicy,
    coordinated_lab_ids,
    is_facility_wide,
    labs_in_scope,
)
from labpages.services import grant_lab_editing
from people.roles import Role
from tests.conftest import make_coordinator
from tests.factories import ProjectFactory, UserFactory

UTC = datetime.UTC

resources = LabScopedPermissionPolicy(Resource, lab_paths=("lab",))
closures = LabScopedPermissionPolicy(Closure, lab_paths=("lab", "resource__lab"))
bookings = LabScopedPermissionPolicy(
    Booking, lab_paths=("resource__lab",), refused_actions=("add", "delete")
)


def fresh(user):
    """The user as a new request would load it (the policy caches per user object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def imaging(facility):
    return facility.imaging_lab.lab


@pytest.fixture
def proteomics(facility):
    return facility.proteomics_lab.lab


def test_a_coordinator_is_scoped_to_their_own_lab(coordinator, imaging):
    assert list(labs_in_scope(coordinator)) == [imaging]
    assert not is_facility_wide(coordinator)


def test_a_site_admin_sees_every_lab(site_admin, imaging, proteomics):
    assert set(labs_in_scope(site_admin)) == {imaging, proteomics}
    assert is_facility_wide(site_admin)


def test_a_superuser_sees_every_lab(db, imaging, proteomics):
    root = UserFactory(is_superuser=True)

    assert set(labs_in_scope(root)) == {imaging, proteomics}


def test_a_researcher_has_no_lab(researcher, facility):
    assert not labs_in_scope(researcher).exists()


def test_a_lab_group_member_without_the_coordinator_role_has_no_lab(facility):
    helper = UserFactory(roles=[Role.RESEARCHER])
    helper.groups.add(grant_lab_editing(facility.imaging_lab))

    assert coordinated_lab_ids(fresh(helper)) == frozenset()


def test_the_coordinator_role_without_a_lab_gives_no_lab(db):
    assert coordinated_lab_ids(UserFactory(roles=[Role.COORDINATOR])) == frozenset()


def test_a_coordinator_of_two_labs_sees_both(facility, imaging, proteomics):
    both = make_coordinator(facility.imaging_lab)
    both.groups.add(grant_lab_editing(facility.proteomics_lab))

    assert set(labs_in_scope(fresh(both))) == {imaging, proteomics}


def test_a_coordinator_edits_only_their_labs_resources(facility, coordinator):
    confocal, orbitrap = facility.confocal.resource, facility.orbitrap.resource

    assert resources.user_has_permission_for_instance(coordinator, "change", confocal)
    assert not resources.user_has_permission_for_instance(coordinator, "change", orbitrap)
    assert list(resources.instances_user_has_permission_for(coordinator, "change")) == [confocal]


def test_a_coordinator_may_add_resources_but_not_delete_them(coordinator):
    assert resources.user_has_permission(coordinator, "add")
    assert not resources.user_has_permission(coordinator, "delete")


def test_a_researcher_may_do_nothing_with_resources(facility, researcher):
    assert not resources.user_has_any_permission(researcher, ["add", "change", "view"])
    assert not resources.instances_user_has_any_permission_for(researcher, ["view"]).exists()


def test_model_permissions_alone_do_not_open_the_admin_scope(facility):
    # Finance holding a stray booking permission is neither coordinator nor site admin.
    finance = UserFactory(roles=[Role.FINANCE])
    finance.user_permissions.add(Permission.objects.get(codename="view_resource"))

    assert not resources.user_has_permission(fresh(finance), "view")


def test_a_site_admin_edits_every_labs_resources(facility, site_admin):
    assert resources.instances_user_has_permission_for(site_admin, "change").count() == 2


def test_a_lab_wide_closure_belongs_to_its_lab(facility, coordinator, imaging, proteomics):
    start = datetime.datetime(2030, 12, 24, tzinfo=UTC)
    ours = Closure.objects.create(
        lab=imaging, starts_at=start, ends_at=start + datetime.timedelta(days=2), reason="Winter"
    )
    theirs = Closure.objects.create(
        resource=facility.orbitrap.resource,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        reason="Source cleaning",
    )

    assert closures.user_has_permission_for_instance(coordinator, "change", ours)
    assert not closures.user_has_permission_for_instance(coordinator, "change", theirs)
    assert list(closures.instances_user_has_permission_for(coordinator, "change")) == [ours]


def test_bookings_are_never_added_or_deleted_through_the_admin(facility, coordinator):
    root = UserFactory(is_superuser=True)

    for user in (coordinator, root):
        assert not bookings.user_has_permission(user, "add")
        assert not bookings.user_has_permission(user, "delete")
    assert bookings.user_has_permission(coordinator, "change")


def test_a_coordinator_sees_only_their_labs_bookings(facility, coordinator):
    booker = UserFactory()
    project = ProjectFactory(members=[booker])
    start = datetime.datetime(2030, 3, 4, 10, tzinfo=UTC)
    for resource in (facility.confocal.resource, facility.orbitrap.resource):
        Booking.objects.create(
            resource=resource,
            user=booker,
            project=project,
            start=start,
            end=start + datetime.timedelta(hours=1),
        )

    visible = bookings.instances_user_has_permission_for(coordinator, "view")

    assert [b.resource for b in visible] == [facility.confocal.resource]


def test_the_users_who_may_change_a_resource_are_its_labs_coordinators_and_admins(
    facility, coordinator, site_admin
):
    other = make_coordinator(facility.proteomics_lab)

    allowed = set(
        resources.users_with_permission_for_instance("change", facility.confocal.resource)
    )

    assert coordinator in allowed
    assert site_admin in allowed
    assert other not in allowed
