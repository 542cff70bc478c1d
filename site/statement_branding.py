"""The facility's identity (the pages' site settings) as statements print it.

The project wires the two together (apps.py), so that neither the pages nor the money app
imports the other.
"""

import mimetypes
from base64 import b64encode

from wagtail.models import Site

from labpages.models import FacilitySettings
from reporting.branding import Branding


def facility_branding() -> Branding:
    site = Site.objects.filter(is_default_site=True).first()
    settings = FacilitySettings.objects.filter(site=site).select_related("logo").first()
    if settings is None:
        return Branding()
    logo_url = logo_data_url(settings.logo.file) if settings.logo and settings.logo.file else ""
    return Branding(
        name=settings.facility_name,
        tagline=settings.tagline,
        address=settings.address,
        email=settings.contact_email,
        phone=settings.contact_phone,
        logo_url=logo_url,
    )


def logo_data_url(file) -> str:
    """The logo inline in the statement, read through the storage (disk or S3), so the
    renderer needs neither a local path nor network access."""
    with file.open("rb") as stored:
        content = stored.read()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{b64encode(content).decode()}"
