"""The resource's edit screen, with the way to its printable sign and kiosk."""

from django.urls import reverse
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView


def sign_button(resource, priority: int = 40) -> Button:
    return Button(
        "Sign and kiosk",
        url=reverse("booking:instrument_sign", args=[resource.pk]),
        icon_name="doc-full",
        priority=priority,
    )


class ResourceEditView(EditView):
    @property
    def header_more_buttons(self):
        return [*super().header_more_buttons, sign_button(self.object)]
