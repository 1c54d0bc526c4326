"""A service's rates: set one zone's rate with its weight brackets, remove it, or import a pasted rate table.

The import reads lines "zone,up_to_kg,price" (';' or tabs too, so prices may keep a decimal comma) and
reports on every line; when any line is refused nothing is written and the report says why, line by line.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.shipping import _input, _records
from app.shipping.models import CarrierServiceRecord, ShippingRate, ShippingRateBracket, ShippingZone

MAX_LINES = 5000
MAX_DAYS = 365


@dataclass(frozen=True)
class RateInput:
    """One zone's rate as typed: brackets one per line as "up to kg; price" (or as pairs)."""

    zone_id: uuid.UUID | None
    transit_days: str | int
    base_fee: str | Decimal = "0"
    per_kg_beyond: str | Decimal | None = None
    brackets: str | Sequence[tuple[Decimal | str, Decimal | str]] = ""


@dataclass(frozen=True)
class ImportedLine:
    """What became of one line of a pasted rate table: added, changed, unchanged or refused (with why)."""

    line: int
    text: str
    zone: str = ""
    up_to_kg: Decimal | None = None
    price: Decimal | None = None
    outcome: str = "refused"
    message: str = ""


@dataclass(frozen=True)
class RateImport:
    """The line-by-line report of a rate table import, and how many brackets `replace` removed."""

    lines: list[ImportedLine]
    removed: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


class RateTableRefused(ValidationFailed):
    """A pasted rate table with refused lines: nothing was written; `report` says what each line would do."""

    def __init__(self, errors: dict[str, str], report: RateImport) -> None:
        super().__init__(errors)
        self.report = report


def bracket_text(pairs: Sequence[tuple[Decimal | str, Decimal | str]]) -> str:
    """Brackets as the forms show them: one "up to kg; price" per line."""
    return "\n".join(f"{_plain(kg)}; {_plain(price)}" for kg, price in pairs)


def _plain(value: Decimal | str) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


async def _brackets(session: AsyncSession, rate_id: uuid.UUID) -> dict[Decimal, ShippingRateBracket]:
    stmt = select(ShippingRateBracket).where(ShippingRateBracket.rate_id == rate_id)
    return {b.up_to_kg: b for b in await session.scalars(stmt)}


async def _rate_for(session: AsyncSession, service_id: uuid.UUID, zone_id: uuid.UUID) -> ShippingRate | None:
    stmt = select(ShippingRate).where(ShippingRate.service_id == service_id, ShippingRate.zone_id == zone_id)
    return await session.scalar(stmt.with_for_update())


async def _checked_rate(session: AsyncSession, service: CarrierServiceRecord, data: RateInput) -> tuple:
    errors: dict[str, str] = {}
    zone = None
    if data.zone_id is not None:
        zone = await session.scalar(
            select(ShippingZone).where(ShippingZone.id == data.zone_id, ShippingZone.carrier_id == service.carrier_id)
        )
    if zone is None:
        errors["zone_id"] = _("Choose one of the carrier's zones.")
    days = _input.whole(data.transit_days, "transit_days", errors, maximum=MAX_DAYS)
    base = _input.number(data.base_fee, "base_fee", errors, maximum=_input.MAX_AMOUNT, places=4, blank=Decimal(0))
    beyond = _input.number(data.per_kg_beyond, "per_kg_beyond", errors, maximum=_input.MAX_AMOUNT, places=4)
    typed = data.brackets if isinstance(data.brackets, str) else bracket_text(data.brackets)
    pairs = _input.brackets(typed, errors)
    if not pairs and "brackets" not in errors:
        errors["brackets"] = _("Enter at least one weight bracket, as in “5; 6.90”.")
    if errors:
        raise ValidationFailed(errors)
    return zone, days, base, beyond, pairs


async def set_rate(
    session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID, data: RateInput, actor: Actor
) -> ShippingRate:
    """The service's rate to one of its carrier's zones, created or replaced with its brackets."""
    service = await _records.service(session, service_id, for_update=True)  # one rate table write at a time
    zone, days, base, beyond, pairs = await _checked_rate(session, service, data)
    rate = await _rate_for(session, service.id, zone.id)
    before = {"base_fee": None, "transit_days": None, "per_kg_beyond": None, "brackets": None}
    if rate is None:
        rate = ShippingRate(tenant_id=tenant_id, service_id=service.id, zone_id=zone.id)
        session.add(rate)
    else:
        old = sorted((kg, b.price) for kg, b in (await _brackets(session, rate.id)).items())
        before = {**audit.snapshot(rate, ("base_fee", "transit_days", "per_kg_beyond")), "brackets": bracket_text(old)}
    rate.base_fee, rate.transit_days, rate.per_kg_beyond = base, days, beyond
    await session.flush()
    await session.execute(delete(ShippingRateBracket).where(ShippingRateBracket.rate_id == rate.id))
    session.add_all(
        ShippingRateBracket(tenant_id=tenant_id, rate_id=rate.id, up_to_kg=kg, price=price) for kg, price in pairs
    )
    await session.flush()
    after = {**audit.snapshot(rate, ("base_fee", "transit_days", "per_kg_beyond")), "brackets": bracket_text(pairs)}
    changes = audit.diff(before, after)
    if changes:
        changes["zone"] = zone.code
        await audit.record(session, tenant_id, actor, "shipping_rate.saved", "carrier_service", service.id, changes)
    return rate


async def remove_rate(session: AsyncSession, tenant_id: uuid.UUID, rate_id: uuid.UUID, actor: Actor) -> None:
    """The service no longer delivers to that zone (its quotes there become refusals)."""
    rate = await _records.one(session, ShippingRate, rate_id, for_update=True)
    zone = await _records.zone(session, rate.zone_id)
    await session.delete(rate)
    await session.flush()
    changes = {"zone": [zone.code, None]}
    await audit.record(session, tenant_id, actor, "shipping_rate.removed", "carrier_service", rate.service_id, changes)


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower() in {"zone", "zona"}


def _read_line(number: int, text: str, zones: dict[str, ShippingZone], seen: set) -> ImportedLine:
    """One pasted line checked on its own: its zone among the carrier's, its weight limit and price."""
    cells = _input.columns(text)
    if len(cells) != 3:
        return ImportedLine(number, text, message=_("Write three columns: zone, up to kg, price."))
    problems: dict[str, str] = {}
    zone = cells[0].strip().upper()
    kg = _input.number(cells[1], "up_to_kg", problems, maximum=_input.MAX_KG, places=3, above_zero=True)
    price = _input.number(cells[2], "price", problems, maximum=_input.MAX_AMOUNT, places=4)
    if zone not in zones:
        problems["zone"] = _("The carrier has no zone %(code)s.", code=zone[:20])
    if (zone, kg) in seen:
        problems["line"] = _("This zone and weight are already on an earlier line.")
    if problems or kg is None or price is None:
        message = next(iter(problems.values()), _("Enter a number."))
        return ImportedLine(number, text, zone, kg, price, message=message)
    seen.add((zone, kg))
    return ImportedLine(number, text, zone, kg, price, outcome="pending")


def _read_table(text: str, zones: dict[str, ShippingZone]) -> list[ImportedLine]:
    rows = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]
    if rows and _is_header(_input.columns(rows[0][1])):
        rows = rows[1:]
    seen: set = set()
    return [_read_line(n, line[:200], zones, seen) for n, line in rows]


def _days_known(line: ImportedLine, rates: dict[str, ShippingRate], days: int | None) -> ImportedLine:
    """A line for a zone the service has no rate to yet is refused unless transit days were given for new zones."""
    if line.outcome == "refused" or line.zone in rates or days is not None:
        return line
    message = _("The service has no rate to zone %(code)s yet: enter the transit days for new zones.", code=line.zone)
    return ImportedLine(line.line, line.text, line.zone, line.up_to_kg, line.price, message=message)


async def _apply_zone(
    session: AsyncSession, rate: ShippingRate, lines: list[ImportedLine], replace: bool
) -> tuple[list[ImportedLine], int]:
    """Write one zone's lines into its rate's brackets; with `replace`, drop the brackets the table leaves out."""
    existing = await _brackets(session, rate.id)
    done = []
    for line in lines:
        bracket = existing.get(line.up_to_kg)
        if bracket is None:
            session.add(
                ShippingRateBracket(tenant_id=rate.tenant_id, rate_id=rate.id, up_to_kg=line.up_to_kg, price=line.price)
            )
            outcome = "added"
        elif bracket.price == line.price:
            outcome = "unchanged"
        else:
            bracket.price, outcome = line.price, "changed"
        done.append(ImportedLine(line.line, line.text, line.zone, line.up_to_kg, line.price, outcome))
    kept = {line.up_to_kg for line in lines}
    dropped = [bracket for kg, bracket in existing.items() if replace and kg not in kept]
    for bracket in dropped:
        await session.delete(bracket)
    return done, len(dropped)


async def _checked_table(
    session: AsyncSession, service: CarrierServiceRecord, text: str, transit_days: str | int | None
) -> tuple[list[ImportedLine], dict[str, ShippingZone], dict[str, ShippingRate], int | None]:
    if len(text or "") > 200_000 or (text or "").count("\n") >= MAX_LINES:
        raise ValidationFailed({"table": _("Paste at most %(n)s lines.", n=MAX_LINES)})
    errors: dict[str, str] = {}
    days = None
    if str(transit_days if transit_days is not None else "").strip():
        days = _input.whole(transit_days, "transit_days", errors, maximum=MAX_DAYS)
    zones = {
        z.code: z
        for z in await session.scalars(select(ShippingZone).where(ShippingZone.carrier_id == service.carrier_id))
    }
    lines = _read_table(text, zones)
    if not lines:
        errors["table"] = _("Paste at least one line: zone, up to kg, price.")
    if errors:
        raise ValidationFailed(errors)
    stmt = select(ShippingRate).where(ShippingRate.service_id == service.id).with_for_update()
    by_zone_id = {rate.zone_id: rate for rate in await session.scalars(stmt)}
    rates = {code: by_zone_id[zone.id] for code, zone in zones.items() if zone.id in by_zone_id}
    return [_days_known(line, rates, days) for line in lines], zones, rates, days


async def import_rate_table(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    service_id: uuid.UUID,
    text: str,
    actor: Actor,
    *,
    transit_days: str | int | None = None,
    replace: bool = False,
) -> RateImport:
    """Brackets from pasted lines "zone,up_to_kg,price": each line adds or reprices one bracket of the service's
    rate to that zone (a zone new to the service gets a rate with no base fee and `transit_days`). Any refused
    line refuses the whole table (RateTableRefused, with the report); `replace` drops brackets left out."""
    service = await _records.service(session, service_id, for_update=True)  # one rate table write at a time
    lines, zones, rates, days = await _checked_table(session, service, text, transit_days)
    refused = sum(1 for line in lines if line.outcome == "refused")
    if refused:
        message = _("%(n)s of %(total)s lines were refused: nothing was changed.", n=refused, total=len(lines))
        raise RateTableRefused({"table": message}, RateImport(lines))
    done: list[ImportedLine] = []
    removed = 0
    for code in sorted({line.zone for line in lines}):
        rate = rates.get(code)
        if rate is None:
            rate = ShippingRate(tenant_id=tenant_id, service_id=service.id, zone_id=zones[code].id, transit_days=days)
            session.add(rate)
            await session.flush()
        zone_done, zone_removed = await _apply_zone(
            session, rate, [line for line in lines if line.zone == code], replace
        )
        done.extend(zone_done)
        removed += zone_removed
    await session.flush()
    report = RateImport(sorted(done, key=lambda line: line.line), removed)
    changes = {outcome: report.count(outcome) for outcome in ("added", "changed", "unchanged")}
    changes.update(removed=removed, zones=", ".join(sorted({line.zone for line in lines})))
    await audit.record(session, tenant_id, actor, "shipping_rates.imported", "carrier_service", service.id, changes)
    return report
