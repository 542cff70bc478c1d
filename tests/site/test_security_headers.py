"""Security headers: a strict, nonce-based CSP on the public site, the admin's own policy,
and the other headers every response carries."""

import re

from django.urls import reverse

from tests.conftest import sign_in_with_second_factor


def policy(response) -> dict[str, str]:
    parts = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in parts}


def test_public_pages_get_a_strict_nonce_policy(client, facility):
    response = client.get(facility.confocal.url)

    csp = policy(response)
    assert re.fullmatch(r"'self' 'nonce-[\w-]{20,}'", csp["script-src"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'self'"


def test_each_response_has_its_own_nonce(client, facility):
    first = policy(client.get(facility.home.url))["script-src"]
    second = policy(client.get(facility.home.url))["script-src"]

    assert first != second


def test_the_admin_gets_its_own_policy(client, coordinator):
    sign_in_with_second_factor(client, coordinator)

    csp = policy(client.get(reverse("wagtailadmin_home")))

    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == "'self'" and csp["object-src"] == "'none'"


def test_sso_providers_may_receive_the_sign_in_form(client, facility, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{"provider_id": "x", "settings": {"server_url": "https://idp.example.org/v2"}}]
        }
    }

    csp = policy(client.get(reverse("account_login")))

    assert csp["form-action"] == "'self' https://idp.example.org"


def test_every_response_sets_the_other_security_headers(client, facility):
    response = client.get(facility.home.url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_showing_secrets_are_not_cached(client, researcher):
    client.force_login(researcher)

    response = client.get(reverse("two_factor_setup"))

    assert "no-store" in response["Cache-Control"]
