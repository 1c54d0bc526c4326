"""Promotions and coupons: the list with their use counts, create and edit (scope, dates, limits, groups)."""

from __future__ import annotations

import uuid
from datetime import date
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
from app.pricing.models import PromotionRecord
from app.pricing.services import (
    PromotionInput,
    create_promotion,
    get_promotion,
    list_promotions,
    promotion_groups,
    update_promotion,
)
from app.web.guards import current_tenant
from backoffice.catalog._pricing_forms import Scope, read_scope, scope_choices, scope_labels, scope_typed
from backoffice.catalog._web import STAFF, flag, form_text, ids, page, plain, redirect_with_flash, tenant_and_actor

LIST = "backoffice/pricing/promotions/list.html.j2"
FORM = "backoffice/pricing/promotions/form.html.j2"
FIELDS = ("code", "kind", "value", "currency", "min_qty", "valid_from", "valid_to", "usage_limit")
FIELDS += ("per_customer_limit", "label")
FLAGS = ("requires_coupon", "stackable", "is_active")


async def _read(db: AsyncSession, form: FormMultiDict) -> tuple[dict[str, Any], Scope, dict[str, str]]:
    errors: dict[str, str] = {}
    scope = await read_scope(db, form, errors)
    typed: dict[str, Any] = {**scope.typed, **{f: form_text(form, f, 200) for f in FIELDS}}
    typed |= {f: flag(form, f) for f in FLAGS}
    typed["group_ids"] = ids(form, "group_ids")
    return typed, scope, errors


def _input(typed: dict[str, Any], scope: Scope) -> PromotionInput:
    return PromotionInput(
        code=typed["code"],
        kind=typed["kind"],
        value=typed["value"],
        requires_coupon=typed["requires_coupon"],
        currency=typed["currency"] or None,
        variant_id=scope.variant_id,
        product_id=scope.product_id,
        category_id=scope.category_id,
        min_qty=typed["min_qty"] or "1",
        valid_from=typed["valid_from"] or None,
        valid_to=typed["valid_to"] or None,
        usage_limit=typed["usage_limit"] or None,
        per_customer_limit=typed["per_customer_limit"] or None,
        group_ids=tuple(typed["group_ids"]),
        stackable=typed["stackable"],
        is_active=typed["is_active"],
        label=typed["label"],
    )


async def _typed_of(db: AsyncSession, promo: PromotionRecord) -> dict[str, Any]:
    typed: dict[str, Any] = await scope_typed(db, promo)
    typed |= {f: getattr(promo, f) or "" for f in ("code", "kind", "currency", "label")}
    typed |= {f: plain(getattr(promo, f)) for f in ("value", "min_qty")}
    typed |= {
        f: "" if getattr(promo, f) is None else str(getattr(promo, f)) for f in ("usage_limit", "per_customer_limit")
    }
    typed |= {f: getattr(promo, f).isoformat() if getattr(promo, f) else "" for f in ("valid_from", "valid_to")}
    typed |= {f: getattr(promo, f) for f in FLAGS}
    typed["group_ids"] = await promotion_groups(db, promo.id)
    return typed


async def _form(request: Request, db: AsyncSession, typed: dict, *, promo=None, errors=None, status=200) -> Response:
    context = {
        **await scope_choices(db),
        "promo": promo,
        "typed": typed,
        "errors": errors or {},
        "groups": [g for g, _n in await parties.queries.customer_groups(db)],
        "history": await audit.history(db, "promotion", promo.id) if promo else [],
    }
    return page(request, FORM, context, status=status)


@get("/pricing/promotions", name="backoffice:promotions", guards=STAFF)
async def promotions(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    current = request.query_params.get("current") == "1"
    rows = await list_promotions(db, valid_on=date.today() if current else None, limit=500)
    context = {"rows": rows, "labels": await scope_labels(db, rows), "current": current}
    return page(request, LIST, context, block="results")


@get("/pricing/promotions/new", name="backoffice:promotion_new", guards=STAFF)
async def new_promotion(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = {"scope": "all", "kind": "percent", "min_qty": "1", "is_active": True, "group_ids": []}
    typed["currency"] = current_tenant(request).currency
    return await _form(request, db, typed)


@post("/pricing/promotions", name="backoffice:promotion_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed, scope, errors = await _read(db, await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        promo = await create_promotion(db, tenant_id, _input(typed, scope), actor)
    except ValidationFailed as exc:
        return await _form(request, db, typed, errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/pricing/promotions/{promo.id}", _("Promotion created."))


@get("/pricing/promotions/{promotion_id:uuid}", name="backoffice:promotion", guards=STAFF)
async def promotion_page(
    request: Request, db: NamedDependency[AsyncSession], promotion_id: FromPath[uuid.UUID]
) -> Response:
    promo = await get_promotion(db, promotion_id)
    return await _form(request, db, await _typed_of(db, promo), promo=promo)


@post("/pricing/promotions/{promotion_id:uuid}", name="backoffice:promotion_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], promotion_id: FromPath[uuid.UUID]) -> Response:
    promo = await get_promotion(db, promotion_id)
    typed, scope, errors = await _read(db, await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await update_promotion(db, tenant_id, promo.id, _input(typed, scope), actor)
    except ValidationFailed as exc:
        return await _form(request, db, typed, promo=promo, errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/pricing/promotions/{promo.id}", _("Promotion saved."))


HANDLERS = [promotions, new_promotion, create, promotion_page, update]
