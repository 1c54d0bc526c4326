"""Reorder rules per variant and warehouse, and the purchase suggestions they make now."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.inventory.values import ReorderRuleInput
from backoffice.catalog._web import form_text, page, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import WAREHOUSE, an_id, quantity, scanned

BASE = "/admin/inventory/replenishment"


async def _page(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    warehouse_id = an_id(request.query_params.get("warehouse"))
    context = {
        "rules": await queries.reorder_rules(db, warehouse_id),
        "suggestions": await queries.purchase_suggestions(db, warehouse_id=warehouse_id),
        "warehouses": await queries.warehouses(db, active_only=True),
        "warehouse_id": warehouse_id,
        "typed": typed or {"kind": "min_max"},
        "errors": errors or {},
    }
    return page(request, "backoffice/inventory/replenishment.html.j2", context, status=status)


@get("/inventory/replenishment", name="backoffice:inventory_replenishment", guards=WAREHOUSE)
async def replenishment(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _page(request, db)


@post("/inventory/replenishment", name="backoffice:inventory_rule_save", guards=WAREHOUSE)
async def save_rule(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 256) for name in ("code", "warehouse_id", "kind", "min_qty", "max_qty")}
    errors: dict[str, str] = {}
    found = await scanned(db, form, "code", errors)
    low = quantity(form, "min_qty", errors, zero=True)
    high = quantity(form, "max_qty", errors)
    warehouse_id = an_id(typed["warehouse_id"])
    if warehouse_id is None:
        errors["warehouse_id"] = _("Choose a warehouse.")
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors or found is None or low is None or high is None:
            raise ValidationFailed(errors)
        rule = ReorderRuleInput(found.variant_id, warehouse_id, typed["kind"], low, high)
        await services.set_reorder_rule(db, tenant_id, rule, actor)
    except ValidationFailed as exc:
        return await _page(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, BASE, _("Reorder rule for %(sku)s saved.", sku=found.sku))


@post("/inventory/replenishment/{rule_id:uuid}/delete", name="backoffice:inventory_rule_delete", guards=WAREHOUSE)
async def delete_rule(request: Request, db: NamedDependency[AsyncSession], rule_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    await services.delete_reorder_rule(db, tenant_id, rule_id, actor)
    return redirect_with_flash(request, BASE, _("Reorder rule deleted."))


HANDLERS = [replenishment, save_rule, delete_rule]
