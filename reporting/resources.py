"""django-import-export resources: usage records out; projects, users and rate cards in.

Imports run row by row inside one transaction: a dry run shows every row's errors, and a
file with any bad row writes nothing.
"""

import decimal

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources, widgets

from booking.answers import answers_text
from booking.models import Resource
from labitory.clock import facility_zone
from people.models import Department, Project, User

from .models import RateCard, UsageRecord
from .rules import check_rate_card_overlap


class LocalTimeWidget(widgets.DateTimeWidget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.astimezone(facility_zone()).strftime("%Y-%m-%d %H:%M")


class UsageRecordResource(resources.ModelResource):
    """Every column finance reconciles with; amounts stay Decimal (empty when unpriced)."""

    period = fields.Field(attribute="period__code", column_name="period")
    kind = fields.Field(attribute="get_kind_display", column_name="kind")
    start = fields.Field(attribute="start", column_name="start", widget=LocalTimeWidget())
    end = fields.Field(attribute="end", column_name="end", widget=LocalTimeWidget())
    resource = fields.Field(attribute="resource__name", column_name="instrument")
    user = fields.Field(attribute="user__email", column_name="user")
    user_category = fields.Field(attribute="user_category", column_name="user category")
    project = fields.Field(attribute="project__code", column_name="project")
    department = fields.Field(attribute="department__code", column_name="department")
    hours = fields.Field(attribute="hours", column_name="hours", widget=widgets.DecimalWidget())
    hourly_rate = fields.Field(
        attribute="hourly_rate", column_name="hourly rate", widget=widgets.DecimalWidget()
    )
    amount = fields.Field(attribute="amount", column_name="amount", widget=widgets.DecimalWidget())
    answers = fields.Field(column_name="answers", readonly=True)

    class Meta:
        model = UsageRecord
        fields = (
            "id",
            "booking",
            "period",
            "kind",
            "start",
            "end",
            "resource",
            "user",
            "user_category",
            "project",
            "department",
            "billed_minutes",
            "hours",
            "hourly_rate",
            "amount",
            "answers",
        )
        export_order = fields

    def dehydrate_answers(self, record: UsageRecord) -> str:
        """The booker's answers to the booking questions, as asked then (prefetch them)."""
        if record.booking is None:
            return ""
        return answers_text(record.booking)


class ProjectResource(resources.ModelResource):
    pi = fields.Field(
        attribute="pi", column_name="pi", widget=widgets.ForeignKeyWidget(User, "email")
    )
    department = fields.Field(
        attribute="department",
        column_name="department",
        widget=widgets.ForeignKeyWidget(Department, "code"),
    )
    members = fields.Field(
        attribute="members",
        column_name="members",
        widget=widgets.ManyToManyWidget(User, field="email", separator=";"),
    )

    class Meta:
        model = Project
        store_row_values = True  # an error names the value it refused
        import_id_fields = ("code",)
        fields = ("code", "name", "pi", "department", "members", "active_from", "active_to")
        clean_model_instances = True
        skip_unchanged = True


class UserResource(resources.ModelResource):
    department = fields.Field(
        attribute="department",
        column_name="department",
        widget=widgets.ForeignKeyWidget(Department, "code"),
    )

    class Meta:
        model = User
        store_row_values = True  # an error names the value it refused
        import_id_fields = ("email",)
        fields = ("email", "first_name", "last_name", "category", "department")
        clean_model_instances = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()
        if row.get("category"):
            row["category"] = str(row["category"]).strip().lower().replace(" ", "_")

    def validate_instance(self, instance, *args, **kwargs):
        # Imported people sign in through SSO or a reset link; never with a blank password.
        if not instance.password:
            instance.set_unusable_password()
        return super().validate_instance(instance, *args, **kwargs)


class NumberWidget(widgets.DecimalWidget):
    """A decimal that is not a number is a field error (named by column and value in the
    import's preview), not a bare `decimal.InvalidOperation`."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except decimal.InvalidOperation as error:
            raise ValueError("Enter a number, such as 42.50.") from error


class RateCardResource(resources.ModelResource):
    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DecimalField):
            return NumberWidget
        return super().widget_from_django_field(f, default)

    resource = fields.Field(
        attribute="resource",
        column_name="resource",
        widget=widgets.ForeignKeyWidget(Resource, "name"),
    )

    class Meta:
        model = RateCard
        store_row_values = True  # an error names the value it refused
        fields = (
            "id",
            "resource",
            "kind",
            "category",
            "hourly_rate",
            "booking_fee",
            "minimum_charge",
            "rounding_minutes",
            "no_show_percent",
            "late_cancellation_percent",
            "effective_from",
            "effective_to",
        )
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        if problem := check_rate_card_overlap(instance):
            raise ValidationError({problem.field: problem.message})


IMPORTABLE = {
    "projects": ("Projects", ProjectResource),
    "users": ("Users", UserResource),
    "rate-cards": ("Rate cards", RateCardResource),
}
