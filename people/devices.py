"""Backup codes for two-factor sign-in, stored as hashes.

django-otp's own static device keeps its codes in plain text, so a database leak would
hand out working second factors. Here each code is stored as an HMAC-SHA256 under a salt
of the device's own; a code is consumed by deleting its row, so it works exactly once even
when two requests race with it.
"""

import hashlib
import hmac
import secrets

from django.db import models
from django_otp.models import Device, TimestampMixin

# Ten codes of ten characters from an alphabet without look-alikes (no 0/O, 1/l/I).
CODE_COUNT = 10
CODE_LENGTH = 10
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def normalise_code(code: str) -> str:
    """What the user typed, as stored: lower case, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").lower()


class BackupCodeDevice(TimestampMixin, Device):
    """A user's set of single-use backup codes (one device per user)."""

    salt = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = "backup code set"

    def hash_code(self, code: str) -> str:
        return hmac.new(
            self.salt.encode(), normalise_code(code).encode(), hashlib.sha256
        ).hexdigest()

    def replace_codes(self) -> list[str]:
        """Forget every code, store new ones, and return them (the only time they exist)."""
        self.salt = secrets.token_hex(32)
        self.save(update_fields=["salt"])
        codes = [
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            for _ in range(CODE_COUNT)
        ]
        self.codes.all().delete()
        BackupCode.objects.bulk_create(
            BackupCode(device=self, code_hash=self.hash_code(code)) for code in codes
        )
        return [f"{code[:5]}-{code[5:]}" for code in codes]

    def remaining(self) -> int:
        return self.codes.count()

    def verify_token(self, token) -> bool:
        code = normalise_code(str(token))
        if len(code) != CODE_LENGTH or not self.salt:
            return False
        deleted, _ = self.codes.filter(code_hash=self.hash_code(code)).delete()
        if deleted:
            self.set_last_used_timestamp(commit=True)
        return bool(deleted)


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique")
        ]

    def __str__(self) -> str:
        return "backup code"
