"""Admin forms for approval rules and delegations, with their rules said in words."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from booking.admin_views.forms import LabScopedForm
from booking.models import BookingQuestion, Resource
from booking.permissions import is_facility_wide
from labitory.money import currency_symbol
from people.models import User

from .approvers import group_has_members, would_loop
from .models import ApprovalStep


def _user_label(user: User) -> str:
    return f"{user.name} <{user.email}>"


class ApprovalRuleForm(LabScopedForm):
    """A rule needs a condition and at least one step that names someone who can approve."""

    booker_categories = forms.MultipleChoiceField(
        label="The booker is in one of these categories",
        choices=User.Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cost_above" in self.fields:
            self.fields["cost_above"].label = f"Estimated cost above ({currency_symbol()})"
        if "resources" in self.fields:
            field = self.fields["resources"]
            field.queryset = Resource.objects.filter(lab__in=self.fields["lab"].queryset)
            field.label_from_instance = lambda resource: f"{resource.name} ({resource.lab.name})"
        if "answer_question" in self.fields:
            field = self.fields["answer_question"]
            field.queryset = BookingQuestion.objects.filter(
                resource__lab__in=self.fields["lab"].queryset
            ).select_related("resource")
            field.label_from_instance = lambda q: f"{q.resource.name}: {q.text}"

    def clean(self):
        cleaned = super().clean()
        lab, resources = cleaned.get("lab"), cleaned.get("resources") or []
        strays = [resource.name for resource in resources if lab and resource.lab_id != lab.pk]
        if strays:
            self.add_error("resources", f"Not in the {lab.name} lab: {', '.join(strays)}.")
        self._check_answer_condition(cleaned, lab)
        conditions = (
            "always",
            "first_booking",
            "outside_opening_hours",
            "longer_than",
            "lacks_unsupervised_qualification",
            "booker_categories",
            "answer_question",
        )
        if not any(cleaned.get(name) for name in conditions) and cleaned.get("cost_above") is None:
            self.add_error(
                "always", "Tick at least one condition (or “always”) for the rule to apply."
            )
        return cleaned

    def _check_answer_condition(self, cleaned: dict, lab) -> None:
        question = cleaned.get("answer_question")
        if question is None:
            return
        if lab and question.resource.lab_id != lab.pk:
            self.add_error("answer_question", f"Not a question of the {lab.name} lab.")
        if not cleaned.get("answer_value", "").strip():
            self.add_error("answer_value", "Say which answer needs approval.")

    def is_valid(self) -> bool:
        valid = super().is_valid()
        steps = [
            form
            for form in self.formsets["steps"].forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not steps:
            self.add_error(None, "Add at least one approval step: who approves these bookings?")
            return False
        return all([valid, *(check_step(form) for form in steps)])


def check_step(form) -> bool:
    """A step that names nobody would leave bookings waiting for no one: refuse it."""
    data = form.cleaned_data
    kind = data.get("approvers")
    if kind == ApprovalStep.Approvers.GROUP:
        group = data.get("group")
        if group is None:
            form.add_error("group", "Choose the group whose members approve.")
        elif not group_has_members(group):
            form.add_error("group", f"The group “{group.name}” has no active members.")
    elif kind == ApprovalStep.Approvers.USERS and not data.get("users"):
        form.add_error("users", "Choose at least one person.")
    return not form.errors


class DelegationForm(WagtailAdminModelForm):
    """Approvers delegate their own approvals; site admins may arrange anyone's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name", "email")
        for name in ("delegator", "delegate"):
            if name in self.fields:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = _user_label
        if self.for_user and not is_facility_wide(self.for_user) and "delegator" in self.fields:
            self.fields["delegator"].queryset = people.filter(pk=self.for_user.pk)
            self.fields["delegator"].initial = self.for_user.pk

    def clean(self):
        cleaned = super().clean()
        delegator, delegate = cleaned.get("delegator"), cleaned.get("delegate")
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day must not be before the first.")
        if not (delegator and delegate and starts_on and ends_on) or ends_on < starts_on:
            return cleaned
        if delegator == delegate:
            self.add_error("delegate", "Choose someone other than the person away.")
        elif would_loop(delegator, delegate, starts_on, ends_on, exclude_id=self.instance.pk):
            self.add_error(
                "delegate",
                f"{delegate.name} has delegated back to {delegator.name} for some of these "
                "days: the approvals would go round in a circle.",
            )
        return cleaned
