"""Forms of the approval screens: decide one request, approve several, rules, delegations."""

from django import forms

from .models import ApprovalTask


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the booker. Required when you reject.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say why you reject the request: the booker is told.")
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class BulkApproveForm(forms.Form):
    """Tick several of your open requests and approve them together."""

    tasks = forms.ModelMultipleChoiceField(
        queryset=ApprovalTask.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one request to approve."},
    )

    def __init__(self, *args, open_tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = open_tasks
