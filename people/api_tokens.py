"""Personal API tokens: shown once, stored as a hash, read or read-write, expiring, revocable.

A token is `lbt_` followed by 40 random URL-safe characters. Only its SHA-256 is stored
(the token has 240 bits of entropy, so an unsalted fast hash is enough), with its first
characters kept in clear so that the owner can tell tokens apart in the list.

A token records whether it was made in a session verified with a second factor. An account
that needs one (people.two_factor.needs_second_factor) can use only tokens made that way: a
token made before its owner got a staff role stops working, with the code
`token_needs_second_factor`, until they sign in with two-factor and make a new one.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labitory.refusals import Refused
from labitory.rows import row_where
from people.audit import record
from people.models import TOKEN_PREFIX, ApiToken, User, hash_token
from people.two_factor import needs_second_factor

# The only way tokens are made, used and revoked (the model is in people/models.py).

MAX_LIFETIME_DAYS = 365


class TokenRefused(Refused):
    """A token cannot be made as asked."""


def create_token(
    *, user, name: str, scope: str, days: int, with_second_factor: bool = False, request=None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token itself (shown once).
    `with_second_factor` says the session asking for it was verified with a second factor."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenRefused("invalid_name", _("Give the token a name of up to 100 characters."))
    if scope not in ApiToken.Scope.values:
        raise TokenRefused("invalid_scope", _("Choose read only, or read and write."))
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise TokenRefused(
            "invalid_lifetime",
            _("A token lasts between 1 and %(max)s days.") % {"max": MAX_LIFETIME_DAYS},
        )
    token = ApiToken.new_token()
    now = timezone.now()
    record_ = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
        created_with_second_factor=with_second_factor,
    )
    record(
        "people.api_token.created",
        subject=user,
        request=request,
        token=record_.pk,
        name=name,
        scope=scope,
        expires=record_.expires_at.isoformat(),
        second_factor=with_second_factor,
    )
    return record_, token


def revoke_token(*, token: ApiToken, by, request=None) -> ApiToken:
    """Stop a token working at once (its owner or a site admin)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            "people.api_token.revoked",
            subject=token.user,
            actor=by,
            request=request,
            token=token.pk,
            name=token.name,
        )
    return token


SECOND_FACTOR_MESSAGE = gettext_lazy(
    "This token was made without two-factor sign-in, and your account now needs it. Sign in "
    "with two-factor and make a new token under Account → API tokens."
)


def token_user(raw: str) -> ApiToken | None:
    """The usable token matching `raw`, with its user, its last use updated (at most once a
    minute); None for a wrong, expired or revoked token or an inactive user.

    Raises TokenRefused("token_needs_second_factor") when the owner needs a second factor and
    the token was not made in a session verified with one.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = row_where(ApiToken, "token_hash", hash_token(raw))
    if token is None or not token.is_usable(now):
        return None
    token.user = row_where(User, "id", token.user_id)
    if token.user is None or not token.user.is_active:
        return None
    if not token.created_with_second_factor and needs_second_factor(token.user):
        raise TokenRefused("token_needs_second_factor", str(SECOND_FACTOR_MESSAGE))
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
