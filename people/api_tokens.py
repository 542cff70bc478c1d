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
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from labitory.refusals import Refused
from labitory.rows import row_where

TOKEN_PREFIX = "lbt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'lab script'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_with_second_factor = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made in a session verified with a second factor; staff tokens need it.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(30)

    def is_usable(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.revoked_at is None and self.expires_at > moment

    @property
    def allows_writes(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


# Services: the only way tokens are made, used and revoked.

MAX_LIFETIME_DAYS = 365


class TokenRefused(Refused):
    """A token cannot be made as asked."""


def create_token(
    *, user, name: str, scope: str, days: int, with_second_factor: bool = False, request=None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token itself (shown once).
    `with_second_factor` says the session asking for it was verified with a second factor."""
    from people.audit import record

    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenRefused("invalid_name", "Give the token a name of up to 100 characters.")
    if scope not in ApiToken.Scope.values:
        raise TokenRefused("invalid_scope", "Choose read only, or read and write.")
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise TokenRefused(
            "invalid_lifetime", f"A token lasts between 1 and {MAX_LIFETIME_DAYS} days."
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
    from people.audit import record

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


SECOND_FACTOR_MESSAGE = (
    "This token was made without two-factor sign-in, and your account now needs it. Sign in "
    "with two-factor and make a new token under Account → API tokens."
)


def token_user(raw: str) -> ApiToken | None:
    """The usable token matching `raw`, with its user, its last use updated (at most once a
    minute); None for a wrong, expired or revoked token or an inactive user.

    Raises TokenRefused("token_needs_second_factor") when the owner needs a second factor and
    the token was not made in a session verified with one.
    """
    from people.models import User
    from people.two_factor import needs_second_factor

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
        raise TokenRefused("token_needs_second_factor", SECOND_FACTOR_MESSAGE)
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
