from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LabitoryConfig(AppConfig):
    """The project itself as an app: the scheduled-jobs screens and their defaults, and the
    formula guard on every spreadsheet export (site/spreadsheets.py), and the wiring between
    apps that must not import each other."""

    name = "labitory"
    verbose_name = "Labitory"

    def ready(self) -> None:
        from reporting.branding import set_branding_provider

        from .beat import add_missing_jobs_after_migrate
        from .spreadsheets import protect_wagtail_exports
        from .statement_branding import facility_branding

        protect_wagtail_exports()

        post_migrate.connect(add_missing_jobs_after_migrate, dispatch_uid="labitory_beat_jobs")
        # Statements carry the facility's name, contacts and logo from the pages' settings.
        set_branding_provider(facility_branding)
