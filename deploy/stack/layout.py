"""Where the local stack lives and how it is configured: ports, folders, URLs and the
environment every process of it gets (production settings on loopback HTTP)."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "stack"


@dataclass(frozen=True)
class Layout:
    http_port: int
    app_port: int
    smtp_port: int
    database_url: str
    redis_url: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def maildir(self) -> Path:
        return VAR / "mail"

    @property
    def logs(self) -> Path:
        return VAR / "logs"

    @property
    def media_root(self) -> Path:
        return VAR / "media"

    @property
    def static_root(self) -> Path:
        return VAR / "static"


def layout_from_env() -> Layout:
    """Ports and services from STACK_* variables; defaults keep to loopback."""
    return Layout(
        http_port=int(os.environ.get("STACK_HTTP_PORT", 8200)),
        app_port=int(os.environ.get("STACK_APP_PORT", 8201)),
        smtp_port=int(os.environ.get("STACK_SMTP_PORT", 8225)),
        database_url=os.environ.get(
            "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/labitory_stack"
        ),
        redis_url=os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/2"),
    )


def secret_key() -> str:
    """A key generated on first start and kept, so sessions survive a restart."""
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def environment(layout: Layout) -> dict[str, str]:
    """The production settings, told that this is plain HTTP on loopback."""
    origins = [f"http://{host}:{layout.http_port}" for host in ("127.0.0.1", "localhost")]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "labitory.settings.production",
        "SECRET_KEY": secret_key(),
        "DATABASE_URL": layout.database_url,
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": layout.redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "WAGTAILADMIN_BASE_URL": origins[0],
        # Loopback HTTP: no redirect to HTTPS, cookies sent without TLS, no HSTS.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        # A throwaway site seeded with the demo facility (production refuses it by default).
        "DEMO_DATA_ALLOWED": "true",
        "MEDIA_ROOT": str(layout.media_root),
        "STATIC_ROOT": str(layout.static_root),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(layout.smtp_port),
        "EMAIL_USE_TLS": "false",
        "DEFAULT_FROM_EMAIL": "Labitory <bookings@labitory.localhost>",
        "GUNICORN_BIND": f"127.0.0.1:{layout.app_port}",
        "SENTRY_DSN": "",
    }
