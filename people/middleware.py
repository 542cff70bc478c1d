"""Staff need a verified second factor before any admin page or staff API call.

After allauth's sign-in (password or SSO) a user with an authenticator app has already
entered a code (people/stages.py). A staff user without one is sent to add one before the
admin opens; an API call with the session answers 403 `second_factor_required`. Calls with
a personal API token are authenticated by DRF after this middleware, and a staff token can
only be created from a verified session (people/views/tokens.py).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from people.two_factor import has_second_factor, is_staff_role

GUARDED_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/", "/account/api-tokens/")
API_PREFIX = "/api/v1/"


def needs_verification(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    if not request.path_info.startswith(GUARDED_PREFIXES):
        return False
    return is_staff_role(user)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not needs_verification(request):
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "code": "second_factor_required",
                    "message": "Staff accounts must sign in with two-factor authentication "
                    "(or use a personal API token).",
                    "problems": [],
                },
                status=403,
            )
        name = "two_factor_verify" if has_second_factor(request.user) else "two_factor_setup"
        return redirect(f"{reverse(name)}?next={request.get_full_path()}")
