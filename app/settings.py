"""Settings read once from the environment; one frozen object passed around explicitly."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "bodega_app"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def asyncpg_url(url: str) -> str:
    """Normalise any PostgreSQL URL to the SQLAlchemy asyncpg dialect."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def app_role_url(owner_url: str, password: str = "") -> str:
    """The owner's URL with the unprivileged application role in place of the owner."""
    parsed = make_url(asyncpg_url(owner_url))
    return parsed.set(username=APP_ROLE, password=password or None).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Settings:
    """Everything configurable; built by `from_env`, replaced wholesale in tests."""

    database_url: str = ""
    app_database_url: str = ""
    base_domain: str = "localhost"
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    env: str = "development"
    cookie_secure: bool = True
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "Bodega <no-reply@bodega.local>"
    port: int = 8000
    # How the outside world reaches the app: every absolute link (e-mails, redirects to another host) is
    # built from these and the tenant's primary domain, never from the request. 0: the same as `port`.
    public_scheme: str = "http"
    public_port: int = 0
    # Addresses of reverse proxies whose X-Forwarded-For names the client (CIDRs); nobody else's is believed.
    trusted_proxies: tuple[str, ...] = ()
    # Bearer token for /metrics on the platform host; empty: /metrics answers 404 everywhere.
    metrics_token: str = ""
    data_dir: Path = ROOT / ".data"
    # Connections each process keeps open. Above it, up to as many more open and close per use: enough for
    # ~20 requests in flight per process without paying a new server connection per request under load.
    pool_size: int = 20
    tenant_cache_seconds: float = 5.0
    login_max_per_account: int = 5
    login_max_per_address: int = 20
    login_window_minutes: int = 15
    # Card payments through Stripe. No secret key: card payment is shown as unavailable (on account still works).
    # stripe_api_base None is Stripe itself; `bodega run` and the tests point it at localstripe.
    stripe_secret_key: str = ""
    stripe_publishable_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        db = _env("DATABASE_URL")
        app_db = _env("APP_DATABASE_URL")
        if db and not app_db:
            app_db = app_role_url(db, _env("APP_DB_PASSWORD"))
        return cls(
            database_url=asyncpg_url(db) if db else "",
            app_database_url=asyncpg_url(app_db) if app_db else "",
            base_domain=_env("BASE_DOMAIN", "localhost"),
            secret_key=_env("SECRET_KEY") or _dev_secret(),
            env=_env("BODEGA_ENV", "development"),
            cookie_secure=_bool("COOKIE_SECURE", True),
            smtp_host=_env("SMTP_HOST"),
            smtp_port=int(_env("SMTP_PORT", "25")),
            smtp_user=_env("SMTP_USER"),
            smtp_password=_env("SMTP_PASSWORD"),
            smtp_from=_env("SMTP_FROM", "Bodega <no-reply@bodega.local>"),
            port=int(_env("PORT", "8000")),
            **_public_address(_env("PUBLIC_URL"), _env("PUBLIC_SCHEME", "http")),
            trusted_proxies=_proxies(_env("TRUSTED_PROXIES")),
            metrics_token=_env("METRICS_TOKEN"),
            data_dir=Path(_env("BODEGA_DATA_DIR", str(ROOT / ".data"))),
            pool_size=int(_env("DB_POOL_SIZE", "20")),
            stripe_secret_key=_env("STRIPE_SECRET_KEY"),
            stripe_publishable_key=_env("STRIPE_PUBLISHABLE_KEY"),
            stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
            stripe_api_base=_env("STRIPE_API_BASE") or None,
        )

    def with_database(self, owner_url: str) -> Settings:
        """A copy pointed at another database (tests, embedded server)."""
        return replace(self, database_url=asyncpg_url(owner_url), app_database_url=app_role_url(owner_url))

    @property
    def stripe_configured(self) -> bool:
        """Whether card payments can be taken: a secret key and the webhook's signing secret are set."""
        return bool(self.stripe_secret_key and self.stripe_webhook_secret)

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    def public_url(self, host: str, path: str = "/") -> str:
        """An absolute link to `host` (the platform's or a tenant's canonical host name) as the world sees it."""
        port = self.public_port or self.port
        default = {"http": 80, "https": 443}.get(self.public_scheme)
        suffix = "" if port == default else f":{port}"
        return f"{self.public_scheme}://{host}{suffix}{path}"


def _public_address(public_url: str, scheme: str) -> dict[str, object]:
    """PUBLIC_URL (e.g. https://bodega.example or http://localhost:8000) -> its scheme and port."""
    if not public_url:
        return {"public_scheme": scheme}
    parsed = urlsplit(public_url)
    if parsed.scheme not in {"http", "https"}:
        raise ValueError(f"PUBLIC_URL must start with http:// or https://, not {public_url!r}")
    return {"public_scheme": parsed.scheme, "public_port": parsed.port or (443 if parsed.scheme == "https" else 80)}


def _proxies(raw: str) -> tuple[str, ...]:
    """TRUSTED_PROXIES: comma-separated addresses or networks, each checked at start-up."""
    networks = tuple(part.strip() for part in raw.split(",") if part.strip())
    for network in networks:
        ipaddress.ip_network(network, strict=False)
    return networks


def _dev_secret() -> str:
    """A stable secret per checkout in development, so restarts keep sessions and CSRF cookies."""
    path = ROOT / ".data" / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value
