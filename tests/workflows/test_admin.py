"""The admin: approval queue, dashboard panel, and the rule and delegation forms."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from booking.models import BookingQuestion, Lab, Resource
from booking.permissions import coordinated_lab_ids
from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory
from tests.workflows.helpers import book
from workflows.models import ApprovalRule, ApprovalTask, Delegation

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_approver(project):
    """The project's PI, given the approver role so that they can use the admin."""
    project.pi.groups.add(Group.objects.get(name=Role.APPROVER))
    return project.pi


def test_the_admin_queue_and_dashboard_show_what_waits(
    client, instrument, booker, project, two_step_rule, staff_approver
):
    booking = book(instrument, booker, project)
    task = ApprovalTask.objects.get(request__booking=booking)
    sign_in_with_second_factor(client, staff_approver)

    queue = client.get(reverse("workflows_admin:queue"))
    dashboard = client.get(reverse("wagtailadmin_home"))

    assert queue.status_code == 200 and instrument.name.encode() in queue.content
    assert b"1 request to decide" in dashboard.content
    response = client.post(
        reverse("workflows_admin:decide", args=[task.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302 and response.url == reverse("workflows_admin:queue")
    task.refresh_from_db()
    assert task.decision == "approved"


def form_class(model):
    """The form the admin's edit view uses: the panels' form on our base form class."""
    return model.snippet_viewset.get_edit_handler().get_form_class()


def rule_form(user, lab, steps: list[dict], **fields):
    data = {
        "name": "Long runs",
        "lab": lab.pk,
        "order": 100,
        "is_active": "on",
        "match": "any",
        "reminder_after": 24,
        "escalate_after": 72,
        "escalation": "coordinators",
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for i, step in enumerate(steps):
        data.update({f"steps-{i}-{k}": v for k, v in step.items()})
        data[f"steps-{i}-ORDER"] = i + 1
    return form_class(ApprovalRule)(data, instance=ApprovalRule(), for_user=user)


@pytest.fixture
def lab_and_admin(instrument, site_admin):
    return instrument.lab, site_admin


def test_a_rule_with_steps_and_a_condition_saves(lab_and_admin, managers):
    lab, admin = lab_and_admin
    form = rule_form(admin, lab, [{"approvers": "group", "group": managers.pk}], longer_than=120)

    assert form.is_valid(), form.errors
    rule = form.save()
    assert rule.steps.get().group == managers


def test_a_rule_without_steps_is_refused(lab_and_admin):
    lab, admin = lab_and_admin
    form = rule_form(admin, lab, [], always="on")

    assert not form.is_valid()
    assert "Add at least one approval step" in str(form.non_field_errors())


def test_a_step_naming_nobody_is_refused(lab_and_admin):
    lab, admin = lab_and_admin
    empty = Group.objects.create(name="Nobody yet")
    form = rule_form(
        admin, lab, [{"approvers": "group", "group": empty.pk}, {"approvers": "users"}], always="on"
    )

    assert not form.is_valid()
    first, second = form.formsets["steps"].forms
    assert "has no active members" in str(first.errors["group"])
    assert "at least one person" in str(second.errors["users"])


def test_a_rule_without_a_condition_is_refused(lab_and_admin, managers):
    lab, admin = lab_and_admin
    form = rule_form(admin, lab, [{"approvers": "group", "group": managers.pk}])

    assert not form.is_valid() and "Tick at least one condition" in str(form.errors["always"])


def test_a_coordinator_cannot_make_rules_for_another_lab(coordinator, facility, managers):
    other = Lab.objects.get(slug="proteomics")
    form = rule_form(
        coordinator, other, [{"approvers": "group", "group": managers.pk}], always="on"
    )

    assert not form.is_valid() and "lab" in form.errors


def test_a_rule_on_an_answer_needs_the_answer(lab_and_admin, managers, instrument):
    lab, admin = lab_and_admin
    level = BookingQuestion.objects.create(resource=instrument, text="Biosafety level")
    step = [{"approvers": "group", "group": managers.pk}]

    without = rule_form(admin, lab, step, answer_question=level.pk)
    assert not without.is_valid() and "Say which answer" in str(without.errors["answer_value"])

    form = rule_form(admin, lab, step, answer_question=level.pk, answer_value="2")
    assert form.is_valid(), form.errors
    assert form.save().answer_question == level


def test_a_rule_cannot_use_another_labs_question(coordinator, facility, managers):
    other = Resource.objects.filter(lab__slug="proteomics").first()
    question = BookingQuestion.objects.create(resource=other, text="Elsewhere")
    lab = Lab.objects.get(pk__in=coordinated_lab_ids(coordinator))
    step = [{"approvers": "group", "group": managers.pk}]

    form = rule_form(coordinator, lab, step, answer_question=question.pk, answer_value="x")

    assert not form.is_valid() and "answer_question" in form.errors


def delegation_form(user, delegator, delegate, days=(0, 5)):
    today = datetime.date(2030, 3, 4)
    data = {
        "delegator": delegator.pk,
        "delegate": delegate.pk,
        "starts_on": today + datetime.timedelta(days=days[0]),
        "ends_on": today + datetime.timedelta(days=days[1]),
        "note": "",
    }
    return form_class(Delegation)(data, instance=Delegation(), for_user=user)


def test_a_delegation_that_loops_back_is_refused(site_admin):
    ann, ben, cat = UserFactory(), UserFactory(), UserFactory()
    Delegation.objects.create(
        delegator=ben,
        delegate=cat,
        starts_on=datetime.date(2030, 3, 1),
        ends_on=datetime.date(2030, 3, 6),
    )
    Delegation.objects.create(
        delegator=cat,
        delegate=ann,
        starts_on=datetime.date(2030, 3, 5),
        ends_on=datetime.date(2030, 3, 9),
    )

    form = delegation_form(site_admin, ann, ben)

    assert not form.is_valid() and "in a circle" in str(form.errors["delegate"])
    assert delegation_form(site_admin, ann, ben, days=(6, 9)).is_valid(), "no overlap, no loop"


def test_approvers_delegate_only_their_own_approvals(project):
    approver = project.pi
    approver.groups.add(Group.objects.get(name=Role.APPROVER))

    assert delegation_form(approver, approver, UserFactory()).is_valid()
    someone = UserFactory()
    form = delegation_form(approver, someone, UserFactory())
    assert not form.is_valid() and "delegator" in form.errors


def test_the_cost_condition_is_labelled_in_the_facilitys_currency(lab_and_admin, settings):
    lab, admin = lab_and_admin
    settings.LABITORY_CURRENCY = "EUR"

    form = rule_form(admin, lab, steps=[])

    assert form.fields["cost_above"].label == "Estimated cost above (€)"
