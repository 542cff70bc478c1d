"""`manage.py demo_code EMAIL`: the current two-factor code of a demo account.

For development only (it refuses unless DEBUG is on): the demo's staff users share a known
authenticator key, and a newcomer without an authenticator app still needs a code.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people import two_factor
from people.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of an account (development only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DEBUG on (the development settings).")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        device = two_factor.authenticator(user)
        if device is None:
            raise CommandError(f"{email} has no authenticator app.")
        self.stdout.write(two_factor.current_code(device))
