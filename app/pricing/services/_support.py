"""What the pricing services share: reading form values into typed ones, loading rows of the tenant, snapshots."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbers import parse_decimal

CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,39}")


def number(
    value: Decimal | int | str | None, field: str, errors: dict[str, str], *, default: Decimal | None = None
) -> Decimal | None:
    """A finite Decimal from a number or form text ("12,50" too); None (or default) when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        errors[field] = _("Enter a number.")
        return None
    try:
        return parse_decimal(value, field)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def whole(value: int | str | None, field: str, errors: dict[str, str]) -> int | None:
    """A whole number from an int or form text; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return None


def day(value: date | str | None, field: str, errors: dict[str, str]) -> date | None:
    """A date from a date or ISO text (yyyy-mm-dd, as date inputs send it); None when blank."""
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = _("Enter a date as yyyy-mm-dd.")
        return None


def period(errors: dict[str, str], valid_from: date | None, valid_to: date | None) -> None:
    """The end may not come before the start."""
    if valid_from and valid_to and valid_to < valid_from and "valid_to" not in errors:
        errors["valid_to"] = _("The end date is before the start date.")


def clip(
    a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None
) -> tuple[date | None, date | None]:
    """The days two periods with open (None) ends have in common (may be empty: from > to)."""
    start = max((d for d in (a_from, b_from) if d is not None), default=None)
    end = min((d for d in (a_to, b_to) if d is not None), default=None)
    return start, end


def label(text: str, field: str, errors: dict[str, str], *, max_len: int = 200) -> str:
    """Free text, spaces collapsed, at most max_len characters."""
    cleaned = " ".join((text or "").split())
    if len(cleaned) > max_len:
        errors[field] = _("Use at most %(n)s characters.", n=max_len)
    return cleaned


async def exists(session: AsyncSession, model: Any, id_: uuid.UUID) -> bool:
    """True when the tenant has a row of `model` with this id."""
    return await session.scalar(select(model.id).where(model.id == id_)) is not None
