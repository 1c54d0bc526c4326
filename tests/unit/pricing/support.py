"""Plain-value builders shared by the pricing unit tests (no tests here; no database, no mocks)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from app.pricing.domain import PriceRule, PricingContext, PricingItem, Promotion

TODAY = date(2026, 6, 15)
ITEM = PricingItem(
    variant_id="v1", product_id="p1", category_ids=("drills", "tools"), cost=Decimal("40.00"), cost_currency="EUR"
)
ACME = PricingContext(currency="EUR", on=TODAY, customer_id="acme", group_ids=frozenset({"wholesale"}))
LISTS = {
    "contract": {"list_id": "ct", "list_code": "CT-ACME", "customer_id": "acme"},
    "customer": {"list_id": "cu", "list_code": "CU-ACME", "customer_id": "acme"},
    "group": {"list_id": "wh", "list_code": "WHOLESALE", "group_id": "wholesale"},
    "base": {"list_id": "base", "list_code": "BASE-EUR"},
}
_ids = itertools.count(1)


def D(value: str | int) -> Decimal:
    return Decimal(str(value))


def rule(level: str = "base", value: str = "100.00", **fields: object) -> PriceRule:
    """A rule of the level's usual list; scope defaults to variant v1."""
    values: dict[str, object] = {"currency": "EUR", **LISTS[level]}
    if not {"variant_id", "product_id", "category_id", "everywhere"} & fields.keys():
        values["variant_id"] = "v1"
    fields.pop("everywhere", None)
    if "min_qty" in fields:
        fields["min_qty"] = D(fields["min_qty"])  # type: ignore[arg-type]
    values.update(fields)
    return PriceRule(id=f"r{next(_ids)}", level=level, value=D(value), **values)  # type: ignore[arg-type]


def promo(code: str = "SPRING", value: str = "10", kind: str = "percent", **fields: object) -> Promotion:
    if "min_qty" in fields:
        fields["min_qty"] = D(fields["min_qty"])  # type: ignore[arg-type]
    return Promotion(id=f"pr-{code}-{next(_ids)}", code=code, kind=kind, value=D(value), **fields)  # type: ignore[arg-type]
