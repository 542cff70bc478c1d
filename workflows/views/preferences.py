"""The signed-in person's Notifications page: parse the form, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from workflows.notifications import EVENTS
from workflows.preference_forms import NotificationPreferencesForm
from workflows.preferences import preferences_of, update_preferences

ALWAYS_SENT = [event.label for event in EVENTS.values() if event.topic is None]


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    initial = NotificationPreferencesForm.initial_for(preferences_of(request.user))
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        update_preferences(
            user=request.user,
            reminder_hours=form.cleaned_data["reminder_hours"],
            wanted_topics=set(form.cleaned_data["wanted_topics"]),
        )
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:preferences")
    context = {"form": form, "always_sent": ALWAYS_SENT, "address": request.user.email}
    return render(request, "workflows/notification_preferences.html", context)
