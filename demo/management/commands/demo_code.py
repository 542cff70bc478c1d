"""`manage.py demo_code EMAIL`: the current two-factor code of a demo staff account.

The demo's staff users share a known authenticator key, and a newcomer without an
authenticator app still needs a code. Refuses unless the settings allow demo data
(demo/allowed.py), and prints only the code of the demo's own authenticator, never of one
a person set up for themselves.
"""

from django.core.management.base import BaseCommand, CommandError

from demo.allowed import refuse_unless_allowed
from demo.facility import is_demo_authenticator
from people import two_factor
from people.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (demo settings only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        refuse_unless_allowed("demo_code")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        device = two_factor.authenticator(user)
        if device is None:
            raise CommandError(f"{email} has no authenticator app.")
        if not is_demo_authenticator(device):
            raise CommandError(f"{email} uses their own authenticator app, not the demo's.")
        self.stdout.write(two_factor.current_code(device))
