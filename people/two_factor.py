"""Two-factor sign-in: authenticator apps (TOTP) and hashed backup codes.

Every change goes through a function here, which also writes the audit trail. Checking a
code (`check_code`) is the one place that applies the rules:

- the address's sign-in lockout (people/lockout.py) counts wrong codes too, in the shared
  cache, so throttling holds across every web process;
- a TOTP code is accepted once: django-otp records the last accepted time step in the
  database, and a cache key per (device, time step) settles two requests racing with the
  same code;
- a backup code is deleted as it is used (people/devices.py).

Who must use a second factor is decided here, from the account and never from the address
asked for (`needs_second_factor`): every staff role (lab coordinator, approver, finance, site
admin), Django staff and superusers, and anyone a group or permission lets into the Wagtail
admin. Until such a session is verified it reaches only the steps that finish signing in
(people/middleware.py), and their API tokens work only if made in a verified session
(people/api_tokens.py). For researchers it is optional; that includes a PI or supervisor who
decides their own group's booking requests without holding the Approver role, because those
decisions reach only their own group's bookings and statements, as their password does.
"""

import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from labitory.refusals import Refused
from people.audit import record
from people.devices import BackupCodeDevice
from people.lockout import count_failure
from people.models import User
from people.roles import Role, group_names, opens_admin

# Long enough to outlive the codes django-otp still accepts for a time step (drift ± 1).
USED_CODE_SECONDS = 300
CODE_MESSAGE = gettext_lazy(
    "That code did not work. Enter the current six-digit code from your authenticator app, "
    "or one of your backup codes. Each code works only once."
)


class SecondFactorRefused(Refused):
    """A code was refused; `code` is stable for logs and the API, `message` for people."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code, message or str(CODE_MESSAGE))


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into an app by hand
    uri: str  # otpauth:// for the QR code


def needs_second_factor(user: User) -> bool:
    """Whether the account may do nothing beyond signing in without a verified second factor:
    staff roles, Django staff and superusers, and anyone who can open the Wagtail admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return not group_names(user).isdisjoint(Role.STAFF) or opens_admin(user)


def is_half_signed_in(user: User) -> bool:
    """Signed in with a password (or SSO) only, by an account that needs a second factor."""
    return needs_second_factor(user) and not user.is_verified()


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes(user: User) -> BackupCodeDevice | None:
    return BackupCodeDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return authenticator(user) is not None


# Enrolment


def start_enrolment(user: User) -> Enrolment:
    """A new, unconfirmed authenticator for the user (replacing an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return describe(device)


def describe(device: TOTPDevice) -> Enrolment:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return Enrolment(device=device, secret=secret, uri=device.config_url)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def confirm_enrolment(request: HttpRequest, *, device: TOTPDevice, code: str) -> list[str]:
    """Check the first code from the app; on success the device counts, the session is
    verified with it, and the user's backup codes are (re)issued and returned."""
    if device.confirmed or device.user_id != request.user.pk:
        raise SecondFactorRefused("no_enrolment", _("Start adding the app again."))
    if not accept_totp(device, code):
        raise SecondFactorRefused("invalid_code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("people.two_factor.enrolled", subject=device.user, request=request)
        codes = issue_backup_codes(request, user=device.user)
    otp_login(request, device)
    return codes


def issue_backup_codes(request: HttpRequest, *, user: User) -> list[str]:
    """Replace the user's backup codes with ten new ones, returned once."""
    device, _created = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    codes = device.replace_codes()
    record("people.two_factor.backup_codes_issued", subject=user, request=request)
    return codes


def remove_second_factor(request: HttpRequest, *, user: User) -> None:
    """The user removes their app and backup codes (the view asks for their password first)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        BackupCodeDevice.objects.filter(user=user).delete()
        record("people.two_factor.removed", subject=user, request=request)


def reset_second_factor(request: HttpRequest, *, user: User, by: User) -> None:
    """A site admin removes a user's devices (a lost phone); the user enrols again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        BackupCodeDevice.objects.filter(user=user).delete()
        record("people.two_factor.reset", subject=user, actor=by, request=request)


def add_known_authenticator(user: User, *, secret: str) -> TOTPDevice:
    """A confirmed authenticator with a given base32 secret: only for the demo facility,
    whose staff logins must work for a newcomer with the key printed by `seed_demo`."""
    from base64 import b32decode

    device = TOTPDevice.objects.create(
        user=user,
        name="Demo authenticator",
        key=b32decode(secret).hex(),
        confirmed=True,
    )
    record("people.two_factor.enrolled", subject=user, demo=True)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (for the demo's `demo_code` command)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


# Checking codes


def accept_totp(device: TOTPDevice, code: str) -> bool:
    """True once per time step: django-otp checks the code and its last step in the
    database; the cache key stops a second request with the same step in flight."""
    code = "".join(str(code).split())
    if not (code.isdigit() and len(code) == device.digits):
        return False
    if not device.verify_token(code):
        return False
    return cache.add(f"otp:totp-used:{device.pk}:{device.last_t}", True, USED_CODE_SECONDS)


def check_code(request: HttpRequest, *, user: User, code: str):
    """The device that accepts `code` (authenticator first, then a backup code).

    Raises SecondFactorRefused("locked_out") when the address is locked, or
    ("invalid_code") for a wrong, reused or malformed code, which also counts towards
    the lockout.
    """
    code = (code or "").strip()[:64]
    usage = count_failure(request, user.email)
    if usage is None:
        record("people.two_factor.failed", subject=user, request=request, reason="locked_out")
        raise SecondFactorRefused(
            "locked_out",
            _(
                "Too many attempts. Wait a while before trying again, or ask a site admin to "
                "unlock your account."
            ),
        )
    device = authenticator(user)
    if device is not None and accept_totp(device, code):
        usage.rollback()
        return device
    spare = backup_codes(user)
    if spare is not None and spare.verify_token(code):
        usage.rollback()
        return spare
    record("people.two_factor.failed", subject=user, request=request, reason="invalid_code")
    raise SecondFactorRefused("invalid_code")
