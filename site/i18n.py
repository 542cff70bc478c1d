"""Which language a request, an email, a statement or a calendar feed speaks.

A web request: a page URL's language prefix (/de/…) first, then the signed-in person's own
language (people.User.language), then the language cookie the switcher sets, then the
browser's Accept-Language, then LANGUAGE_CODE. An API call: Accept-Language when the client
sends one, else the caller's own language (labitory.api.authentication calls
`activate_for`). Anything written for one person away from their request (emails,
statements, feeds) is written inside `translation.override(language_of(person))`.

Only pages have language-prefixed URLs (/de/… for German translations; English keeps its
URLs). Every other address (/bookings/, /account/, /api/v1/…) is the same in every language.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation

HEADER = "HTTP_ACCEPT_LANGUAGE"


def supported(language: str | None) -> str | None:
    """`language` as one of LANGUAGES ('de-AT' → 'de'), or None when there is none."""
    if not language:
        return None
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return None


def language_of(person) -> str:
    """The language to write to `person` in: their own, else the site's default."""
    return supported(getattr(person, "language", None)) or settings.LANGUAGE_CODE


def activate_for(request: HttpRequest, person) -> None:
    """Speak `person`'s own language for the rest of this request, unless the URL names a
    language or (on the API) the client asked for one."""
    if translation.get_language_from_path(request.path_info):
        return
    if request.path_info.startswith("/api/") and request.META.get(HEADER):
        return
    if language := supported(getattr(person, "language", None)):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except for a URL without a language prefix: Django speaks LANGUAGE_CODE there
    whenever i18n_patterns has prefix_default_language=False; here it speaks the visitor's
    language (cookie, then Accept-Language), since only pages carry a prefix."""

    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_request(request, check_path=True)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    """After authentication: a signed-in person's own language wins over their browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            activate_for(request, request.user)
        return self.get_response(request)


def unprefixed_page(request: HttpRequest, path: str) -> HttpResponse:
    """A page URL without a prefix, asked for in another language than the default (the
    prefixed patterns then expect /de/…): the page's translation in that language when it
    has a live one, else the page as it is, around it the site in the visitor's language."""
    from wagtail.models import Locale, Site
    from wagtail.views import serve

    wanted = Locale.objects.filter(language_code=translation.get_language()).first()
    with translation.override(settings.LANGUAGE_CODE):
        site = Site.find_for_request(request)
        components = [part for part in path.split("/") if part]
        page = _page_at(request, site, components) if site else None
        if page is not None and wanted is not None:
            translated = page.get_translation_or_none(wanted)
            if translated is not None and translated.live:
                return redirect(translated.url)
        return serve(request, path)


def _page_at(request: HttpRequest, site, components: list[str]):
    from django.http import Http404

    try:
        result = site.root_page.specific.route(request, components)
    except Http404:
        return None
    # A sub-route of a routable page has no translation to go to: serve it where it is.
    return result.page if not (result.args or result.kwargs) else None
