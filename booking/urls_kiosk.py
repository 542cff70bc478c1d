"""The kiosk beside an instrument, included at /kiosk/ under the namespace `kiosk`."""

from django.urls import path

from .views import kiosk

app_name = "kiosk"

urlpatterns = [
    path("<str:token>/", kiosk.display, name="display"),
    path("<str:token>/sign-in/", kiosk.sign_in, name="sign_in"),
    path("<str:token>/check-in/", kiosk.check_in, name="check_in"),
    path("<str:token>/leave/", kiosk.leave, name="leave"),
]
