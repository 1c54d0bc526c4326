"""One Jinja environment for every face, with gettext and locale formatting installed."""

from __future__ import annotations

from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template

from app import i18n
from app.settings import ROOT
from app.web.flash import pending_flashes

TEMPLATE_DIRS = [
    ROOT / "storefront" / "templates",
    ROOT / "backoffice" / "templates",
    ROOT / "tenants" / "templates",
    ROOT / "app" / "templates",
]


@pass_context
def get_flashes(ctx: Any) -> list[dict]:
    request = ctx.get("request")
    return pending_flashes(request) if request is not None else []


@pass_context
def state_value(ctx: Any, key: str) -> Any:
    request = ctx.get("request")
    return request.scope["state"].get(key) if request is not None else None


def make_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in TEMPLATE_DIRS]),
        autoescape=select_autoescape(["html", "j2", "xml"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        money=i18n.format_money,
        number=i18n.format_number,
        date=i18n.format_date,
        locales=i18n.LOCALES,
        locale_names=i18n.LOCALE_NAMES,
        current_locale=i18n.current_locale.get,
        get_flashes=get_flashes,
        state=state_value,
    )
    return env


def make_template_engine() -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(make_environment())


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> Template:
    """The whole page, or only `block` when htmx asks for a fragment of it."""
    ctx = dict(context or {})
    if block and request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return HTMXBlockTemplate(template_name=template, block_name=block, context=ctx, status_code=status_code)
    return Template(template_name=template, context=ctx, status_code=status_code)
