"""Suppliers: the list with a new-supplier form, and a supplier's page (details, price list, orders, audit trail)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, purchasing
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.parties import SupplierInput
from app.purchasing.services import SupplierPriceInput
from app.web.guards import current_tenant
from backoffice.catalog._web import form_text, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import scanned as scanned_article
from backoffice.purchasing._web import BASE, BUYERS, render

FIELDS = (
    "code",
    "name",
    "tax_id",
    "email",
    "phone",
    "currency",
    "country",
    "default_lead_time_days",
    "payment_terms_days",
)
PRICE_FIELDS = ("code", "unit_price", "min_qty", "currency", "lead_time_days", "pack_size", "valid_from", "valid_to")


def _typed(form: FormMultiDict) -> dict[str, str]:
    return {name: form_text(form, name, 200) for name in FIELDS}


def _shown(supplier, currency: str) -> dict[str, str]:
    if supplier is None:
        defaults = {"currency": currency, "country": "ES", "default_lead_time_days": "14", "payment_terms_days": "30"}
        return dict.fromkeys(FIELDS, "") | defaults
    return {name: "" if getattr(supplier, name) is None else str(getattr(supplier, name)) for name in FIELDS}


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    params = request.query_params
    search, state = params.get("q", "")[:100], params.get("status", "")[:20]
    context = {
        "rows": await purchasing.queries.suppliers(db, search=search, status=state),
        "search": search,
        "chosen_status": state,
        "typed": typed or _shown(None, current_tenant(request).currency),
        "errors": errors or {},
    }
    return render(request, "suppliers/list.html.j2", context, status=status)


@get("/purchasing/suppliers", name="backoffice:suppliers", guards=BUYERS)
async def suppliers(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/purchasing/suppliers", name="backoffice:supplier_create", guards=BUYERS)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        supplier = await parties.create_supplier(db, tenant_id, SupplierInput(**typed), actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    message = _("Supplier %(name)s created: add its prices.", name=supplier.name)
    return redirect_with_flash(request, f"{BASE}/suppliers/{supplier.id}", message)


async def supplier_page(request: Request, db: AsyncSession, supplier_id: uuid.UUID, status: int = 200, **forms: Any):
    """The supplier's page; `forms` holds what one of its forms was given back with (typed, errors)."""
    supplier = await purchasing.queries.supplier(db, supplier_id)
    context = {
        "supplier": supplier,
        "prices": await purchasing.queries.price_list(db, supplier.id),
        "orders": await purchasing.queries.orders(db, supplier_id=supplier.id, limit=20),
        "typed": _shown(supplier, supplier.currency),
        "errors": {},
        "price_typed": dict.fromkeys(PRICE_FIELDS, "") | {"min_qty": "1"},
        "price_errors": {},
        "history": await audit.history(db, "supplier", supplier.id),
        **forms,
    }
    return render(request, "suppliers/detail.html.j2", context, status=status)


@get("/purchasing/suppliers/{supplier_id:uuid}", name="backoffice:supplier", guards=BUYERS)
async def detail(request: Request, db: NamedDependency[AsyncSession], supplier_id: FromPath[uuid.UUID]) -> Response:
    return await supplier_page(request, db, supplier_id)


@post("/purchasing/suppliers/{supplier_id:uuid}", name="backoffice:supplier_update", guards=BUYERS)
async def update(request: Request, db: NamedDependency[AsyncSession], supplier_id: FromPath[uuid.UUID]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await parties.update_supplier(db, tenant_id, supplier_id, SupplierInput(**typed), actor)
    except ValidationFailed as exc:
        return await supplier_page(request, db, supplier_id, 400, typed=typed, errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/suppliers/{supplier_id}", _("Supplier saved."))


@post("/purchasing/suppliers/{supplier_id:uuid}/status", name="backoffice:supplier_status", guards=BUYERS)
async def status(request: Request, db: NamedDependency[AsyncSession], supplier_id: FromPath[uuid.UUID]) -> Response:
    wanted = form_text(await request.form(), "status", 20)
    tenant_id, actor = tenant_and_actor(request)
    try:
        await parties.set_supplier_status(db, tenant_id, supplier_id, wanted, actor)
    except ValidationFailed as exc:
        return await supplier_page(request, db, supplier_id, 400, errors=exc.errors)
    message = _("The supplier is blocked.") if wanted == "blocked" else _("The supplier is active again.")
    return redirect_with_flash(request, f"{BASE}/suppliers/{supplier_id}", message)


@post("/purchasing/suppliers/{supplier_id:uuid}/prices", name="backoffice:supplier_price_add", guards=BUYERS)
async def add_price(request: Request, db: NamedDependency[AsyncSession], supplier_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 256 if name == "code" else 40) for name in PRICE_FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    errors: dict[str, str] = {}
    try:
        found = await scanned_article(db, form, "code", errors)
        if found is None:
            raise ValidationFailed(errors)
        values = {name: typed[name] for name in PRICE_FIELDS if name != "code"}
        await purchasing.services.add_supplier_price(
            db, tenant_id, supplier_id, SupplierPriceInput(found.variant_id, **values), actor
        )
    except ValidationFailed as exc:
        return await supplier_page(request, db, supplier_id, 400, price_typed=typed, price_errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/suppliers/{supplier_id}#prices", _("Price added."))


@post("/purchasing/prices/{price_id:uuid}/delete", name="backoffice:supplier_price_remove", guards=BUYERS)
async def remove_price(request: Request, db: NamedDependency[AsyncSession], price_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    supplier_id = await purchasing.services.remove_supplier_price(db, tenant_id, price_id, actor)
    return redirect_with_flash(request, f"{BASE}/suppliers/{supplier_id}#prices", _("Price removed."))


HANDLERS = [suppliers, create, detail, update, status, add_price, remove_price]
