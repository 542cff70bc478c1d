"""Single sign-on providers come from the environment and fail loudly when incomplete."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from labitory.sso import oidc_apps_from_env

ENTRA = {
    "OIDC_PROVIDERS": "entra",
    "OIDC_ENTRA_NAME": "University account",
    "OIDC_ENTRA_SERVER_URL": "https://login.microsoftonline.com/tenant/v2.0",
    "OIDC_ENTRA_CLIENT_ID": "client",
    "OIDC_ENTRA_SECRET": "secret",
}


def test_no_providers_by_default(monkeypatch):
    monkeypatch.delenv("OIDC_PROVIDERS", raising=False)

    assert oidc_apps_from_env() == []


def test_a_provider_is_read_with_linking_by_email_off_unless_asked(monkeypatch):
    for name, value in ENTRA.items():
        monkeypatch.setenv(name, value)

    (app,) = oidc_apps_from_env()

    assert app["provider_id"] == "entra" and app["name"] == "University account"
    assert app["settings"]["server_url"] == ENTRA["OIDC_ENTRA_SERVER_URL"]
    assert app["settings"]["email_authentication"] is False
    assert app["settings"]["oauth_pkce_enabled"] is True


def test_a_provider_without_its_secret_refuses_to_start(monkeypatch):
    for name, value in ENTRA.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OIDC_ENTRA_SECRET")

    with pytest.raises(ImproperlyConfigured, match="OIDC_ENTRA_SECRET"):
        oidc_apps_from_env()


def test_a_malformed_provider_id_is_refused(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "Bad Id")

    with pytest.raises(ImproperlyConfigured, match="not a valid id"):
        oidc_apps_from_env()
