"""The account audit trail: named log actions on Wagtail's log, one helper to write them.

Sign-ins (success and failure), two-factor changes, role changes, API tokens and lockout
clearing are logged against the user they concern, so they show in the admin's Site history
report (site admins filter and export it there) and on the user's own history. The
application never updates or deletes these rows.
"""

from allauth.core.internal.httpkit import get_client_ip
from django.http import HttpRequest
from django.utils.functional import LazyObject
from wagtail.log_actions import log

from people.models import User

ACTIONS: dict[str, str] = {
    "people.signed_in": "Signed in",
    "people.sign_in_failed": "Sign-in failed",
    "people.signed_out": "Signed out",
    "people.locked_out": "Sign-in locked after repeated failures",
    "people.lockout_cleared": "Sign-in lockout cleared",
    "people.two_factor.enrolled": "Two-factor app added",
    "people.two_factor.removed": "Two-factor app removed",
    "people.two_factor.backup_codes_issued": "Backup codes issued",
    "people.two_factor.failed": "Two-factor code refused",
    "people.two_factor.reset": "Two-factor devices reset by a site admin",
    "people.roles_changed": "Roles changed",
    "people.api_token.created": "API token created",
    "people.api_token.revoked": "API token revoked",
    "people.sso.linked": "Single sign-on account linked",
    "people.category_confirmed": "Internal category given by a verified internal address",
}


def client_address(request: HttpRequest | None) -> str:
    """The client's address as allauth's limits see it: behind a proxy, the hop
    TRUSTED_PROXY_COUNT from the right of X-Forwarded-For."""
    if request is None:
        return ""
    return get_client_ip(request) or ""


def concrete(user):
    """`request.user` can be a lazy object wrapping another (django-otp wraps Django's);
    Wagtail's log looks up the model by type, so it needs the user itself."""
    while isinstance(user, LazyObject):
        user.pk  # noqa: B018 (evaluates the lazy object)
        user = user._wrapped
    return user


def record(
    action: str,
    *,
    subject: User,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **data,
) -> None:
    """Log `action` about `subject` (the account), done by `actor` (default: the subject)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    if request is not None:
        data.setdefault("ip", client_address(request))
    subject = concrete(subject)
    log(instance=subject, action=action, user=concrete(actor) or subject, data=data)
