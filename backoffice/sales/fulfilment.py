"""Fulfilment in the back office, phone first, barcodes typed or scanned: what is ready to pick, pick lists (per
order or batched per warehouse) confirmed stop by stop by scanning, an order's fulfilment page (pack by scanning,
ship with carrier and tracking, ship straight from the shelves, reserve arrived stock), shipments and their
delivery note PDF. Each handler is one service call and a render."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory, sales, shipping
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.web.auth import requires_staff
from app.web.guards import current_tenant
from backoffice.catalog._web import flag, form_text, page, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import an_id, quantity
from backoffice.sales.orders import status_label

STAFF = [requires_staff("warehouse", "sales")]  # owners pass every staff guard
FULFIL = "/admin/sales/fulfilment"
MAX_CODES = 500


def _render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    helpers = {"status_label": status_label, "plain": inventory.values.plain}
    return page(request, f"backoffice/sales/{template}", helpers | context, status=status)


async def _hub_page(request: Request, db: AsyncSession, *, errors=None, status: int = 200) -> Response:
    chosen = an_id(request.query_params.get("warehouse"))
    warehouses = await inventory.queries.warehouses(db, active_only=True)
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "ready": await sales.fulfilment_queries.ready_to_pick(db, chosen),
        "lists": await sales.fulfilment_queries.pick_lists(db, status="open"),
        "packed": await sales.fulfilment_queries.shipments(db, status="packed"),
        "codes": {w.id: w.code for w in warehouses},
        "errors": errors or {},
    }
    return _render(request, "fulfilment.html.j2", context, status=status)


@get("/sales/fulfilment", name="backoffice:fulfilment", guards=STAFF)
async def hub(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _hub_page(request, db)


@post("/sales/pick-lists", name="backoffice:pick_list_create", guards=STAFF)
async def create_lists(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    warehouse = an_id(form.get("warehouse"))
    orders = [found for raw in form.getall("order", []) if (found := an_id(raw)) is not None][:200]
    tenant_id, actor = tenant_and_actor(request)
    if warehouse is None:
        return await _hub_page(request, db, errors={"orders": _("Choose a warehouse.")}, status=400)
    try:
        made = await sales.create_pick_lists(
            db, tenant_id, warehouse, actor, order_ids=orders, batch=not flag(form, "per_order")
        )
    except ValidationFailed as exc:
        return await _hub_page(request, db, errors=exc.errors, status=400)
    message = (
        _("Pick list %(number)s is ready.", number=made[0].number)
        if len(made) == 1
        else _("%(n)s pick lists are ready.", n=len(made))
    )
    return redirect_with_flash(request, f"/admin/sales/pick-lists/{made[0].id}" if len(made) == 1 else FULFIL, message)


@get("/sales/pick-lists", name="backoffice:pick_lists", guards=STAFF)
async def lists(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    status = request.query_params.get("status", "")
    status = status if status in ("open", "done", "cancelled") else ""
    warehouses = {w.id: w.code for w in await inventory.queries.warehouses(db)}
    found = await sales.fulfilment_queries.pick_lists(db, status=status)
    return _render(request, "pick_lists.html.j2", {"found": found, "status": status, "codes": warehouses})


async def _pick_page(request, db, pick_list_id, *, errors=None, typed=None, status: int = 200) -> Response:
    detail = await sales.fulfilment_queries.pick_list(db, pick_list_id)  # NotFound: the 404 page
    code = (await inventory.queries.warehouse(db, detail.summary.warehouse_id)).code
    next_stop = next((s for s in detail.stops if s.left > 0), None)
    context = {
        "pick": detail,
        "warehouse_code": code,
        "next_stop": next_stop,
        "errors": errors or {},
        "typed": typed or {},
    }
    return _render(request, "pick_list.html.j2", context, status=status)


@get("/sales/pick-lists/{pick_list_id:uuid}", name="backoffice:pick_list", guards=STAFF)
async def pick_list(request: Request, db: NamedDependency[AsyncSession], pick_list_id: FromPath[uuid.UUID]) -> Response:
    return await _pick_page(request, db, pick_list_id)


@post("/sales/pick-lists/{pick_list_id:uuid}/pick", name="backoffice:pick_list_pick", guards=STAFF)
async def pick(request: Request, db: NamedDependency[AsyncSession], pick_list_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 256) for name in ("location", "product", "lot", "qty")}
    errors: dict[str, str] = {}
    qty = quantity(form, "qty", errors, default=None) if typed["qty"] else None
    if errors:
        return await _pick_page(request, db, pick_list_id, errors=errors, typed=typed, status=400)
    tenant_id, actor = tenant_and_actor(request)
    scan = sales.PickScan(typed["location"], typed["product"], typed["lot"], qty)
    try:
        sku, place, taken = await sales.record_pick(db, tenant_id, pick_list_id, scan, actor)
    except ValidationFailed as exc:
        return await _pick_page(request, db, pick_list_id, errors=exc.errors, typed=typed, status=400)
    done = _("Picked %(qty)s × %(sku)s at %(place)s.", qty=inventory.values.plain(taken), sku=sku, place=place)
    return redirect_with_flash(request, f"/admin/sales/pick-lists/{pick_list_id}", done)


async def _close(request: Request, db: AsyncSession, pick_list_id: uuid.UUID, finishing: bool) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        if finishing:
            done = await sales.finish_pick_list(db, tenant_id, pick_list_id, actor)
        else:
            done = await sales.cancel_pick_list(db, tenant_id, pick_list_id, actor)
    except ValidationFailed as exc:
        return await _pick_page(request, db, pick_list_id, errors=exc.errors, status=400)
    text = (
        _("Pick list finished: the goods wait at the packing bench.")
        if done.status == "done"
        else _("Pick list cancelled.")
    )
    return redirect_with_flash(request, f"/admin/sales/pick-lists/{pick_list_id}", text)


@post("/sales/pick-lists/{pick_list_id:uuid}/finish", name="backoffice:pick_list_finish", guards=STAFF)
async def finish(request: Request, db: NamedDependency[AsyncSession], pick_list_id: FromPath[uuid.UUID]) -> Response:
    return await _close(request, db, pick_list_id, True)


@post("/sales/pick-lists/{pick_list_id:uuid}/cancel", name="backoffice:pick_list_cancel", guards=STAFF)
async def cancel(request: Request, db: NamedDependency[AsyncSession], pick_list_id: FromPath[uuid.UUID]) -> Response:
    return await _close(request, db, pick_list_id, False)


async def _services(db: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    labels = await shipping.service_labels(db, current_locale.get())
    return sorted(((s.service_id, f"{s.carrier} · {s.service}") for s in labels.values()), key=lambda x: x[1])


async def order_page(request, db, order_id: uuid.UUID, *, errors=None, typed=None, status: int = 200) -> Response:
    fulfilment = await sales.fulfilment_queries.order_fulfilment(db, order_id)  # NotFound: the 404 page
    context = {
        "f": fulfilment,
        "services": await _services(db),
        "errors": errors or {},
        "typed": typed or {},
        "warehouse_code": (await inventory.queries.warehouse(db, fulfilment.warehouse_id)).code,
    }
    return _render(request, "fulfil.html.j2", context, status=status)


@get("/sales/orders/{order_id:uuid}/fulfil", name="backoffice:order_fulfil", guards=STAFF)
async def fulfil(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await order_page(request, db, order_id)


@post("/sales/orders/{order_id:uuid}/pick-list", name="backoffice:order_pick_list", guards=STAFF)
async def order_pick_list(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]
) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    warehouse = (await sales.fulfilment_queries.order_fulfilment(db, order_id)).warehouse_id
    try:
        (made,) = await sales.create_pick_lists(db, tenant_id, warehouse, actor, order_ids=[order_id], batch=False)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, errors=exc.errors, status=400)
    return redirect_with_flash(
        request, f"/admin/sales/pick-lists/{made.id}", _("Pick list %(number)s is ready.", number=made.number)
    )


def _parcel(form, errors: dict[str, str]) -> sales.Parcel:
    raw = form_text(form, "packages", 10) or "1"
    packages = int(raw) if raw.isdigit() and len(raw) <= 3 else 0
    if not 1 <= packages <= 999:
        errors["packages"] = _("Enter 1 to 999 packages.")
    weight = quantity(form, "weight_kg", errors, default=None) if form_text(form, "weight_kg", 30) else None
    return sales.Parcel(max(packages, 1), weight)


def _dispatch(form, errors: dict[str, str]) -> sales.Dispatch:
    raw = form_text(form, "service_id", 60)
    service = an_id(raw)
    if raw and service is None:
        errors["service_id"] = _("Choose one of the carriers' services.")
    return sales.Dispatch(service, form_text(form, "tracking_number", 100), form_text(form, "tracking_url", 600))


@post("/sales/orders/{order_id:uuid}/pack", name="backoffice:order_pack", guards=STAFF)
async def pack(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 20000) for name in ("scanned", "packages", "weight_kg")}
    codes = [c.strip() for c in typed["scanned"].splitlines() if c.strip()][: MAX_CODES + 1]
    errors: dict[str, str] = {}
    parcel = _parcel(form, errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        packed = await sales.pack_order(db, tenant_id, order_id, codes, parcel, actor)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, errors=exc.errors, typed=typed, status=400)
    return redirect_with_flash(
        request,
        f"/admin/sales/orders/{order_id}/fulfil",
        _("Packed as %(number)s: hand it to the carrier.", number=packed.number),
    )


@post("/sales/orders/{order_id:uuid}/ship", name="backoffice:order_ship", guards=STAFF)
async def ship_direct(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    fulfilment = await sales.fulfilment_queries.order_fulfilment(db, order_id)
    errors: dict[str, str] = {}
    lines = {}
    for line in fulfilment.lines:
        name = f"qty_{line.id}"
        if form_text(form, name, 60):
            lines[line.id] = quantity(form, name, errors, default=None, zero=True)
    typed = {k: form_text(form, k, 600) for k in form}
    direct = sales.DirectShipment(
        {k: v for k, v in lines.items() if v is not None}, _dispatch(form, errors), _parcel(form, errors)
    )
    if not direct.lines and not errors:
        errors["lines"] = _("Enter how many of which line to ship.")
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        shipped = await sales.ship_order(db, tenant_id, order_id, direct, actor)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, errors=exc.errors, typed=typed, status=400)
    return redirect_with_flash(
        request, f"/admin/sales/shipments/{shipped.id}", _("Shipment %(number)s has left.", number=shipped.number)
    )


@post("/sales/orders/{order_id:uuid}/reserve", name="backoffice:order_reserve", guards=STAFF)
async def reserve(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    fulfilment = await sales.fulfilment_queries.order_fulfilment(db, order_id)
    tenant_id, _actor = tenant_and_actor(request)
    variants = await sales.fulfilment_queries.order_variants(db, order_id)
    gained = await sales.reserve_backorders(
        db, tenant_id, variant_ids=variants, warehouse_ids=[fulfilment.warehouse_id]
    )
    text = (
        _("%(n)s more reserved for waiting orders.", n=inventory.values.plain(gained))
        if gained
        else _("Nothing more is in stock for the backorders yet.")
    )
    return redirect_with_flash(request, f"/admin/sales/orders/{order_id}/fulfil", text)


@get("/sales/shipments", name="backoffice:shipments", guards=STAFF)
async def shipments(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    status = request.query_params.get("status", "")
    status = status if status in ("packed", "shipped") else ""
    return _render(
        request,
        "shipments.html.j2",
        {"found": await sales.fulfilment_queries.shipments(db, status=status), "status": status},
    )


async def _shipment_page(request, db, shipment_id, *, errors=None, typed=None, status: int = 200) -> Response:
    detail = await sales.fulfilment_queries.shipment(db, shipment_id)  # NotFound: the 404 page
    context = {"s": detail, "services": await _services(db), "errors": errors or {}, "typed": typed or {}}
    return _render(request, "shipment.html.j2", context, status=status)


@get("/sales/shipments/{shipment_id:uuid}", name="backoffice:shipment", guards=STAFF)
async def shipment(request: Request, db: NamedDependency[AsyncSession], shipment_id: FromPath[uuid.UUID]) -> Response:
    return await _shipment_page(request, db, shipment_id)


@post("/sales/shipments/{shipment_id:uuid}/ship", name="backoffice:shipment_ship", guards=STAFF)
async def ship(request: Request, db: NamedDependency[AsyncSession], shipment_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {k: form_text(form, k, 600) for k in ("service_id", "tracking_number", "tracking_url")}
    errors: dict[str, str] = {}
    dispatch = _dispatch(form, errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await sales.ship_packed(db, tenant_id, shipment_id, dispatch, actor)
    except ValidationFailed as exc:
        return await _shipment_page(request, db, shipment_id, errors=exc.errors, typed=typed, status=400)
    return redirect_with_flash(
        request, f"/admin/sales/shipments/{shipment_id}", _("Shipped: the customer has the tracking number.")
    )


def pdf_response(body: bytes, number: str) -> Response:
    disposition = f'inline; filename="{number}.pdf"'
    return Response(body, media_type="application/pdf", headers={"content-disposition": disposition})


@get("/sales/shipments/{shipment_id:uuid}/delivery-note.pdf", name="backoffice:delivery_note", guards=STAFF)
async def delivery_note(
    request: Request, db: NamedDependency[AsyncSession], shipment_id: FromPath[uuid.UUID]
) -> Response:
    note = await sales.fulfilment_queries.delivery_note(db, current_tenant(request).id, shipment_id)
    return pdf_response(sales.render_delivery_note(note, current_locale.get()), note.number)


HANDLERS = [
    hub,
    create_lists,
    lists,
    pick_list,
    pick,
    finish,
    cancel,
    fulfil,
    order_pick_list,
    pack,
    ship_direct,
    reserve,
    shipments,
    shipment,
    ship,
    delivery_note,
]
