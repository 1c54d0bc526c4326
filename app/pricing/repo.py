"""Pricing SQL: everything one page needs in one statement, and the look-ups the services validate with.

The page statement sends arrays of plain values (asyncpg decodes them in C) instead of a row per rule: a
first row with the page's variants, their products and category paths, the applicable lists and the
promotions, then one row per run of rules sharing their list, scope kind, method, tier start, rounding, dates
and label. `load_page` rebuilds the engine's NamedTuples (PricingItem, PriceRule, Promotion) in field order,
repeating a run's shared columns, so a rule costs only its id, value and scope id to send, decode and build;
the rules come back indexed for the context they were loaded for (app.pricing._index.loaded_rules).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import repeat
from typing import Any, NamedTuple

from asyncpg import Record
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app import changes
from app.cache import Cache, cache
from app.changes import Token
from app.db import TENANT_KEY, driver_connection
from app.pricing._index import RuleRun, loaded_rules
from app.pricing.domain import PriceRule, PricingContext, PricingItem, Promotion, normalise_code

UUIDS = ARRAY(UUID(as_uuid=True))

HEAD_COLUMNS = 33  # the head row's named columns before a run's; each run row has NULL in them

# Lists applicable to the customer (base, their group, themselves) in the currency and valid on the day; their
# rules for the page's variants, products, categories (with ancestors) or all products, valid on the day, in
# runs; a list's dates and rounding apply to its rules. Each scope's rules are grouped into runs straight from
# the index scan, before the few runs meet their lists: sorting and joining thousands of rules to the lists
# first cost more than the scan. Numbers travel as text: Decimal(text) is cheaper than decoding numeric. A
# variant's cost is in the tenant's currency. RLS limits every table to the tenant.
PAGE_SQL = """
WITH page_variants AS MATERIALIZED (
    SELECT v.id, v.product_id, v.cost FROM product_variants v WHERE v.id = ANY(:fetch)
), page_products AS MATERIALIZED (
    SELECT p.id, p.category_id FROM products p WHERE p.id = ANY(ARRAY(SELECT product_id FROM page_variants))
), page_categories AS MATERIALIZED (
    SELECT c.id, c.path FROM categories c
    WHERE c.id = ANY(ARRAY(SELECT category_id FROM page_products WHERE category_id IS NOT NULL))
), lists AS MATERIALIZED (
    SELECT l.id, l.code, l.level, l.customer_id, l.customer_group_id, l.rounding, l.valid_from, l.valid_to,
           CAST(row_number() OVER (ORDER BY l.id) AS int) - 1 AS pos
    FROM price_lists l
    WHERE l.currency = :currency AND l.is_active
      AND (l.valid_from IS NULL OR l.valid_from <= :on) AND (l.valid_to IS NULL OR l.valid_to >= :on)
      AND (l.level = 'base' OR l.customer_group_id = ANY(:groups) OR l.customer_id = CAST(:customer AS uuid))
), rules AS (
    SELECT r.price_list_id, 0 AS scope, r.method, r.min_qty, r.rounding, r.valid_from, r.valid_to, r.label,
           array_agg(r.id) AS ids, array_agg(CAST(r.value AS text)) AS vals, array_agg(r.variant_id) AS scope_ids
    FROM price_rules r
    WHERE r.variant_id = ANY(:variants) AND r.price_list_id = ANY(ARRAY(SELECT id FROM lists))
      AND (r.valid_from IS NULL OR r.valid_from <= :on) AND (r.valid_to IS NULL OR r.valid_to >= :on)
      AND r.min_qty <= :max_qty
    GROUP BY 1, 3, 4, 5, 6, 7, 8
    UNION ALL
    SELECT r.price_list_id, 1, r.method, r.min_qty, r.rounding, r.valid_from, r.valid_to, r.label,
           array_agg(r.id), array_agg(CAST(r.value AS text)), array_agg(r.product_id)
    FROM price_rules r
    WHERE r.product_id = ANY(ARRAY(SELECT id FROM page_products) || :products)
      AND r.price_list_id = ANY(ARRAY(SELECT id FROM lists))
      AND (r.valid_from IS NULL OR r.valid_from <= :on) AND (r.valid_to IS NULL OR r.valid_to >= :on)
      AND r.min_qty <= :max_qty
    GROUP BY 1, 3, 4, 5, 6, 7, 8
    UNION ALL
    SELECT r.price_list_id, 2, r.method, r.min_qty, r.rounding, r.valid_from, r.valid_to, r.label,
           array_agg(r.id), array_agg(CAST(r.value AS text)), array_agg(r.category_id)
    FROM price_rules r
    WHERE r.category_id = ANY(ARRAY(SELECT DISTINCT unnest(path) FROM page_categories) || :categories)
      AND r.price_list_id = ANY(ARRAY(SELECT id FROM lists))
      AND (r.valid_from IS NULL OR r.valid_from <= :on) AND (r.valid_to IS NULL OR r.valid_to >= :on)
      AND r.min_qty <= :max_qty
    GROUP BY 1, 3, 4, 5, 6, 7, 8
    UNION ALL
    SELECT r.price_list_id, 3, r.method, r.min_qty, r.rounding, r.valid_from, r.valid_to, r.label,
           array_agg(r.id), array_agg(CAST(r.value AS text)), NULL
    FROM price_rules r
    WHERE r.variant_id IS NULL AND r.product_id IS NULL AND r.category_id IS NULL
      AND r.price_list_id = ANY(ARRAY(SELECT id FROM lists))
      AND (r.valid_from IS NULL OR r.valid_from <= :on) AND (r.valid_to IS NULL OR r.valid_to >= :on)
      AND r.min_qty <= :max_qty
    GROUP BY 1, 3, 4, 5, 6, 7, 8
), runs AS (
    SELECT l.pos, r.scope, r.method, CAST(r.min_qty AS text) AS min_qty, coalesce(r.rounding, l.rounding) AS rounding,
           greatest(r.valid_from, l.valid_from) AS valid_from, least(r.valid_to, l.valid_to) AS valid_to, r.label,
           r.ids, r.vals, r.scope_ids
    FROM rules r JOIN lists l ON l.id = r.price_list_id
), paths AS (
    SELECT c.id AS leaf, a.id AS ancestor
    FROM page_categories c, unnest(c.path) WITH ORDINALITY AS a(id, depth)
    ORDER BY c.id, a.depth DESC
), promos AS (
    SELECT p.*,
           ARRAY(SELECT g.customer_group_id FROM promotion_customer_groups g
                 WHERE g.tenant_id = p.tenant_id AND g.promotion_id = p.id) AS group_ids,
           CASE WHEN p.per_customer_limit IS NULL OR CAST(:customer AS uuid) IS NULL THEN 0
                ELSE (SELECT count(*) FROM promotion_redemptions x WHERE x.tenant_id = p.tenant_id
                      AND x.customer_id = CAST(:customer AS uuid) AND x.promotion_id = p.id) END AS uses
    FROM promotions p
    WHERE p.is_active AND (
        (NOT p.requires_coupon AND (p.currency IS NULL OR p.currency = :currency)
         AND (p.valid_from IS NULL OR p.valid_from <= :on) AND (p.valid_to IS NULL OR p.valid_to >= :on))
        OR (p.requires_coupon AND lower(p.code) = ANY(:codes)))
)
SELECT (SELECT t.currency FROM tenants t WHERE t.id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
           AS cost_currency,
       v.*, p.*, c.*, l.*, pr.*,
       CASE WHEN :ruled THEN ARRAY(SELECT DISTINCT r.product_id FROM price_rules r WHERE r.product_id IS NOT NULL) END
           AS ruled_products,
       NULL::int AS pos, NULL::int AS scope, NULL::text AS method, NULL::text AS min_qty, NULL::text AS rounding,
       NULL::date AS valid_from, NULL::date AS valid_to, NULL::text AS label,
       NULL::uuid[] AS ids, NULL::text[] AS vals, NULL::uuid[] AS scope_ids
FROM (SELECT array_agg(id) AS variant_ids, array_agg(product_id) AS variant_products,
             array_agg(CAST(cost AS text)) AS variant_costs FROM page_variants) v,
     (SELECT array_agg(id) AS product_ids, array_agg(category_id) AS product_categories FROM page_products) p,
     (SELECT array_agg(leaf) AS path_leaves, array_agg(ancestor) AS path_ancestors FROM paths) c,
     (SELECT array_agg(id) AS list_ids, array_agg(code) AS list_codes, array_agg(level) AS list_levels,
             array_agg(customer_id) AS list_customers, array_agg(customer_group_id) AS list_groups
      FROM (SELECT * FROM lists ORDER BY pos) o) l,
     (SELECT array_agg(id) AS promotion_id, array_agg(code) AS promotion_code, array_agg(kind) AS promotion_kind,
             array_agg(value) AS promotion_value, array_agg(requires_coupon) AS promotion_requires_coupon,
             array_agg(currency) AS promotion_currency, array_agg(variant_id) AS promotion_variant_id,
             array_agg(product_id) AS promotion_product_id, array_agg(category_id) AS promotion_category_id,
             array_agg(min_qty) AS promotion_min_qty, array_agg(valid_from) AS promotion_valid_from,
             array_agg(valid_to) AS promotion_valid_to, array_agg(usage_limit) AS promotion_usage_limit,
             array_agg(times_used) AS promotion_times_used,
             array_agg(per_customer_limit) AS promotion_per_customer_limit,
             array_agg(array_to_string(group_ids, ',')) AS promotion_group_ids,
             array_agg(stackable) AS promotion_stackable, array_agg(label) AS promotion_label,
             array_agg(uses) AS promotion_uses FROM promos) pr
UNION ALL
SELECT {head_nulls},
       pos, scope, method, min_qty, rounding, valid_from, valid_to, label, ids, vals, scope_ids
FROM runs
""".format(head_nulls=", ".join(["NULL"] * HEAD_COLUMNS))
# The statement goes to asyncpg directly (app.db.driver_connection): a page is one statement, and SQLAlchemy's
# parameter processing and row wrapping cost more than half a millisecond of a 1,000-variant page. Each :name
# becomes a typed positional parameter, in this order.
PAGE_TYPES = {
    "fetch": "uuid[]",
    "currency": "text",
    "on": "date",
    "groups": "uuid[]",
    "customer": "uuid",
    "variants": "uuid[]",
    "max_qty": "numeric",
    "products": "uuid[]",
    "categories": "uuid[]",
    "codes": "text[]",
    "ruled": "boolean",
}
PAGE_PARAMS = tuple(PAGE_TYPES)
PAGE = re.sub(
    r"(?<!:):([a-z_]+)\b",
    lambda m: f"CAST(${PAGE_PARAMS.index(m.group(1)) + 1} AS {PAGE_TYPES[m.group(1)]})",
    PAGE_SQL,
)
_make_item = partial(tuple.__new__, PricingItem)
if PricingItem._fields != ("variant_id", "product_id", "category_ids", "cost", "cost_currency"):
    raise RuntimeError("PricingItem fields changed: update app.pricing.repo._items, which builds them positionally")


class Page(NamedTuple):
    """What pricing one page needs: its variants, every rule that may apply, the promotions, per-customer uses."""

    items: list[PricingItem]
    rules: list[PriceRule]
    promotions: list[Promotion]
    uses: dict[Any, int]


ALL_TIERS = Decimal("1e15")  # above any quantity: every tier start is loaded
MISSING = object()  # a variant ITEMS has not seen under the token


async def load_page(
    session: AsyncSession,
    ctx: PricingContext,
    variant_ids: Iterable[uuid.UUID],
    max_qty: Decimal = ALL_TIERS,
) -> Page:
    """One statement: the page's items, the applicable rules and the promotions (RLS limits all to the tenant).

    `max_qty`: only rules whose tier starts at or below it (a basket priced without tier tables never looks
    at a tier above its largest quantity, so those rules cannot change its quotes); every tier by default.
    Under the tenant's pricing token (app.changes, taken before the statement reads), items read under the same
    token are taken from memory (ITEMS) and the statement reads only the rules.
    """
    tenant_id = session.info.get(TENANT_KEY)
    token = changes.token(tenant_id, "pricing") if tenant_id is not None else None
    known = ITEMS.of(tenant_id, token) if token is not None else None
    wanted = list(dict.fromkeys(variant_ids))
    fetch, products, categories, held = wanted, [], [], []
    if known:  # one pass: what to read, and the remembered items' products and categories for their rules
        fetch, held_products, held_paths = [], set(), set()
        for variant_id in wanted:
            item = known.get(variant_id, MISSING)
            if item is MISSING:
                fetch.append(variant_id)
            elif item is not None:
                held.append(item)
                held_products.add(item[1])
                held_paths.add(item[2])
        ruled = known.ruled_products  # only products that have rules of their own need their ids sent
        products = list(held_products if ruled is None else held_products & ruled)
        categories = list({category for path in held_paths for category in path})
    values = {
        "max_qty": max_qty,
        "variants": wanted,
        "fetch": fetch,
        "products": products,
        "categories": categories,
        "currency": ctx.currency,
        "on": ctx.on,
        "groups": list(ctx.group_ids),
        "customer": ctx.customer_id,
        "codes": [normalise_code(c) for c in ctx.coupon_codes if c.strip()],
        "ruled": known is not None and known.ruled_products is None,  # learnt once per token
    }
    conn = await driver_connection(session)
    rows = await conn.fetch(PAGE, *[values[name] for name in PAGE_PARAMS])
    head = next(r for r in rows if r["pos"] is None)  # UNION ALL does not promise the head comes first
    if values["ruled"]:
        known.ruled_products = frozenset(head["ruled_products"] or ())  # type: ignore[union-attr]
    if known is not None and not fetch:
        items = held  # all remembered, in the order asked for
    else:
        items = _items(head)
        if known is not None:
            items = ITEMS.merge(known, wanted, fetch, items)
    rules = loaded_rules(ctx, _runs(head, [r for r in rows if r["pos"] is not None]))
    promotions, uses = _promotions(head)
    return Page(items, rules, promotions, uses)


class Held(dict):
    """A tenant's PricingItems by variant under one token, and the products that have product rules (in any list)
    under it, learnt with the first page: a remembered item's product id is sent only when it is one of them."""

    __slots__ = ("live", "ruled_products", "tenant_id", "token")

    def __init__(self, *, live: bool = False) -> None:
        super().__init__()
        self.live = live  # kept by PageItems; False for a late request's own map
        self.ruled_products: frozenset[uuid.UUID] | None = None
        self.tenant_id: uuid.UUID | None = None
        self.token: Token | None = None


class PageItems:
    """The PricingItems of each tenant's variants read under its current pricing token, for the pages after.

    Pricing's change topic moves on every write to variants (cost), products and categories (migration 0006),
    so the items kept under a token are what the database holds for as long as that token is current; a variant
    that is not the tenant's is remembered as None. The items live in an app.cache Cache weighed by their count;
    on top of its rule, each tenant keeps only its newest token's items: a request still holding an older token
    reads for itself and keeps nothing.
    """

    def __init__(self, store: Cache) -> None:
        self.store = store
        self._newest: dict[uuid.UUID, Token] = {}

    def of(self, tenant_id: uuid.UUID, token: Token) -> Held:
        """The items held for the tenant under `token`, or a map of its own nobody keeps (an older token)."""
        newest = self._newest.get(tenant_id)
        if newest is not None and newest > token:
            return Held()
        if newest is not None and newest != token:
            self.store.discard(newest, tenant_id)
        self._newest[tenant_id] = token
        held = self.store.get(token, tenant_id)
        if held is None:
            held = Held(live=True)
            held.tenant_id, held.token = tenant_id, token
            self.store.put(token, tenant_id, held)
        return held

    def merge(
        self, known: Held, wanted: list[uuid.UUID], fetched_ids: list[uuid.UUID], fetched: list[PricingItem]
    ) -> list[PricingItem]:
        """The page's items in the order asked for; the fetched ones are remembered in `known` (weighed again)."""
        known.update(dict.fromkeys(fetched_ids))
        known.update((item[0], item) for item in fetched)
        if known.live:
            self.store.put(known.token, known.tenant_id, known)  # type: ignore[arg-type]
        return [item for v in wanted if (item := known[v]) is not None]

    def clear(self) -> None:
        self.store.clear()
        self._newest.clear()


ITEMS = PageItems(cache("pricing.items", size=500_000, ttl=600.0, weigh=len, keep_oversized=False))


def _decimals(texts: Sequence[str | None]) -> list[Decimal | None]:
    return [None if t is None else Decimal(t) for t in texts]


def _items(head: Record) -> list[PricingItem]:
    """PricingItems in field order; each category's chain (itself, parent, ..., root) built once."""
    variants, products = head["variant_ids"], head["variant_products"]
    if not variants:
        return []
    category_of = dict(zip(head["product_ids"], head["product_categories"], strict=True))
    chains: dict[Any, list[Any]] = {}
    for leaf, ancestor in zip(head["path_leaves"] or (), head["path_ancestors"] or (), strict=True):
        chains.setdefault(leaf, []).append(ancestor)
    paths = {leaf: tuple(chain) for leaf, chain in chains.items()}
    return list(
        map(
            _make_item,
            zip(
                variants,
                products,
                map(paths.get, map(category_of.get, products), repeat(())),  # category_ids
                _decimals(head["variant_costs"]),
                repeat(head["cost_currency"]),
                strict=False,
            ),
        )
    )


def _runs(head: Record, rows: list[Record]) -> list[RuleRun]:
    """The runs with their list's columns in place of its position, and values and tier start as Decimals."""
    lists: list[tuple] = []  # each applicable list's id, code, level, customer and group, at its position
    if head["list_ids"]:
        columns = ("list_ids", "list_codes", "list_levels", "list_customers", "list_groups")
        lists = list(zip(*(head[column] for column in columns), strict=True))
    runs: list[RuleRun] = []
    for row in rows:
        list_id, list_code, level, customer_id, group_id = lists[row["pos"]]
        runs.append(
            RuleRun(
                list_id=list_id,
                list_code=list_code,
                level=level,
                customer_id=customer_id,
                group_id=group_id,
                scope=row["scope"],
                method=row["method"],
                min_qty=Decimal(row["min_qty"]),
                rounding=row["rounding"],
                valid_from=row["valid_from"],
                valid_to=row["valid_to"],
                label=row["label"],
                ids=row["ids"],
                values=list(map(Decimal, row["vals"])),
                scope_ids=row["scope_ids"],
            )
        )
    return runs


def _promotions(head: Record) -> tuple[list[Promotion], dict[Any, int]]:
    """The promotions (the head row has an array per Promotion field, named promotion_<field>), and this customer's
    uses of each. Group ids come as text: an array of arrays cannot be ragged."""
    if not head["promotion_id"]:
        return [], {}
    promotions: list[Promotion] = []
    uses: dict[Any, int] = {}
    columns = [head["promotion_" + field] for field in Promotion._fields]
    for values, used in zip(zip(*columns, strict=True), head["promotion_uses"], strict=True):
        fields = dict(zip(Promotion._fields, values, strict=True))
        groups = fields["group_ids"]
        fields["group_ids"] = frozenset(uuid.UUID(g) for g in groups.split(",")) if groups else frozenset()
        promotion = Promotion(**fields)
        promotions.append(promotion)
        if used:
            uses[promotion.id] = used
    return promotions, uses


# --- look-ups for the services -------------------------------------------------------------------------------

SIBLING_RULES = text(
    """
    SELECT r.id, l.id, l.code, l.level, l.currency, r.value, r.method, l.customer_id, l.customer_group_id,
           r.variant_id, r.product_id, r.category_id, r.min_qty, coalesce(r.rounding, l.rounding),
           greatest(r.valid_from, l.valid_from), least(r.valid_to, l.valid_to), r.label
    FROM price_rules r JOIN price_lists l ON l.tenant_id = r.tenant_id AND l.id = r.price_list_id
    WHERE l.level = :level AND l.currency = :currency AND l.is_active
      AND l.customer_id IS NOT DISTINCT FROM CAST(:customer AS uuid)
      AND l.customer_group_id IS NOT DISTINCT FROM CAST(:group AS uuid)
      AND r.min_qty = :min_qty
      AND r.variant_id IS NOT DISTINCT FROM CAST(:variant AS uuid)
      AND r.product_id IS NOT DISTINCT FROM CAST(:product AS uuid)
      AND r.category_id IS NOT DISTINCT FROM CAST(:category AS uuid)
      AND r.id <> CAST(:id AS uuid)
    """
)


async def sibling_rules(session: AsyncSession, rule: PriceRule) -> list[PriceRule]:
    """Saved rules the engine could confuse with `rule`: same level, target, currency, scope and tier start."""
    rows = await session.execute(
        SIBLING_RULES,
        {
            "level": rule.level,
            "currency": rule.currency,
            "customer": rule.customer_id,
            "group": rule.group_id,
            "min_qty": rule.min_qty,
            "variant": rule.variant_id,
            "product": rule.product_id,
            "category": rule.category_id,
            "id": rule.id,
        },
    )
    return [PriceRule._make(r) for r in rows]


# A rule of this list and a rule of another active list for the same level, target and currency, scope and tier
# start, whose periods (each clipped to its list's; NULL = open) share a day: the engine could not tell which holds.
LIST_CLASH = text(
    """
    SELECT code, b_from, b_to FROM (
        SELECT o.code,
               greatest(r.valid_from, CAST(:valid_from AS date)) AS a_from,
               least(r.valid_to, CAST(:valid_to AS date)) AS a_to,
               greatest(orr.valid_from, o.valid_from) AS b_from,
               least(orr.valid_to, o.valid_to) AS b_to
        FROM price_rules r
        JOIN price_rules orr ON orr.tenant_id = r.tenant_id AND orr.price_list_id <> r.price_list_id
             AND orr.min_qty = r.min_qty
             AND orr.variant_id IS NOT DISTINCT FROM r.variant_id
             AND orr.product_id IS NOT DISTINCT FROM r.product_id
             AND orr.category_id IS NOT DISTINCT FROM r.category_id
        JOIN price_lists o ON o.tenant_id = orr.tenant_id AND o.id = orr.price_list_id
        WHERE r.price_list_id = :list AND o.is_active
          AND o.level = :level AND o.currency = :currency
          AND o.customer_id IS NOT DISTINCT FROM CAST(:customer AS uuid)
          AND o.customer_group_id IS NOT DISTINCT FROM CAST(:group AS uuid)
    ) pairs
    WHERE (a_from IS NULL OR a_to IS NULL OR a_from <= a_to) AND (b_from IS NULL OR b_to IS NULL OR b_from <= b_to)
      AND (a_from IS NULL OR b_to IS NULL OR a_from <= b_to) AND (b_from IS NULL OR a_to IS NULL OR b_from <= a_to)
    LIMIT 1
    """
)


async def list_clash(
    session: AsyncSession, list_id: uuid.UUID, values: dict[str, Any]
) -> tuple[str, date | None, date | None] | None:
    """The first other list whose rules would clash with this list's rules under `values`; None when none."""
    row = (
        await session.execute(
            LIST_CLASH,
            {
                "list": list_id,
                "level": values["level"],
                "currency": values["currency"],
                "customer": values["customer_id"],
                "group": values["customer_group_id"],
                "valid_from": values["valid_from"],
                "valid_to": values["valid_to"],
            },
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


PROMOTION_FOR_UPDATE = text(
    """
    SELECT p.id, p.code, p.kind, p.value, p.requires_coupon, p.currency, p.variant_id, p.product_id, p.category_id,
           p.min_qty, p.valid_from, p.valid_to, p.usage_limit, p.times_used, p.per_customer_limit,
           ARRAY(SELECT g.customer_group_id FROM promotion_customer_groups g
                 WHERE g.tenant_id = p.tenant_id AND g.promotion_id = p.id),
           p.stackable, p.label, p.is_active
    FROM promotions p WHERE p.id = :id
    FOR UPDATE OF p
    """
)

CUSTOMER_USES = text(
    """
    SELECT (SELECT count(*) FROM promotion_redemptions x WHERE x.promotion_id = :id AND x.customer_id = :customer),
           (SELECT c.group_id FROM customers c WHERE c.id = :customer),
           EXISTS (SELECT 1 FROM customers c WHERE c.id = :customer),
           (SELECT x.id FROM promotion_redemptions x
            WHERE x.promotion_id = :id AND x.order_id = CAST(:order AS uuid))
    """
)

# The counter is updated in SQL, never read-add-written: the row count says whether a use was left.
TAKE_USE = text(
    "UPDATE promotions SET times_used = times_used + 1 "
    "WHERE id = :id AND (usage_limit IS NULL OR times_used < usage_limit)"
)
