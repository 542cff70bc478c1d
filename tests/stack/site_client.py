"""A browser-like HTTP client for the running stack: cookies, CSRF tokens, sign-in with a
second factor. Everything goes through nginx, as a visitor's browser would."""

import re
from base64 import b32decode
from html import unescape

import requests
from django_otp.oath import TOTP

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def current_code(base32_key: str) -> str:
    """The six digits an authenticator app with this key shows now."""
    return str(TOTP(b32decode(base32_key)).token()).zfill(6)


class SiteClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), timeout=30, **kwargs)

    def post_form(self, path: str, data: dict, *, page: str | None = None) -> requests.Response:
        """Submit a form the way a browser does: with the CSRF token of the page it is on
        (`page`, by default the form's own URL) and that page as the Referer."""
        page = page or path
        token = form_token(self.get(page).text)
        return self.http.post(
            self.url(path),
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.url(page)},
            timeout=60,
        )

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """The JSON API with the session, sending the CSRF cookie back as a header."""
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "Referer": self.url("/")}
        return self.http.request(method, self.url(path), headers=headers, timeout=60, **kwargs)

    def sign_in(self, email: str, password: str, *, authenticator_key: str = "") -> None:
        """allauth's sign-in form, then the two-factor step when the account has an app."""
        response = self.post_form("/accounts/login/", {"login": email, "password": password})
        response.raise_for_status()
        if "/account/two-factor/" in response.url:
            assert authenticator_key, f"{email} was asked for a second factor"
            response = self.post_form(
                "/account/two-factor/", {"code": current_code(authenticator_key)}
            )
        assert response.ok and not response.url.startswith(
            (self.url("/accounts/login/"), self.url("/account/two-factor/"))
        ), f"{email} is not signed in: {response.url}"


def form_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return unescape(match.group(1))
