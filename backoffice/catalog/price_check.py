"""The product page's price check: a customer (or nobody), a currency and a quantity give the quote and its reasons."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.catalog.services import get_product
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing.services import explain_price, pricing_context_for
from app.web.guards import current_tenant
from backoffice.catalog._product_view import product_view
from backoffice.catalog._web import STAFF, an_id, decimal, page

RESULT = "backoffice/catalog/products/_price_check_result.html.j2"


@get("/catalog/products/{product_id:uuid}/price-check", name="backoffice:price_check", guards=STAFF)
async def price_check(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    params = request.query_params
    tenant = current_tenant(request)
    typed = {
        "variant_id": params.get("variant_id", ""),
        "customer": params.get("customer", "").strip()[:40],
        "currency": (params.get("currency", "") or tenant.currency).strip().upper()[:3],
        "qty": params.get("qty", "1").strip()[:20] or "1",
        "coupon": params.get("coupon", "").strip()[:40],
    }
    _product, variants = await get_product(db, product_id)
    errors: dict[str, str] = {}
    variant = next((v for v in variants if v.id == an_id(typed["variant_id"])), variants[0] if variants else None)
    if variant is None:
        errors["check_variant_id"] = _("Add a variant first: prices are per variant.")
    customer = await parties.queries.customer_by_code(db, typed["customer"])
    if typed["customer"] and customer is None:
        errors["check_customer"] = _("No customer has the code “%(code)s”.", code=typed["customer"])
    if len(typed["currency"]) != 3 or not typed["currency"].isalpha():
        errors["check_currency"] = _("Enter a three-letter currency code such as EUR.")
    qty = decimal(typed["qty"], "check_qty", errors, Decimal(1))
    if qty is not None and qty <= 0 and "check_qty" not in errors:
        errors["check_qty"] = _("Enter a quantity greater than zero.")
    explanation = None
    if not errors and variant is not None and qty is not None:
        try:
            ctx = await pricing_context_for(
                db, tenant, customer.id if customer else None, typed["currency"], coupons=[typed["coupon"]]
            )
            explanation = await explain_price(db, ctx, variant.id, qty)
        except ValidationFailed as exc:
            errors.update({f"check_{k}": v for k, v in exc.errors.items()})
    check = {**typed, "variant_id": str(variant.id) if variant else "", "result": explanation, "customer_row": customer}
    status = 400 if errors else 200
    if request.headers.get("hx-request"):
        return page(request, RESULT, {"check": check, "errors": errors}, status=status)
    return await product_view(request, db, product_id, errors=errors, typed={"check": check}, status=status)


HANDLERS = [price_check]
