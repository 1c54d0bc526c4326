"""Lots and serial numbers named by code: found or created, their expiry kept consistent."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import asyncpg

from app.base import new_id
from app.errors import ValidationFailed
from app.i18n import format_date
from app.i18n import gettext as _

ADD = """
INSERT INTO lots (tenant_id, id, variant_id, code, expiry_date)
SELECT $1, l.id, l.variant, l.code, l.expiry
FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::date[]) AS l(id, variant, code, expiry)
ON CONFLICT (tenant_id, variant_id, code) DO NOTHING
"""
FIND = """
SELECT l.id, l.variant_id, l.code, l.expiry_date FROM lots l
JOIN unnest($2::uuid[], $3::text[]) AS k(variant, code) ON l.variant_id = k.variant AND l.code = k.code
WHERE l.tenant_id = $1
"""
DATE_IT = "UPDATE lots SET expiry_date = $3 WHERE tenant_id = $1 AND id = $2 AND expiry_date IS NULL"

Wanted = tuple[uuid.UUID, str, date | None]  # variant, code, expiry


async def find_lots(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, keys: list[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], asyncpg.Record]:
    """The lots that exist for (variant, code) keys."""
    if not keys:
        return {}
    rows = await conn.fetch(FIND, tenant_id, [k[0] for k in keys], [k[1] for k in keys])
    return {(row["variant_id"], row["code"]): row for row in rows}


async def existing_lot(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, variant_id: uuid.UUID, code: str, sku: str
) -> uuid.UUID:
    """The id of a lot stock is taken from: it must exist."""
    found = await find_lots(conn, tenant_id, [(variant_id, code)])
    if (variant_id, code) not in found:
        raise ValidationFailed({"lot": _("%(sku)s has no lot %(lot)s.", sku=sku, lot=code)})
    return found[(variant_id, code)]["id"]


async def ensure_lots(
    conn: asyncpg.Connection,
    tenant_id: uuid.UUID,
    wanted: list[Wanted],
    shelf_lives: dict[uuid.UUID, int | None],
    today: date,
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    """Lot ids for (variant, code, expiry), creating the new ones (expiry: given, else today + the shelf life).

    An existing lot keeps its expiry: a different one is refused (a lot has one expiry); one without gets it.
    """
    if not wanted:
        return {}
    new = {}
    for variant, code, expiry in wanted:
        life = shelf_lives.get(variant)
        new[(variant, code)] = expiry or (today + timedelta(days=life) if life else None)
    keys = sorted(new, key=lambda k: (k[0], k[1]))
    await conn.execute(
        ADD, tenant_id, [new_id() for _ in keys], [k[0] for k in keys], [k[1] for k in keys], [new[k] for k in keys]
    )
    found = await find_lots(conn, tenant_id, keys)
    for variant, code, expiry in wanted:
        lot = found[(variant, code)]
        if expiry is not None and lot["expiry_date"] is None:
            await conn.execute(DATE_IT, tenant_id, lot["id"], expiry)
        elif expiry is not None and lot["expiry_date"] != expiry:
            raise ValidationFailed(
                {"expiry": _("Lot %(lot)s expires on %(date)s.", lot=code, date=format_date(lot["expiry_date"]))}
            )
    return {key: row["id"] for key, row in found.items()}
