"""Notifications in the admin: the outbox (read, filter, retry failed) and message wording.

The outbox is never added to, edited or deleted here: rows come from `workflows.outbox` and
change through delivery or `retry_message`. Wording is checked by rendering it with a sample
of its event's context before it is saved; its preview shows that rendering.
"""

import copy

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views import View
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from booking.admin_views.bookings import local_time
from workflows import wording, wording_values
from workflows.frozen import Gone
from workflows.models import MessageTemplate, OutboxMessage
from workflows.notifications import COMMON, EVENTS, sample_context
from workflows.outbox import CannotRetry, retry_message, write
from workflows.permissions import can_retry_message, may_retry_messages

# ---------------------------------------------------------------- the outbox


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """View, and "change" (which is only ever a retry); never add or delete."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in ("add", "delete")])


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=OutboxMessage.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    event = django_filters.ChoiceFilter(
        choices=[(name, spec.label) for name, spec in EVENTS.items()], empty_label="All events"
    )
    address = django_filters.CharFilter(
        label="Recipient", lookup_expr="icontains", help_text="Part of an email address."
    )
    created_at = django_filters.DateFromToRangeFilter(
        label="Written between", widget=DateRangePickerWidget
    )

    class Meta:
        model = OutboxMessage
        fields = ["status", "event", "address", "created_at"]


def event_label(row) -> str:
    spec = EVENTS.get(row.event)
    return spec.label if spec else row.event


def subject_label(row) -> str:
    """A message is worded by the worker as it is sent; until then only its event is known."""
    return row.subject if row.written_at else f"{event_label(row)} (worded when sent)"


class OutboxIndexView(IndexView):
    def get_edit_url(self, instance):
        """A row's subject leads to the message (there is no editor)."""
        return reverse("outbox:inspect", args=(quote(instance.pk),))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_retry_message(self.request.user, instance):
            url = reverse("outbox:inspect", args=(quote(instance.pk),)) + "#retry"
            buttons.append(MenuItem("Retry…", url=url, icon_name="rotate", priority=40))
        return buttons


class OutboxInspectView(InspectView):
    template_name = "workflows/admin/outbox_inspect.html"

    def get_field_display_value(self, field_name, field):
        if field_name in {"next_attempt_at", "created_at", "sent_at"}:
            return local_time(getattr(self.object, field_name))
        if field_name == "subject":
            return subject_label(self.object)
        return super().get_field_display_value(field_name, field)

    def get_edit_url(self):
        return None

    @cached_property
    def header_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            message=self.object,
            preview=self._preview(),
            can_retry=can_retry_message(self.request.user, self.object),
            retry_url=reverse("outbox:retry", args=(quote(self.object.pk),)),
            log_entries=log_registry.get_logs_for_instance(self.object).select_related("user"),
        )
        return context

    def _preview(self) -> OutboxMessage | None:
        """An unsent message as the worker would word it now; None when it cannot be."""
        if self.object.written_at:
            return self.object
        try:
            return write(copy.copy(self.object))
        except Gone:
            return None


class OutboxEditView(View):
    """No editor: the edit URL shows the message."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("workflows.view_outboxmessage"):
            return permission_denied(request)
        return redirect("outbox:inspect", kwargs["pk"])


class RetryView(View):
    """POST only: send a failed message again (workflows.outbox.retry_message)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        if not may_retry_messages(request.user):
            messages.error(request, "You may not retry messages.")
            return redirect("outbox:inspect", pk)
        try:
            retry_message(message, by=request.user)
        except CannotRetry as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"“{message.subject}” is queued to send again.")
        return redirect("outbox:inspect", pk)


class OutboxViewSet(SnippetViewSet):
    model = OutboxMessage
    icon = "mail"
    menu_label = "Outbox"
    url_namespace = "outbox"
    url_prefix = "notifications/outbox"
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    edit_view_class = OutboxEditView
    inspect_view_enabled = True
    inspect_view_fields = [
        "subject",
        "address",
        "recipient",
        "event",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "key",
    ]
    copy_view_enabled = False
    filterset_class = OutboxFilterSet
    ordering = "-created_at"
    list_per_page = 50
    list_select_related = ("recipient",)
    search_fields = ["subject", "address", "key"]
    search_backend_name = None
    list_display = [
        Column("subject", label="Subject", accessor=subject_label),
        "address",
        Column("event", label="Event", accessor=event_label, sort_key="event"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda m: m.status == OutboxMessage.Status.SENT,
            sort_key="status",
        ),
        Column("attempts", label="Attempts", sort_key="attempts"),
        Column("last_error", label="Last error", accessor=lambda m: m.last_error[:80]),
        Column("created_at", label="Recorded", accessor=lambda m: local_time(m.created_at),
               sort_key="created_at"),
    ]  # fmt: skip
    panels = [FieldPanel("subject", read_only=True)]

    @cached_property
    def permission_policy(self):
        return OutboxPermissionPolicy(self.model)

    def get_queryset(self, request):
        return OutboxMessage.objects.select_related("recipient")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", RetryView.as_view(), name="retry"),
        ]


# ---------------------------------------------------------------- message wording


class MessageTemplateForm(WagtailAdminModelForm):
    """Refuses wording that does not render with a sample of its event's context."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "subject", "text_body", "html_body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"] = forms.ChoiceField(
            choices=[("", "Choose an event")]
            + [(name, f"{spec.label} ({name})") for name, spec in EVENTS.items()],
            help_text=self.fields["event"].help_text,
        )

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        if not event or self.errors:
            return cleaned
        draft = wording.Wording(
            cleaned.get("subject", ""), cleaned.get("text_body", ""), cleaned.get("html_body", "")
        )
        try:
            wording.check_wording(event, draft, sample_context(event))
        except wording.WordingError as error:
            self.add_error(error.field, str(error))
        return cleaned


class MessageTemplateEditView(EditView):
    """The editor, with the message rendered from the saved wording and sample values."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        url = reverse("message_wording:preview_email", args=(quote(self.object.pk),))
        buttons.append(HeaderButton("Preview email", url=url, icon_name="view"))
        return buttons


class PreviewEmailView(View):
    """The saved wording rendered with sample values: the HTML as a recipient sees it."""

    def get(self, request, pk):
        from django.http import HttpResponse

        if not request.user.has_perm("workflows.change_messagetemplate"):
            return permission_denied(request)
        template = get_object_or_404(MessageTemplate, pk=pk)
        try:
            rendered = wording.render(
                template.event,
                sample_context(template.event),
                wording=wording.Wording(template.subject, template.text_body, template.html_body),
            )
        except wording.WordingError as error:  # saved some other way than this form
            return HttpResponse(f"{error.field}: {error}", content_type="text/plain", status=409)
        return HttpResponse(rendered.html)


def context_help() -> str:
    """What editors may use: the names of every message, then each event's own."""
    common = names_help(COMMON)
    events = format_html_join(
        "",
        "<li><strong>{}</strong> (<code>{}</code>): {}</li>",
        (
            (spec.label, name, format_html("<ul>{}</ul>", names_help(spec.context)))
            for name, spec in EVENTS.items()
        ),
    )
    return format_html(
        "<p>Wording uses Django template syntax with plain values only: names such as"
        " <code>{{{{ booking.resource.name }}}}</code>, the tags <code>{{% if %}}</code>,"
        " <code>{{% for %}}</code> (over a list), <code>comment</code>, <code>spaceless</code>,"
        " <code>firstof</code> and <code>now</code>, and formatting filters such as"
        ' <code>|date:"j F Y H:i"</code>. Times are in the facility\'s zone. Anything else is'
        " refused with the reason next to the field. Delete the wording to go back to the"
        " default.</p><p>Every message can use:</p><ul>{}</ul><p>Per event:</p><ul>{}</ul>",
        common,
        events,
    )


def names_help(tops) -> str:
    return format_html_join(
        "",
        "<li><code>{}</code>: {}</li>",
        ((path, name.help) for top in tops for path, name in wording_values.paths(top)),
    )


class MessageTemplateViewSet(SnippetViewSet):
    model = MessageTemplate
    icon = "edit"
    menu_label = "Message wording"
    url_namespace = "message_wording"
    url_prefix = "notifications/wording"
    edit_view_class = MessageTemplateEditView
    list_display = [
        Column("event", label="Event", accessor=event_label, sort_key="event"),
        "subject",
        Column("updated_at", label="Updated", accessor=lambda t: local_time(t.updated_at),
               sort_key="updated_at"),
    ]  # fmt: skip
    search_fields = ["event", "subject"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        HelpPanel(content=""),
        FieldPanel("event"),
        FieldPanel("subject"),
        FieldPanel("text_body"),
        FieldPanel("html_body"),
    ]

    def get_edit_handler(self):
        panels = [HelpPanel(content=context_help(), heading="What you can use"), *self.panels[1:]]
        return ObjectList(panels, base_form_class=MessageTemplateForm).bind_to_model(self.model)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview-email/<int:pk>/", PreviewEmailView.as_view(), name="preview_email"),
        ]


class NotificationsGroup(SnippetViewSetGroup):
    menu_label = "Notifications"
    menu_icon = "mail"
    menu_order = 260
    items = (OutboxViewSet, MessageTemplateViewSet)
