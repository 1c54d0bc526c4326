"""Quotes in the back office: the list (by state, customer, number or customer name), a new quote for a customer
(SKU and quantity lines, priced by the engine as a start), and a quote's page with every version, what changed
between them, the buyer's comments, and the staff's steps: write the next version (quantities, prices,
discounts, added lines, validity, a note), send it to the buyer, or decline the request."""

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
from app.i18n import gettext as _
from app.web.auth import requires_staff
from app.web.input import page_number
from app.web.links import tenant_link
from backoffice.catalog._web import an_id, form_text, page, redirect_with_flash, tenant_and_actor, texts

BASE = "/admin/sales/quotes"
STAFF = [requires_staff("sales")]  # owners pass every staff guard
PER_PAGE = 50
STATES = ("draft", "sent", "expired", "revision_requested", "accepted", "rejected")
MAX_ADDED = 200


def state_label(state: str) -> str:
    labels = {
        "draft": _("Draft"),
        "sent": _("Sent"),
        "expired": _("Expired"),
        "revision_requested": _("Revision requested"),
        "accepted": _("Accepted"),
        "rejected": _("Rejected"),
    }
    return labels.get(state, state)


def change_label(field: str) -> str:
    return {"qty": _("Quantity"), "unit_price": _("Unit price"), "discount_pct": _("Discount %")}.get(field, field)


def _render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    helpers = {"state_label": state_label, "change_label": change_label, "states": STATES}
    return page(request, f"backoffice/sales/{template}", helpers | context, status=status)


@get("/sales/quotes", name="backoffice:sales_quotes", guards=STAFF)
async def quote_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    params = request.query_params
    state = params.get("state", "")[:30]
    state = state if state in STATES else ""
    code = params.get("customer", "").strip()[:40]
    customer = await parties.queries.customer_by_code(db, code) if code else None
    search = params.get("q", "").strip()[:100]
    if code and customer is None:
        found = sales.QuotePage((), 0, 1, PER_PAGE)
    else:
        found = await sales.quotes(
            db,
            state=state or None,
            customer_id=customer.id if customer is not None else None,
            search=search,
            page=page_number(params.get("page")),
            per_page=PER_PAGE,
        )
    context = {
        "found": found,
        "pages": max(1, -(-found.total // found.per_page)),
        "chosen": {"state": state, "customer": code, "q": search},
        "customers": await parties.queries.customer_choices(db),
    }
    return _render(request, "quotes.html.j2", context)


def sku_lines(raw: str, field: str) -> list[tuple[str, str]]:
    """'SKU quantity' per line (a comma, semicolon or tab between works too; no quantity means 1)."""
    lines = []
    for i, text in enumerate(raw.splitlines()):
        parts = text.replace(";", " ").replace(",", " ").replace("\t", " ").split()
        if not parts:
            continue
        if len(parts) > 2 or len(lines) >= MAX_ADDED:
            raise ValidationFailed({field: _("Line %(n)s: write a SKU and a quantity.", n=i + 1)})
        lines.append((parts[0][:64], parts[1] if len(parts) == 2 else "1"))
    return lines


async def _new_page(request: Request, db: AsyncSession, typed: dict[str, str], errors: dict[str, str]) -> Response:
    context = {"typed": typed, "errors": errors, "customers": await parties.queries.customer_choices(db)}
    return _render(request, "quote_new.html.j2", context, status=400 if errors else 200)


@get("/sales/quotes/new", name="backoffice:sales_quote_new", guards=STAFF)
async def new_quote(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _new_page(request, db, {"customer": "", "lines": "", "note": ""}, {})


@post("/sales/quotes", name="backoffice:sales_quote_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {"customer": form_text(form, "customer", 40), "lines": form_text(form, "lines", 20000)}
    typed["note"] = form_text(form, "note", 2001)
    tenant_id, actor = tenant_and_actor(request)
    try:
        customer = await parties.queries.customer_by_code(db, typed["customer"]) if typed["customer"] else None
        if customer is None:
            raise ValidationFailed({"customer": _("Choose a customer.")})
        ref = await sales.create_quote(
            db, tenant_id, customer.id, sku_lines(typed["lines"], "lines"), actor, note=typed["note"]
        )
    except ValidationFailed as exc:
        return await _new_page(request, db, typed, _by_field(exc.errors, "lines"))
    return redirect_with_flash(request, f"{BASE}/{ref.quote_id}", _("Quote %(number)s drafted.", number=ref.number))


def _by_field(errors: dict[str, str], field: str) -> dict[str, str]:
    """Line errors (`lines.3.sku`) gathered under the text area they came from."""
    out = {k: v for k, v in errors.items() if not k.startswith(field + ".")}
    lines = [v for k, v in errors.items() if k.startswith(field + ".")]
    if lines:
        out[field] = " ".join(lines)
    return out


async def quote_page(
    request: Request,
    db: AsyncSession,
    quote_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    detail = await sales.quote_detail(db, quote_id)  # NotFound (another tenant's): the 404 page
    editable = detail.summary.status in ("draft", "sent", "revision_requested")
    typed = typed or {"valid_until": detail.current.valid_until.isoformat(), "note": "", "added": "", "lines": {}}
    context = {"quote": detail, "errors": errors or {}, "typed": typed, "editable": editable}
    return _render(request, "quote.html.j2", context, status=400 if errors else 200)


@get("/sales/quotes/{quote_id:uuid}", name="backoffice:sales_quote", guards=STAFF)
async def quote(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    return await quote_page(request, db, quote_id)


def _revision(form: FormMultiDict) -> tuple[sales.QuoteRevision, dict[str, Any], list[str]]:
    """The revision as typed: the kept lines (parallel fields per line; `remove` drops one), the added lines, the
    validity and the note; and the variant id of each kept line, to show errors beside it."""
    variants, removed = texts(form, "variant")[:MAX_ADDED], set(texts(form, "remove"))
    qtys, prices, discounts = texts(form, "qty"), texts(form, "unit_price"), texts(form, "discount_pct")
    lines, kept, typed_lines = [], [], {}
    for i, raw in enumerate(variants):
        values = [(column[i] if i < len(column) else "")[:40] for column in (qtys, prices, discounts)]
        typed_lines[raw[:36]] = dict(zip(("qty", "unit_price", "discount_pct"), values, strict=True))
        variant_id = an_id(raw)
        if variant_id is None or raw in removed:
            continue
        lines.append(sales.RevisedLine(variant_id, values[0], values[1], values[2] or "0"))
        kept.append(str(variant_id))
    raw_date, added = form_text(form, "valid_until", 10), form_text(form, "added", 20000)
    try:
        valid_until = date.fromisoformat(raw_date)
    except ValueError:
        valid_until = None
    note = form_text(form, "note", 2001)
    typed = {"valid_until": raw_date, "note": note, "added": added, "lines": typed_lines, "removed": removed}
    revision = sales.QuoteRevision(tuple(lines), valid_until, note, tuple(sku_lines(added, "added")))
    return revision, typed, kept


def _line_errors(errors: dict[str, str], kept: list[str]) -> dict[str, str]:
    """`lines.<i>.<field>` -> `<variant id>.<field>`, so the message shows in that line's row."""
    out = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(kept):
            out[f"{kept[int(parts[1])]}.{parts[2]}"] = message
        else:
            out[key] = message
    return _by_field(out, "added")


@post("/sales/quotes/{quote_id:uuid}/revise", name="backoffice:sales_quote_revise", guards=STAFF)
async def revise(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    tenant_id, actor = tenant_and_actor(request)
    typed: dict[str, Any] = {}
    kept: list[str] = []
    try:
        revision, typed, kept = _revision(form)
        ref = await sales.revise_quote(db, tenant_id, quote_id, revision, actor)
    except ValidationFailed as exc:
        typed = typed or {"valid_until": "", "note": "", "added": form_text(form, "added", 20000), "lines": {}}
        return await quote_page(request, db, quote_id, errors=_line_errors(exc.errors, kept), typed=typed)
    message = _("Version %(n)s saved: send it when it is ready.", n=ref.version)
    return redirect_with_flash(request, f"{BASE}/{quote_id}", message)


@post("/sales/quotes/{quote_id:uuid}/send", name="backoffice:sales_quote_send", guards=STAFF)
async def send(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    link = tenant_link(request, f"/account/quotes/{quote_id}")
    try:
        ref = await sales.send_quote(db, tenant_id, quote_id, actor, link=link)
    except ValidationFailed as exc:
        return await quote_page(request, db, quote_id, errors={"status": " ".join(exc.errors.values())})
    message = _("Version %(n)s sent to the customer.", n=ref.version)
    return redirect_with_flash(request, f"{BASE}/{quote_id}", message)


@post("/sales/quotes/{quote_id:uuid}/decline", name="backoffice:sales_quote_decline", guards=STAFF)
async def decline(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    note = form_text(await request.form(), "reason", 2001)
    try:
        await sales.decline_quote(db, tenant_id, quote_id, actor, note)
    except ValidationFailed as exc:
        return await quote_page(request, db, quote_id, errors={"status": " ".join(exc.errors.values())})
    return redirect_with_flash(request, f"{BASE}/{quote_id}", _("Quote declined."))


HANDLERS = [quote_list, new_quote, create, quote, revise, send, decline]
