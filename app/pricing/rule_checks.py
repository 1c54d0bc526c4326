"""The one check a price rule passes before it is saved, whichever way it comes: the price list screen or a CSV file.

Pure. A caller places the rule in its list (`rule_in_list`), loads the saved rules it could clash with, and
calls `check_rule`: the list's validity must leave the rule a day, then the engine's validate_rule decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from app.i18n import gettext as _
from app.pricing.domain import Id, PriceRule, QuantityRule, validate_rule


def clip(
    a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None
) -> tuple[date | None, date | None]:
    """The days two periods with open (None) ends share (empty when from > to), as the engine sees a rule."""
    start = max((d for d in (a_from, b_from) if d is not None), default=None)
    end = min((d for d in (a_to, b_to) if d is not None), default=None)
    return start, end


def rule_in_list(
    price_list: PriceRule,
    *,
    id: Id,
    value: Decimal,
    method: str = "fixed",
    variant_id: Id | None = None,
    product_id: Id | None = None,
    category_id: Id | None = None,
    min_qty: Decimal = Decimal(1),
    rounding: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    label: str = "",
) -> PriceRule | None:
    """The rule as its list applies it, or None when the list's validity leaves its dates no day.

    `price_list` is the list as a rule template (its id, code, level, currency, customer or group, rounding,
    and its own validity in valid_from / valid_to); the rule takes the list's rounding unless it has its own,
    and its dates clipped to the list's, as the engine reads it.
    """
    start, end = clip(valid_from, valid_to, price_list.valid_from, price_list.valid_to)
    if start and end and end < start:
        return None
    return price_list._replace(
        id=id, value=value, method=method, variant_id=variant_id, product_id=product_id, category_id=category_id,
        min_qty=min_qty, rounding=rounding or price_list.rounding, valid_from=start, valid_to=end, label=label,
    )  # fmt: skip


def check_rule(
    rule: PriceRule | None, siblings: Iterable[PriceRule] = (), quantity_rule: QuantityRule | None = None
) -> dict[str, str]:
    """Field -> message for a rule from `rule_in_list` (None: no day left in its list); empty when it may be saved."""
    if rule is None:
        return {"valid_from": _("Choose dates within the price list's validity.")}
    return validate_rule(rule, siblings, quantity_rule)
