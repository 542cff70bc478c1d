"""Forms that parse what researchers type. They check shapes only; the rules live in
booking/rules.py and are applied by the services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from people.models import Project, User

from .clock import facility_zone
from .models import Booking, Resource
from .rules import Problem

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The facility-zone moment a person means by a date and a wall-clock time.

    Raises ValidationError for a time the clocks skip (the spring DST change). A time the
    clocks pass twice (autumn) means its first occurrence.
    """
    zone = facility_zone()
    moment = datetime.datetime.combine(day, time, tzinfo=zone)
    if moment.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(
        tzinfo=None
    ):
        raise ValidationError(
            f"{time:%H:%M} does not exist on {day:%-d %B %Y}: the clocks go forward then. "
            "Choose another time.",
            code="nonexistent_time",
        )
    return moment


def parse_local(value: str | None) -> datetime.datetime | None:
    """'2030-03-05T09:30' (facility time, as slot links carry it) as an aware datetime."""
    try:
        naive = datetime.datetime.strptime(value or "", LOCAL_FORMAT)
        return local_datetime(naive.date(), naive.time())
    except (ValueError, ValidationError):
        return None


def format_local(moment: datetime.datetime) -> str:
    return moment.astimezone(facility_zone()).strftime(LOCAL_FORMAT)


class LocalDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed separately, read in the facility's time zone."""

    def __init__(self, *, step_minutes: int = 1, **kwargs):
        widget = forms.SplitDateTimeWidget(
            date_format=DATE_FORMAT,
            time_format=TIME_FORMAT,
            date_attrs={"type": "date", "class": "input"},
            time_attrs={"type": "time", "class": "input", "step": step_minutes * 60},
        )
        super().__init__(widget=widget, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return local_datetime(day, time)


def _when_field(what: str, step: int) -> LocalDateTimeField:
    return LocalDateTimeField(
        label=what.capitalize(),
        step_minutes=step,
        error_messages={
            "required": f"Enter the date and time the booking {what}s.",
            "incomplete": f"Enter both the date and the time the booking {what}s.",
            "invalid_date": "Enter a date like 2030-03-05.",
            "invalid_time": "Enter a time like 09:30.",
        },
    )


class BookingForm(forms.Form):
    """One booking of a resource fixed by the page: when, which project pays, a note."""

    # Not required here: a missing project is the `unknown_project` rule's to report, along
    # with every other problem of the booking at once.
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="Choose a project",
        error_messages={
            "invalid_choice": "Choose one of your own active projects.",
        },
        widget=forms.Select(attrs={"class": "select"}),
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Note for the lab (optional)",
        help_text="For example the samples or settings you will use.",
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )

    def __init__(self, *args, user: User, resource: Resource, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.resource = resource
        self.fields["start"] = _when_field("start", resource.granularity)
        self.fields["end"] = _when_field("end", resource.granularity)
        self.order_fields(["start", "end", "project", "note"])
        projects = Project.objects.for_member(user).active_on(today).order_by("code")
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda project: str(project)

    def initial_from(self, params) -> dict:
        """Initial values from a slot link or 'book again': ?start=…&end=…&project=…&note=…

        Values that do not parse, or a project the user may not charge, are left out.
        """
        initial: dict = {}
        for name in ("start", "end"):
            if moment := parse_local(params.get(name)):
                initial[name] = moment.astimezone(facility_zone())
        project_id = params.get("project", "")
        choices = list(self.fields["project"].queryset)
        last_used = (
            Booking.objects.filter(user=self.user)
            .order_by("-created_at")
            .values_list("project_id", flat=True)
            .first()
        )
        for wanted in (int(project_id) if project_id.isdigit() else None, last_used):
            if any(p.pk == wanted for p in choices):
                initial["project"] = wanted
                break
        else:
            if len(choices) == 1:
                initial["project"] = choices[0].pk
        if params.get("note"):
            initial["note"] = params["note"][:500]
        return initial

    def add_problems(self, problems: list[Problem]) -> None:
        """Show each refused rule next to the field it concerns, or above the form."""
        for problem in problems:
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, ValidationError(problem.message, code=problem.code))


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Reason (optional)",
        help_text="The lab sees this; it helps them plan.",
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )


class MyBookingsFilter(forms.Form):
    """Filters for a person's own bookings list; unknown values are ignored."""

    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *Booking.Status.choices],
        widget=forms.Select(attrs={"class": "select"}),
    )
    resource = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Instrument",
        widget=forms.Select(attrs={"class": "select"}),
    )

    def __init__(self, *args, resources: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", "All instruments"), *resources]

    def value(self, name: str):
        """The field's cleaned value, or None when it is empty or not valid."""
        self.is_valid()
        return self.cleaned_data.get(name)
