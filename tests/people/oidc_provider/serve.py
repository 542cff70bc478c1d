"""Run the provider: migrate its database, register one client and one user, then serve.

    python -m tests.people.oidc_provider.serve PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
        PASSWORD EMAIL [EMAIL ...]

Each EMAIL becomes a user with PASSWORD; an address starting with "unverified" is given to
clients with email_verified false.

The environment names the database (OIDC_PROVIDER_DB) and the signing key (OIDC_PROVIDER_KEY).
Prints "ready" once it is listening.
"""

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    port, client_id, secret, redirect_uri, password, *emails = sys.argv[1:]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.people.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    users = [
        User.objects.create_user(
            username=email, email=email, password=password, first_name="Sso", last_name="Person"
        )
        for email in emails
    ]
    Application.objects.create(
        name="Labitory",
        user=users[0],
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", int(port), get_wsgi_application(), handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
