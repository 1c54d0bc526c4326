"""Supply cost analysis: what each supplier route really costs and how late it delivers, flagged against limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.purchasing._errors import HUNDRED, ZERO, Id, PurchasingRuleError, decimal, not_negative, positive

COST_PLACES = Decimal("0.0001")
PCT_PLACES = Decimal("0.01")
DAY_PLACES = Decimal("0.1")


class SupplyRecord(NamedTuple):
    """One received purchase line, amounts in the tenant's currency.

    list_price: the supplier's unit price on the order; landed_cost: what the whole line cost once freight,
    duties and the like were allocated (goods included).
    """

    supplier: Id
    product: Id
    origin: str
    warehouse: Id
    qty: Decimal
    list_price: Decimal
    landed_cost: Decimal
    ordered_on: date
    promised_on: date
    received_on: date


class SupplyRoute(NamedTuple):
    """What the analysis groups by: a product from a supplier, shipped from an origin to a warehouse."""

    supplier: Id
    product: Id
    origin: str
    warehouse: Id


class SupplyThresholds(NamedTuple):
    """The limits: margin below min_margin_pct is unprofitable; late when the mean delay is above
    max_mean_delay_days or (if given) the on-time share is below min_on_time_pct."""

    min_margin_pct: Decimal = ZERO
    max_mean_delay_days: Decimal = ZERO
    min_on_time_pct: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RouteAnalysis:
    """The figures of one route: per-unit costs (4 decimals), percentages (2), days (1); margin None without a
    sale price. A delay is received minus promised (negative: early); on time is received by the promised day."""

    route: SupplyRoute
    deliveries: int
    qty: Decimal
    list_per_unit: Decimal
    landed_per_unit: Decimal
    uplift_pct: Decimal | None
    promised_lead_days: Decimal
    actual_lead_days: Decimal
    mean_delay_days: Decimal
    on_time_pct: Decimal
    margin_pct: Decimal | None
    unprofitable: bool
    late: bool


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(DAY_PLACES, rounding=ROUND_HALF_UP)


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(PCT_PLACES, rounding=ROUND_HALF_UP)


def _route(
    route: SupplyRoute, records: list[SupplyRecord], sale_price: Decimal | None, limits: SupplyThresholds
) -> RouteAnalysis:
    """The analysis of one route's records."""
    qty = sum((record.qty for record in records), ZERO)
    list_value = sum((record.qty * record.list_price for record in records), ZERO)
    landed_value = sum((record.landed_cost for record in records), ZERO)
    landed_per_unit = (landed_value / qty).quantize(COST_PLACES, rounding=ROUND_HALF_UP)
    delays = [(record.received_on - record.promised_on).days for record in records]
    on_time = _pct(Decimal(sum(1 for delay in delays if delay <= 0)), Decimal(len(delays)))
    mean_delay = _mean(delays)
    margin = None if not sale_price else _pct(sale_price - landed_value / qty, sale_price)
    late = mean_delay > limits.max_mean_delay_days or (
        limits.min_on_time_pct is not None and on_time < limits.min_on_time_pct
    )
    return RouteAnalysis(
        route=route,
        deliveries=len(records),
        qty=qty,
        list_per_unit=(list_value / qty).quantize(COST_PLACES, rounding=ROUND_HALF_UP),
        landed_per_unit=landed_per_unit,
        uplift_pct=_pct(landed_value - list_value, list_value) if list_value else None,
        promised_lead_days=_mean([(record.promised_on - record.ordered_on).days for record in records]),
        actual_lead_days=_mean([(record.received_on - record.ordered_on).days for record in records]),
        mean_delay_days=mean_delay,
        on_time_pct=on_time,
        margin_pct=margin,
        unprofitable=margin is not None and margin < limits.min_margin_pct,
        late=late,
    )


def _check(record: SupplyRecord) -> None:
    positive("qty", record.qty)
    not_negative("list_price", record.list_price)
    not_negative("landed_cost", record.landed_cost)
    if record.promised_on < record.ordered_on or record.received_on < record.ordered_on:
        raise PurchasingRuleError("received_on", f"a delivery of {record.product} is dated before its order")


def analyse_supply(
    records: Iterable[SupplyRecord],
    *,
    sale_prices: Mapping[Id, Decimal] | None = None,
    thresholds: SupplyThresholds = SupplyThresholds(),
) -> tuple[RouteAnalysis, ...]:
    """One analysis per route, in the order routes first appear; margin against the product's sale price.

    A route is per product so that per-unit figures and the margin mean something; sum them for a supplier.
    """
    decimal("min_margin_pct", thresholds.min_margin_pct)
    decimal("max_mean_delay_days", thresholds.max_mean_delay_days)
    routes: dict[SupplyRoute, list[SupplyRecord]] = {}
    for record in records:
        _check(record)
        key = SupplyRoute(record.supplier, record.product, record.origin, record.warehouse)
        routes.setdefault(key, []).append(record)
    prices = {product: not_negative("sale_prices", price) for product, price in (sale_prices or {}).items()}
    return tuple(_route(route, found, prices.get(route.product), thresholds) for route, found in routes.items())
