"""Two years of order history for the demo's customer companies, so that order lists, reports and the planning
forecast have a past to read: a few hundred orders dated over the last 24 months, with the seasons an office
furniture maker sees (September's return to work and the school summer refits high, August and Christmas low,
a little growth year on year), each company buying its own usual articles at its own rhythm.

Past orders cannot be placed through place_order (it dates everything now and reserves today's stock), so
they are written in bulk into the sales tables (orders, lines, their status timeline), priced for each company
by the pricing engine and taxed by the sales rules as placing them would have been; numbered from the sales
series in date order before today's demo orders take theirs. Nearly all are shipped (ready for invoicing),
a few cancelled. Shipments and invoices are other seeders' business. Written once, with the first orders.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.base import new_id
from app.catalog.documents import ProductSearch
from app.catalog.models import Product, ProductVariant
from app.catalog.services import viewer_catalogs
from app.identity.models import User
from app.inventory.models import Warehouse
from app.ledger.models import TaxRate
from app.numbering.services import take_number
from app.parties import Address, Customer
from app.pricing.services import price_variants, pricing_context_for
from app.sales.domain import OrderLineInput, TaxSettings, order_totals
from app.sales.models import SalesOrder, SalesOrderEvent, SalesOrderLine
from tenants.models import Tenant

SEED = 20241209
MONTHS = 24
# orders a month at the start, per company code (and for any other company); the season multiplies it
RHYTHM = {"COWORK": 5.0, "ALBUFERA": 3.0, "SANTACLARA": 2.0, "ROIG": 2.5}
OFFICE_SEASON = (1.1, 1.0, 1.15, 0.9, 1.0, 1.1, 0.8, 0.35, 1.5, 1.25, 1.1, 0.6)  # January to December
SCHOOL_SEASON = (0.5, 0.5, 0.6, 0.6, 0.9, 1.6, 2.8, 1.8, 1.4, 0.5, 0.4, 0.3)  # refits before the school year
GROWTH = 0.10  # a year
CANCELLED = 0.04


@dataclass(frozen=True, slots=True)
class _Company:
    """A demo company as the history needs it: who buys, where it ships and bills, what it usually buys."""

    id: uuid.UUID
    code: str
    tax_id: str | None
    buyers: tuple[tuple[uuid.UUID, str], ...]  # (user id, e-mail)
    ship_to: uuid.UUID | None
    bill_to: uuid.UUID | None
    articles: tuple[tuple[uuid.UUID, str, str, str, Decimal], ...]  # variant, SKU, name, tax class, unit price


def monthly_orders(code: str, month_index: int, month: int) -> float:
    """The expected number of a company's orders in a month (`month_index` 0 = two years ago)."""
    season = SCHOOL_SEASON if code == "SANTACLARA" else OFFICE_SEASON
    growth = (1 + GROWTH) ** (month_index / 12)
    return RHYTHM.get(code, 2.0) * season[month - 1] * growth


async def seed_order_history(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, *, today: date) -> int:
    """Write the history (the caller checks it is not there yet); how many orders were written."""
    tenant = (await session.execute(select(Tenant.country, Tenant.currency).where(Tenant.id == tenant_id))).one()
    warehouse = await session.scalar(select(Warehouse.id).order_by(Warehouse.is_default.desc(), Warehouse.code))
    if warehouse is None:
        return 0
    rng = random.Random(SEED)
    companies = [c for c in await _companies(session, tenant_id, tenant.currency, rng) if c.articles and c.buyers]
    rates = dict((await session.execute(select(TaxRate.code, TaxRate.rate))).all())
    standard = rates.get("STD", Decimal(0))
    settings = TaxSettings(
        home_country=tenant.country,
        prices_include_tax=False,
        rates={(tenant.country, cls): rates.get(code, standard) for code, cls in _RATE_CLASSES.items()},
        distance_sales_at_destination=False,
    )
    plans = [(day, company) for company in companies for day in _order_days(company.code, today, rng)]
    plans.sort(key=lambda plan: (plan[0], plan[1].code))
    orders, lines, events = [], [], []
    for day, company in plans:
        order, order_lines, order_events = _order(company, day, rng, tenant, settings, warehouse, actor)
        order["number"] = await take_number(session, "sales_order")
        orders.append(order)
        lines.extend(order_lines)
        events.extend(order_events)
    for table, rows in ((SalesOrder, orders), (SalesOrderLine, lines), (SalesOrderEvent, events)):
        for start in range(0, len(rows), 1000):
            await session.execute(insert(table), [dict(row, tenant_id=tenant_id) for row in rows[start : start + 1000]])
    return len(orders)


_RATE_CLASSES = {"STD": "standard", "RED": "reduced", "SRED": "super_reduced"}


def _order_days(code: str, today: date, rng: random.Random) -> list[date]:
    """The days a company ordered on over the last MONTHS months (working days, none in the last week)."""
    days = []
    first = date(today.year - 2, today.month, 1)
    for index in range(MONTHS):
        year, month = first.year + (first.month - 1 + index) // 12, (first.month - 1 + index) % 12 + 1
        expected = monthly_orders(code, index, month)
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _ in range(count):
            day = date(year, month, rng.randint(1, 28))
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            if day < today - timedelta(days=7):
                days.append(day)
    return days


def _order(company: _Company, day: date, rng: random.Random, tenant, settings, warehouse, actor: Actor):
    """One past order's row, lines and timeline (placed and confirmed, shipped a few days later; or cancelled)."""
    order_id = new_id()
    picked = rng.sample(company.articles, k=min(len(company.articles), rng.choice((1, 1, 2, 2, 3, 4, 5))))
    bulk = 3 if company.code == "SANTACLARA" else 1  # a school furnishes classrooms
    lines_in = [
        (article, Decimal(rng.choice((1, 1, 2, 2, 3, 4, 6, 10)) * bulk * rng.choice((1, 1, 1, 2))))
        for article in picked
    ]
    totals = order_totals(
        [OrderLineInput(n, a[0], qty, a[4], a[3]) for n, (a, qty) in enumerate(lines_in)],
        currency=tenant.currency,
        tax_settings=settings,
        destination_country=tenant.country,
        buyer_vat_id=company.tax_id,
    )
    placed_at = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=UTC)
    cancelled = rng.random() < CANCELLED
    shipped_at = placed_at + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
    status = "cancelled" if cancelled else "shipped"
    buyer, label = rng.choice(company.buyers)
    order = {
        "id": order_id,
        "idempotency_key": f"history-{order_id.hex}",
        "customer_id": company.id,
        "placed_by": buyer,
        "status": status,
        "currency": tenant.currency,
        "net": totals.net,
        "tax": totals.tax,
        "gross": totals.grand_total,
        "po_number": f"PO-{day:%y%m}-{rng.randint(100, 999)}" if rng.random() < 0.6 else "",
        "ship_address_id": company.ship_to,
        "bill_address_id": company.bill_to,
        "delivery_mode": "ship_available",
        "payment_method": "account",
        "warehouse_id": warehouse,
        "tax_treatment": totals.taxes.treatment.kind.value,
        "placed_at": placed_at,
        "created_at": placed_at,
        "updated_at": placed_at if cancelled else shipped_at,
    }
    taxed = {t.line_id: t for t in totals.taxes.lines}
    lines = []
    for position, ((article, qty), priced) in enumerate(zip(lines_in, totals.lines, strict=True)):
        tax = taxed[priced.line_id]
        lines.append(
            {
                "id": new_id(),
                "order_id": order_id,
                "position": position,
                "variant_id": article[0],
                "sku": article[1],
                "name": article[2][:300],
                "qty": qty,
                "unit_price": priced.unit_price,
                "discount_pct": priced.discount_pct,
                "tax_class": str(tax.tax_class),
                "tax_rate": tax.rate,
                "net": tax.net,
                "tax": tax.tax,
                "gross": tax.gross,
                "reserved_qty": Decimal(0),
                "shipped_qty": Decimal(0) if cancelled else qty,
            }
        )
    steps = [(None, "confirmed", placed_at, buyer, "customer", label)]
    if cancelled:
        steps.append(("confirmed", "cancelled", placed_at + timedelta(hours=3), None, actor.kind, actor.label))
    else:
        steps.append(("confirmed", "shipped", shipped_at, None, actor.kind, actor.label))
    events = [
        {
            "id": new_id(),
            "order_id": order_id,
            "from_status": before,
            "to_status": after,
            "actor_kind": kind,
            "actor_id": who,
            "actor_label": who_label[:320],
            "note": "Pedido duplicado" if after == "cancelled" else "",
            "created_at": at,
        }
        for before, after, at, who, kind, who_label in steps
    ]
    return order, lines, events


async def _companies(session: AsyncSession, tenant_id: uuid.UUID, currency: str, rng: random.Random) -> list[_Company]:
    """Every customer company with its buyers, its default addresses and 6 to 14 usual articles it may buy,
    priced for it (an article without a price for the company is left out)."""
    variants = (
        await session.execute(
            select(ProductVariant.id, ProductVariant.sku, Product.name, Product.tax_class, ProductSearch.catalog_ids)
            .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
            .join(
                ProductSearch, (ProductSearch.tenant_id == Product.tenant_id) & (ProductSearch.product_id == Product.id)
            )
            .where(Product.status == "active", ProductVariant.status == "active", ProductVariant.min_qty <= 1)
            .where(ProductVariant.order_multiple == 1)
            .order_by(ProductVariant.sku)
        )
    ).all()
    companies = []
    for customer in (await session.scalars(select(Customer).order_by(Customer.code))).all():
        allowed = await viewer_catalogs(session, customer.id)
        mine = [v for v in variants if allowed is None or not allowed.isdisjoint(v.catalog_ids or ())]
        usual = rng.sample(mine, k=min(len(mine), rng.randint(6, 14)))
        ctx = await pricing_context_for(session, _Tenant(tenant_id, currency), customer.id)
        sheet = await price_variants(session, ctx, [v.id for v in usual], tiers=False)
        articles = tuple(
            (v.id, v.sku, (v.name or {}).get("es") or v.sku, v.tax_class, sheet.quotes[v.id].unit_price)
            for v in usual
            if v.id in sheet.quotes and sheet.quotes[v.id].unit_price is not None
        )
        people = select(User.id, User.email).where(User.customer_id == customer.id, User.kind == "customer")
        buyers = tuple((row.id, row.email) for row in await session.execute(people.order_by(User.email)))
        ship_to, bill_to = await _defaults(session, customer.id)
        companies.append(_Company(customer.id, customer.code, customer.tax_id, buyers, ship_to, bill_to, articles))
    return companies


@dataclass(frozen=True, slots=True)
class _Tenant:
    id: uuid.UUID
    currency: str


async def _defaults(session: AsyncSession, customer_id: uuid.UUID) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    rows = (
        await session.execute(
            select(Address.id, Address.is_default_shipping, Address.is_default_billing)
            .where(Address.customer_id == customer_id, ~Address.is_archived)
            .order_by(Address.created_at)
        )
    ).all()
    ship = next((r.id for r in rows if r.is_default_shipping), rows[0].id if rows else None)
    bill = next((r.id for r in rows if r.is_default_billing), ship)
    return ship, bill
