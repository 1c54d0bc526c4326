"""What posting needs to know before it locks anything: the tenant's rules, the places, variants and lots named
by the lines, each checked (the location exists and holds stock, the lot is the variant's, tracking is respected)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import repo
from app.inventory.domain import Direction, StockRuleError, direction
from app.inventory.values import MoveLine


@dataclass(frozen=True, slots=True)
class Context:
    """The tenant's rules and the rows the lines name, by id."""

    currency: str
    cost_method: str
    allow_negative: bool
    places: dict[uuid.UUID, asyncpg.Record]
    items: dict[uuid.UUID, asyncpg.Record]
    lots: dict[uuid.UUID, asyncpg.Record]
    ways: dict[tuple[uuid.UUID, uuid.UUID], Direction]

    def sku(self, variant_id: uuid.UUID) -> str:
        return self.items[variant_id]["sku"]

    def warehouse_code(self, warehouse_id: uuid.UUID) -> str:
        return next((p["warehouse_code"] for p in self.places.values() if p["warehouse_id"] == warehouse_id), "")


async def load_context(conn: asyncpg.Connection, tenant_id: uuid.UUID, lines: Sequence[MoveLine]) -> Context:
    """Load and check what the lines name; another tenant's id is NotFound, a bad combination ValidationFailed."""
    rules = await repo.settings(conn, tenant_id)
    places = await repo.by_id(
        conn, repo.PLACES, tenant_id, [x for ln in lines for x in (ln.from_location_id, ln.to_location_id)]
    )
    items = await repo.by_id(conn, repo.ITEMS, tenant_id, [line.variant_id for line in lines])
    lots = await repo.by_id(conn, repo.LOTS, tenant_id, [line.lot_id for line in lines if line.lot_id])
    if len(items) < len({line.variant_id for line in lines}) or len(lots) < len(
        {ln.lot_id for ln in lines if ln.lot_id}
    ):
        raise NotFound()
    ways = {}
    for line in lines:
        key = (line.from_location_id, line.to_location_id)
        if key not in ways:
            ways[key] = _way(places, key)
        _check_lot(line, items[line.variant_id], lots.get(line.lot_id) if line.lot_id else None)
    return Context(rules["currency"], rules["cost_method"], rules["allow_negative"], places, items, lots, ways)


def _way(places: dict, key: tuple[uuid.UUID, uuid.UUID]) -> Direction:
    if key[0] == key[1]:
        raise ValidationFailed({"location": _("Choose another location to move the goods to.")})
    if key[0] not in places or key[1] not in places:
        raise NotFound()
    for place in (places[key[0]], places[key[1]]):
        if not place["is_active"]:
            raise ValidationFailed({"location": _("Location %(code)s is not active.", code=place["code"])})
        if place["kind"] == "view":
            raise ValidationFailed(
                {
                    "location": _(
                        "%(code)s groups other locations and holds no stock: choose one of them.", code=place["code"]
                    )
                }
            )
    try:
        return direction(places[key[0]]["kind"], places[key[1]]["kind"])
    except StockRuleError:
        raise ValidationFailed({"location": _("A move must come from or go to a stock location.")}) from None


def _check_lot(line: MoveLine, item: asyncpg.Record, lot: asyncpg.Record | None) -> None:
    if lot is not None and lot["variant_id"] != line.variant_id:
        raise ValidationFailed({"lot": _("Lot %(lot)s is not a lot of %(sku)s.", lot=lot["code"], sku=item["sku"])})
    if item["tracking"] == "lot" and lot is None:
        raise ValidationFailed({"lot": _("%(sku)s is tracked by lot: give the lot.", sku=item["sku"])})
    if item["tracking"] == "serial":
        if lot is None:
            raise ValidationFailed({"serials": _("%(sku)s is tracked by serial number: give them.", sku=item["sku"])})
        if line.qty != Decimal(1):
            raise ValidationFailed(
                {"serials": _("%(sku)s is tracked by serial number: one unit per serial number.", sku=item["sku"])}
            )
