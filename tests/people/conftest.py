"""Signing in through the real forms, and codes computed as an authenticator app would."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import two_factor
from tests.factories import PASSWORD

A_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_now(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an app shows now (or `steps_ahead` steps of 30 s later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def submit_password(client, email: str, password: str = PASSWORD, next_url: str = ""):
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def submit_code(client, code: str):
    return client.post(reverse("two_factor_sign_in"), {"code": code})


@pytest.fixture
def enrolled(coordinator) -> TOTPDevice:
    """The coordinator with a confirmed authenticator app."""
    return two_factor.add_known_authenticator(
        coordinator, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
