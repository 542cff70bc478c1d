"""A coordinator sets up two-factor sign-in on the way into the admin, signs out, signs in
again with a code, and reaches the admin; no page breaks the Content Security Policy."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


@pytest.fixture
def csp_errors(browser_page):
    """Console messages about the Content Security Policy, collected as the test browses."""
    seen: list[str] = []
    browser_page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return seen


def sign_in(page, base: str, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_enrols_signs_out_and_signs_in_with_a_code(
    live_server, facility, coordinator, browser_page, screenshot, csp_errors
):
    page = browser_page
    base = live_server.url

    page.goto(base + facility.confocal.url)
    expect(page.get_by_role("heading", level=1, name="Confocal microscope")).to_be_visible()
    page.goto(base + reverse("wagtailadmin_home"))
    sign_in(page, base, coordinator.email)

    expect(page.get_by_role("heading", level=1, name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshot("2fa-1-setup")
    page.get_by_text("Can’t scan it? Type this key instead").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code", exact=True).fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1, name="Your backup codes")).to_be_visible()
    codes = page.get_by_role("list", name="Backup codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    screenshot("2fa-2-backup-codes")
    page.get_by_role("link", name="I’ve saved them, continue").click()
    expect(page).to_have_url(base + reverse("wagtailadmin_home"))

    page.goto(base + "/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()

    page.goto(base + reverse("wagtailadmin_home"))
    sign_in(page, base, coordinator.email)
    expect(page.get_by_role("heading", level=1, name="Enter your code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code did not work.")).to_be_visible()
    screenshot("2fa-3-wrong-code")
    # The code of the first sign-in was used; the app's next code is accepted.
    page.get_by_label("Code", exact=True).fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(base + reverse("wagtailadmin_home"))
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    screenshot("2fa-4-admin")
    page.goto(base + reverse("wagtailadmin_pages:edit", args=[facility.confocal.pk]))
    expect(page.get_by_role("textbox", name="Summary")).to_be_visible()
    assert csp_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_account_screens_at_phone_and_desktop_width(
    live_server, facility, researcher, chromium, width, csp_errors
):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url
    for name in ("account_signup", "account_reset_password", "account_login"):
        page.goto(base + reverse(name))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=f"/tmp/shots/account-{name}-{width}.png", full_page=True)
    sign_in(page, base, researcher.email)
    for name in (
        "account_security",
        "two_factor_setup",
        "api_tokens",
        "account_change_password",
        "account_reauthenticate",
    ):
        page.goto(base + reverse(name))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=f"/tmp/shots/account-{name}-{width}.png", full_page=True)
    page.goto(base + reverse("api_tokens"))
    page.get_by_label("Name").fill("Plate reader export")
    page.get_by_role("button", name="Make token").click()
    token = page.get_by_label(re.compile("Plate reader export")).input_value()
    assert token.startswith("lbt_")
    page.screenshot(path=f"/tmp/shots/account-token-created-{width}.png", full_page=True)
    context.close()
    assert csp_errors == []


def test_a_site_admin_unlocks_an_account_and_resets_its_two_factor(
    live_server, facility, coordinator, site_admin, browser_page, csp_errors
):
    from people import two_factor

    page = browser_page
    base = live_server.url
    two_factor.add_known_authenticator(coordinator, secret="JBSWY3DPEHPK3PXP")
    admin_device = two_factor.add_known_authenticator(site_admin, secret="KRSXG5CTMVRXEZLU")
    for _ in range(6):
        page.goto(base + reverse("account_login"))
        page.get_by_label("Email address").fill(coordinator.email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Too many failed sign-in attempts")).to_be_visible()

    page.goto(base + reverse("wagtailadmin_home"))
    sign_in(page, base, site_admin.email)
    page.get_by_label("Code", exact=True).fill(two_factor.current_code(admin_device))
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + reverse("people_account_security", args=[coordinator.pk]))
    expect(page.get_by_text("Locked", exact=True)).to_be_visible()
    page.screenshot(path="/tmp/shots/admin-account-security.png", full_page=True)
    page.get_by_role("button", name="Clear the lockout").click()
    expect(page.get_by_text("can sign in again")).to_be_visible()
    page.get_by_role("button", name="Reset two-factor devices").click()
    expect(page.get_by_text("two-factor devices were removed")).to_be_visible()
    page.screenshot(path="/tmp/shots/admin-account-security-after.png", full_page=True)
    assert not two_factor.has_second_factor(coordinator)
    assert csp_errors == []
