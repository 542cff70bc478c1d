"""Content Security Policy: a strict, nonce-based policy for the public site and a looser one
for the Wagtail admin and the API docs, whose scripts are inline.

The public pages load scripts and styles from the site itself only; an inline `<script>` or
`<style>` there must carry `nonce="{{ request.csp_nonce }}"`. Embedded videos are allowed
from the providers the page blocks offer. Single sign-on forms post to our own URL, which
redirects to the identity provider: browsers apply `form-action` to that redirect, so the
providers' origins are listed there.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings

LOOSE_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/docs/")
EMBED_ORIGINS = (
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
)


def sso_origins() -> list[str]:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    origins = []
    for app in apps:
        parts = urlsplit(app.get("settings", {}).get("server_url", ""))
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def strict_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-src " + " ".join(EMBED_ORIGINS),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action " + " ".join(["'self'", *sso_origins()]),
            "frame-ancestors 'self'",
        ]
    )


def admin_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self' " + " ".join(EMBED_ORIGINS),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if request.path_info.startswith(LOOSE_PREFIXES):
            response["Content-Security-Policy"] = admin_policy()
        else:
            response["Content-Security-Policy"] = strict_policy(request.csp_nonce)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
