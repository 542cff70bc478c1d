"""Admin forms whose lab and resource choices are limited to the acting user's labs."""

import json

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from people.models import Project, User
from people.roles import Role

from ..models import Lab, Resource
from ..permissions import labs_in_scope


def _resource_label(resource: Resource) -> str:
    return f"{resource.name} ({resource.lab.name})"


class LabScopedForm(WagtailAdminModelForm):
    """Offers only the labs, and the resources of the labs, that the acting user manages.

    A tampered post naming another lab's id fails validation like any invalid choice.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labs = labs_in_scope(self.for_user) if self.for_user else Lab.objects.none()
        if "lab" in self.fields:
            self.fields["lab"].queryset = labs
        if "resource" in self.fields:
            field = self.fields["resource"]
            field.queryset = Resource.objects.filter(lab__in=labs).select_related("lab")
            field.label_from_instance = _resource_label


def researchers():
    """The people staff may book for (booking.permissions.is_researcher), by name."""
    return User.objects.filter(is_active=True, groups__name=Role.RESEARCHER).distinct()


class TimeRangeMixin:
    """`ends_at` after `starts_at`, said in words rather than as a constraint name."""

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The end must be after the start.")
        return cleaned


class FixedOnceCreatedMixin:
    """A block's scope and times are fixed once created: the bookings it cancelled were
    chosen for those. To move it, delete it and create a new one."""

    FIXED_ONCE_CREATED: tuple[str, ...] = ()
    FIXED_HELP = "Fixed once created: delete this and create a new one to move it."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fixed = [name for name in self.FIXED_ONCE_CREATED if name in self.fields]
        for name in fixed if self.instance.pk else []:
            self.fields[name].disabled = True
            self.fields[name].help_text = self.FIXED_HELP


class CategoryCheckboxes(forms.CheckboxSelectMultiple):
    """User categories ticked for a JSON list field (a question's `only_for_categories`)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=User.Category.choices)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return super().format_value(value or [])

    def value_from_datadict(self, data, files, name) -> str:
        ticked = super().value_from_datadict(data, files, name) or []
        known = {value for value, _ in User.Category.choices}
        return json.dumps([value for value in ticked if value in known])


class ResourceForm(LabScopedForm):
    """A choice question needs its options."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        questions = self.formsets.get("questions")
        for form in questions.forms if questions is not None else []:
            data = form.cleaned_data if form.is_valid() else {}
            if data and not data.get("DELETE") and _too_few_options(data):
                form.add_error("options", "Give at least two options, one per line.")
                valid = False
        return valid


def _too_few_options(question: dict) -> bool:
    options = [line for line in question.get("options", "").splitlines() if line.strip()]
    return question.get("kind") == "choice" and len(options) < 2


class ClosureForm(FixedOnceCreatedMixin, TimeRangeMixin, LabScopedForm):
    FIXED_ONCE_CREATED = ("lab", "resource", "starts_at", "ends_at")

    def clean(self):
        cleaned = super().clean()
        lab, resource = cleaned.get("lab"), cleaned.get("resource")
        if not lab and not resource and not self.has_error("resource"):
            raise ValidationError(
                "Choose a lab (to close all of its resources) or one resource.",
                code="no_scope",
            )
        if lab and resource and resource.lab_id != lab.pk:
            self.add_error("resource", f"{resource.name} is not in the {lab.name} lab.")
        return cleaned


class MaintenanceWindowForm(FixedOnceCreatedMixin, TimeRangeMixin, LabScopedForm):
    FIXED_ONCE_CREATED = ("resource", "starts_at", "ends_at")


class QualificationForm(LabScopedForm):
    """The coordinator who grants a qualification is recorded as its grantor."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            field = self.fields["user"]
            field.queryset = User.objects.filter(is_active=True).order_by(
                "last_name", "first_name", "email"
            )
            field.label_from_instance = lambda user: f"{user.name} <{user.email}>"

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.granted_by = self.for_user
        return super().save(commit=commit)


class CancelBookingForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason",
        help_text="Shown to the booker in the cancellation notice.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """What staff record for the booker and why; the attendance service judges both, and
    offers only the actions it would accept now (`choices`)."""

    action = forms.ChoiceField(widget=forms.RadioSelect, label="Record")
    reason = forms.CharField(
        # Not required here: the service says so, next to this field.
        required=False,
        max_length=300,
        label="Reason",
        help_text="Kept in the booking's history with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = choices
        if len(choices) == 1:
            self.fields["action"].initial = choices[0][0]


class ResourceStatusForm(forms.Form):
    """Up, limited or down, with a note and the expected return; the service judges them."""

    status = forms.ChoiceField(choices=Resource.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        label="What is wrong",
        help_text="Shown on the instrument's page and told to bookers it hits.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_back = forms.DateTimeField(
        required=False,
        label="Expected back",
        help_text="Needed when down: bookings after it stay open.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    on_hit = forms.ChoiceField(
        choices=[
            ("cancel", "Cancel the bookings it hits"),
            ("warn", "Keep them, and warn each booker"),
        ],
        initial="cancel",
        label="Bookings in the outage",
        widget=forms.RadioSelect,
    )


OVERRIDE_LABELS = {
    "notice": "Notice",
    "horizon": "Booking horizon",
    "opening_hours": "Opening hours",
    "quota": "Quota",
    "training": "Training (qualification)",
}


class BookForForm(forms.Form):
    """A booking for a researcher, on a resource of the acting user's labs. The booking
    service judges the rest (the project, the times, the overrides and their reason)."""

    researcher = forms.ModelChoiceField(
        queryset=User.objects.none(),
        help_text="The person the booking is for: every rule applies to them.",
    )
    resource = forms.ModelChoiceField(queryset=Resource.objects.none())
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), help_text="A project the researcher may charge."
    )
    start = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(max_length=500, required=False)
    overrides = forms.MultipleChoiceField(
        choices=list(OVERRIDE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Override",
        help_text="Only these rules may be set aside; never an overlap.",
    )
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why",
        help_text="Required when overriding; the researcher and the lab's report show it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, for_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = researchers()
        self.fields["resource"].queryset = Resource.objects.filter(
            lab__in=labs_in_scope(for_user), is_active=True
        ).select_related("lab")
        self.fields["resource"].label_from_instance = _resource_label
        self.fields["project"].queryset = Project.objects.order_by("code")
        self.fields["project"].label_from_instance = lambda p: f"{p.code} · {p.name}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        return cleaned
