from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LabpagesConfig(AppConfig):
    name = "labpages"
    verbose_name = "Facility pages"

    def ready(self) -> None:
        from .services import grant_site_admin_tree

        post_migrate.connect(grant_site_admin_tree, dispatch_uid="labpages.grant_site_admin_tree")
