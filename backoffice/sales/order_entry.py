"""Staff enter and change sales orders in the back office. A new order: choose the customer, type lines by SKU
(priced for that customer as they type, through htmx; "Update prices" without JavaScript), the ship-to and
bill-to addresses, the PO number, the requested date and the delivery method (the carriers' services that deliver
these lines to the chosen address, priced and dated as at checkout, the cheapest chosen until another is; they
update through htmx as lines, address or mode change); it is placed through sales.place_order like a web order
(the customer's prices, taxes, reservations, the shipping re-quoted), once per form (an idempotency key made when
the form is shown). An order not yet shipped: change quantities, add and remove lines (sales.edit_order). And the order
confirmation PDF. Another tenant's order is a 404."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.web.auth import requires_staff
from app.web.session import current_user
from backoffice.catalog._web import an_id, form_text, page, redirect_with_flash, tenant_and_actor, texts
from backoffice.sales.orders import BASE, status_label

STAFF = [requires_staff("sales")]
BLANK_ROWS = 3
MAX_ROWS = 200
FIELDS = (
    "ship_address_id",
    "bill_address_id",
    "po_number",
    "requested_date",
    "delivery_mode",
    "delivery_service_id",
    "idempotency_key",
)


def _rows(form: FormMultiDict, extra: int = 0) -> list[tuple[str, str]]:
    """The typed (SKU, quantity) rows, plus `extra` blank ones to type into."""
    skus, qtys = texts(form, "sku")[:MAX_ROWS], texts(form, "qty")[:MAX_ROWS]
    rows = [(sku[:64].upper(), qty[:40]) for sku, qty in zip(skus, qtys + [""] * (len(skus) - len(qtys)), strict=False)]
    return rows + [("", "")] * extra


async def _customer(db: AsyncSession, code: str):
    return await parties.queries.customer_by_code(db, code[:40]) if code else None


async def _entry_page(
    request: Request,
    db: AsyncSession,
    *,
    customer,
    rows: list[tuple[str, str]],
    typed: dict[str, str],
    errors: dict[str, str],
    block: str | None = None,
) -> Response:
    tenant_id, _actor = tenant_and_actor(request)
    preview = await sales.preview_lines(db, tenant_id, customer.id, rows) if customer is not None else None
    delivery = await _delivery(request, db, customer, preview, typed, errors) if preview is not None else None
    context = {
        "delivery": delivery,
        "customer": customer,
        "customers": await parties.queries.customer_choices(db),
        "ship_to": await parties.queries.addresses(db, customer.id, "shipping") if customer else [],
        "bill_to": await parties.queries.addresses(db, customer.id, "billing") if customer else [],
        "preview": preview,
        "typed": typed,
        "errors": errors,
        "today": date.today().isoformat(),
    }
    status = 400 if errors else 200
    return page(request, "backoffice/sales/order_entry.html.j2", context, block=block, status=status)


async def _delivery(
    request: Request, db: AsyncSession, customer, preview: sales.LinePreview, typed: dict[str, str], errors: dict
) -> sales.DeliveryOptions | None:
    """The delivery methods for the lines that price, to the chosen address (None: no such line yet); an address
    that is not the customer's is reported on ship_address_id."""
    lines = [
        sales.OrderLineRequest(x.variant_id, x.qty)
        for x in preview.lines
        if x.variant_id is not None and x.qty is not None and x.error is None
    ]
    if not lines:
        return None
    user = current_user(request)
    assert user is not None  # the route's guard
    try:
        return await sales.delivery_options(
            db,
            tenant_and_actor(request)[0],
            customer.id,
            user.id,
            an_id(typed.get("ship_address_id", "")),
            service_id=an_id(typed.get("delivery_service_id", "")),
            delivery_mode=typed.get("delivery_mode") or "ship_available",
            lines=lines,
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


@get("/sales/orders/new", name="backoffice:sales_order_new", guards=STAFF)
async def new_order(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The entry form; with ?customer=CODE, for that customer (their addresses and prices)."""
    code = request.query_params.get("customer", "").strip()[:40]
    customer = await _customer(db, code)
    typed = dict.fromkeys(FIELDS, "") | {"delivery_mode": "ship_available", "idempotency_key": uuid.uuid4().hex}
    errors = {"customer": _("No customer has this code.")} if code and customer is None else {}
    return await _entry_page(request, db, customer=customer, rows=[("", "")] * BLANK_ROWS, typed=typed, errors=errors)


@post("/sales/orders/new/lines", name="backoffice:sales_order_new_lines", guards=STAFF)
async def entry_lines(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """htmx: the lines block priced again for the customer (nothing is written); "add" appends a blank row."""
    form = await request.form()
    customer = await _customer(db, form_text(form, "customer", 40))
    rows = _rows(form, 1 if form_text(form, "add", 5) else 0) or [("", "")]
    typed = {name: form_text(form, name, 100) for name in FIELDS}
    return await _entry_page(request, db, customer=customer, rows=rows, typed=typed, errors={}, block="lines")


@post("/sales/orders/new/delivery", name="backoffice:sales_order_new_delivery", guards=STAFF)
async def entry_delivery(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """htmx: the delivery methods again for the lines, address and mode as they stand (nothing is written)."""
    form = await request.form()
    customer = await _customer(db, form_text(form, "customer", 40))
    typed = {name: form_text(form, name, 100) for name in FIELDS}
    rows = _rows(form) or [("", "")]
    return await _entry_page(request, db, customer=customer, rows=rows, typed=typed, errors={}, block="delivery")


def _requested(raw: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        errors["requested_date"] = _("Enter a date.")
        return None


def _line_errors(errors: dict[str, str], kept: list[int]) -> dict[str, str]:
    """place_order's lines.<i>.x (i: among the rows sent) as the form's row numbers."""
    renamed = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(kept):
            key = f"lines.{kept[int(parts[1])]}.sku"
        renamed[key] = message
    return renamed


@post("/sales/orders/new", name="backoffice:sales_order_place", guards=STAFF)
async def place(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Place the order for the customer ("preview" only prices the rows again)."""
    form = await request.form()
    customer = await _customer(db, form_text(form, "customer", 40))
    typed = {name: form_text(form, name, 100) for name in FIELDS}
    rows = _rows(form)
    show = {"customer": customer, "rows": rows or [("", "")], "typed": typed}
    if customer is None:
        return await _entry_page(request, db, **show, errors={"customer": _("Choose the customer.")})
    if form_text(form, "action", 10) != "place":
        return await _entry_page(request, db, **show | {"rows": [*rows, ("", "")]}, errors={})
    tenant_id, actor = tenant_and_actor(request)
    preview = await sales.preview_lines(db, tenant_id, customer.id, rows)
    errors = dict(preview.errors)
    kept = [i for i, x in enumerate(preview.lines) if not x.blank and x.error is None]
    if not kept and not errors:
        errors["lines"] = _("Add at least one item to order.")
    requested = _requested(typed["requested_date"], errors)
    user = current_user(request)
    assert user is not None  # the route's guard
    try:
        if errors:
            raise ValidationFailed(errors)
        data = sales.PlaceOrder(
            customer.id,
            user.id,
            typed["idempotency_key"],
            tuple(sales.OrderLineRequest(preview.lines[i].variant_id, preview.lines[i].qty) for i in kept),
            po_number=typed["po_number"],
            requested_date=requested,
            payment="account",
            delivery_mode=typed["delivery_mode"] or "ship_available",
            ship_address_id=an_id(typed["ship_address_id"]),
            bill_address_id=an_id(typed["bill_address_id"]),
            delivery_service_id=an_id(typed["delivery_service_id"]),
        )
        placed = await sales.place_order(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _entry_page(request, db, **show, errors=_line_errors(exc.errors, kept))
    return redirect_with_flash(
        request, f"{BASE}/{placed.order_id}", _("Order %(number)s placed.", number=placed.number)
    )


# --- changing an order -------------------------------------------------------------------------------------


async def _edit_page(
    request: Request,
    db: AsyncSession,
    order_id: uuid.UUID,
    *,
    rows: list[tuple[str, str]] | None,
    errors: dict[str, str],
    note: str = "",
    block: str | None = None,
) -> Response:
    detail = await sales.order_detail(db, order_id)  # NotFound (another tenant's): the 404 page
    if rows is None:
        rows = [(x.sku, f"{x.qty.normalize():f}") for x in detail.lines] + [("", "")]
    tenant_id, _actor = tenant_and_actor(request)
    context = {
        "order": detail,
        "preview": await sales.preview_lines(db, tenant_id, detail.summary.customer_id, rows),
        "errors": errors,
        "note": note,
        "status_label": status_label,
    }
    return page(request, "backoffice/sales/order_edit.html.j2", context, block=block, status=400 if errors else 200)


@get("/sales/orders/{order_id:uuid}/edit", name="backoffice:sales_order_edit", guards=STAFF)
async def edit_form(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _edit_page(request, db, order_id, rows=None, errors={})


@post("/sales/orders/{order_id:uuid}/edit/lines", name="backoffice:sales_order_edit_lines", guards=STAFF)
async def edit_lines(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    """htmx: the lines priced again as typed (nothing is written)."""
    form = await request.form()
    rows = _rows(form, 1 if form_text(form, "add", 5) else 0) or [("", "")]
    return await _edit_page(request, db, order_id, rows=rows, errors={}, block="lines")


@post("/sales/orders/{order_id:uuid}/edit", name="backoffice:sales_order_save", guards=STAFF)
async def save(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    """Save the changed lines: priced again, reservations adjusted, a timeline entry; refused once shipped."""
    form = await request.form()
    rows, note = _rows(form), form_text(form, "note", 500)
    if form_text(form, "action", 10) != "save":  # "Update prices" without JavaScript: show, write nothing
        return await _edit_page(request, db, order_id, rows=[*rows, ("", "")], errors={}, note=note)
    tenant_id, actor = tenant_and_actor(request)
    detail = await sales.order_detail(db, order_id)
    preview = await sales.preview_lines(db, tenant_id, detail.summary.customer_id, rows)
    errors = {k: v for k, v in preview.errors.items() if not _zero(preview, k)}
    kept = [i for i, x in enumerate(preview.lines) if not x.blank and x.variant_id is not None]
    try:
        if errors:
            raise ValidationFailed(errors)
        change = sales.OrderEdit(
            tuple(sales.OrderLineRequest(preview.lines[i].variant_id, preview.lines[i].qty_text) for i in kept), note
        )
        edited = await sales.edit_order(db, tenant_id, order_id, change, actor)
    except ValidationFailed as exc:
        return await _edit_page(
            request, db, order_id, rows=rows or [("", "")], errors=_line_errors(exc.errors, kept), note=note
        )
    message = (
        _("Order changed: %(changes)s.", changes="; ".join(edited.changes)) if edited.changes else _("Nothing changed.")
    )
    return redirect_with_flash(request, f"{BASE}/{order_id}", message)


def _zero(preview: Any, key: str) -> bool:
    """A row typed with quantity 0 removes its line: not an error here."""
    index = int(key.split(".")[1])
    return preview.lines[index].qty_text.strip() in {"0", "0.0", "0,0"}


@get("/sales/orders/{order_id:uuid}/confirmation.pdf", name="backoffice:sales_order_pdf", guards=STAFF)
async def confirmation_pdf(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]
) -> Response:
    tenant_id, _actor = tenant_and_actor(request)
    sheet = await sales.order_sheet(db, tenant_id, order_id)  # NotFound: the 404 page
    body = sales.render_order_confirmation(sheet, current_locale.get())
    disposition = f'inline; filename="{sheet.number}.pdf"'
    return Response(body, media_type="application/pdf", headers={"content-disposition": disposition})


HANDLERS = [new_order, entry_lines, entry_delivery, place, edit_form, edit_lines, save, confirmation_pdf]
