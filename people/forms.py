"""Forms of the account screens that several views share."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    """The language switcher's and the account page's choice of language."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
        widget=forms.Select(attrs={"class": "select", "autocomplete": "off"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
