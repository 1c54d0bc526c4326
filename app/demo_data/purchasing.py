"""The demo tenant's purchasing: Spanish and European office-furniture makers and wholesalers with price lists and
lead times, orders received over the last months (some late, one with freight and one with duties), open orders
(sent, partly received, approved, one waiting for approval, a draft), a held bill and an approved one, and an open
request for quotation. Everything goes through the services, planned with a fixed seed; dates are relative to the
day the demo is built. Articles tracked by lot or serial are priced but not received here (the inventory demo
sets their tracking). `ensure_demo_purchasing` writes it once and describes it."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, purchasing
from app.actor import Actor
from app.catalog.models import Category, Product, ProductVariant
from app.inventory.models import Warehouse
from app.parties import Supplier, SupplierInput
from app.purchasing import services
from app.purchasing.models import PurchaseOrder, VendorBill
from app.purchasing.services import (
    AnswerInput,
    BillInput,
    BillLineInput,
    LandedCostInput,
    OrderInput,
    OrderLineInput,
    ReceiveLineInput,
    RfqInput,
    RfqLineInput,
    SupplierPriceInput,
)

SEED = 20261208
CENT = Decimal("0.01")
LINK = "https://demo.localhost/admin/purchasing/po/{token}"
# code, name, country, lead time, payment terms, e-mail, phone
SUPPLIERS = (
    ("TURIA", "Industrias del Mueble Turia S.A.", "ES", 12, 60, "pedidos@mueblesturia.test", "+34 961 550 120"),
    ("SILLERIA-NORTE", "Sillería del Norte S.L.", "ES", 15, 60, "ventas@silleriadelnorte.test", "+34 945 210 330"),
    ("OFIMAYOR", "Ofimayor Distribución S.L.", "ES", 4, 30, "compras@ofimayor.test", "+34 914 880 600"),
    ("LUMINA", "Lumina Illuminazione S.r.l.", "IT", 21, 90, "ordini@lumina-illuminazione.test", "+39 031 455 870"),
    ("NORDAKUSTIK", "Nordakustik GmbH", "DE", 28, 30, "bestellung@nordakustik.test", "+49 40 3344 550"),
    ("METAL-PORTO", "Metalúrgica do Porto Lda.", "PT", 18, 45, "encomendas@metalporto.test", "+351 22 600 4410"),
)
# top category -> the maker that supplies it; the wholesaler resells chairs and accessories at a markup
MAKERS = {
    "sillas": "SILLERIA-NORTE",
    "mesas": "TURIA",
    "almacenaje": "METAL-PORTO",
    "iluminacion": "LUMINA",
    "acustica": "NORDAKUSTIK",
    "accesorios": "OFIMAYOR",
    "exterior": "TURIA",
}
WHOLESALE = {"sillas", "accesorios", "iluminacion"}
TRACKED = {"exterior", "paneles-acusticos", "cabinas-acusticas"}  # the inventory demo tracks these by lot or serial


@dataclass(frozen=True)
class Article:
    variant_id: uuid.UUID
    sku: str
    cost: Decimal
    top: str
    category: str


async def ensure_demo_purchasing(
    session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, *, today: date | None = None
) -> list[str]:
    """The demo's purchasing, written once (when the tenant has no supplier); the console lines describing it."""
    today = today or date.today()
    if not await session.scalar(select(func.count()).select_from(Supplier)):
        articles = await _articles(session)
        if not articles:
            return []
        rng = random.Random(SEED)
        suppliers = await _suppliers(session, tenant_id, actor)
        await _price_lists(session, tenant_id, actor, rng, articles, suppliers)
        plain = [a for a in articles if a.category not in TRACKED and a.top in MAKERS]
        await _history(session, tenant_id, actor, rng, plain, suppliers, today)
        await _open_work(session, tenant_id, actor, rng, plain, suppliers, today)
    return await purchasing_summary(session)


async def _articles(session: AsyncSession) -> list[Article]:
    """Active variants of products that are not kits, with their cost and their category and its top category."""
    parent = Category.__table__.alias("parent")
    rows = await session.execute(
        select(ProductVariant.id, ProductVariant.sku, ProductVariant.cost, Category.slug, parent.c.slug)
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .join(Category, (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id))
        .outerjoin(parent, (parent.c.tenant_id == Category.tenant_id) & (parent.c.id == Category.parent_id))
        .where(~Product.is_kit, ProductVariant.status == "active", ProductVariant.cost > 0)
        .order_by(ProductVariant.sku)
    )
    return [Article(v, sku, cost, top or slug, slug) for v, sku, cost, slug, top in rows]


async def _suppliers(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> dict[str, uuid.UUID]:
    found = {}
    for code, name, country, lead, terms, email, phone in SUPPLIERS:
        data = SupplierInput(code, name, "EUR", country, "", email, phone, str(lead), str(terms))
        found[code] = (await parties.create_supplier(session, tenant_id, data, actor)).id
    return found


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


async def _price_lists(session, tenant_id, actor, rng: random.Random, articles: list[Article], suppliers) -> None:
    """Each article from its maker (a 10-unit break 5 % lower), many chairs and accessories also from the
    wholesaler, dearer but faster; accessories come in packs."""
    lead = {code: days for code, _n, _c, days, *_rest in SUPPLIERS}
    lists: dict[str, list[SupplierPriceInput]] = {code: [] for code in suppliers}
    for article in articles:
        maker = MAKERS.get(article.top)
        if maker is None:
            continue
        price = article.cost * Decimal(rng.randint(88, 100)) / 100
        pack = str(rng.choice((5, 10))) if article.top == "accesorios" else ""
        days = str(lead[maker] + rng.randint(-2, 4))
        for min_qty, factor in (("1", Decimal(1)), ("10", Decimal("0.95"))):
            lists[maker].append(SupplierPriceInput(article.variant_id, _money(price * factor), min_qty, "", days, pack))
        if article.top in WHOLESALE and maker != "OFIMAYOR" and rng.random() < 0.4:
            lists["OFIMAYOR"].append(
                SupplierPriceInput(article.variant_id, _money(price * Decimal("1.08")), "1", "", "4")
            )
    for code, lines in lists.items():
        if lines:
            await services.add_supplier_prices(session, tenant_id, suppliers[code], lines, actor)


def _pick(rng: random.Random, articles: list[Article], supplier: str, count: int) -> list[Article]:
    mine = [a for a in articles if MAKERS.get(a.top) == supplier]
    return rng.sample(mine, min(count, len(mine)))


async def _place(session, tenant_id, actor, supplier_id, lines, day: date, *, send: bool = True) -> uuid.UUID:
    """A draft order dated `day`, submitted, approved by the owner when it must be, and sent."""
    warehouse = await session.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN"))
    data = OrderInput(supplier_id, warehouse, tuple(lines))
    order = await services.create_order(session, tenant_id, data, actor, today=day)
    if not send:
        return order.id
    if (await services.submit_order(session, tenant_id, order.id, actor)).status == "to_approve":
        await services.approve_order(session, tenant_id, order.id, actor)
    await services.send_order(session, tenant_id, order.id, actor, link=LINK, today=day)
    return order.id


async def _receive_all(session, tenant_id, actor, order_id: uuid.UUID, day: date, share: Decimal = Decimal(1)):
    detail = await purchasing.queries.order_detail(session, order_id)
    lines = tuple(
        ReceiveLineInput(str(max((row.line.qty * share).to_integral_value(), Decimal(1))), order_line_id=row.line.id)
        for row in detail.lines
    )
    return await services.receive_order(session, tenant_id, order_id, lines, actor, received_on=day)


async def _history(session, tenant_id, actor, rng, articles: list[Article], suppliers, today: date) -> None:
    """Orders of the last months, received on time or late; freight on one, duties on an import."""
    for code, *_rest in SUPPLIERS:
        for round_ in range(2):
            chosen = _pick(rng, articles, code, 3)
            if not chosen:
                continue
            ordered = today - timedelta(days=120 - 45 * round_ - rng.randint(0, 10))
            lines = [OrderLineInput(a.variant_id, str(rng.randint(4, 12))) for a in chosen]
            order_id = await _place(session, tenant_id, actor, suppliers[code], lines, ordered)
            order = await session.get(PurchaseOrder, (tenant_id, order_id))
            late = 9 if code in ("NORDAKUSTIK", "LUMINA") else rng.randint(-2, 2)
            arrived = min(order.expected_on + timedelta(days=late), today)
            receipt = await _receive_all(session, tenant_id, actor, order_id, arrived)
            if round_ == 0:
                kind, amount = ("duty", "185.40") if code == "NORDAKUSTIK" else ("freight", str(rng.randint(60, 140)))
                await services.add_landed_cost(session, tenant_id, LandedCostInput(receipt.id, kind, amount), actor)


def _lines(chosen: list[Article], qty: str) -> list[OrderLineInput]:
    return [OrderLineInput(a.variant_id, qty) for a in chosen]


async def _open_work(session, tenant_id, actor, rng, articles: list[Article], suppliers, today: date) -> None:
    """Orders sent, partly received, approved, waiting for approval and a draft; two bills; an open RFQ."""
    chairs = _lines(_pick(rng, articles, "SILLERIA-NORTE", 3), "8")
    await _place(session, tenant_id, actor, suppliers["SILLERIA-NORTE"], chairs, today - timedelta(days=6))
    desks = _lines(_pick(rng, articles, "TURIA", 2), "10")
    partly = await _place(session, tenant_id, actor, suppliers["TURIA"], desks, today - timedelta(days=14))
    await _receive_all(session, tenant_id, actor, partly, today - timedelta(days=1), Decimal("0.5"))
    lamps = _lines(_pick(rng, articles, "LUMINA", 2), "12")
    approved = await _place(session, tenant_id, actor, suppliers["LUMINA"], lamps, today, send=False)
    await services.submit_order(session, tenant_id, approved, actor)  # below the threshold: approved at once
    big = _lines(_pick(rng, articles, "TURIA", 2), "60")
    waiting = await _place(session, tenant_id, actor, suppliers["TURIA"], big, today, send=False)
    await services.submit_order(session, tenant_id, waiting, actor)  # above 5,000: waits for the owner
    extras = _lines(_pick(rng, articles, "OFIMAYOR", 2), "10")
    await _place(session, tenant_id, actor, suppliers["OFIMAYOR"], extras, today, send=False)  # a draft
    await _bills(session, tenant_id, actor, partly, today)
    await _rfq(session, tenant_id, actor, rng, articles, suppliers, today)


async def _bills(session, tenant_id, actor, partly: uuid.UUID, today: date) -> None:
    """An approved bill for what came of one line of the partly received order, and one billing another too dear."""
    detail = await purchasing.queries.order_detail(session, partly)
    first, second = detail.lines[0].line, detail.lines[-1].line
    matching = (BillLineInput(first.id, str(first.qty_received), str(first.unit_price)),)
    await services.record_bill(session, tenant_id, BillInput(partly, "FT-2026-0412", today, matching), actor)
    dear = (
        BillLineInput(second.id, str(second.qty_received), str((second.unit_price * Decimal("1.06")).quantize(CENT))),
    )
    await services.record_bill(session, tenant_id, BillInput(partly, "FT-2026-0419", today, dear), actor)


async def _rfq(session, tenant_id, actor, rng, articles: list[Article], suppliers, today: date) -> None:
    """Three task chairs asked of the chair maker and the wholesaler; both answered."""
    chairs = _pick(rng, articles, "SILLERIA-NORTE", 3)
    warehouse = await session.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN"))
    asked = (suppliers["SILLERIA-NORTE"], suppliers["OFIMAYOR"])
    lines = tuple(RfqLineInput(a.variant_id, "25") for a in chairs)
    data = RfqInput(warehouse, asked, lines, today + timedelta(days=30), "Renovación de puestos, 2.º trimestre")
    rfq = await services.create_rfq(session, tenant_id, data, actor)
    detail = await purchasing.rfq_queries.rfq_detail(session, rfq.id)
    costs = {a.variant_id: a.cost for a in chairs}
    for supplier, factor, days in ((asked[0], Decimal("0.9"), "16"), (asked[1], Decimal("0.96"), "5")):
        answers = tuple(
            AnswerInput(row.line.id, _money(costs[row.line.variant_id] * factor), days)
            for row in detail.lines[: 3 if supplier == asked[0] else 2]
        )
        await services.record_answer(session, tenant_id, rfq.id, supplier, answers, actor)


async def purchasing_summary(session: AsyncSession) -> list[str]:
    """Console lines: suppliers and prices, orders by state, bills held and approved."""
    suppliers = await session.scalar(select(func.count()).select_from(Supplier))
    if not suppliers:
        return []
    by_state = select(PurchaseOrder.status, func.count()).group_by(PurchaseOrder.status)
    states = dict((await session.execute(by_state)).all())
    bills = dict((await session.execute(select(VendorBill.status, func.count()).group_by(VendorBill.status))).all())
    prices = sum(row.prices for row in await purchasing.queries.suppliers(session))
    open_orders = sum(states.get(s, 0) for s in ("to_approve", "approved", "sent", "partially_received"))
    return [
        f"  Purchasing:        {suppliers} suppliers, {prices} price list lines; {open_orders} open purchase orders "
        f"({states.get('to_approve', 0)} awaiting approval), {states.get('received', 0)} received; "
        f"bills {bills.get('approved', 0)} approved, {bills.get('held', 0)} held",
    ]
