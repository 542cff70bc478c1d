"""A staff session opens nothing but the way to finish signing in until its second factor
is verified.

Who needs a second factor follows the account's roles (people.two_factor.needs_second_factor),
not the address asked for. For such an account signed in with only a password (or SSO), this
middleware lets through the short list below of what a half-signed-in person may see: the
two-factor steps, signing out, and the public site. Anything else is a redirect to add an
authenticator app or to enter a code, or, on the API, a 403 with the code
`second_factor_required`. Researchers are not affected.

Calls with a personal API token carry no session: DRF authenticates them after this
middleware, and people/api_tokens.py refuses a token its owner made without a second factor.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from people.two_factor import has_second_factor, is_half_signed_in

# URL names a half-signed-in staff member may open: finishing (or leaving) the sign-in, and
# what any visitor sees. A page with view restrictions is refused by the page-serving hook
# (people/wagtail_hooks.py).
HALF_SIGNED_IN_URLS = frozenset(
    {
        "two_factor_sign_in",
        "two_factor_setup",
        "two_factor_verify",
        "account_logout",
        "wagtail_serve",
        "search",
        "healthz",
        # A kiosk's resting page (busy times, no names) and its sign-out, which ends a
        # half-signed-in session left on the tablet.
        "kiosk:display",
        "kiosk:leave",
    }
)
API_PREFIX = "/api/"


def is_open_to_half_signed_in(request: HttpRequest) -> bool:
    path = request.path_info
    # Public files: in production nginx serves them to anyone, before Django.
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    try:
        return resolve(path).view_name in HALF_SIGNED_IN_URLS
    except Resolver404:
        return False


def second_factor_refusal(request: HttpRequest) -> HttpResponse:
    """Where a half-signed-in staff member is sent instead: JSON 403 on the API, else the
    screen that adds an app (none yet) or asks for a code, returning to where they were."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {
                "code": "second_factor_required",
                "message": "Staff accounts must sign in with two-factor authentication "
                "(or use a personal API token made after signing in that way).",
                "problems": [],
            },
            status=403,
        )
    name = "two_factor_verify" if has_second_factor(request.user) else "two_factor_setup"
    return redirect(f"{reverse(name)}?next={quote(request.get_full_path(), safe='/')}")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not is_half_signed_in(user) or is_open_to_half_signed_in(request):
            return self.get_response(request)
        return second_factor_refusal(request)
