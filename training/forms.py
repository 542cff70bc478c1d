"""Training forms on the site: parse input; the services judge it and their problems are
shown next to the fields."""

import datetime

from django import forms

from booking.models import Resource
from labitory.clock import facility_zone
from people.models import Project, User

from .models import Attendance, TrainingRequest, TrainingSession
from .services import NOTE_MAX

# The services' field names that a form names otherwise (a session's time: day, from, until).
FIELDS = {"start": "starts", "end": "ends"}


class ProblemsMixin:
    """Problems of a service, each next to its field; inputs styled as the site's."""

    def style_inputs(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if not isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "input"
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-help"

    def add_problems(self, problems) -> None:
        for problem in problems:
            field = FIELDS.get(problem.field, problem.field)
            field = field if field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, problem.message)  # type: ignore[attr-defined]


class RequestForm(ProblemsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_inputs()

    note = forms.CharField(
        label="Your experience",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Which similar instruments you have used, and for what; the trainers read it.",
    )


class SessionForm(ProblemsMixin, forms.Form):
    resource = forms.ModelChoiceField(queryset=Resource.objects.none(), label="Instrument")
    kind = forms.ChoiceField(choices=TrainingSession.Kind.choices, initial="induction")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="Until", widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=4, label="Seats")
    trainer = forms.ModelChoiceField(queryset=User.objects.none())
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        label="Charged to",
        help_text="The project the session's time is charged to, when the instrument has a "
        "training rate.",
    )
    invite = forms.ModelMultipleChoiceField(
        queryset=TrainingRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite people waiting",
    )
    open_to_requesters = forms.BooleanField(
        required=False, initial=True, label="Others waiting may pick this session"
    )
    note = forms.CharField(required=False, max_length=300, label="Note for attendees")

    def __init__(self, *args, resources, trainers, projects, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["trainer"].queryset = trainers
        self.fields["project"].queryset = projects
        self.fields["invite"].queryset = waiting
        self.fields["invite"].label_from_instance = lambda r: (
            f"{r.requester.name} — {r.resource.name}"
        )
        self.style_inputs()

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        data, zone = self.cleaned_data, facility_zone()
        start = datetime.datetime.combine(data["day"], data["starts"], tzinfo=zone)
        return start, datetime.datetime.combine(data["day"], data["ends"], tzinfo=zone)


LEVELS = [("", "Not signed off"), *Attendance.Level.choices]


class RecordForm(ProblemsMixin, forms.Form):
    """One attended box and one level per person in the session."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = []
        for attendance in attendances:
            key = attendance.user_id
            self.fields[f"attended_{key}"] = forms.BooleanField(
                required=False, initial=attendance.attended is not False, label="Attended"
            )
            self.fields[f"level_{key}"] = forms.ChoiceField(
                choices=LEVELS, required=False, initial=attendance.level, label="Sign off"
            )
            self.people.append((attendance, self[f"attended_{key}"], self[f"level_{key}"]))
        self.style_inputs()

    def outcomes(self) -> dict[int, tuple[bool, str]]:
        return {
            attendance.user_id: (
                self.cleaned_data[f"attended_{attendance.user_id}"],
                self.cleaned_data[f"level_{attendance.user_id}"],
            )
            for attendance, _, _ in self.people
        }
