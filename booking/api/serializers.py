"""What the API reads and writes. Every booking field, status above all, is read-only:
changes go through the request, change and cancel endpoints, which call the services."""

import datetime

from rest_framework import serializers

from booking.models import Booking, BookingAnswer, BookingQuestion, Lab, Resource, ResourceCategory
from booking.recurrence import FREQUENCIES, MAX_OCCURRENCES, WEEKDAY_CODES, InvalidRule, Recurrence
from booking.rules import OVERRIDABLE
from labitory.api.errors import ProblemSerializer
from labitory.api.fields import AwareDateTimeField, IdField
from labitory.api.serializers import ReadOnlySerializer
from labitory.rows import row_where
from people.models import Project

MAX_WINDOW = datetime.timedelta(days=31)


class LabSerializer(ReadOnlySerializer):
    """A lab of the facility."""

    class Meta:
        model = Lab
        fields = ["id", "name", "slug"]


class CategorySerializer(ReadOnlySerializer):
    """A kind of resource."""

    class Meta:
        model = ResourceCategory
        fields = ["id", "name", "slug"]


class QuestionSerializer(ReadOnlySerializer):
    """A question the resource asks when booking; answer it in `answers` by its id."""

    options = serializers.ListField(
        source="option_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="For `choice` questions: the answers allowed.",
    )

    class Meta:
        model = BookingQuestion
        fields = ["id", "text", "kind", "required", "help_text", "options"]


class ResourceSerializer(ReadOnlySerializer):
    """A bookable resource and its booking rules (durations in minutes unless named)."""

    lab = LabSerializer(read_only=True)
    category = CategorySerializer(read_only=True)
    questions = QuestionSerializer(
        many=True,
        read_only=True,
        help_text="Asked when booking; some only of some bookers or projects.",
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "name",
            "lab",
            "category",
            "capacity",
            "granularity",
            "min_duration",
            "max_duration",
            "min_notice",
            "horizon_days",
            "buffer",
            "max_future_bookings",
            "allow_outside_hours",
            "cancellation_cutoff",
            "checkin_window",
            "billing_basis",
            "requires_qualification",
            "status",
            "status_note",
            "expected_back",
            "questions",
        ]
        extra_kwargs = {
            "status": {
                "help_text": "up, limited (works with the limitation in status_note) or down."
            },
            "expected_back": {"help_text": "When a resource that is down is expected back."},
        }


class AnswerSerializer(ReadOnlySerializer):
    """An answer stored with a booking, with the question as it was asked."""

    class Meta:
        model = BookingAnswer
        fields = ["question", "question_text", "kind", "value"]


ANSWERS_HELP = (
    "Answers to the resource's questions, by question id: text, a number, one of a choice "
    "question's options, or true/false for a yes/no question. A bad answer is a 400 "
    "`invalid` with a problem on `answers.<question id>`."
)


def answers_field(**kwargs) -> serializers.DictField:
    return serializers.DictField(child=serializers.JSONField(), help_text=ANSWERS_HELP, **kwargs)


class MadeByStaffSerializer(serializers.Serializer):
    staff = serializers.IntegerField(source="staff_id", help_text="Who made the booking.")
    staff_name = serializers.CharField(source="staff.name")
    overridden = serializers.ListField(child=serializers.CharField(), help_text="Rule names.")
    reason = serializers.CharField(help_text="Why the rules were overridden.")


class BookingSerializer(ReadOnlySerializer):
    """One of your bookings. Its status changes only through the booking's own life cycle."""

    resource_name = serializers.CharField(source="resource.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True)
    booker = serializers.IntegerField(source="user_id", read_only=True, help_text="Who booked.")
    booker_name = serializers.CharField(source="user.name", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    made_by_staff = MadeByStaffSerializer(
        read_only=True,
        allow_null=True,
        help_text="Who booked it for the booker, when staff did, and the rules they overrode.",
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "resource",
            "resource_name",
            "booker",
            "booker_name",
            "project",
            "project_code",
            "start",
            "end",
            "status",
            "note",
            "answers",
            "series",
            "created_at",
            "cancelled_at",
            "cancel_reason",
            "late_cancellation",
            "checked_in_at",
            "checked_out_at",
            "made_by_staff",
        ]


def _project(project_id: int | None) -> Project | None:
    """The project, or None when there is no such project: the rules then say `unknown_project`."""
    if project_id is None:
        return None
    return row_where(Project, "id", project_id)


class RecurrenceSerializer(serializers.Serializer):
    """How a booking repeats, as on the booking form: every `interval` days, weeks or months,
    on some weekdays (weekly only), ending after `count` times or on the date `until`
    (exactly one of the two). The first booking is always the first occurrence; times keep
    the facility's wall clock."""

    frequency = serializers.ChoiceField(choices=sorted(FREQUENCIES))
    interval = serializers.IntegerField(min_value=1, max_value=52, default=1)
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAY_CODES), max_length=7, default=list
    )
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_OCCURRENCES, required=False, allow_null=True
    )
    until = serializers.DateField(required=False, allow_null=True, help_text="The last date.")

    def validate(self, data: dict) -> str:
        """The RRULE text the booking services expand (booking/recurrence.py)."""
        recurrence = Recurrence(
            frequency=data["frequency"],
            interval=data["interval"],
            weekdays=tuple(data["weekdays"]),
            count=data.get("count"),
            until=data.get("until"),
        )
        try:
            return recurrence.as_rrule()
        except InvalidRule as invalid:
            raise serializers.ValidationError(str(invalid), code="invalid_recurrence") from invalid


class BookingRequestSerializer(serializers.Serializer):
    """A booking someone asks for, once or repeated. There is no status: the service decides
    it."""

    resource = IdField(help_text="The resource's id.")
    project = IdField(
        allow_null=True, help_text="The id of the project that pays; you must be a member."
    )
    start = AwareDateTimeField(help_text="ISO 8601 with a UTC offset.")
    end = AwareDateTimeField(help_text="ISO 8601 with a UTC offset.")
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    answers = answers_field(default=dict)
    repeat = RecurrenceSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Leave out (or null) for a one-off booking.",
    )
    booked_for = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Staff only: the id of the researcher the booking is for (once, no "
        "`repeat`). Every rule applies to them; `project` must be one they may charge.",
    )
    overrides = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(OVERRIDABLE)),
        default=list,
        max_length=len(OVERRIDABLE),
        help_text="With `booked_for`: the rules set aside for this booking. Never an overlap.",
    )
    override_reason = serializers.CharField(
        max_length=500,
        allow_blank=True,
        default="",
        help_text="Required with `overrides`: why; shown on the booking and in the lab's report.",
    )

    def validate_resource(self, value: int) -> Resource:
        # The booking services read (and lock) the resource themselves; one that does not
        # exist is refused where they look it up (bookings.resource_must_exist).
        return Resource(pk=value)

    def validate_project(self, value: int | None) -> Project | None:
        return _project(value)


class BookingChangeSerializer(serializers.Serializer):
    """New times or project for a booking; what is left out stays as it is."""

    start = AwareDateTimeField(required=False, help_text="ISO 8601 with a UTC offset.")
    end = AwareDateTimeField(required=False, help_text="ISO 8601 with a UTC offset.")
    project = IdField(required=False, allow_null=True, help_text="The id of the project that pays.")
    answers = answers_field(required=False)

    def validate_project(self, value: int | None) -> Project | None:
        return _project(value)


class CancelSerializer(serializers.Serializer):
    """Why the booking is cancelled (optional)."""

    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class WindowSerializer(serializers.Serializer):
    """A window of at most 31 days, as query parameters."""

    start = AwareDateTimeField(help_text="ISO 8601 with a UTC offset.")
    end = AwareDateTimeField(help_text="ISO 8601 with a UTC offset; at most 31 days after start.")

    def validate(self, data: dict) -> dict:
        if data["end"] <= data["start"]:
            raise serializers.ValidationError(
                {"end": "The window must end after it starts."}, code="ends_before_start"
            )
        if data["end"] - data["start"] > MAX_WINDOW:
            raise serializers.ValidationError(
                {"end": "The window can be at most 31 days long."}, code="window_too_long"
            )
        return data


class IntervalSerializer(serializers.Serializer):
    """A stretch of time, start included, end excluded."""

    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)


class BusySerializer(serializers.Serializer):
    """A stretch of the window that cannot be booked. Researchers see no one else's details:
    another person's booking is only `booked` (or `full` on a shared resource); staff of the
    resource's lab see every booking with its booker."""

    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)
    kind = serializers.ChoiceField(
        choices=["own", "booked", "full", "booking", "closed", "maintenance", "down"],
        read_only=True,
        help_text="`own`: your booking; `booked`/`full`: someone else's (researchers); "
        "`booking`: a booking, with its booker (staff); `closed`, `maintenance`.",
    )
    label = serializers.CharField(read_only=True, help_text="For people, e.g. 'Closed: move'.")
    booking = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Your own booking's id, or any for staff."
    )
    status = serializers.ChoiceField(
        choices=Booking.Status.choices, read_only=True, allow_null=True
    )
    booker = serializers.IntegerField(read_only=True, allow_null=True, help_text="Staff only.")
    booker_name = serializers.CharField(read_only=True, allow_null=True, help_text="Staff only.")


class AvailabilitySerializer(serializers.Serializer):
    """When a resource can be booked within a window, and what holds the rest of it."""

    resource = serializers.IntegerField(read_only=True)
    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)
    time_zone = serializers.CharField(
        read_only=True, help_text="The facility's time zone, in which opening hours apply."
    )
    free = IntervalSerializer(many=True, read_only=True, help_text="Bookable intervals, by start.")
    busy = BusySerializer(many=True, read_only=True, help_text="What holds the resource, by start.")


class ApprovalReasonSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="e.g. outside_opening_hours.")
    message = serializers.CharField(read_only=True)


class OccurrenceSerializer(serializers.Serializer):
    """One occurrence's verdict: bookable (and whether it would wait for approval, and why),
    or every rule it breaks, with the rules' codes."""

    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)
    ok = serializers.BooleanField(source="is_free", read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    needs_approval = serializers.SerializerMethodField()
    approval_reasons = ApprovalReasonSerializer(many=True, read_only=True)

    def get_needs_approval(self, occurrence) -> bool:
        return bool(occurrence.approval_reasons)


class ChangePreviewSerializer(serializers.Serializer):
    """What a change to a booking would do; nothing was written."""

    ok = serializers.BooleanField(read_only=True, help_text="Whether the change can be made.")
    changes = serializers.BooleanField(
        read_only=True, help_text="False when the change alters nothing (it would do nothing)."
    )
    problems = ProblemSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=Booking.Status.choices,
        read_only=True,
        help_text="The booking's status after the change: `requested` when it needs approval.",
    )
    needs_approval = serializers.BooleanField(read_only=True)
    approval_reasons = ApprovalReasonSerializer(many=True, read_only=True)


class PreviewSerializer(serializers.Serializer):
    """What booking this would give, occurrence by occurrence; nothing was written."""

    bookable = serializers.IntegerField(read_only=True, help_text="Occurrences that can be booked.")
    refused = serializers.IntegerField(read_only=True, help_text="Occurrences that cannot.")
    occurrences = OccurrenceSerializer(many=True, read_only=True)


class SkippedSerializer(serializers.Serializer):
    """An occurrence of a series left out, with the rules it breaks."""

    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)


class SeriesSerializer(serializers.Serializer):
    """A recurring series as booked: its bookings, and the occurrences left out (as on the
    web form, every occurrence that can be booked is; the others are skipped)."""

    series = serializers.IntegerField(source="series.pk", read_only=True)
    rule = serializers.CharField(source="series.rule", read_only=True, help_text="RFC 5545.")
    bookings = BookingSerializer(many=True, read_only=True)
    skipped = SkippedSerializer(many=True, read_only=True)
