"""Small helpers the catalog services share: slugs, uniqueness checks, audit snapshots."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import domain
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbers import parse_decimal

MAX_MEASURE = Decimal(9_999_999)  # the widest weight (kg) or size (cm) column holds seven digits before the point


async def choose_slug(
    session: AsyncSession,
    model: Any,
    wanted: str,
    names: dict[str, str],
    *,
    exclude_id: uuid.UUID | None = None,
    field: str = "slug",
) -> str:
    """The slug typed (checked and unique), or one made from the Spanish/English name (made unique)."""
    wanted = wanted.strip().lower()
    if wanted:
        if not domain.valid_slug(wanted):
            raise ValidationFailed({field: _("Use lower-case letters, digits and single hyphens.")})
        if await _exists(session, model, model.slug, wanted, exclude_id):
            raise ValidationFailed({field: _("“%(slug)s” is already used.", slug=wanted)})
        return wanted
    base = domain.slugify(names.get("es") or names.get("en") or "") or "item"
    stmt = select(model.slug).where(model.slug.like(base + "%"))
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return domain.unique_slug(base, set(await session.scalars(stmt)))


async def _exists(session: AsyncSession, model: Any, column: Any, value: Any, exclude_id: uuid.UUID | None) -> bool:
    stmt = select(func.count()).select_from(model).where(column == value)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return bool(await session.scalar(stmt))


async def ensure_unique(
    session: AsyncSession, model: Any, column: Any, value: Any, field: str, *, exclude_id: uuid.UUID | None = None
) -> None:
    if await _exists(session, model, column, value, exclude_id):
        raise ValidationFailed({field: _("“%(value)s” is already used.", value=value)})


def check_code(raw: str, field: str = "code") -> str:
    code = domain.normalise_code(raw)
    if not domain.valid_code(code):
        raise ValidationFailed({field: _("Enter a code of letters, digits, hyphens or underscores (up to 40).")})
    return code


def measure(value: Decimal | str | None, field: str, errors: dict[str, str]) -> Decimal | None:
    """A non-negative decimal a weight or size column holds (or None when blank); problems go to `errors`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_decimal(value, field, maximum=MAX_MEASURE)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None
    if number < 0:
        errors[field] = _("Enter a number of zero or more.")
        return None
    return number
