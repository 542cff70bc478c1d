"""What each person wants by email: reading and changing their notification preferences."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from labitory.refusals import Refused
from labitory.rows import row_where
from people.models import User
from workflows.models import NotificationPreferences
from workflows.notifications import EVENTS, REMINDERS, TOPICS


class PreferencesRefused(Refused):
    """An unknown topic or reminder lead time; nothing was saved."""


def preferences_of(user: User) -> NotificationPreferences:
    """The user's saved preferences, or unsaved defaults (no query when select_related)."""
    link = User.notification_preferences.related
    if not link.is_cached(user):
        link.set_cached_value(user, row_where(NotificationPreferences, "user_id", user.pk))
    try:
        return user.notification_preferences
    except NotificationPreferences.DoesNotExist:
        return NotificationPreferences(user=user)


def wants(user: User, event: str) -> bool:
    """Whether `user` receives `event` by email, as their preferences say."""
    if not user.is_active or not user.email:
        return False
    topic = EVENTS[event].topic
    if topic is None:
        return True
    preferences = preferences_of(user)
    if topic == REMINDERS:
        return preferences.reminder_hours > 0
    return topic not in preferences.muted_topics


def update_preferences(
    *, user: User, reminder_hours: int, wanted_topics: set[str]
) -> NotificationPreferences:
    """Save the reminder lead time (0 = off) and which topics the user wants by email."""
    allowed_hours = {hours for hours, _label in NotificationPreferences.REMINDER_CHOICES}
    if reminder_hours not in allowed_hours:
        raise PreferencesRefused(
            "invalid_reminder",
            _("%(reminder_hours)s is not an offered reminder time.")
            % {"reminder_hours": reminder_hours},
        )
    unknown = set(wanted_topics) - set(TOPICS)
    if unknown:
        raise PreferencesRefused(
            "unknown_topic", _("Unknown topics: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
            user=user
        )
        preferences.reminder_hours = reminder_hours
        preferences.muted_topics = sorted(set(TOPICS) - set(wanted_topics))
        preferences.save()
        log(
            instance=preferences,
            action="workflows.preferences.changed",
            user=user,
            data={"reminder_hours": reminder_hours, "muted": preferences.muted_topics},
        )
    user.notification_preferences = preferences
    return preferences
