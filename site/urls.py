from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from booking.admin_views.history import ScopedLogEntriesView
from labitory.api.errors import api_not_found
from labitory.health import healthz
from labitory.i18n import unprefixed_page
from labitory.metrics import metrics
from labpages.views import search
from people.views.language import set_language
from people.views.sign_in import admin_sign_in

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path(
        "django-admin/login/",
        admin_sign_in,
        {"home": "/django-admin/"},
        name="django_admin_login_redirect",
    ),
    path("django-admin/", admin.site.urls),
    # The admin signs in through allauth like everyone else (two-factor included).
    path("admin/login/", admin_sign_in, name="admin_login_redirect"),
    # Site history, narrowed to what a coordinator's labs may see (people/admin_views.py).
    path(
        "admin/reports/site-history/",
        require_admin_access(ScopedLogEntriesView.as_view()),
        name="scoped_site_history",
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(ScopedLogEntriesView.as_view(results_only=True)),
        name="scoped_site_history_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search, name="search"),
    path("account/notifications/", include("workflows.urls_notifications")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("people.urls")),
    # The language switcher (POST): Django's set_language, remembering a signed-in person's.
    path("i18n/setlang/", set_language, name="set_language"),
    path("bookings/feeds/", include("booking.urls_feeds")),
    path("bookings/", include("booking.urls")),
    path("kiosk/", include("booking.urls_kiosk")),
    path("approvals/", include("workflows.urls")),
    path("reports/", include("reporting.urls")),
    path("problems/", include("operations.urls")),
    path("training/", include("training.urls")),
    path("api/v1/", include("labitory.api.urls")),
    # Any other /api/ path is a JSON 404, not a page lookup in the Wagtail tree.
    re_path(r"^api/", api_not_found),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last: English pages at their
# own URLs, their translations under a language prefix (/de/…). An English page's URL asked
# for in another language leads to its translation (labitory/i18n.py).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
urlpatterns.append(
    re_path(r"^((?:[\w\-]+/)*)$", unprefixed_page, name="unprefixed_page"),
)
