"""Supply cost analysis: for each supplier route (an article from a supplier's country to a warehouse), the landed
cost against the list price and the promised against the actual lead time, flagged when unprofitable (margin on
the base sale price below the tenant's limit) or late (domain rule `analyse_supply`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Warehouse
from app.parties import Supplier
from app.pricing.domain import PricingContext
from app.pricing.services import price_variants
from app.purchasing import _rows
from app.purchasing.domain import RouteAnalysis, SupplyRecord, analyse_supply
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from app.purchasing.rules import buying_rules

ZERO = Decimal(0)
MAX_RECORDS = 20_000


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One route's figures with the names people read; `sale_price` None when the article has no base price."""

    analysis: RouteAnalysis
    supplier_code: str
    supplier_name: str
    sku: str
    name: dict
    warehouse_code: str
    sale_price: Decimal | None

    @property
    def flagged(self) -> bool:
        return self.analysis.unprofitable or self.analysis.late


@dataclass(frozen=True, slots=True)
class SupplierTotal:
    """A supplier's routes together: goods at list price and landed, the uplift, how many routes are flagged."""

    supplier_id: uuid.UUID
    code: str
    name: str
    routes: int
    list_value: Decimal
    landed_value: Decimal
    flagged: int

    @property
    def uplift_pct(self) -> Decimal | None:
        if not self.list_value:
            return None
        return ((self.landed_value - self.list_value) * 100 / self.list_value).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class SupplyAnalysis:
    currency: str
    since: date
    routes: list[RouteRow]
    suppliers: list[SupplierTotal]


async def _records(session: AsyncSession, since: date) -> list[SupplyRecord]:
    """Every receipt line since the date, in the tenant's currency, dates kept in order for the rule."""
    promised = func.coalesce(PurchaseOrderLine.expected_on, PurchaseOrder.expected_on, PurchaseOrder.ordered_on)
    stmt = (
        select(
            PurchaseOrder.supplier_id,
            PurchaseReceiptLine.variant_id,
            Supplier.country,
            PurchaseOrder.warehouse_id,
            PurchaseReceiptLine.qty,
            PurchaseOrderLine.unit_price * PurchaseOrder.exchange_rate,
            PurchaseReceiptLine.value + PurchaseReceiptLine.landed_cost,
            PurchaseOrder.ordered_on,
            promised,
            PurchaseReceipt.received_on,
        )
        .select_from(PurchaseReceiptLine)
        .join(PurchaseReceipt, _same(PurchaseReceipt.id, PurchaseReceiptLine.receipt_id, PurchaseReceipt))
        .join(PurchaseOrderLine, _same(PurchaseOrderLine.id, PurchaseReceiptLine.order_line_id, PurchaseOrderLine))
        .join(PurchaseOrder, _same(PurchaseOrder.id, PurchaseOrderLine.order_id, PurchaseOrder))
        .join(Supplier, _same(Supplier.id, PurchaseOrder.supplier_id, Supplier))
        .where(PurchaseReceipt.received_on >= since)
        .order_by(Supplier.code, PurchaseReceipt.received_on)
        .limit(MAX_RECORDS)
    )
    records = []
    for supplier, variant, origin, warehouse, qty, price, landed, ordered, due, received in await session.execute(stmt):
        due, received = max(due, ordered), max(received, ordered)
        records.append(SupplyRecord(supplier, variant, origin, warehouse, qty, price, landed, ordered, due, received))
    return records


def _same(left, right, model):
    return (model.tenant_id == PurchaseReceiptLine.tenant_id) & (left == right)


async def supply_analysis(
    session: AsyncSession, tenant_id: uuid.UUID, *, since: date | None = None, today: date | None = None
) -> SupplyAnalysis:
    """The analysis of what was received since the date (a year back by default), routes of each supplier together."""
    today = today or date.today()
    since = since or today - timedelta(days=365)
    currency = (await _rows.tenant(session, tenant_id)).currency
    rules = await buying_rules(session, tenant_id)
    records = await _records(session, since)
    variants = sorted({r.product for r in records})
    sheet = await price_variants(session, PricingContext(currency=currency, on=today), variants) if variants else None
    sale = {v: q.unit_price for v, q in (sheet.quotes.items() if sheet else ()) if q.unit_price is not None}
    routes = analyse_supply(records, sale_prices=sale, thresholds=rules.thresholds)
    rows = await _named(session, routes, sale)
    return SupplyAnalysis(currency, since, rows, _by_supplier(rows, records))


async def _named(session: AsyncSession, routes, sale: dict) -> list[RouteRow]:
    suppliers = {s.id: s for s in await session.scalars(select(Supplier))}
    warehouses = dict((await session.execute(select(Warehouse.id, Warehouse.code))).all())
    articles = await _rows.articles(session, [r.route.product for r in routes])
    rows = []
    for analysis in routes:
        supplier, article = suppliers[analysis.route.supplier], articles.get(analysis.route.product)
        rows.append(
            RouteRow(
                analysis,
                supplier.code,
                supplier.name,
                article.sku if article else "",
                article.name if article else {},
                warehouses.get(analysis.route.warehouse, ""),
                sale.get(analysis.route.product),
            )
        )
    return rows


def _by_supplier(rows: list[RouteRow], records: list[SupplyRecord]) -> list[SupplierTotal]:
    totals: dict[uuid.UUID, list] = {}
    for record in records:
        entry = totals.setdefault(record.supplier, [ZERO, ZERO])
        entry[0] += record.qty * record.list_price
        entry[1] += record.landed_cost
    found = []
    for supplier_id, (list_value, landed) in totals.items():
        mine = [row for row in rows if row.analysis.route.supplier == supplier_id]
        flagged = sum(1 for row in mine if row.flagged)
        code, name = (mine[0].supplier_code, mine[0].supplier_name) if mine else ("", "")
        found.append(SupplierTotal(supplier_id, code, name, len(mine), list_value, landed, flagged))
    return sorted(found, key=lambda total: total.code)
