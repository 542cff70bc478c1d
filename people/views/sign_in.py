"""The admins' own sign-in addresses lead to the one sign-in page (allauth's, with
two-factor), and back to the admin afterwards."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def admin_sign_in(request: HttpRequest, home: str = "/admin/") -> HttpResponseRedirect:
    target = request.GET.get("next") or home
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
