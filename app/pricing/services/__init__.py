"""Pricing use cases, one per function, each in the caller's transaction (services never commit)."""

from app.pricing.services.fixed_prices import FixedPrice, set_fixed_prices
from app.pricing.services.price_lists import (
    PriceListInput,
    create_price_list,
    get_price_list,
    list_price_lists,
    update_price_list,
)
from app.pricing.services.promotions import (
    PromotionInput,
    create_promotion,
    get_promotion,
    list_promotions,
    promotion_groups,
    update_promotion,
)
from app.pricing.services.quotes import (
    PriceExplanation,
    explain_price,
    offered_tiers,
    price_variants,
    pricing_context_for,
)
from app.pricing.services.redeem import redeem_promotion
from app.pricing.services.rules import RuleInput, add_rule, delete_rule, list_rules, update_rule

__all__ = [
    "FixedPrice",
    "PriceExplanation",
    "PriceListInput",
    "PromotionInput",
    "RuleInput",
    "add_rule",
    "create_price_list",
    "create_promotion",
    "delete_rule",
    "explain_price",
    "get_price_list",
    "get_promotion",
    "list_price_lists",
    "list_promotions",
    "list_rules",
    "offered_tiers",
    "price_variants",
    "pricing_context_for",
    "promotion_groups",
    "redeem_promotion",
    "set_fixed_prices",
    "update_price_list",
    "update_promotion",
    "update_rule",
]
