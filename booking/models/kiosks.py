"""Kiosks: a shared tablet beside an instrument, let in by a secret token a coordinator issues."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kiosk(models.Model):
    """A resource's kiosk address. Only a SHA-256 of its token is stored; the token is shown
    once, in the URL. Revoking keeps the row, so that a revoked address says so."""

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.CASCADE, related_name="kiosks"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(revoked_at__isnull=True),
                name="kiosk_one_active_per_resource",
            )
        ]

    def __str__(self) -> str:
        return f"Kiosk of {self.resource}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
