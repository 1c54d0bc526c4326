"""Promotions and coupon codes: which apply to a line, which single one wins, and why a coupon did not apply."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from app.i18n import format_date, format_number, gettext
from app.pricing._money import quantum
from app.pricing._rules import ONE, Id
from app.pricing._text import N_

if TYPE_CHECKING:
    from app.pricing._quote import PricingContext

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class PromotionKind(StrEnum):
    """What a promotion takes off each unit."""

    PERCENT = "percent"  # value is a percentage of the unit price
    AMOUNT = "amount"  # value is an amount in the promotion's currency


PERCENT, AMOUNT = PromotionKind.PERCENT.value, PromotionKind.AMOUNT.value  # plain str: cheaper to compare


class Promotion(NamedTuple):
    """One row of `promotions` (group_ids aggregated from its link table `promotion_customer_groups`).

    - code: the name shown in explanations and, when requires_coupon, the code the customer types
      (matched case-insensitively, surrounding spaces ignored). Without a coupon it applies by itself.
    - kind, value: PromotionKind and its number (a percentage, or an amount per unit).
    - currency: required for 'amount'; for 'percent' None means every currency.
    - variant_id / product_id / category_id: scope like a price rule (at most one; none = every product).
    - min_qty: the line must have at least this quantity.
    - valid_from / valid_to: inclusive days, None = open.
    - usage_limit, times_used: total orders allowed (None = unlimited) and already placed with it.
    - per_customer_limit: orders allowed per customer (None = unlimited); the customer's count comes
      from PricingContext.promotion_uses.
    - group_ids: only customers in one of these groups; empty = everybody.
    - stackable: applies on top of the best non-stackable promotion instead of competing with it.
    - label: free text for staff.
    """

    id: Id
    code: str
    kind: PromotionKind | str
    value: Decimal
    requires_coupon: bool = False
    currency: str | None = None
    variant_id: Id | None = None
    product_id: Id | None = None
    category_id: Id | None = None
    min_qty: Decimal = ONE
    valid_from: date | None = None
    valid_to: date | None = None
    usage_limit: int | None = None
    times_used: int = 0
    per_customer_limit: int | None = None
    group_ids: frozenset[Id] = frozenset()
    stackable: bool = False
    label: str = ""


class AppliedPromotion(NamedTuple):
    """A promotion applied to a line and the amount it takes off each unit."""

    promotion: Promotion
    discount: Decimal


class CouponProblem(NamedTuple):
    """Why an entered coupon code did not apply, as a message for the customer."""

    code: str
    reason: str


def normalise_code(code: str) -> str:
    """Coupon codes compare without case and surrounding spaces."""
    return code.strip().casefold()


def obstacle(promo: Promotion, ctx: PricingContext) -> tuple[str, dict[str, object]] | None:
    """The first reason a promotion cannot be used by this customer today (msgid, variables), or None."""
    on = ctx.on
    if promo.valid_from is not None and on < promo.valid_from:
        return N_("Coupon %(code)s is valid from %(date)s"), {"date": promo.valid_from}
    if promo.valid_to is not None and on > promo.valid_to:
        return N_("Coupon %(code)s expired on %(date)s"), {"date": promo.valid_to}
    if (promo.currency or ctx.currency) != ctx.currency or (promo.kind == AMOUNT and not promo.currency):
        return N_("Coupon %(code)s is not valid in %(currency)s"), {"currency": ctx.currency}
    if promo.group_ids and promo.group_ids.isdisjoint(ctx.group_ids):
        return N_("Coupon %(code)s is not available for your account"), {}
    if promo.usage_limit is not None and promo.times_used >= promo.usage_limit:
        return N_("Coupon %(code)s has been used up"), {}
    if promo.per_customer_limit is not None and ctx.promotion_uses.get(promo.id, 0) >= promo.per_customer_limit:
        return N_("You have already used coupon %(code)s the maximum number of times"), {}
    return None


def _problem(code: str, msgid: str, variables: dict[str, object]) -> CouponProblem:
    shown = {k: format_date(v) if isinstance(v, date) else v for k, v in variables.items()}
    return CouponProblem(code, gettext(msgid, code=code, **shown))


class _CouponOutcome:
    """What happened to one entered, usable coupon across the lines of one call."""

    __slots__ = ("applied", "beaten", "code", "matched", "short_of")

    def __init__(self, code: str) -> None:
        self.code = code
        self.applied = self.matched = self.beaten = False
        self.short_of: Decimal | None = None


# A usable promotion compiled once per call: (promotion, min_qty, percent factor, amount, coupon outcome, stackable)
Usable = tuple[Promotion, Decimal, Decimal | None, Decimal | None, "_CouponOutcome | None", bool]
_new = tuple.__new__  # AppliedPromotion(...) without its Python-level __new__: a page builds thousands


class PromotionBook:
    """The promotions usable in one call, indexed by scope, with the fate of each entered coupon."""

    __slots__ = (
        "_by_path",
        "_category",
        "_everyone",
        "_outcomes",
        "_product",
        "_quantum",
        "_variant",
        "has_promotions",
        "problems",
    )

    def __init__(self, promotions: Iterable[Promotion], ctx: PricingContext) -> None:
        entered = {normalise_code(c): c.strip() for c in ctx.coupon_codes if c.strip()}
        self._variant: dict[Id, list[Usable]] = {}
        self._product: dict[Id, list[Usable]] = {}
        self._category: dict[Id, list[Usable]] = {}
        self._everyone: list[Usable] = []
        self._outcomes: list[_CouponOutcome] = []
        self._quantum = quantum(ctx.currency)
        self.problems: list[CouponProblem] = []
        blocked: dict[str, CouponProblem] = {}
        usable_codes: set[str] = set()
        for promo in promotions:
            key = normalise_code(promo.code) if promo.requires_coupon else None
            if key is not None and key not in entered:
                continue
            hurdle = obstacle(promo, ctx)
            if hurdle is not None:
                if key is not None:
                    blocked.setdefault(key, _problem(promo.code, *hurdle))
                continue
            outcome = None
            if key is not None:
                usable_codes.add(key)
                outcome = _CouponOutcome(promo.code)
                self._outcomes.append(outcome)
            self._index(promo, outcome)
        for key, shown in entered.items():
            if key not in usable_codes:
                self.problems.append(blocked.get(key) or _problem(shown, N_("Unknown coupon code %(code)s"), {}))
        self._by_path: dict[tuple[Id, ...], list[Usable]] = {}
        # False when no promotion is usable in this call, so lines skip the look-ups.
        self.has_promotions = bool(self._variant or self._product or self._category or self._everyone)

    def _index(self, promo: Promotion, outcome: _CouponOutcome | None) -> None:
        """File a usable promotion under its scope with its discount precomputed."""
        if promo.kind == PERCENT:
            usable: Usable = (promo, promo.min_qty, promo.value / HUNDRED, None, outcome, promo.stackable)
        elif promo.kind == AMOUNT:
            amount = promo.value.quantize(self._quantum, ROUND_HALF_UP)
            usable = (promo, promo.min_qty, None, amount, outcome, promo.stackable)
        else:
            raise ValueError(f"promotion {promo.id!r} has an unknown kind {promo.kind!r}")
        if promo.variant_id is not None:
            self._variant.setdefault(promo.variant_id, []).append(usable)
        elif promo.product_id is not None:
            self._product.setdefault(promo.product_id, []).append(usable)
        elif promo.category_id is not None:
            self._category.setdefault(promo.category_id, []).append(usable)
        else:
            self._everyone.append(usable)

    def candidates(self, variant_id: Id, product_id: Id, category_ids: tuple[Id, ...]) -> list[Usable]:
        """The usable promotions covering this variant: everyone's, its own, its product's, its categories'.

        Lists shared by every line with the same category path are returned as they are: callers only read them.
        """
        found = self._everyone
        if self._category:
            found = self._by_path.get(category_ids) if type(category_ids) is tuple else None  # type: ignore[assignment]
            if found is None:
                found = self._everyone + [
                    usable for category_id in category_ids for usable in self._category.get(category_id, ())
                ]
                if type(category_ids) is tuple:
                    self._by_path[category_ids] = found
        if (self._variant and variant_id in self._variant) or (self._product and product_id in self._product):
            narrower = self._variant.get(variant_id, []) + self._product.get(product_id, [])
            return self._everyone + narrower + found[len(self._everyone) :]
        return found

    def apply(
        self, price: Decimal, qty: Decimal, candidates: list[Usable]
    ) -> tuple[tuple[AppliedPromotion, ...], Decimal, bool]:
        """Best non-stackable promotion plus every stackable one, each on the pre-promotion price.

        Percentages are of the customer price, not of an already discounted one, so the order does not
        matter. The total never exceeds the price (capped = True when it had to be cut). Ties go to the
        promotion listed first.
        """
        best: Promotion | None = None
        best_discount = stacked_total = ZERO
        stacked: list[AppliedPromotion] | None = None
        quantum_ = self._quantum
        for promo, min_qty, factor, amount, _outcome, stackable in candidates:
            if qty < min_qty:
                continue
            discount = amount if factor is None else (price * factor).quantize(quantum_, ROUND_HALF_UP)
            if stackable:
                if stacked is None:
                    stacked, stacked_total = [_new(AppliedPromotion, (promo, discount))], discount
                else:
                    stacked.append(_new(AppliedPromotion, (promo, discount)))
                    stacked_total += discount
            elif best is None or discount > best_discount:
                best, best_discount = promo, discount
        if self._outcomes:  # an entered coupon is usable in this call: record what became of it on this line
            _track(qty, candidates, best)
        if best is None:
            if stacked is None:
                return (), ZERO, False
            chosen = stacked
        elif stacked is None:
            chosen = [_new(AppliedPromotion, (best, best_discount))]
        else:
            chosen = [_new(AppliedPromotion, (best, best_discount)), *stacked]
        total = best_discount + stacked_total
        if total <= price:
            return tuple(chosen), total, False
        return _cap(chosen, price)

    def coupon_problems(self, single: bool) -> tuple[CouponProblem, ...]:
        """Problems found up front plus usable coupons that ended up applying to no line."""
        problems = list(self.problems)
        applied = {o.code.casefold() for o in self._outcomes if o.applied}
        seen: set[str] = set()
        for outcome in self._outcomes:
            key = outcome.code.casefold()
            if key in applied or key in seen:
                continue
            seen.add(key)
            if outcome.beaten:
                msgid, variables = N_("Coupon %(code)s was not applied: a better promotion applies"), {}
            elif outcome.short_of is not None and not outcome.matched:
                msgid = N_("Coupon %(code)s applies from %(qty)s units")
                variables = {"qty": format_number(outcome.short_of)}
            elif single:
                msgid, variables = N_("Coupon %(code)s does not apply to this product"), {}
            else:
                msgid, variables = N_("Coupon %(code)s does not apply to any product in your basket"), {}
            problems.append(_problem(outcome.code, msgid, variables))
        return tuple(problems)


def _track(qty: Decimal, candidates: list[Usable], best: Promotion | None) -> None:
    """Record for each entered coupon whether it applied, lost to a better one, or lacked quantity."""
    for promo, min_qty, _factor, _amount, outcome, stackable in candidates:
        if outcome is None:
            continue
        if qty < min_qty:
            if outcome.short_of is None or min_qty < outcome.short_of:
                outcome.short_of = min_qty
        elif stackable or promo is best:  # a stackable promotion that qualifies always applies
            outcome.applied = outcome.matched = True
        else:
            outcome.beaten = outcome.matched = True


def _cap(chosen: list[AppliedPromotion], price: Decimal) -> tuple[tuple[AppliedPromotion, ...], Decimal, bool]:
    """Cut discounts that together exceed the price, in order, so the price ends at zero, never below."""
    capped: list[AppliedPromotion] = []
    left = price
    for applied in chosen:
        take = min(applied.discount, left)
        left -= take
        capped.append(AppliedPromotion(applied.promotion, take))
    return tuple(capped), price, True
