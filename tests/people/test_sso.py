"""Single sign-on through OpenID Connect, against a real provider on loopback.

The provider is django-oauth-toolkit in its own process (tests/people/oidc_provider/): our
site discovers it, sends the browser to it, exchanges the code over HTTP, checks the signed
ID token and reads the user's claims. Only the browser is played by the test: `requests`
for the provider's pages, Django's test client for ours.
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from wagtail.models import ModelLogEntry

from people.models import User
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "labitory-test-client"
CLIENT_SECRET = "labitory-test-secret-0123456789"
CALLBACK = "http://testserver/accounts/oidc/campus/login/callback/"
SSO_EMAIL = "sso.person@uni.example.ac.uk"
UNVERIFIED_EMAIL = "unverified.person@uni.example.ac.uk"
SSO_PASSWORD = "provider-password-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def provider_process(tmp_path_factory):
    """One provider for the module: migrating its database takes a few seconds."""
    port = free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": private_key_pem(),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.people.oidc_provider.serve",
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            CALLBACK,
            SSO_PASSWORD,
            SSO_EMAIL,
            UNVERIFIED_EMAIL,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError("the provider did not start: " + process.stderr.read())
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def provider(provider_process, settings):
    base = provider_process
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "campus",
                    "name": "Campus account",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": f"{base}/o",
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": True,
                        "email_authentication": True,
                    },
                }
            ]
        }
    }
    return base


def sign_in_through_the_provider(client, base: str, email: str = SSO_EMAIL):
    """Start at our sign-in, sign in at the provider, and come back to our callback."""
    start = client.post(reverse("openid_connect_login", args=["campus"]))
    assert start.status_code == 302 and start.url.startswith(base + "/o/authorize/")
    browser = requests.Session()
    login_page = browser.get(start.url, timeout=10)
    assert "/login/" in login_page.url
    back = browser.post(
        login_page.url,
        data={
            "username": email,
            "password": SSO_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": re.search(r'name="next" value="([^"]*)"', login_page.text)
            .group(1)
            .replace("&amp;", "&"),
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    # The provider sends the browser on to authorize, which sends it back to us with a code.
    while back.status_code == 302 and not back.headers["Location"].startswith(CALLBACK):
        back = browser.get(
            urljoin(login_page.url, back.headers["Location"]), allow_redirects=False, timeout=10
        )
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK), callback
    return client.get(callback.removeprefix("http://testserver"))


def test_a_first_sso_sign_in_creates_an_account(client, facility, provider):
    response = sign_in_through_the_provider(client, provider)

    assert response.status_code == 302
    user = User.objects.get(email=SSO_EMAIL)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (user.first_name, user.last_name) == ("Sso", "Person")
    entry = ModelLogEntry.objects.get(action="people.signed_in")
    assert entry.data["method"] == "sso:campus"


def test_a_verified_email_links_to_the_existing_account(client, facility, provider):
    existing = UserFactory(email=SSO_EMAIL)

    sign_in_through_the_provider(client, provider)

    assert client.session["_auth_user_id"] == str(existing.pk)
    assert User.objects.filter(email__iexact=SSO_EMAIL).count() == 1
    assert existing.socialaccount_set.get().provider == "campus"


def test_an_unverified_email_never_links_to_an_existing_account(client, facility, provider):
    existing = UserFactory(email=UNVERIFIED_EMAIL)

    sign_in_through_the_provider(client, provider, UNVERIFIED_EMAIL)

    assert client.session.get("_auth_user_id") != str(existing.pk)
    assert not existing.socialaccount_set.exists()


def test_a_staff_member_signing_in_by_sso_still_needs_two_factor(client, coordinator, provider):
    User.objects.filter(pk=coordinator.pk).update(email=SSO_EMAIL)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=coordinator).update(email=SSO_EMAIL)

    sign_in_through_the_provider(client, provider)

    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.get("/admin/").url.startswith(reverse("two_factor_setup"))
