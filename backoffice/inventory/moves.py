"""Goods received without an order, adjustments and scrap, and the moves of a document (with its reversal)."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.inventory.values import Adjustment, Receipt, ReceiptLine, plain
from backoffice.catalog._web import form_text, page, query_string, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import WAREHOUSE, a_date, an_id, money, place, quantity, scanned

BASE = "/admin/inventory"
RECEIVE_FIELDS = ("warehouse_id", "location", "code", "qty", "lot", "expiry", "serials", "unit_cost")
ADJUST_FIELDS = ("location", "code", "qty", "action", "reason", "lot", "expiry")
REASONS = ("found", "damage", "loss", "expiry", "other")


def _typed(form, fields) -> dict[str, str]:
    return {name: form_text(form, name, 4000 if name == "serials" else 256) for name in fields}


async def _receive_page(request: Request, db: AsyncSession, typed: dict, errors=None, status: int = 200) -> Response:
    context = {"warehouses": await queries.warehouses(db, active_only=True), "typed": typed, "errors": errors or {}}
    return page(request, "backoffice/inventory/receive.html.j2", context, status=status)


@get("/inventory/receive", name="backoffice:inventory_receive", guards=WAREHOUSE)
async def receive_form(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    params = request.query_params
    typed = {name: "" for name in RECEIVE_FIELDS} | {"qty": "1"}
    typed |= {"warehouse_id": params.get("warehouse", "")[:40], "location": params.get("location", "")[:60]}
    return await _receive_page(request, db, typed)


async def _receipt(db: AsyncSession, form: FormMultiDict, errors: dict[str, str]) -> tuple[Receipt | None, str]:
    """The receipt a form asks for; a GS1 code fills the lot and expiry left blank, a box barcode its units."""
    warehouse_id = an_id(form_text(form, "warehouse_id", 40))
    location_id = await place(db, form, "location", errors)
    found = await scanned(db, form, "code", errors)
    qty = quantity(form, "qty", errors)
    cost = money(form, "unit_cost", errors)
    expiry = a_date(form, "expiry", errors)
    serials = tuple(s for s in (x.strip() for x in form_text(form, "serials", 4000).splitlines()) if s)
    if warehouse_id is None and location_id is not None:
        warehouse_id = (await queries.location(db, location_id)).warehouse_id
    if warehouse_id is None:
        errors["warehouse_id"] = _("Choose a warehouse.")
    if errors or found is None or qty is None:
        return None, ""
    lot = form_text(form, "lot", 60) or found.lot
    if found.serial and not serials:
        serials = (found.serial,)
    line = ReceiptLine(found.variant_id, qty * found.pack, cost, location_id, lot, expiry or found.expiry, serials)
    return Receipt(warehouse_id, (line,)), found.sku or ""


@post("/inventory/receive", name="backoffice:inventory_receive_post", guards=WAREHOUSE)
async def receive(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = _typed(form, RECEIVE_FIELDS)
    errors: dict[str, str] = {}
    tenant_id, actor = tenant_and_actor(request)
    try:
        receipt, sku = await _receipt(db, form, errors)
        if receipt is None:
            raise ValidationFailed(errors)
        posted = await services.receive(db, tenant_id, receipt, actor)
    except ValidationFailed as exc:
        return await _receive_page(request, db, typed, exc.errors, 400)
    qty = plain(sum(m.qty for m in posted.moves))
    message = _("Received %(qty)s × %(sku)s (%(reference)s).", qty=qty, sku=sku, reference=posted.document.reference)
    back = BASE + "/receive" + query_string({"warehouse": str(receipt.warehouse_id), "location": typed["location"]})
    return redirect_with_flash(request, back, message)


async def _adjust_page(request: Request, db: AsyncSession, typed: dict, errors=None, status: int = 200) -> Response:
    context = {"typed": typed, "errors": errors or {}, "reasons": REASONS}
    return page(request, "backoffice/inventory/adjust.html.j2", context, status=status)


@get("/inventory/adjust", name="backoffice:inventory_adjust", guards=WAREHOUSE)
async def adjust_form(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = {name: "" for name in ADJUST_FIELDS} | {"qty": "1", "action": "remove", "reason": "damage"}
    typed["location"] = request.query_params.get("location", "")[:60]
    return await _adjust_page(request, db, typed)


async def _adjustment(db: AsyncSession, form: FormMultiDict, errors: dict[str, str]) -> tuple[Adjustment | None, str]:
    location_id = await place(db, form, "location", errors)
    if location_id is None and "location" not in errors:
        errors["location"] = _("Scan or type the location.")
    found = await scanned(db, form, "code", errors)
    qty = quantity(form, "qty", errors)
    expiry = a_date(form, "expiry", errors)
    action = form_text(form, "action", 20)
    if action not in {"add", "remove", "scrap"}:
        errors["action"] = _("Choose one of the options.")
    if errors or found is None or qty is None or location_id is None:
        return None, ""
    change = qty * found.pack if action == "add" else -qty * found.pack
    lot = form_text(form, "lot", 60) or found.lot
    data = Adjustment(
        location_id, found.variant_id, change, form_text(form, "reason", 20), lot, expiry, action == "scrap"
    )
    return data, found.sku or ""


@post("/inventory/adjust", name="backoffice:inventory_adjust_post", guards=WAREHOUSE)
async def adjust(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = _typed(form, ADJUST_FIELDS)
    errors: dict[str, str] = {}
    tenant_id, actor = tenant_and_actor(request)
    try:
        data, sku = await _adjustment(db, form, errors)
        if data is None:
            raise ValidationFailed(errors)
        posted = await services.adjust_stock(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _adjust_page(request, db, typed, exc.errors, 400)
    message = _("%(sku)s adjusted (%(reference)s).", sku=sku, reference=posted.document.reference)
    return redirect_with_flash(request, BASE + "/adjust" + query_string({"location": typed["location"]}), message)


async def _document(request: Request, db: AsyncSession, document_id: uuid.UUID, errors=None, status=200) -> Response:
    kind = request.query_params.get("kind", "")[:30]
    moves = await queries.document_moves(db, kind, document_id)
    if not moves:
        raise NotFound()
    context = {"moves": moves, "kind": kind, "document_id": document_id, "errors": errors or {}}
    return page(request, "backoffice/inventory/document.html.j2", context, status=status)


@get("/inventory/documents/{document_id:uuid}", name="backoffice:inventory_document", guards=WAREHOUSE)
async def document(request: Request, db: NamedDependency[AsyncSession], document_id: FromPath[uuid.UUID]) -> Response:
    return await _document(request, db, document_id)


@post("/inventory/documents/{document_id:uuid}/reverse", name="backoffice:inventory_reverse", guards=WAREHOUSE)
async def reverse(request: Request, db: NamedDependency[AsyncSession], document_id: FromPath[uuid.UUID]) -> Response:
    kind = form_text(await request.form(), "kind", 30)
    if kind not in {"receipt", "adjustment", "scrap"}:
        raise NotFound()
    tenant_id, actor = tenant_and_actor(request)
    try:
        posted = await services.reverse_moves(db, tenant_id, kind, document_id, actor)
    except ValidationFailed as exc:
        return redirect_with_flash(
            request, f"{BASE}/documents/{document_id}?kind={kind}", " ".join(exc.errors.values()), "error"
        )
    target = f"{BASE}/documents/{posted.document.id}?kind=reversal"
    return redirect_with_flash(request, target, _("Reversed (%(reference)s).", reference=posted.document.reference))


HANDLERS = [receive_form, receive, adjust_form, adjust, document, reverse]
