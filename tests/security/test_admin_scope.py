"""Bulk actions and choosers ask each viewset's permission policy (site/admin_scope.py):
a coordinator of the Imaging lab and an approver act on, list and find only their own
objects, however the URL is written."""

import datetime

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.urls import reverse
from django.utils import timezone
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from booking.models import Closure, Lab, MaintenanceWindow, Qualification, Resource
from booking.services import request_booking
from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory
from workflows.models import ApprovalRule, Delegation

SOON = timezone.now() + datetime.timedelta(days=10)


def bulk_url(model, action: str, *objects) -> str:
    opts = model._meta
    ids = "&".join(f"id={obj.pk}" for obj in objects)
    return f"/admin/bulk/{opts.app_label}/{opts.model_name}/{action}/?{ids}"


def closure_of(lab: Lab, reason: str) -> Closure:
    return Closure.objects.create(
        lab=lab, starts_at=SOON, ends_at=SOON + datetime.timedelta(hours=2), reason=reason
    )


def window_of(resource: Resource, reason: str) -> MaintenanceWindow:
    return MaintenanceWindow.objects.create(
        resource=resource, starts_at=SOON, ends_at=SOON + datetime.timedelta(hours=2), reason=reason
    )


def qualification_of(resource: Resource, note: str) -> Qualification:
    return Qualification.objects.create(user=UserFactory(), resource=resource, note=note)


def rule_of(lab: Lab, name: str) -> ApprovalRule:
    return ApprovalRule.objects.create(name=name, lab=lab, always=True)


def delegation_of(approver, note: str) -> Delegation:
    return Delegation.objects.create(
        delegator=approver,
        delegate=UserFactory(roles=[Role.APPROVER]),
        starts_on=datetime.date(2030, 1, 1),
        ends_on=datetime.date(2030, 1, 7),
        note=note,
    )


# Each maker builds one object of the Proteomics lab (or of another approver).
OTHER_LABS = {
    "closure": lambda f: closure_of(f.proteomics_lab.lab, "Proteomics move"),
    "maintenance window": lambda f: window_of(f.orbitrap.resource, "Orbitrap service"),
    "qualification": lambda f: qualification_of(f.orbitrap.resource, "Orbitrap training"),
    "approval rule": lambda f: rule_of(f.proteomics_lab.lab, "Proteomics approvals"),
    "delegation": lambda f: delegation_of(UserFactory(roles=[Role.APPROVER]), "Away"),
    "resource": lambda f: f.orbitrap.resource,
    "lab": lambda f: f.proteomics_lab.lab,
}


@pytest.mark.parametrize("kind", OTHER_LABS)
def test_it_refuses_a_coordinator_bulk_deleting_another_labs_or_users_object(
    client, facility, coordinator, kind
):
    theirs = OTHER_LABS[kind](facility)
    sign_in_with_second_factor(client, coordinator)
    url = bulk_url(type(theirs), "delete", theirs)

    page = client.get(url)
    sent = client.post(url)

    assert page.status_code == 404 and sent.status_code == 404
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


def test_it_refuses_an_approver_bulk_deleting_another_approvers_delegation(client, db):
    approver = UserFactory(roles=[Role.APPROVER])
    theirs = delegation_of(UserFactory(roles=[Role.APPROVER]), "Conference")
    sign_in_with_second_factor(client, approver)

    response = client.post(bulk_url(Delegation, "delete", theirs))

    assert response.status_code == 404
    assert Delegation.objects.filter(pk=theirs.pk).exists()


def test_an_approver_still_bulk_deletes_their_own_delegation(client, db):
    approver = UserFactory(roles=[Role.APPROVER])
    mine = delegation_of(approver, "Holiday")
    sign_in_with_second_factor(client, approver)

    response = client.post(bulk_url(Delegation, "delete", mine))

    assert response.status_code == 302
    assert not Delegation.objects.filter(pk=mine.pk).exists()


def test_a_mixed_bulk_delete_removes_only_the_coordinators_own_lab_objects(
    client, facility, coordinator
):
    mine = closure_of(facility.imaging_lab.lab, "Imaging deep clean")
    theirs = closure_of(facility.proteomics_lab.lab, "Proteomics move")
    sign_in_with_second_factor(client, coordinator)
    url = bulk_url(Closure, "delete", mine, theirs)

    page = client.get(url)
    client.post(url)

    assert "Imaging deep clean" in page.text and "Proteomics move" not in page.text
    assert not Closure.objects.filter(pk=mine.pk).exists()
    assert Closure.objects.filter(pk=theirs.pk).exists()


def test_a_bulk_delete_the_policy_refuses_leaves_a_visible_object_alone(
    client, facility, coordinator
):
    """Bookings are never deleted in the admin, even in the coordinator's own lab: the
    booking is listed as not permitted and stays."""
    booker = UserFactory()
    project = ProjectFactory(members=[booker])
    booking = request_booking(
        user=booker,
        resource=facility.confocal.resource,
        project=project,
        start=SOON.replace(minute=0, second=0, microsecond=0),
        end=SOON.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1),
    )
    sign_in_with_second_factor(client, coordinator)
    url = bulk_url(type(booking), "delete", booking)

    page = client.get(url)
    client.post(url)

    assert "have permission to delete this booking" in page.text
    assert type(booking).objects.filter(pk=booking.pk).exists()


def test_a_bulk_action_without_the_policy_check_is_refused_before_it_runs(rf, db):
    """Wagtail's own snippet bulk delete checks the model permission only, which an approver
    holds: the before_bulk_action hook refuses it for another approver's delegation."""
    approver = UserFactory(roles=[Role.APPROVER])
    theirs = delegation_of(UserFactory(roles=[Role.APPROVER]), "Conference")
    request = rf.post(bulk_url(Delegation, "delete", theirs))
    request.user = approver
    SessionMiddleware(lambda request: None).process_request(request)
    request._messages = FallbackStorage(request)

    response = DeleteBulkAction(request, Delegation).dispatch(request)

    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert Delegation.objects.filter(pk=theirs.pk).exists()


def test_a_bulk_url_with_a_malformed_id_is_a_404(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.get("/admin/bulk/booking/closure/delete/?id=not-a-number")

    assert response.status_code == 404


# Choosers: search as a coordinator in every lab-limited chooser, with a query that matches
# both labs' objects.

OWN_AND_OTHER = {
    "resource": (lambda f: f.confocal.resource, lambda f: f.orbitrap.resource, "s"),
    "lab": (lambda f: f.imaging_lab.lab, lambda f: f.proteomics_lab.lab, "i"),
    "closure": (
        lambda f: closure_of(f.imaging_lab.lab, "Deep clean"),
        lambda f: closure_of(f.proteomics_lab.lab, "Deep clean"),
        "clean",
    ),
    "maintenancewindow": (
        lambda f: window_of(f.confocal.resource, "Laser service"),
        lambda f: window_of(f.orbitrap.resource, "Laser service"),
        "service",
    ),
    "qualification": (
        lambda f: qualification_of(f.confocal.resource, ""),
        lambda f: qualification_of(f.orbitrap.resource, ""),
        "Person",
    ),
    "approvalrule": (
        lambda f: rule_of(f.imaging_lab.lab, "Approvals"),
        lambda f: rule_of(f.proteomics_lab.lab, "Approvals"),
        "approvals",
    ),
}


def chooser_url(model, view: str = "choose", *args) -> str:
    opts = model._meta
    return reverse(f"wagtailsnippetchoosers_{opts.app_label}_{opts.model_name}:{view}", args=args)


@pytest.mark.parametrize("model_name", OWN_AND_OTHER)
def test_searching_a_lab_limited_chooser_finds_only_the_coordinators_own_objects(
    client, facility, coordinator, model_name
):
    make_own, make_other, query = OWN_AND_OTHER[model_name]
    own, other = make_own(facility), make_other(facility)
    model = type(own)
    sign_in_with_second_factor(client, coordinator)

    for view in ("choose", "choose_results"):
        response = client.get(chooser_url(model, view), {"q": query})

        assert response.status_code == 200, view
        assert chooser_url(model, "chosen", own.pk) in response.text
        assert chooser_url(model, "chosen", other.pk) not in response.text


def test_searching_a_chooser_without_search_fields_still_answers(client, facility, coordinator):
    sign_in_with_second_factor(client, coordinator)

    response = client.get(chooser_url(Delegation, "choose_results"), {"q": "anything"})

    assert response.status_code == 200
