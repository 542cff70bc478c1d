"""The Notifications page's form: reminder lead time and the booking updates wanted by email."""

from django import forms

from workflows.models import NotificationPreferences
from workflows.notifications import TOPICS


class NotificationPreferencesForm(forms.Form):
    reminder_hours = forms.TypedChoiceField(
        label="Reminder before a booking starts",
        choices=NotificationPreferences.REMINDER_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the reminder times offered."},
    )
    wanted_topics = forms.MultipleChoiceField(
        label="Booking updates by email",
        choices=[(topic.code, topic.label) for topic in TOPICS.values()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "“%(value)s” is not one of the updates offered."},
    )

    @staticmethod
    def initial_for(preferences: NotificationPreferences) -> dict:
        return {
            "reminder_hours": preferences.reminder_hours,
            "wanted_topics": [code for code in TOPICS if code not in preferences.muted_topics],
        }

    def topic_rows(self):
        """Each checkbox with its topic's explanation, for the template."""
        for checkbox in self["wanted_topics"]:
            yield checkbox, TOPICS[checkbox.data["value"]].help
