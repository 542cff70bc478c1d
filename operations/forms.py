"""The report form on the site, and the triage form in the admin."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from booking.models import Resource
from people.models import User

from .attachments import ACCEPTED
from .models import ProblemReport
from .permissions import can_be_assigned
from .services import COMMENT_MAX, DETAILS_MAX, SUMMARY_MAX


class ReportForm(forms.Form):
    """Parses the input; the service judges it (and says what is wrong, next to the field)."""

    summary = forms.CharField(
        label="What happened",
        max_length=SUMMARY_MAX,
        help_text="One line, e.g. “The 488 nm laser does not switch on”.",
    )
    severity = forms.ChoiceField(
        label="How bad is it", choices=ProblemReport.Severity.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you were doing, any error message, what you tried.",
    )
    attachment = forms.FileField(
        label="Photo or file (optional)",
        required=False,
        help_text=f"At most 10 MB: {ACCEPTED}.",
    )

    def add_problems(self, problems) -> None:
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)


class TriageForm(WagtailAdminModelForm):
    """Status and assignee of the report, and a comment for the reporter; saved through
    operations.services.triage_report by the admin's edit view, never by the form itself."""

    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reporter reads it on the report's page.",
    )

    bring_up = forms.BooleanField(
        required=False,
        label="Bring the instrument back up",
        help_text="Sets it up and ends its outage: it is bookable again at once.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.resource.status == Resource.Status.UP:
            del self.fields["bring_up"]  # offered only while the instrument is not up
        if "assignee" in self.fields:
            report = self.instance
            candidates = User.objects.filter(is_active=True).order_by("first_name", "email")
            allowed = [u.pk for u in candidates if can_be_assigned(u, report)]
            self.fields["assignee"].queryset = User.objects.filter(pk__in=allowed)
