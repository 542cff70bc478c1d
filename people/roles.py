"""The five roles as groups, and the model permissions each holds.

This table is the one place that says what a role may do in the admin. Object scope
(a coordinator edits only their own lab) is granted per lab: pages and media by
`labpages.services.grant_lab_editing`, booking data by `booking.permissions`, not here.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS


class Role:
    RESEARCHER = "Researcher"
    COORDINATOR = "Lab coordinator"
    APPROVER = "Approver"
    FINANCE = "Finance"
    SITE_ADMIN = "Site admin"

    ALL = (RESEARCHER, COORDINATOR, APPROVER, FINANCE, SITE_ADMIN)
    STAFF = (COORDINATOR, APPROVER, FINANCE, SITE_ADMIN)


ADMIN_ACCESS = "wagtailadmin.access_admin"


def group_names(user) -> frozenset[str]:
    """The user's group names, read once per user object (one request): the two-factor
    check and the booking scope both ask."""
    read_groups(user)
    return user._labitory_group_names


def opens_admin(user) -> bool:
    """Whether one of the user's groups, or a permission given to the user alone, opens the
    Wagtail admin (a site admin may make groups beyond the five roles)."""
    read_groups(user)
    return user._labitory_opens_admin


def read_groups(user) -> None:
    """Read the user's group names and whether anything grants them the admin, in one query
    (every signed-in request asks, through the two-factor middleware)."""
    if hasattr(user, "_labitory_group_names"):
        return
    from django.contrib.auth.models import Permission
    from django.db.models import BooleanField, CharField, Exists, F, OuterRef, Value

    app_label, codename = ADMIN_ACCESS.split(".")
    access = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    groups = user.groups.annotate(
        label=F("name"), grants=Exists(access.filter(group=OuterRef("pk")))
    ).values_list("label", "grants")
    # A permission held directly reads as a row with no group name.
    own = (
        access.filter(user=user)
        .annotate(label=Value(None, CharField()), grants=Value(True, BooleanField()))
        .values_list("label", "grants")
    )
    # No ordering in either part: SQLite refuses ORDER BY inside a compound statement, and
    # Group and Permission both order by default.
    rows = list(groups.order_by().union(own.order_by(), all=True))
    user._labitory_group_names = frozenset(label for label, _ in rows if label is not None)
    user._labitory_opens_admin = any(grants for _, grants in rows)


# Approvers hand their own approvals over while away (workflows.permissions scopes it).
DELEGATING = [
    "workflows.add_delegation",
    "workflows.change_delegation",
    "workflows.delete_delegation",
    "workflows.view_delegation",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RESEARCHER: [],
    Role.COORDINATOR: [
        ADMIN_ACCESS,
        "booking.view_lab",
        "booking.view_resourcecategory",
        "booking.add_resource",
        "booking.change_resource",
        "booking.view_resource",
        "booking.add_openinghours",
        "booking.change_openinghours",
        "booking.view_openinghours",
        "booking.add_quota",
        "booking.change_quota",
        "booking.view_quota",
        "booking.add_closure",
        "booking.change_closure",
        "booking.delete_closure",
        "booking.view_closure",
        "booking.add_maintenancewindow",
        "booking.change_maintenancewindow",
        "booking.delete_maintenancewindow",
        "booking.view_maintenancewindow",
        "booking.add_qualification",
        "booking.change_qualification",
        "booking.delete_qualification",
        "booking.view_qualification",
        # Bookings are read, and cancelled through the booking service; never edited.
        "booking.change_booking",
        "booking.view_booking",
        "workflows.add_approvalrule",
        "workflows.change_approvalrule",
        "workflows.delete_approvalrule",
        "workflows.view_approvalrule",
        # Problem reports are triaged (changed), never added or deleted in the admin.
        "operations.change_problemreport",
        "operations.view_problemreport",
        # How long each instrument's training lasts and how it is renewed.
        "training.add_trainingpolicy",
        "training.change_trainingpolicy",
        "training.view_trainingpolicy",
        *DELEGATING,
    ],
    Role.APPROVER: [ADMIN_ACCESS, *DELEGATING],
    Role.FINANCE: [
        ADMIN_ACCESS,
        "people.add_project",
        "people.change_project",
        "people.view_project",
        "people.add_department",
        "people.change_department",
        "people.view_department",
        # Money: rate cards are added and edited, never deleted; periods close through
        # the service; usage is read-only; statements are re-run, never edited.
        "reporting.add_ratecard",
        "reporting.change_ratecard",
        "reporting.view_ratecard",
        "reporting.view_usagerecord",
        "reporting.change_billingperiod",
        "reporting.view_billingperiod",
        "reporting.add_adjustment",
        "reporting.view_adjustment",
        "reporting.change_statement",
        "reporting.view_statement",
    ],
    Role.SITE_ADMIN: [
        ADMIN_ACCESS,
        "auth.add_group",
        "auth.change_group",
        "auth.view_group",
        "people.add_user",
        "people.change_user",
        "people.delete_user",
        "people.view_user",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.view_site",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "labpages.change_facilitysettings",
        # Languages of the pages (Settings → Locales) and translating any page.
        "wagtailcore.add_locale",
        "wagtailcore.change_locale",
        "wagtailcore.delete_locale",
        "wagtail_localize.submit_translation",
        # The admin's Scheduled jobs (site/admin_jobs.py): jobs are changed, never added.
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.add_intervalschedule",
        "django_celery_beat.change_intervalschedule",
        "django_celery_beat.view_intervalschedule",
        "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "django_celery_beat.view_crontabschedule",
    ],
}

# Site admins hold every permission of these apps.
SITE_ADMIN_APPS = (
    "people",
    "booking",
    "workflows",
    "reporting",
    "operations",
    "training",
    "labpages",
)


def is_last_app(sender) -> bool:
    """post_migrate fires once per app; act once, when every app's permissions exist."""
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    return sender is None or sender is with_models[-1]


# Permissions a library creates in a data migration rather than on a model, which a database
# flush (tests) removes and nothing else brings back: (app label, model, codename, name).
LIBRARY_PERMISSIONS = [
    ("wagtail_localize", "translation", "submit_translation", "Can submit translations"),
]


def ensure_library_permissions(apps, using: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, codename, name in LIBRARY_PERMISSIONS:
        content_type, _created = ContentType.objects.using(using).get_or_create(
            app_label=app_label, model=model
        )
        Permission.objects.using(using).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


def sync_role_groups(
    sender=None, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
) -> None:
    """Create the role groups if missing and give each exactly its listed permissions.

    Runs after every migrate (and after a test database flush), so it is idempotent.
    """
    if not is_last_app(sender):
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_library_permissions(apps, using)
    for role in Role.ALL:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = set(ROLE_PERMISSIONS[role])
        permissions = [
            p
            for p in Permission.objects.using(using).select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in wanted
            or (role == Role.SITE_ADMIN and p.content_type.app_label in SITE_ADMIN_APPS)
        ]
        group.permissions.set(permissions)
