"""The rule index: a call's rules filtered for its customer, day and currency, compiled once and keyed by scope.

Tier starts are ranked once per index (the distinct min_qty values, ascending), so pricing an item compares small
ints instead of Decimals, and one int sort key orders an item's rules. `loaded_rules` builds the PriceRules of a
page from the runs load_page reads (rules sharing list, scope kind, method, tier, rounding and dates) and indexes
them on the way: the checks run once per run, and each rule's entry is zipped together in C.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import repeat
from typing import Any, NamedTuple

from app.pricing._money import Rounding, ending_gaps, quantum, round_all, round_to
from app.pricing._promotions import HUNDRED
from app.pricing._quote import PricingContext, PricingItem
from app.pricing._rules import LEVEL_RANK, ONE, Id, Level, Method, PriceRule

# Plain strings: comparing with an Enum member costs an attribute look-up through EnumType on 3.11.
BASE, GROUP = Level.BASE.value, Level.GROUP.value
BASE_RANK, GROUP_RANK = LEVEL_RANK[BASE], LEVEL_RANK[GROUP]
LEVELS = {str(level): rank for level, rank in LEVEL_RANK.items()}  # plain str keys: found without Enum equality
ROUNDINGS = frozenset(Rounding)
ZERO = Decimal(0)

FIXED, COST_PLUS, LIST_MINUS, SELF = 0, 1, 2, 3  # how a rule prices, decided once per call
HOW = {Method.FIXED.value: FIXED, Method.COST_PLUS_PCT.value: COST_PLUS, Method.LIST_MINUS_PCT.value: LIST_MINUS}

# A rule's scope kind (a RuleRun's `scope`), and the rank it gives in precedence: level rank * SCOPES + scope rank.
# A category's rank depends on the item (2 for its own category, 3 for the parent, ...): added per path.
VARIANT_SCOPE, PRODUCT_SCOPE, CATEGORY_SCOPE, ALL_SCOPE = 0, 1, 2, 3
SCOPES = 64
VARIANT_RANK, PRODUCT_RANK, FIRST_CATEGORY_RANK, ALL_RANK = 0, 1, 2, SCOPES - 1
SCOPE_RANKS = (VARIANT_RANK, PRODUCT_RANK, 0, ALL_RANK)


class Entry(NamedTuple):
    """A rule ready for one call. Entries compare by `sort_key` alone (it is unique), so sorting an item's entries
    puts its rules in precedence order: level, scope, highest tier first, then input order.

    - sort_key: the group, then the rule's input order, as one int.
    - group: (precedence key, tier) as one int, highest tier first; equal for rules that tie (two of the
      customer's groups, same scope and tier), which the engine prices together.
    - tier: min_qty's rank among the call's distinct tier starts; min_qty: the tier start as the rule writes it.
    - fixed: a fixed price, rounded; None for a formula, or for a fixed price that would not be above zero.
    - how: FIXED, COST_PLUS, LIST_MINUS or SELF (a base list discounting itself, which never prices).
    - factor: what a formula multiplies its basis by; gap: the rounding's ending gap (None: to the cent).
    """

    sort_key: int
    group: int
    tier: int
    min_qty: Decimal
    fixed: Decimal | None
    how: int
    factor: Decimal
    gap: Decimal | None
    rule: PriceRule


_new = tuple.__new__  # Entry(...) without its Python-level __new__: a page builds an entry per rule


class RuleIndex:
    """The rules of one call that fit its currency, day and customer, compiled and keyed by scope."""

    __slots__ = (
        "_paths",
        "_tier_of",
        "base_floor",
        "base_start",
        "category",
        "category_step",
        "everyone",
        "mins",
        "n_rules",
        "n_tiers",
        "product",
        "quantum",
        "rank_of",
        "variant",
    )

    def __init__(self, rules: Iterable[PriceRule], ctx: PricingContext) -> None:
        if not isinstance(rules, list | tuple):
            rules = list(rules)
        # Every distinct tier start of the call, ascending; equal values (10 and 10.0000) share a rank.
        self._setup(sorted({rule.min_qty for rule in rules}), len(rules), ctx.currency)
        self._add_rules(rules, ctx)

    def _setup(self, mins: list[Decimal], n_rules: int, currency: str) -> None:
        self.variant: dict[Id, list[Entry]] = {}
        self.product: dict[Id, list[Entry]] = {}
        self.category: dict[Id, list[Entry]] = {}  # compiled with scope rank 0; the item adds its depth
        self.everyone: list[Entry] = []
        self._tier_of: dict[Decimal, int] = {}
        self._paths: dict[tuple[Id, ...], list[Entry]] = {}
        self.mins = mins
        self.rank_of = {m: i for i, m in enumerate(mins)}
        self.n_tiers = len(mins)
        self.n_rules = n_rules
        self.base_floor = BASE_RANK * SCOPES * self.n_tiers
        self.base_start = (self.base_floor * n_rules,)  # sorts before the first base entry of a ranked list
        self.category_step = self.n_tiers * n_rules  # what one category level adds to a sort key
        self.quantum = quantum(currency)

    def _add_rules(self, rules: Sequence[PriceRule], ctx: PricingContext) -> None:
        """File an Entry for each rule that applies to ctx; raise for a level, rounding or method it cannot price.

        The decisions are _add_run's for a run (_valid_on, _serves), taken inline: this loop sees every rule of a
        plain list, and a call per rule and decision would cost more than the decisions themselves.
        """
        currency, on, customer, groups = ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids
        gaps, minor_unit, rank_of = ending_gaps(currency), self.quantum, self.rank_of
        n_tiers, n_rules, scopes = self.n_tiers, self.n_rules, self.scopes()
        for order, rule in enumerate(rules):
            (rule_id, _list_id, _list_code, level, rule_currency, value, method, customer_id, group_id,
             variant_id, product_id, category_id, min_qty, rounding, valid_from, valid_to, _label) = rule  # fmt: skip
            if rule_currency != currency:
                continue
            if (valid_from is not None and on < valid_from) or (valid_to is not None and on > valid_to):
                continue
            rank = LEVELS.get(level)
            if rank is None:
                raise ValueError(f"price rule {rule_id!r} has an unknown level {level!r}")
            if rank == GROUP_RANK:
                if group_id not in groups:
                    continue
            elif rank != BASE_RANK and (customer is None or customer_id != customer):
                continue
            how = HOW.get(method)
            if how is None or rounding not in ROUNDINGS:
                raise _unpriceable(rule)
            gap, fixed, factor = gaps.get(rounding), None, ONE
            if how == FIXED:
                fixed = round_to(value, minor_unit, gap) if value > ZERO else None
                fixed = fixed if fixed is not None and fixed > ZERO else None
            elif how == COST_PLUS:
                factor = (HUNDRED + value) / HUNDRED
            else:
                how, factor = (SELF if rank == BASE_RANK else LIST_MINUS), (HUNDRED - value) / HUNDRED
            if variant_id is not None:
                scope, scope_id = VARIANT_SCOPE, variant_id
            elif product_id is not None:
                scope, scope_id = PRODUCT_SCOPE, product_id
            elif category_id is not None:
                scope, scope_id = CATEGORY_SCOPE, category_id
            else:
                scope, scope_id = ALL_SCOPE, None
            tier = rank_of[min_qty]
            group = (rank * SCOPES + SCOPE_RANKS[scope]) * n_tiers + n_tiers - 1 - tier
            entry = _new(Entry, (group * n_rules + order, group, tier, min_qty, fixed, how, factor, gap, rule))
            if scope == ALL_SCOPE:
                self.everyone.append(entry)
                continue
            same = scopes[scope].get(scope_id)
            if same is None:
                scopes[scope][scope_id] = [entry]
            else:
                same.append(entry)

    def _add_run(self, ctx: PricingContext, order: int, run: RuleRun, rules: list[PriceRule]) -> bool:
        """Index one run of rules as _add_rules would each of them, deciding once for all; False where _add_rules
        would raise, so the caller drops the index and pricing raises as it would have."""
        if not _valid_on(ctx, run.valid_from, run.valid_to):
            return True
        rank = LEVELS.get(run.level)
        if rank is None:
            return False
        if not _serves(ctx, rank, run.customer_id, run.group_id):
            return True
        how = HOW.get(run.method)
        if run.rounding not in ROUNDINGS or how is None:
            return False
        gap, values = ending_gaps(ctx.currency).get(run.rounding), run.values
        fixeds: Iterable[Decimal | None] = repeat(None)
        factors: Iterable[Decimal] = repeat(ONE)
        try:
            if how == FIXED:
                fixeds = round_all(values, self.quantum, gap)
                if min(values) <= ZERO or min(fixeds) <= ZERO:  # no price unless both are above zero
                    fixeds = [f if v > ZERO and f > ZERO else None for v, f in zip(values, fixeds, strict=True)]
            elif how == COST_PLUS:
                factors = [(HUNDRED + value) / HUNDRED for value in values]
            else:
                how, factors = (SELF if rank == BASE_RANK else LIST_MINUS), [(HUNDRED - v) / HUNDRED for v in values]
        except ArithmeticError:  # a value _add_rules would stumble on (NaN): let it
            return False
        tier = self.rank_of[run.min_qty]
        group = (rank * SCOPES + SCOPE_RANKS[run.scope]) * self.n_tiers + self.n_tiers - 1 - tier
        start = group * self.n_rules + order
        entries = zip(range(start, start + len(rules)), repeat(group), repeat(tier), repeat(run.min_qty), fixeds,
                      repeat(how), factors, repeat(gap), rules)  # fmt: skip
        if run.scope == ALL_SCOPE:
            self.everyone += map(_new, repeat(Entry), entries)
        else:
            target = self.scopes()[run.scope]
            for scope_id, entry in zip(run.scope_ids, map(_new, repeat(Entry), entries), strict=True):
                same = target.get(scope_id)
                if same is None:
                    target[scope_id] = [entry]
                else:
                    same.append(entry)
        return True

    def scopes(self) -> tuple[dict[Id, list[Entry]], ...]:
        """The entries by scope id of each scope kind but all products: variant, product, category."""
        return (self.variant, self.product, self.category)

    def tier_of(self, qty: Decimal) -> int:
        """The rank of the highest tier start at or below qty (-1 below every start): a rule covers qty when its
        tier rank is at most this."""
        tier = self._tier_of.get(qty)
        if tier is None:
            tier = self._tier_of[qty] = bisect_right(self.mins, qty) - 1
        return tier

    def ranked(self, item: PricingItem) -> list[Entry]:
        """The item's rules in precedence order: level, then scope (nearer categories first), then the
        highest tier first."""
        entries = self.variant.get(item.variant_id)
        entries = entries[:] if entries else []
        if self.product:
            more = self.product.get(item.product_id)
            if more:
                entries += more
        if self.category:
            path = item.category_ids
            if type(path) is tuple:
                more = self._paths.get(path)
                if more is None:
                    more = self._paths[path] = self._path_entries(path)
            else:  # a list or another sequence: not a key
                more = self._path_entries(tuple(path))
            if more:
                entries += more
        if self.everyone:
            entries += self.everyone
        entries.sort()
        return entries

    def _path_entries(self, path: tuple[Id, ...]) -> list[Entry]:
        """The category rules along a path (leaf first), each with the scope rank of its place: made once per path,
        shared by the items in that category."""
        entries: list[Entry] = []
        rank = FIRST_CATEGORY_RANK
        for category_id in path:
            more = self.category.get(category_id)
            if more:
                step, shift = rank * self.category_step, rank * self.n_tiers
                entries += [e._replace(sort_key=e.sort_key + step, group=e.group + shift) for e in more]
            if rank < ALL_RANK - 1:
                rank += 1
        return entries


def _unpriceable(rule: PriceRule) -> ValueError:
    if rule.rounding not in ROUNDINGS:
        return ValueError(f"price rule {rule.id!r} has an unknown rounding {rule.rounding!r}")
    return ValueError(f"price rule {rule.id!r} has an unknown method {rule.method!r}")


def _valid_on(ctx: PricingContext, valid_from: date | None, valid_to: date | None) -> bool:
    """Whether ctx's day lies in a rule's inclusive validity (None leaves that end open)."""
    return (valid_from is None or valid_from <= ctx.on) and (valid_to is None or ctx.on <= valid_to)


def _serves(ctx: PricingContext, rank: int, customer_id: Id | None, group_id: Id | None) -> bool:
    """Whether a list of this level rank, customer and group prices for ctx's customer: a base list for anyone."""
    if rank == GROUP_RANK:
        return group_id in ctx.group_ids
    return rank == BASE_RANK or (ctx.customer_id is not None and customer_id == ctx.customer_id)


class RuleRun(NamedTuple):
    """Rules that share everything but their id, value and scope id, as load_page reads them: their list's columns
    (repeated in each of its runs), then the run's own; `ids`, `values` and `scope_ids` go rule by rule."""

    list_id: Any
    list_code: str
    level: str
    customer_id: Any
    group_id: Any
    scope: int  # VARIANT_SCOPE, PRODUCT_SCOPE, CATEGORY_SCOPE or ALL_SCOPE (scope_ids None)
    method: str
    min_qty: Decimal
    rounding: str
    valid_from: date | None
    valid_to: date | None
    label: str
    ids: Sequence
    values: Sequence[Decimal]
    scope_ids: Sequence | None


_make_rule = partial(tuple.__new__, PriceRule)  # PriceRule._make without its per-row length check
_RULE_FIELDS = (
    "id list_id list_code level currency value method customer_id group_id variant_id product_id category_id"
    " min_qty rounding valid_from valid_to label"
)
if PriceRule._fields != tuple(_RULE_FIELDS.split()):  # _add_rules unpacks rules in this order, loaded_rules zips them
    raise RuntimeError("PriceRule fields changed: update RuleIndex._add_rules and loaded_rules")


class LoadedRules(list):
    """A page's PriceRules as load_page read them, with their RuleIndex, built while reading, for the context they
    were loaded for. A change through the list's methods drops the index, so pricing never uses a stale one."""

    __slots__ = ("_context", "_index")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._index: RuleIndex | None = None
        self._context: tuple | None = None


def _dropping_index(name: str) -> Any:
    change = getattr(list, name)

    def changed(self: LoadedRules, *args: Any, **kwargs: Any) -> Any:
        self._index = None
        return change(self, *args, **kwargs)

    changed.__name__ = name
    return changed


for _name in (
    "__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop", "remove", "clear",
    "sort", "reverse",
):  # fmt: skip
    setattr(LoadedRules, _name, _dropping_index(_name))


def _context_key(ctx: PricingContext) -> tuple:
    return (ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids)


def loaded_rules(ctx: PricingContext, runs: Iterable[RuleRun]) -> LoadedRules:
    """The PriceRules of `runs` in field order (a run's shared columns repeated, each rule's id, value and scope id
    zipped in), in the currency of `ctx`, indexed for `ctx` on the way."""
    runs = [run for run in runs if run.ids]
    rules = LoadedRules()
    index: RuleIndex | None = RuleIndex.__new__(RuleIndex)
    index._setup(sorted({run.min_qty for run in runs}), sum(len(run.ids) for run in runs), ctx.currency)  # type: ignore[union-attr]
    order = 0
    for run in runs:
        made = list(map(_make_rule, _rule_fields(run, ctx.currency)))
        list.extend(rules, made)
        if index is not None and not index._add_run(ctx, order, run, made):
            index = None
        order += len(made)
    rules._index, rules._context = index, _context_key(ctx)
    return rules


def _rule_fields(run: RuleRun, currency: str) -> Iterable[tuple]:
    """Each rule of a run as a tuple in PriceRule's field order: the run's columns repeated, the rule's own zipped."""
    nothing = repeat(None)
    return zip(
        run.ids,
        repeat(run.list_id),
        repeat(run.list_code),
        repeat(run.level),
        repeat(currency),
        run.values,
        repeat(run.method),
        repeat(run.customer_id),
        repeat(run.group_id),
        run.scope_ids if run.scope == VARIANT_SCOPE else nothing,
        run.scope_ids if run.scope == PRODUCT_SCOPE else nothing,
        run.scope_ids if run.scope == CATEGORY_SCOPE else nothing,
        repeat(run.min_qty),
        repeat(run.rounding),
        repeat(run.valid_from),
        repeat(run.valid_to),
        repeat(run.label),
        strict=False,
    )


def index_for(rules: Iterable[PriceRule], ctx: PricingContext) -> RuleIndex:
    """The index of `rules` for `ctx`: the one built while loading them when it still holds, else a new one."""
    if type(rules) is LoadedRules:
        index = getattr(rules, "_index", None)  # unset on a copy made without __init__ (pickle)
        if index is not None and rules._context == _context_key(ctx):
            return index
    return RuleIndex(rules, ctx)
