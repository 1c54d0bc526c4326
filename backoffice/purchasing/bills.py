"""Supplier bills: the list (held ones with their reasons first to hand), entering a bill against an order (its
lines prefilled from what was received), a bill's three-way match line by line, matching again, approving."""

from __future__ import annotations

import uuid
from datetime import date

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.purchasing.services import BillInput, BillLineInput
from backoffice.catalog._web import form_text, plain, redirect_with_flash, tenant_and_actor
from backoffice.purchasing._web import BASE, BILL_APPROVERS, BILL_CLERKS, render

HEADER = ("supplier_reference", "bill_date", "due_date")


@get("/purchasing/bills", name="backoffice:vendor_bills", guards=BILL_CLERKS)
async def bills(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    state = request.query_params.get("status", "")[:20]
    state = state if state in ("held", "approved") else ""
    context = {"rows": await purchasing.bill_queries.bills(db, status=state), "chosen_status": state}
    return render(request, "bills/list.html.j2", context)


def _prefilled(detail) -> dict[str, str]:
    """What each line may be billed now: received and not billed yet, at the ordered price."""
    typed = {"supplier_reference": "", "bill_date": date.today().isoformat(), "due_date": ""}
    for row in detail.lines:
        open_qty = max(row.line.qty_received - row.line.qty_billed, 0)
        typed[f"qty_{row.line.id}"] = plain(open_qty) if open_qty else ""
        typed[f"unit_price_{row.line.id}"] = plain(row.line.unit_price)
    return typed


async def _new(request: Request, db: AsyncSession, order_id: uuid.UUID, typed=None, errors=None, status: int = 200):
    detail = await purchasing.queries.order_detail(db, order_id)
    context = {"detail": detail, "typed": typed or _prefilled(detail), "errors": errors or {}}
    return render(request, "bills/new.html.j2", context, status=status)


@get("/purchasing/orders/{order_id:uuid}/bill", name="backoffice:vendor_bill_new", guards=BILL_CLERKS)
async def new(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _new(request, db, order_id)


def _bill_input(order_id: uuid.UUID, form: FormMultiDict, line_ids: list[uuid.UUID]) -> tuple[BillInput, dict]:
    """The bill a form asks for: the header and every order line given a quantity."""
    typed = {name: form_text(form, name, 60) for name in HEADER}
    lines = []
    for line_id in line_ids:
        qty, price = form_text(form, f"qty_{line_id}", 40), form_text(form, f"unit_price_{line_id}", 40)
        typed |= {f"qty_{line_id}": qty, f"unit_price_{line_id}": price}
        if qty and qty != "0":
            lines.append(BillLineInput(line_id, qty, price))
    data = BillInput(order_id, typed["supplier_reference"], typed["bill_date"], tuple(lines), typed["due_date"])
    return data, typed


@post("/purchasing/orders/{order_id:uuid}/bill", name="backoffice:vendor_bill_create", guards=BILL_CLERKS)
async def create(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    detail = await purchasing.queries.order_detail(db, order_id)
    data, typed = _bill_input(order_id, await request.form(), [row.line.id for row in detail.lines])
    tenant_id, actor = tenant_and_actor(request)
    try:
        bill = await purchasing.services.record_bill(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _new(request, db, order_id, typed, exc.errors, 400)
    if bill.status == "approved":
        message = _("Bill %(number)s matches the order and what was received: approved.", number=bill.number)
        return redirect_with_flash(request, f"{BASE}/bills/{bill.id}", message)
    message = _("Bill %(number)s is held: see the reasons below.", number=bill.number)
    return redirect_with_flash(request, f"{BASE}/bills/{bill.id}", message, "error")


async def _detail(request: Request, db: AsyncSession, bill_id: uuid.UUID, errors=None, status: int = 200):
    context = {"detail": await purchasing.bill_queries.bill_detail(db, bill_id), "errors": errors or {}}
    return render(request, "bills/detail.html.j2", context, status=status)


@get("/purchasing/bills/{bill_id:uuid}", name="backoffice:vendor_bill", guards=BILL_CLERKS)
async def detail(request: Request, db: NamedDependency[AsyncSession], bill_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, bill_id)


@post("/purchasing/bills/{bill_id:uuid}/rematch", name="backoffice:vendor_bill_rematch", guards=BILL_CLERKS)
async def rematch(request: Request, db: NamedDependency[AsyncSession], bill_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    bill = await purchasing.services.rematch_bill(db, tenant_id, bill_id, actor)
    message = _("The bill matches now: approved.") if bill.status == "approved" else _("The bill is still held.")
    return redirect_with_flash(request, f"{BASE}/bills/{bill_id}", message)


@post("/purchasing/bills/{bill_id:uuid}/approve", name="backoffice:vendor_bill_approve", guards=BILL_APPROVERS)
async def approve(request: Request, db: NamedDependency[AsyncSession], bill_id: FromPath[uuid.UUID]) -> Response:
    note = form_text(await request.form(), "note", 1000)
    tenant_id, actor = tenant_and_actor(request)
    try:
        await purchasing.services.approve_bill(db, tenant_id, bill_id, note, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, bill_id, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/bills/{bill_id}", _("Bill approved for payment."))


HANDLERS = [bills, new, create, detail, rematch, approve]
