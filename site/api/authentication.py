"""How API callers sign in: a personal API token (`Authorization: Bearer lbt_…`), or the
browser session with its CSRF token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from labitory.i18n import activate_for
from people.api_tokens import TokenRefused, token_user


class CsrfFailed(exceptions.PermissionDenied):
    default_code = "csrf_failed"


class ReadOnlyToken(exceptions.PermissionDenied):
    default_code = "token_read_only"
    default_detail = _("This API token is read only.")


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication; a missing or wrong CSRF token is `csrf_failed`."""

    def enforce_csrf(self, request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as denied:
            raise CsrfFailed(str(denied.detail)) from denied


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal API token (people/api_tokens.py). Only its hash is stored; a read-only
    token is refused for anything but GET, HEAD and OPTIONS, and a staff member's token made
    without a second factor for everything (403 `token_needs_second_factor`)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _space, raw = header.partition(" ")
        if keyword != self.keyword:
            return None
        try:
            token = token_user(raw.strip())
        except TokenRefused as refused:
            raise exceptions.PermissionDenied(refused.message, code=refused.code) from refused
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The API token is not valid, has expired or was revoked."),
                code="invalid_token",
            )
        if not token.allows_writes and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise ReadOnlyToken()
        # Known only now (no session): messages in the caller's own language from here on,
        # unless the client sent Accept-Language.
        activate_for(request, token.user)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
