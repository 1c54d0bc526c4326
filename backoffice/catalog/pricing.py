"""Price lists: the list (highest precedence first), create and edit, and each list's page with its rules."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing.models import LEVELS, PriceList
from app.pricing.services import (
    PriceListInput,
    create_price_list,
    get_price_list,
    list_price_lists,
    list_rules,
    update_price_list,
)
from app.web.guards import current_tenant
from backoffice.catalog._pricing_forms import (
    level_names,
    method_names,
    rounding_names,
    scope_choices,
    scope_labels,
)
from backoffice.catalog._web import STAFF, an_id, flag, form_text, page, redirect_with_flash, tenant_and_actor

LIST = "backoffice/pricing/price_lists/list.html.j2"
FORM = "backoffice/pricing/price_lists/new.html.j2"
DETAIL = "backoffice/pricing/price_lists/detail.html.j2"
BLANK_RULE = {"scope": "all", "category_id": "", "product": "", "variant": "", "min_qty": "1", "method": "fixed"}


def _typed(form: FormMultiDict) -> dict[str, Any]:
    return {
        "code": form_text(form, "code", 60),
        "name": form_text(form, "name", 300),
        "currency": form_text(form, "currency", 10),
        "level": form_text(form, "level"),
        "customer_group_id": form_text(form, "customer_group_id"),
        "customer": form_text(form, "customer", 40),
        "valid_from": form_text(form, "valid_from", 20),
        "valid_to": form_text(form, "valid_to", 20),
        "is_active": flag(form, "is_active"),
        "rounding": form_text(form, "rounding") or "cent",
    }


def _typed_of(price_list: PriceList, customer_code: str) -> dict[str, Any]:
    return {
        "code": price_list.code,
        "name": price_list.name,
        "currency": price_list.currency,
        "level": price_list.level,
        "customer_group_id": str(price_list.customer_group_id or ""),
        "customer": customer_code,
        "valid_from": price_list.valid_from.isoformat() if price_list.valid_from else "",
        "valid_to": price_list.valid_to.isoformat() if price_list.valid_to else "",
        "is_active": price_list.is_active,
        "rounding": price_list.rounding,
    }


async def _input(db: AsyncSession, typed: dict[str, Any]) -> PriceListInput:
    """The list as the service wants it; a customer code that names nobody is refused on its field."""
    customer = await parties.queries.customer_by_code(db, typed["customer"])
    if typed["customer"] and customer is None and typed["level"] in ("customer", "contract"):
        raise ValidationFailed({"customer_id": _("No customer has the code “%(code)s”.", code=typed["customer"])})
    return PriceListInput(
        code=typed["code"],
        name=typed["name"],
        currency=typed["currency"],
        level=typed["level"],
        customer_group_id=an_id(typed["customer_group_id"]),
        customer_id=customer.id if customer else None,
        valid_from=typed["valid_from"] or None,
        valid_to=typed["valid_to"] or None,
        is_active=typed["is_active"],
        rounding=typed["rounding"],
    )


async def _choices(db: AsyncSession) -> dict[str, Any]:
    return {
        "level_names": level_names(),
        "rounding_names": rounding_names(),
        "groups": [g for g, _n in await parties.queries.customer_groups(db)],
        "customers": await parties.queries.customer_choices(db),
    }


@get("/pricing/price-lists", name="backoffice:price_lists", guards=STAFF)
async def price_lists(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    level = request.query_params.get("level", "")
    level = level if level in LEVELS else ""
    rows = await list_price_lists(db, level=level or None)
    targets = {pl.id: await parties.queries.customer_code(db, pl.customer_id) for pl, _n in rows if pl.customer_id}
    groups = {g.id: g for g, _n in await parties.queries.customer_groups(db)}
    context = {"rows": rows, "level": level, "level_names": level_names(), "targets": targets, "groups": groups}
    return page(request, LIST, context, block="results")


@get("/pricing/price-lists/new", name="backoffice:price_list_new", guards=STAFF)
async def new_price_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = {"currency": current_tenant(request).currency, "level": "group", "is_active": True, "rounding": "cent"}
    return page(request, FORM, {**await _choices(db), "typed": typed})


@post("/pricing/price-lists", name="backoffice:price_list_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        price_list = await create_price_list(db, tenant_id, await _input(db, typed), actor)
    except ValidationFailed as exc:
        return page(request, FORM, {**await _choices(db), "typed": typed, "errors": exc.errors}, status=400)
    return redirect_with_flash(
        request, f"/admin/pricing/price-lists/{price_list.id}", _("Price list created: now add its prices.")
    )


async def price_list_view(request: Request, db: AsyncSession, price_list_id: uuid.UUID, **state: Any) -> Response:
    """A price list's page: its settings, its rules (tiers) and the form to add one, and its audit trail."""
    price_list = await get_price_list(db, price_list_id)
    rules = await list_rules(db, price_list.id)
    customer_code = await parties.queries.customer_code(db, price_list.customer_id)
    context = {
        **await _choices(db),
        **await scope_choices(db),
        "price_list": price_list,
        "typed": state.get("typed") or _typed_of(price_list, customer_code),
        "errors": state.get("errors") or {},
        "rules": rules,
        "labels": await scope_labels(db, rules),
        "method_names": method_names(),
        "rule": state.get("rule") or BLANK_RULE,
        "rule_errors": state.get("rule_errors") or {},
        "history": await audit.history(db, "price_list", price_list.id),
    }
    return page(request, DETAIL, context, status=state.get("status", 200))


@get("/pricing/price-lists/{price_list_id:uuid}", name="backoffice:price_list", guards=STAFF)
async def price_list_page(
    request: Request, db: NamedDependency[AsyncSession], price_list_id: FromPath[uuid.UUID]
) -> Response:
    return await price_list_view(request, db, price_list_id)


@post("/pricing/price-lists/{price_list_id:uuid}", name="backoffice:price_list_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], price_list_id: FromPath[uuid.UUID]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await update_price_list(db, tenant_id, price_list_id, await _input(db, typed), actor)
    except ValidationFailed as exc:
        return await price_list_view(request, db, price_list_id, typed=typed, errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/pricing/price-lists/{price_list_id}", _("Price list saved."))


HANDLERS = [price_lists, new_price_list, create, price_list_page, update]
