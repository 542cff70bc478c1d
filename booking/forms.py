"""Forms that parse what researchers type. They check shapes only; the rules live in
booking/rules.py and are applied by the services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from labitory.clock import facility_zone
from labitory.dates import long_date
from labitory.refusals import Problem
from people.models import Project, User

from .answers import NO, YES, is_asked, questions_for
from .models import Booking, BookingQuestion, Lab, Resource, ResourceCategory
from .recurrence import MAX_OCCURRENCES, InvalidRule, Recurrence

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


NONEXISTENT_TIME = _(
    "%(time)s does not exist on %(date)s: the clocks go forward then. Choose another time."
)


NONEXISTENT_TIME = _(
    "%(time)s does not exist on %(date)s: the clocks go forward then. Choose another time."
)


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
            NONEXISTENT_TIME % {"time": f"{time:%H:%M}", "date": long_date(day)},
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


# The start and end fields' wording: (label, required, incomplete).
WHEN_WORDS = {
    "start": (
        _("Start"),
        _("Enter the date and time the booking starts."),
        _("Enter both the date and the time the booking starts."),
    ),
    "end": (
        _("End"),
        _("Enter the date and time the booking ends."),
        _("Enter both the date and the time the booking ends."),
    ),
}


def _when_field(what: str, step: int) -> LocalDateTimeField:
    label, required, incomplete = WHEN_WORDS[what]
    return LocalDateTimeField(
        label=label,
        step_minutes=step,
        error_messages={
            "required": required,
            "incomplete": incomplete,
            "invalid_date": _("Enter a date like 2030-03-05."),
            "invalid_time": _("Enter a time like 09:30."),
        },
    )


ANSWER_PREFIX = "answer_"


def _question_widget(question: BookingQuestion) -> forms.Widget:
    kind = BookingQuestion.Kind
    attrs = {"class": "input"}
    if question.kind == kind.LONG_TEXT:
        return forms.Textarea(attrs={**attrs, "rows": 3})
    if question.kind == kind.NUMBER:
        return forms.NumberInput(attrs={**attrs, "step": "any", "inputmode": "decimal"})
    if question.kind == kind.CHOICE:
        options = [(option, option) for option in question.option_list]
        return forms.Select(attrs={"class": "select"}, choices=[("", _("Choose…")), *options])
    if question.kind == kind.YES_NO:
        return forms.RadioSelect(choices=[(YES, _("Yes")), (NO, _("No"))])
    return forms.TextInput(attrs={**attrs, "maxlength": 200})


def question_field(question: BookingQuestion) -> forms.Field:
    """A form field that carries the answer as typed; booking.answers checks it."""
    help_text = question.help_text
    if codes := [project.code for project in question.only_for_projects.all()]:
        only = _("Only for bookings charged to %(projects)s.") % {"projects": ", ".join(codes)}
        help_text = f"{help_text} {only}".strip()
    field = forms.CharField(
        required=False,
        label=question.text
        if question.required
        else _("%(question)s (optional)") % {"question": question.text},
        help_text=help_text,
        widget=_question_widget(question),
    )
    field.question = question
    return field


class QuestionsMixin:
    """The resource's questions for this booker as `answer_<id>` fields, read by `answers()`
    for the chosen project (a question asked only for some projects is sent only for them)."""

    def add_question_fields(self, user: User, resource: Resource) -> None:
        for question in questions_for(resource, user, None, any_project=True):
            self.fields[f"{ANSWER_PREFIX}{question.pk}"] = question_field(question)

    @property
    def question_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(ANSWER_PREFIX)]

    def answers(self) -> dict[str, str]:
        project = self.cleaned_data.get("project")
        return {
            str(field.question.pk): self.cleaned_data.get(name, "")
            for name, field in self.fields.items()
            if name.startswith(ANSWER_PREFIX) and is_asked(field.question, self.user, project)
        }

    def field_for(self, problem: Problem) -> str | None:
        """The form field a problem is about, or None for the form as a whole."""
        name = problem.field or ""
        if name.startswith("answers."):
            name = ANSWER_PREFIX + name.removeprefix("answers.")
        return name if name in self.fields else None


class BookingForm(QuestionsMixin, forms.Form):
    """One booking of a resource fixed by the page: when, which project pays, a note, and
    the answers to the resource's questions."""

    # Not required here: a missing project is the `unknown_project` rule's to report, along
    # with every other problem of the booking at once.
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Choose a project"),
        error_messages={
            "invalid_choice": _("Choose one of your own active projects."),
        },
        widget=forms.Select(attrs={"class": "select"}),
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label=_("Note for the lab (optional)"),
        help_text=_("For example the samples or settings you will use."),
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )

    def __init__(self, *args, user: User, resource: Resource, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.resource = resource
        self.fields["start"] = _when_field("start", resource.granularity)
        self.fields["end"] = _when_field("end", resource.granularity)
        self.order_fields(["start", "end", "project", "note"])
        self.add_question_fields(user, resource)
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

    @property
    def chosen(self) -> dict:
        """What the person chose so far: a slot link's values, overlaid with those posted and
        parsed, still there after a refused rule marked their field invalid."""
        parsed = getattr(self, "cleaned_data", {})
        return {**self.initial, **getattr(self, "_refused_values", {}), **parsed}

    def add_problems(self, problems: list[Problem]) -> None:
        """Show each refused rule next to the field it concerns, or above the form."""
        self._refused_values = dict(self.cleaned_data)  # add_error drops the field's value
        for problem in problems:
            self.add_error(
                self.field_for(problem), ValidationError(problem.message, code=problem.code)
            )


class CancelForm(forms.Form):
    """Why a booking is cancelled and, for a booking in a series, which of the series."""

    scope = forms.ChoiceField(
        required=False,
        label=_("Which bookings?"),
        choices=[
            ("one", _("Only this one")),
            ("following", _("This one and the later ones in the series")),
            ("all", _("All bookings still to come in the series")),
        ],
        initial="one",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        label=_("Reason (optional)"),
        help_text=_("The lab sees this; it helps them plan."),
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_series = booking.series_id is not None

    def clean_scope(self) -> str:
        return (self.cleaned_data.get("scope") or "one") if self.in_series else "one"


class MyBookingsFilter(forms.Form):
    """Filters for a person's own bookings list; unknown values are ignored."""

    status = forms.ChoiceField(
        required=False,
        choices=[("", _("Any status")), *Booking.Status.choices],
        widget=forms.Select(attrs={"class": "select"}),
    )
    resource = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=_("Instrument"),
        widget=forms.Select(attrs={"class": "select"}),
    )

    def __init__(
        self,
        *args,
        resources: list[tuple[int, str]],
        upcoming: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", _("All instruments")), *resources]
        if upcoming:  # only bookings still holding their time are upcoming
            holding = [choice for choice in Booking.Status.choices if choice[0] in Booking.HOLDING]
            self.fields["status"].choices = [("", _("Any status")), *holding]

    def value(self, name: str):
        """The field's cleaned value, or None when it is empty or not valid."""
        self.is_valid()
        return self.cleaned_data.get(name)


WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class RepeatForm(forms.Form):
    """The optional "Repeat" part of the booking form, read as a Recurrence (or none)."""

    frequency = forms.ChoiceField(
        required=False,
        label=_("Repeat"),
        choices=[
            ("", _("Does not repeat")),
            ("DAILY", _("Daily")),
            ("WEEKLY", _("Weekly")),
            ("MONTHLY", _("Monthly")),
        ],
        widget=forms.Select(attrs={"class": "select"}),
    )
    interval = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=52,
        initial=1,
        label=_("Every"),
        error_messages={"invalid": _("Enter a whole number, like 2.")},
        widget=forms.NumberInput(attrs={"class": "input", "min": 1, "max": 52}),
    )
    weekdays = forms.MultipleChoiceField(
        required=False,
        choices=WEEKDAY_CHOICES,
        label=_("On"),
        widget=forms.CheckboxSelectMultiple,
    )
    ends = forms.ChoiceField(
        required=False,
        choices=[("count", _("After a number of times")), ("until", _("On a date"))],
        initial="count",
        label=_("Ends"),
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_OCCURRENCES,
        initial=4,
        label=_("Number of times"),
        error_messages={"invalid": _("Enter a whole number, like 6.")},
        widget=forms.NumberInput(attrs={"class": "input", "min": 1, "max": MAX_OCCURRENCES}),
    )
    until = forms.DateField(
        required=False,
        label=_("Last date"),
        error_messages={"invalid": _("Enter a date like 2030-03-05.")},
        widget=forms.DateInput(attrs={"class": "input", "type": "date"}, format=DATE_FORMAT),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "repeat")
        super().__init__(*args, **kwargs)

    @property
    def repeats(self) -> bool:
        return bool(self.is_bound and self.data.get(self.add_prefix("frequency")))

    def rule(self) -> str | None:
        """The RRULE the person described, or None when the booking does not repeat.

        Call after is_valid(); a recurrence that cannot be used becomes a form error.
        """
        data = self.cleaned_data
        if not data.get("frequency"):
            return None
        ends = data.get("ends") or "count"
        recurrence = Recurrence(
            frequency=data["frequency"],
            interval=data.get("interval") or 1,
            weekdays=tuple(data.get("weekdays") or ()),
            count=data.get("count") if ends == "count" else None,
            until=data.get("until") if ends == "until" else None,
        )
        try:
            return recurrence.as_rrule()
        except InvalidRule as invalid:
            self.add_error(None, str(invalid))
            return None

    def describe(self) -> str:
        """The repetition in words, for the preview."""
        data = self.cleaned_data
        every = data.get("interval") or 1
        units = {
            "DAILY": ngettext("Every day", "Every %(n)d days", every),
            "WEEKLY": ngettext("Every week", "Every %(n)d weeks", every),
            "MONTHLY": ngettext("Every month", "Every %(n)d months", every),
        }
        words = units[data["frequency"]] % {"n": every}
        if data["frequency"] == "WEEKLY" and data.get("weekdays"):
            names = [str(label) for code, label in WEEKDAY_CHOICES if code in data["weekdays"]]
            words = gettext("%(every)s on %(days)s") % {"every": words, "days": ", ".join(names)}
        if (data.get("ends") or "count") == "count":
            count = data.get("count") or 0
            return ngettext("%(every)s, %(n)d time", "%(every)s, %(n)d times", count) % {
                "every": words,
                "n": count,
            }
        until = long_date(data["until"])
        return gettext("%(every)s, until %(date)s") % {"every": words, "date": until}


class ChangeForm(BookingForm):
    """Move a booking, charge another project, or hand it to a colleague by email address."""

    hand_to = forms.EmailField(
        required=False,
        label=_("Hand over to (optional)"),
        help_text=_(
            "The email address of a colleague on the booking’s project. "
            "Leave empty to keep the booking."
        ),
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
        widget=forms.EmailInput(attrs={"class": "input", "autocomplete": "off"}),
    )

    def __init__(self, *args, booking: Booking, today: datetime.date, **kwargs):
        super().__init__(*args, user=booking.user, resource=booking.resource, today=today, **kwargs)
        del self.fields["note"]
        own = Project.objects.for_member(booking.user).active_on(today).values("pk")
        self.fields["project"].queryset = Project.objects.filter(
            Q(pk__in=own) | Q(pk=booking.project_id)
        ).order_by("code")
        self.fields["project"].error_messages["invalid_choice"] = _(
            "Choose one of your active projects."
        )

    def clean_hand_to(self) -> User | None:
        address = self.cleaned_data.get("hand_to")
        if not address:
            return None
        colleague = User.objects.filter(email__iexact=address, is_active=True).first()
        if colleague is None:
            raise ValidationError(_("Nobody with an active account has that email address."))
        if colleague.pk == self.user.pk:
            return None
        return colleague

    def add_problems(self, problems: list[Problem]) -> None:
        colleague = self.cleaned_data.get("hand_to")
        for problem in problems:
            if colleague is not None and problem.code == "not_project_member":
                self.add_error(
                    "hand_to",
                    ValidationError(
                        _("%(email)s is not a member of the booking’s project.")
                        % {"email": colleague.email},
                        code=problem.code,
                    ),
                )
            else:
                super().add_problems([problem])


class FindForm(forms.Form):
    """A window and optional filters for finding a bookable instrument."""

    date = forms.DateField(
        label=_("Date"),
        error_messages={
            "required": _("Enter the date you need an instrument."),
            "invalid": _("Enter a date like 2030-03-05."),
        },
        widget=forms.DateInput(attrs={"class": "input", "type": "date"}, format=DATE_FORMAT),
    )
    start = forms.TimeField(
        label=_("From"),
        error_messages={
            "required": _("Enter a start time."),
            "invalid": _("Enter a time like 09:30."),
        },
        widget=forms.TimeInput(attrs={"class": "input", "type": "time"}, format=TIME_FORMAT),
    )
    end = forms.TimeField(
        label=_("Until"),
        error_messages={
            "required": _("Enter an end time."),
            "invalid": _("Enter a time like 11:00."),
        },
        widget=forms.TimeInput(attrs={"class": "input", "type": "time"}, format=TIME_FORMAT),
    )
    category = forms.ChoiceField(
        required=False, label=_("Category"), widget=forms.Select(attrs={"class": "select"})
    )
    lab = forms.ChoiceField(
        required=False, label=_("Lab"), widget=forms.Select(attrs={"class": "select"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = ResourceCategory.objects.order_by("name").values_list("slug", "name")
        labs = Lab.objects.order_by("name").values_list("slug", "name")
        self.fields["category"].choices = [("", _("Any category")), *categories]
        self.fields["lab"].choices = [("", _("Any lab")), *labs]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date") and data.get("start") and data.get("end"):
            try:
                data["starts_at"] = local_datetime(data["date"], data["start"])
                data["ends_at"] = local_datetime(data["date"], data["end"])
            except ValidationError as error:
                self.add_error("start", error)
                return data
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The end must be after the start."))
        return data


class AcceptOfferForm(QuestionsMixin, forms.Form):
    """Accepting a waiting list offer: the resource's questions for the booker and the
    entry's project, answered as on the booking form (booking.answers checks them)."""

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = entry.user
        self.project = entry.project
        for question in questions_for(entry.resource, entry.user, entry.project):
            self.fields[f"{ANSWER_PREFIX}{question.pk}"] = question_field(question)

    def clean(self):
        cleaned = super().clean()
        cleaned["project"] = self.project  # answers() asks for the project charged
        return cleaned

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add_error(
                self.field_for(problem), ValidationError(problem.message, code=problem.code)
            )
