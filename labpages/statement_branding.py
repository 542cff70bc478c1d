"""The facility's identity (site settings) as statements print it."""

from wagtail.models import Site

from reporting.branding import Branding

from .models import FacilitySettings


def facility_branding() -> Branding:
    site = Site.objects.filter(is_default_site=True).first()
    settings = FacilitySettings.objects.filter(site=site).select_related("logo").first()
    if settings is None:
        return Branding()
    logo_url = ""
    if settings.logo and settings.logo.file:
        try:
            logo_url = f"file://{settings.logo.file.path}"
        except NotImplementedError:  # a remote storage: statements go without the logo
            logo_url = ""
    return Branding(
        name=settings.facility_name,
        tagline=settings.tagline,
        address=settings.address,
        email=settings.contact_email,
        phone=settings.contact_phone,
        logo_url=logo_url,
    )
