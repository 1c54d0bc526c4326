"""Checks a service runs before saving a price rule, promotion or quantity rule: field -> message."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from app.i18n import format_date, format_number, gettext
from app.pricing._money import Rounding, to_minor_unit
from app.pricing._promotions import HUNDRED, Promotion, PromotionKind, normalise_code
from app.pricing._quantity import QuantityRule, largest_valid
from app.pricing._rules import Level, Method, PriceRule, periods_overlap, scope_key
from app.pricing._text import N_

MAX_MARKUP = Decimal(1000)  # cost plus more than 1000 % is far likelier a typo than a price
CODE_LENGTH = 40
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUPON = re.compile(r"[A-Za-z0-9_-]+")


def _period(start: date | None, end: date | None) -> str:
    """A validity period in words: "1 Jan 2026 to 31 Dec 2026", "from ...", "until ...", "without dates"."""
    if start and end:
        return gettext(N_("%(start)s to %(end)s"), start=format_date(start), end=format_date(end))
    if start:
        return gettext(N_("from %(start)s"), start=format_date(start))
    if end:
        return gettext(N_("until %(end)s"), end=format_date(end))
    return gettext(N_("without dates"))


def _common(errors: dict[str, str], row: PriceRule | Promotion) -> None:
    """Currency, scope, tier start and dates: the same checks for rules and promotions."""
    if row.currency is not None and not _CURRENCY.fullmatch(row.currency):
        errors["currency"] = gettext(N_("Enter a three-letter currency code such as EUR"))
    if sum(scope is not None for scope in (row.variant_id, row.product_id, row.category_id)) > 1:
        errors["scope"] = gettext(N_("Choose one variant, product or category, or none for all products"))
    if row.min_qty <= 0:
        errors["min_qty"] = gettext(N_("Enter a quantity greater than zero"))
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        errors["valid_to"] = gettext(N_("The end date is before the start date"))


def validate_rule(
    rule: PriceRule, siblings: Iterable[PriceRule] = (), quantity_rule: QuantityRule | None = None
) -> dict[str, str]:
    """Field -> message for a price rule about to be saved; empty when it may be saved.

    `siblings` are the saved rules it could clash with (same level and currency; the rule itself, matched by
    id, is ignored). Two rules clash when they are for the same customer or group, scope and tier start and
    their periods share a day: the engine could not tell which one holds. `quantity_rule` is the variant's,
    for a variant-scoped rule: a tier may not start below its minimum order quantity (1, the price from the
    first unit, always may) nor above its maximum.
    """
    errors: dict[str, str] = {}
    _common(errors, rule)
    if rule.level not in set(Level):
        errors["level"] = gettext(N_("Choose contract, customer, group or base"))
    elif rule.level in (Level.CONTRACT, Level.CUSTOMER) and rule.customer_id is None:
        errors["customer_id"] = gettext(N_("Choose the customer"))
    elif rule.level == Level.GROUP and rule.group_id is None:
        errors["group_id"] = gettext(N_("Choose the customer group"))
    if rule.rounding not in set(Rounding):
        errors["rounding"] = gettext(N_("Choose a valid rounding"))
    _check_value(errors, rule)
    if quantity_rule is not None and rule.min_qty > 0 and rule.min_qty != 1:
        if rule.min_qty < quantity_rule.min_qty:
            errors["min_qty"] = gettext(
                N_("The tier starts below the minimum order quantity of %(min)s"),
                min=format_number(quantity_rule.min_qty),
            )
        elif quantity_rule.max_qty is not None and rule.min_qty > quantity_rule.max_qty:
            errors["min_qty"] = gettext(
                N_("The tier starts above the maximum order quantity of %(max)s"),
                max=format_number(quantity_rule.max_qty),
            )
    if "valid_to" not in errors:
        clash = next((s for s in siblings if _clashes(rule, s)), None)
        if clash is not None:
            errors["valid_from"] = gettext(
                N_("Overlaps the price in %(list)s for the same products and quantity (%(period)s)"),
                list=clash.list_code,
                period=_period(clash.valid_from, clash.valid_to),
            )
    return errors


def _check_value(errors: dict[str, str], rule: PriceRule) -> None:
    """The value must make sense for the method: a price above zero, a discount below 100 %, a sane markup."""
    value = rule.value
    if rule.method == Method.FIXED:
        if value <= 0:
            errors["value"] = gettext(N_("Enter a price greater than zero"))
        elif "currency" not in errors and to_minor_unit(value, rule.currency) != value:
            errors["value"] = gettext(N_("Enter the price in whole cents of the currency"))
    elif rule.method == Method.LIST_MINUS_PCT:
        if rule.level == Level.BASE:
            errors["method"] = gettext(N_("A base price list cannot be a discount on itself"))
        if not 0 < value < HUNDRED:
            errors["value"] = gettext(N_("Enter a discount above %(low)s %% and below %(high)s %%"), low=0, high=100)
    elif rule.method == Method.COST_PLUS_PCT:
        if not 0 <= value <= MAX_MARKUP:
            errors["value"] = gettext(N_("Enter a markup from %(low)s %% to %(high)s %%"), low=0, high=MAX_MARKUP)
    else:
        errors["method"] = gettext(N_("Choose a fixed price, a discount on the list price or a markup on cost"))


def _clashes(rule: PriceRule, other: PriceRule) -> bool:
    """Same target (level, customer, group, currency, scope, tier start) and a shared day."""
    return (
        other.id != rule.id
        and other.level == rule.level
        and other.currency == rule.currency
        and other.customer_id == rule.customer_id
        and other.group_id == rule.group_id
        and other.min_qty == rule.min_qty
        and scope_key(other.variant_id, other.product_id, other.category_id)
        == scope_key(rule.variant_id, rule.product_id, rule.category_id)
        and periods_overlap(rule.valid_from, rule.valid_to, other.valid_from, other.valid_to)
    )


def validate_promotion(promo: Promotion, siblings: Iterable[Promotion] = ()) -> dict[str, str]:
    """Field -> message for a promotion about to be saved; siblings are saved promotions whose code may clash."""
    errors: dict[str, str] = {}
    _common(errors, promo)
    code = promo.code.strip()
    if not code:
        errors["code"] = gettext(N_("Enter a code"))
    elif len(code) > CODE_LENGTH:
        errors["code"] = gettext(N_("Use at most %(n)s characters"), n=CODE_LENGTH)
    elif promo.requires_coupon and not _COUPON.fullmatch(code):
        errors["code"] = gettext(N_("Use only letters, digits, - and _ in a coupon code"))
    if promo.kind == PromotionKind.PERCENT:
        if not 0 < promo.value <= HUNDRED:
            errors["value"] = gettext(N_("Enter a percentage above 0 and at most 100"))
    elif promo.kind == PromotionKind.AMOUNT:
        if promo.value <= 0:
            errors["value"] = gettext(N_("Enter an amount greater than zero"))
        if promo.currency is None:
            errors["currency"] = gettext(N_("Choose the currency of the amount"))
    else:
        errors["kind"] = gettext(N_("Choose a percentage or an amount"))
    for name in ("usage_limit", "per_customer_limit"):
        limit = getattr(promo, name)
        if limit is not None and limit < 1:
            errors[name] = gettext(N_("Enter a limit of at least 1, or leave it empty for no limit"))
    if "code" not in errors and "valid_to" not in errors:
        key = normalise_code(code)
        for other in siblings:
            if (
                other.id != promo.id
                and normalise_code(other.code) == key
                and (other.currency is None or promo.currency is None or other.currency == promo.currency)
                and periods_overlap(promo.valid_from, promo.valid_to, other.valid_from, other.valid_to)
            ):
                errors["code"] = gettext(
                    N_("Another promotion uses this code %(period)s"), period=_period(other.valid_from, other.valid_to)
                )
                break
    return errors


def validate_quantity_rule(rule: QuantityRule) -> dict[str, str]:
    """Field -> message for a quantity rule: positive minimum and pack size, and some quantity orderable."""
    errors: dict[str, str] = {}
    if rule.min_qty <= 0:
        errors["min_qty"] = gettext(N_("Enter a quantity greater than zero"))
    if rule.multiple is not None and rule.multiple <= 0:
        errors["multiple"] = gettext(N_("Enter a pack size greater than zero"))
    if rule.max_qty is not None and rule.max_qty < rule.min_qty:
        errors["max_qty"] = gettext(N_("The maximum is below the minimum"))
    if not errors and rule.max_qty is not None and largest_valid(rule) is None:
        errors["max_qty"] = gettext(N_("No quantity between the minimum and the maximum is a whole number of packs"))
    return errors
