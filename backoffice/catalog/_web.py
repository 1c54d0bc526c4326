"""What the catalog and pricing screens share: guards, form parsing, rendering, and 404 for other tenants' ids."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from app.actor import Actor
from app.catalog.domain import translated
from app.errors import NotFound, ValidationFailed
from app.i18n import LOCALES, current_locale
from app.numbers import parse_decimal
from app.web.auth import requires_staff
from app.web.errors import http_error
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.session import request_actor
from app.web.templating import render

STAFF = [requires_staff("owner", "sales")]
PER_PAGE = 50


def not_found(request: Request, _exc: NotFound) -> Response:
    """A service's NotFound (another tenant's id, or none at all) is the friendly 404 page."""
    return http_error(request, NotFoundException())


EXCEPTION_HANDLERS: dict[Any, Any] = {NotFound: not_found}


def tenant_and_actor(request: Request) -> tuple[uuid.UUID, Actor]:
    """The tenant and the acting staff user, as every service call wants them."""
    return current_tenant(request).id, request_actor(request)


def in_current_language(value: Mapping[str, str] | None) -> str:
    """A translatable JSONB text in the current language (else the other one)."""
    return translated(value, current_locale.get())


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status: int = 200,
) -> Template:
    """Render with the helpers every catalog template uses."""
    ctx = {"tr": in_current_language, "errors": {}, **(context or {})}
    return render(request, template, ctx, block=block, status_code=status)


def redirect_with_flash(request: Request, url: str, message: str, level: str = "success") -> Redirect:
    """Post/redirect/get with a flash message."""
    flash(request, message, level)
    return Redirect(url, status_code=303)


def form_text(form: FormMultiDict, name: str, max_len: int = 20000) -> str:
    value = form.get(name, "")
    return value.strip()[:max_len] if isinstance(value, str) else ""


def texts(form: FormMultiDict, name: str) -> list[str]:
    return [v.strip() for v in form.getall(name, []) if isinstance(v, str)]


def flag(form: FormMultiDict, name: str) -> bool:
    return form_text(form, name) in {"1", "on", "true", "yes"}


def translations(form: FormMultiDict, prefix: str) -> dict[str, str]:
    """{"es": form[prefix_es], "en": form[prefix_en]} (both languages side by side in the forms)."""
    return {locale: form_text(form, f"{prefix}_{locale}") for locale in LOCALES}


def an_id(raw: str | None) -> uuid.UUID | None:
    """An id from a form or query value; blank or malformed gives None."""
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        return None


def ids(form: FormMultiDict, name: str) -> list[uuid.UUID]:
    return [i for i in (an_id(v) for v in texts(form, name)) if i is not None]


def decimal(raw: str, field: str, errors: dict[str, str], default: Decimal | None = None) -> Decimal | None:
    """A number typed in a form ("12,5" too); blank gives `default`; a problem is collected in `errors`."""
    if not (raw or "").strip():
        return default
    try:
        return parse_decimal(raw, field)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return default


def whole(raw: str, default: int = 0) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.lstrip("-").isdigit() and len(raw) < 9 else default


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def query_string(params: Mapping[str, Any]) -> str:
    """`?a=1&b=2` without the blank ones ('' when none is left)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def same_site_path(raw: str, fallback: str) -> str:
    """A path on this site to go back to (never another host)."""
    return raw if raw.startswith("/admin/") and not raw.startswith("//") else fallback


def plain(value: Decimal | None) -> str:
    """A Decimal as a form shows it: 12.5, 10 (never 1E+1); '' for None."""
    return "" if value is None else format(value.normalize(), "f")
