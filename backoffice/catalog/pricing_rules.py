"""The rules of a price list (its prices and tiers): add, edit, delete; the engine's checks show next to the fields."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing import queries as pricing_queries
from app.pricing.models import PriceRuleRecord
from app.pricing.services import RuleInput, add_rule, delete_rule, get_price_list, update_rule
from backoffice.catalog._pricing_forms import (
    Scope,
    method_names,
    read_scope,
    rounding_names,
    scope_choices,
    scope_typed,
)
from backoffice.catalog._web import STAFF, form_text, page, plain, redirect_with_flash, tenant_and_actor
from backoffice.catalog.pricing import price_list_view

EDIT = "backoffice/pricing/price_lists/rule.html.j2"
FIELDS = ("min_qty", "method", "value", "rounding", "valid_from", "valid_to", "label")


async def _read(db: AsyncSession, form: FormMultiDict) -> tuple[dict[str, Any], Scope, dict[str, str]]:
    errors: dict[str, str] = {}
    scope = await read_scope(db, form, errors)
    typed = {**scope.typed, **{f: form_text(form, f, 200) for f in FIELDS}}
    return typed, scope, errors


def _input(typed: dict[str, Any], scope: Scope) -> RuleInput:
    return RuleInput(
        value=typed["value"],
        method=typed["method"] or "fixed",
        variant_id=scope.variant_id,
        product_id=scope.product_id,
        category_id=scope.category_id,
        min_qty=typed["min_qty"] or "1",
        rounding=typed["rounding"] or None,
        valid_from=typed["valid_from"] or None,
        valid_to=typed["valid_to"] or None,
        label=typed["label"],
    )


@post("/pricing/price-lists/{price_list_id:uuid}/rules", name="backoffice:price_rule_add", guards=STAFF)
async def add(request: Request, db: NamedDependency[AsyncSession], price_list_id: FromPath[uuid.UUID]) -> Response:
    price_list = await get_price_list(db, price_list_id)
    typed, scope, errors = await _read(db, await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await add_rule(db, tenant_id, price_list.id, _input(typed, scope), actor)
    except ValidationFailed as exc:
        return await price_list_view(request, db, price_list.id, rule=typed, rule_errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/pricing/price-lists/{price_list.id}#rules", _("Price added."))


async def _edit(request: Request, db: AsyncSession, rule: PriceRuleRecord, typed=None, errors=None, status=200):
    price_list = await get_price_list(db, rule.price_list_id)
    if typed is None:
        typed = await scope_typed(db, rule)
        typed |= {f: getattr(rule, f) or "" for f in ("method", "rounding", "label")}
        typed |= {"min_qty": plain(rule.min_qty), "value": plain(rule.value)}
        typed |= {f: getattr(rule, f).isoformat() if getattr(rule, f) else "" for f in ("valid_from", "valid_to")}
    context = {
        **await scope_choices(db),
        "price_list": price_list,
        "rule_row": rule,
        "rule": typed,
        "rule_errors": errors or {},
        "method_names": method_names(),
        "rounding_names": rounding_names(),
        "history": await audit.history(db, "price_rule", rule.id),
    }
    return page(request, EDIT, context, status=status)


@get("/pricing/rules/{rule_id:uuid}", name="backoffice:price_rule", guards=STAFF)
async def rule_page(request: Request, db: NamedDependency[AsyncSession], rule_id: FromPath[uuid.UUID]) -> Response:
    return await _edit(request, db, await pricing_queries.price_rule(db, rule_id))


@post("/pricing/rules/{rule_id:uuid}", name="backoffice:price_rule_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], rule_id: FromPath[uuid.UUID]) -> Response:
    rule = await pricing_queries.price_rule(db, rule_id)
    typed, scope, errors = await _read(db, await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await update_rule(db, tenant_id, rule.id, _input(typed, scope), actor)
    except ValidationFailed as exc:
        return await _edit(request, db, rule, typed, exc.errors, 400)
    return redirect_with_flash(request, f"/admin/pricing/price-lists/{rule.price_list_id}#rules", _("Price saved."))


@post("/pricing/rules/{rule_id:uuid}/delete", name="backoffice:price_rule_delete", guards=STAFF)
async def delete(request: Request, db: NamedDependency[AsyncSession], rule_id: FromPath[uuid.UUID]) -> Response:
    rule = await pricing_queries.price_rule(db, rule_id)
    tenant_id, actor = tenant_and_actor(request)
    await delete_rule(db, tenant_id, rule.id, actor)
    return redirect_with_flash(request, f"/admin/pricing/price-lists/{rule.price_list_id}#rules", _("Price deleted."))


HANDLERS = [add, rule_page, update, delete]
