"""The language switcher's target: Django's set_language (cookie, then back to the page, in
its translation when it is a page), and for a signed-in person their own language too."""

from django.http import HttpRequest, HttpResponse
from django.views import i18n
from django.views.decorators.http import require_POST

from people.forms import LanguageForm
from people.languages import set_language as remember


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        remember(user=request.user, language=form.cleaned_data["language"])
    return i18n.set_language(request)
