"""Create, change and list price lists: the base list, a customer group's, a customer's, a customer's contract."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog.repo import get
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.parties import Customer, CustomerGroup
from app.pricing import repo
from app.pricing.domain import PriceRule, validate_rule
from app.pricing.models import LEVELS, ROUNDINGS, PriceList, PriceRuleRecord
from app.pricing.services._support import CODE_RE, day, exists, period
from tenants.seeding import TenantSeed

_AUDITED = (
    "code",
    "name",
    "currency",
    "level",
    "customer_group_id",
    "customer_id",
    "valid_from",
    "valid_to",
    "is_active",
    "rounding",
)
_LEVEL_ORDER = case({"contract": 0, "customer": 1, "group": 2, "base": 3}, value=PriceList.level)


@dataclass(frozen=True)
class PriceListInput:
    """A price list as staff enter it; the group is for 'group' lists, the customer for 'customer' and 'contract'."""

    code: str
    name: str
    currency: str
    level: str = "base"
    customer_group_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    valid_from: date | str | None = None
    valid_to: date | str | None = None
    is_active: bool = True
    rounding: str = "cent"  # what its rules round to unless they say otherwise


async def _validated(session: AsyncSession, data: PriceListInput, *, exclude_id: uuid.UUID | None = None) -> dict:
    """Every field checked at once; the group or customer must be the tenant's."""
    errors: dict[str, str] = {}
    code, name, currency = data.code.strip().upper(), " ".join(data.name.split()), data.currency.strip().upper()
    if not CODE_RE.fullmatch(code):
        errors["code"] = _("Enter a code of up to 40 letters, digits, hyphens or underscores.")
    else:
        taken = select(PriceList.id).where(PriceList.code == code)
        if exclude_id is not None:
            taken = taken.where(PriceList.id != exclude_id)
        if await session.scalar(taken) is not None:
            errors["code"] = _("Price list code %(code)s is already used.", code=code)
    if not name or len(name) > 200:
        errors["name"] = _("Enter a name of up to 200 characters.")
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        errors["currency"] = _("Enter a three-letter currency code such as EUR.")
    if data.rounding not in ROUNDINGS:
        errors["rounding"] = _("Choose a valid rounding.")
    group_id = customer_id = None
    if data.level not in LEVELS:
        errors["level"] = _("Choose contract, customer, group or base.")
    elif data.level == "group":
        group_id = data.customer_group_id
        if group_id is None or not await exists(session, CustomerGroup, group_id):
            errors["customer_group_id"] = _("Choose an existing customer group.")
    elif data.level in ("customer", "contract"):
        customer_id = data.customer_id
        if customer_id is None or not await exists(session, Customer, customer_id):
            errors["customer_id"] = _("Choose an existing customer.")
    valid_from, valid_to = day(data.valid_from, "valid_from", errors), day(data.valid_to, "valid_to", errors)
    period(errors, valid_from, valid_to)
    if errors:
        raise ValidationFailed(errors)
    return {
        "code": code,
        "name": name,
        "currency": currency,
        "level": data.level,
        "is_base": data.level == "base",
        "customer_group_id": group_id,
        "customer_id": customer_id,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "is_active": data.is_active,
        "rounding": data.rounding,
    }


async def create_price_list(
    session: AsyncSession, tenant_id: uuid.UUID, data: PriceListInput, actor: Actor
) -> PriceList:
    """A new, empty price list."""
    values = await _validated(session, data)
    price_list = PriceList(tenant_id=tenant_id, **values)
    session.add(price_list)
    await session.flush()
    await audit.record(
        session,
        tenant_id,
        actor,
        "price_list.created",
        "price_list",
        price_list.id,
        audit.diff({}, audit.snapshot(price_list, _AUDITED)),
    )
    return price_list


async def update_price_list(
    session: AsyncSession, tenant_id: uuid.UUID, price_list_id: uuid.UUID, data: PriceListInput, actor: Actor
) -> PriceList:
    """Change a list, its target or dates; refused when its rules would then clash with another list's."""
    price_list = await get(session, PriceList, price_list_id, for_update=True)
    values = await _validated(session, data, exclude_id=price_list.id)
    if values["is_active"]:
        clash = await repo.list_clash(session, price_list.id, values)
        if clash is not None:
            raise ValidationFailed({"valid_from": _clash_message(values, clash)})
    before = audit.snapshot(price_list, _AUDITED)
    for key, value in values.items():
        setattr(price_list, key, value)
    await session.flush()
    changes = audit.diff(before, audit.snapshot(price_list, _AUDITED))
    if changes:
        await audit.record(session, tenant_id, actor, "price_list.updated", "price_list", price_list.id, changes)
    return price_list


def _clash_message(values: dict[str, Any], clash: tuple[str, date | None, date | None]) -> str:
    """The engine's own wording for two rules it could not tell apart (validate_rule on the clashing pair)."""
    code, other_from, other_to = clash
    mine = PriceRule(
        id=0,
        list_id=0,
        list_code=values["code"],
        level=values["level"],
        currency=values["currency"],
        value=Decimal(1),
        customer_id=values["customer_id"],
        group_id=values["customer_group_id"],
    )
    other = mine._replace(id=1, list_id=1, list_code=code, valid_from=other_from, valid_to=other_to)
    return validate_rule(mine, [other])["valid_from"]


async def get_price_list(session: AsyncSession, price_list_id: uuid.UUID) -> PriceList:
    """One of the tenant's price lists (NotFound for another tenant's id)."""
    return await get(session, PriceList, price_list_id)


async def list_price_lists(
    session: AsyncSession, *, level: str | None = None, currency: str | None = None, active_only: bool = False
) -> list[tuple[PriceList, int]]:
    """The tenant's price lists for the back office, highest precedence first, each with its number of rules."""
    rules = (
        select(func.count())
        .where(PriceRuleRecord.tenant_id == PriceList.tenant_id, PriceRuleRecord.price_list_id == PriceList.id)
        .scalar_subquery()
    )
    stmt = select(PriceList, rules).order_by(_LEVEL_ORDER, PriceList.currency, PriceList.code)
    if level is not None:
        stmt = stmt.where(PriceList.level == level)
    if currency is not None:
        stmt = stmt.where(PriceList.currency == currency.upper())
    if active_only:
        stmt = stmt.where(PriceList.is_active)
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def seed_tenant(session: AsyncSession, seed: TenantSeed) -> None:
    """Every tenant prices from a base list in its own currency."""
    name = _("Base price list")
    session.add(PriceList(tenant_id=seed.tenant_id, code="BASE", name=name, currency=seed.currency, is_base=True))
