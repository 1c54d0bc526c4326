"""The pricing engine, pure: price lists, tiers, formulas, promotions, coupons and quantity rules.

No database, web or Stripe here: the service loads the rows for one page or basket in one query round,
maps them 1:1 onto these types and calls `price_many` (or `price_for` for one product page). Rows become
NamedTuples (PriceRule, Promotion, PricingItem, QuantityRule): immutable, and `PriceRule._make(record)`
builds one from a SELECT listing the columns in field order at a fraction of a frozen dataclass's cost,
which matters when a page loads thousands of rules. Each class documents the column behind each field.
The rules:

- Precedence: contract > customer > group > base. Within a level the most specific scope wins (variant >
  product > nearest category > all products), then the highest tier whose min_qty <= qty. A level or scope
  without a tier covering the quantity gives way to the next one. Rules of another currency, of another
  customer or group, or outside their inclusive validity days never apply. Equal rules from two of the
  customer's groups: the lower price wins.
- Formulas: 'list_minus_pct' discounts the base-list price at the same quantity, 'cost_plus_pct' marks up
  the variant's cost. A rule that cannot compute a price (no cost, no base price, not above zero) is
  skipped, the next one applies, and the explanation names the skipped list.
- Rounding: half up to the currency's minor unit, or to a .99 / .95 / .90 ending (see round_price).
- Tiers: `PriceQuote.tiers` is what this customer pays from each quantity where the winning rule can
  change, across levels, so a contract break at 100+ shows even while the base price wins at 10.
  Tiers are before promotions, which the storefront shows beside them. A basket can skip them
  (`price_many(..., tiers=False)`): they cost one price per tier start.
- Promotions: the best single non-stackable promotion plus all stackable ones, each on the customer price,
  the total capped at the price. Coupons match case-insensitively; an unknown, expired, used-up or
  inapplicable coupon comes back as a CouponProblem with a message.
- No price is an answer, not an error: `PriceQuote.unit_price is None` (not purchasable in that currency).
- Explanations are msgids rendered on access (`PriceQuote.explanation`), in the locale current then.
- Before saving, services call validate_rule / validate_promotion / validate_quantity_rule (field -> message).

`price_as_specified` is these rules read one at a time, plain and slow: the specification the engine is tested
against. `loaded_rules` (with RuleRun) builds a page's rules and their index as the repository reads them;
`index_for` and RuleIndex are that index, exposed for the tests that hold it to the one built from a plain list.
"""

from __future__ import annotations

from app.pricing._engine import price_for, price_many
from app.pricing._index import RuleIndex, RuleRun, index_for, loaded_rules
from app.pricing._money import Rounding, round_price, to_minor_unit
from app.pricing._promotions import AppliedPromotion, CouponProblem, Promotion, PromotionKind, normalise_code
from app.pricing._quantity import QuantityCheck, QuantityProblem, QuantityRule, check_quantity
from app.pricing._quote import PriceQuote, PriceSheet, PricingContext, PricingItem, Tier
from app.pricing._rules import Id, Level, Method, PriceRule, Scope
from app.pricing._specification import price_as_specified
from app.pricing._validation import validate_promotion, validate_quantity_rule, validate_rule

__all__ = [
    "AppliedPromotion",
    "CouponProblem",
    "Id",
    "Level",
    "Method",
    "PriceQuote",
    "PriceRule",
    "PriceSheet",
    "PricingContext",
    "PricingItem",
    "Promotion",
    "PromotionKind",
    "QuantityCheck",
    "QuantityProblem",
    "QuantityRule",
    "Rounding",
    "RuleIndex",
    "RuleRun",
    "Scope",
    "Tier",
    "check_quantity",
    "index_for",
    "loaded_rules",
    "normalise_code",
    "price_as_specified",
    "price_for",
    "price_many",
    "round_price",
    "to_minor_unit",
    "validate_promotion",
    "validate_quantity_rule",
    "validate_rule",
]
