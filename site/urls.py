from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from booking.api.errors import api_not_found
from labitory.health import healthz
from labpages.views import search
from people.forms import SignInForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search, name="search"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("bookings/feeds/", include("booking.urls_feeds")),
    path("bookings/", include("booking.urls")),
    path("reports/", include("reporting.urls")),
    path("api/v1/", include("booking.api.urls")),
    # Any other /api/ path is a JSON 404, not a page lookup in the Wagtail tree.
    re_path(r"^api/", api_not_found),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns.append(path("", include(wagtail_urls)))
