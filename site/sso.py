"""Single sign-on providers (OpenID Connect), read from the environment.

`OIDC_PROVIDERS=entra,google` names the providers; each has its own variables:

    OIDC_ENTRA_NAME=University account          the button's label
    OIDC_ENTRA_SERVER_URL=https://login.microsoftonline.com/<tenant>/v2.0
    OIDC_ENTRA_CLIENT_ID=...
    OIDC_ENTRA_SECRET=...
    OIDC_ENTRA_EMAIL_VERIFIED=false             trust the email_verified claim for linking

A first sign-in links to an existing account only through an email address the provider
marks verified, and only when EMAIL_VERIFIED is true for that provider (Entra ID's email
claim is not verified: keep it false there). Otherwise it creates a new account.
"""

import re

from django.core.exceptions import ImproperlyConfigured

from labitory.env import env_bool, env_list, env_required, env_str

PROVIDER_ID = re.compile(r"^[a-z][a-z0-9-]{0,29}$")


def oidc_apps_from_env() -> list[dict]:
    apps = []
    for provider_id in env_list("OIDC_PROVIDERS"):
        if not PROVIDER_ID.match(provider_id):
            raise ImproperlyConfigured(
                f"OIDC_PROVIDERS: {provider_id!r} is not a valid id (lower-case letters, "
                "digits and hyphens, starting with a letter)."
            )
        prefix = f"OIDC_{provider_id.upper().replace('-', '_')}_"
        apps.append(
            {
                "provider_id": provider_id,
                "name": env_str(prefix + "NAME", provider_id.title()),
                "client_id": env_required(prefix + "CLIENT_ID"),
                "secret": env_required(prefix + "SECRET"),
                "settings": {
                    "server_url": env_required(prefix + "SERVER_URL"),
                    "oauth_pkce_enabled": True,
                    "fetch_userinfo": True,
                    # Link a first sign-in to an existing account by its verified email address.
                    "email_authentication": env_bool(prefix + "EMAIL_VERIFIED", False),
                },
            }
        )
    return apps
