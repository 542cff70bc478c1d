"""Whether these settings allow demo data: the one check every demo command makes first.

The demo's staff logins have passwords printed by `seed_demo` and an authenticator key
published in the README, so a site that serves real people must never get them. Only
settings that say so allow the demo: the development and test settings set
`DEMO_DATA_ALLOWED = True`; the production settings leave it to the environment, where only
a throwaway site (the local stack, deploy/stack/) turns it on. A settings module that does
not mention it is refused, so a new one starts safe.
"""

from django.conf import settings
from django.core.management.base import CommandError


def demo_data_allowed() -> bool:
    return getattr(settings, "DEMO_DATA_ALLOWED", False) is True


def refuse_unless_allowed(command: str) -> None:
    """Raise CommandError (exit status 1) before anything is read or written."""
    if not demo_data_allowed():
        raise CommandError(
            f"{command} refuses to run: the settings {settings.SETTINGS_MODULE} do not allow "
            "demo data (its staff passwords are printed and its authenticator key is public). "
            "The development and test settings allow it; a throwaway site under other "
            "settings can set DEMO_DATA_ALLOWED=true in its environment."
        )
