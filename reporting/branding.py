"""The facility's name, contacts and logo for statements.

They are site settings owned by the pages layer (above this one), which registers a
provider at start-up; without one, a plain default is used.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Branding:
    name: str = "Labitory Research Facility"
    tagline: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    logo_url: str = ""  # a URL WeasyPrint can read without the network (data:), or empty


_provider: Callable[[], Branding] | None = None


def set_branding_provider(provider: Callable[[], Branding]) -> None:
    global _provider
    _provider = provider


def facility_branding() -> Branding:
    return _provider() if _provider else Branding()
