from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LabpagesConfig(AppConfig):
    name = "labpages"
    verbose_name = "Facility pages"

    def ready(self) -> None:
        from labitory.clock import set_zone_provider

        from . import facility_zone
        from .models import keep_records_out_of_translations
        from .services import grant_site_admin_tree

        post_migrate.connect(grant_site_admin_tree, dispatch_uid="labpages.grant_site_admin_tree")
        # The booking layer reads local time in the zone editors set in the site settings.
        set_zone_provider(facility_zone.facility_zone_name)
        facility_zone.connect()
        keep_records_out_of_translations()
