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
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import partial
from itertools import repeat
from typing import Any

from app.pricing._money import Rounding, ending_gaps, quantum
from app.pricing._promotions import HUNDRED
from app.pricing._quote import PricingContext, PricingItem
from app.pricing._rules import LEVEL_RANK, ONE, Id, Level, Method, PriceRule

# Plain strings: comparing with an Enum member costs an attribute look-up through EnumType on 3.11.
BASE, GROUP = Level.BASE.value, Level.GROUP.value
M_FIXED, M_COST_PLUS, M_LIST_MINUS = Method.FIXED.value, Method.COST_PLUS_PCT.value, Method.LIST_MINUS_PCT.value
BASE_RANK, GROUP_RANK = LEVEL_RANK[BASE], LEVEL_RANK[GROUP]
SCOPES = 64  # precedence key = level rank * SCOPES + scope rank (variant 0, product 1, categories 2.., all last)
ZERO = Decimal(0)

FIXED, COST_PLUS, LIST_MINUS, SELF = 0, 1, 2, 3  # how a rule prices, decided once per call
VARIANT_RANK, PRODUCT_RANK, FIRST_CATEGORY_RANK, ALL_RANK = 0, 1, 2, SCOPES - 1

# A rule ready for one call, flat so the inner loops unpack it in one step: (sort key, group, tier rank, min_qty,
# fixed price or None, how, multiplier, ending gap, rule). The tier rank is min_qty's place among the call's
# distinct tier starts; the group is (precedence key, tier) as one int, equal for rules that tie (two of the
# customer's groups, same scope and tier); the sort key is the group then the input order, unique, so sorting
# entries puts them in precedence order (level, scope, highest tier first) without comparing further.
Entry = tuple[int, int, int, Decimal, Decimal | None, int, Decimal, Decimal | None, PriceRule]
ROUNDINGS = frozenset(Rounding)
LEVELS = {str(level): rank for level, rank in LEVEL_RANK.items()}  # plain str keys: found without Enum equality

_RULE_FIELDS = "id list_id list_code level currency value method customer_id group_id variant_id product_id category_id"
_RULE_FIELDS += " min_qty rounding valid_from valid_to label"
if PriceRule._fields != tuple(_RULE_FIELDS.split()):  # RuleIndex unpacks rules positionally
    raise RuntimeError("PriceRule fields changed: update RuleIndex.__init__ and loaded_rules")


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
        self._setup(sorted({rule[12] for rule in rules}), len(rules), ctx.currency)
        rank_of, n_tiers, n_rules, top = self.rank_of, self.n_tiers, self.n_rules, self.n_tiers - 1
        currency, on, customer, groups = ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids
        quantum_, gaps = self.quantum, ending_gaps(currency)
        variant_scope, product_scope, category_scope, everyone = self.variant, self.product, self.category, []
        for order, rule in enumerate(rules):
            # One unpacking instead of a dozen attribute look-ups: this loop sees every rule of the page.
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
            # How it prices, precomputed: a fixed price rounded once (round_price, inlined), a formula's multiplier.
            if rounding not in ROUNDINGS:
                raise ValueError(f"price rule {rule_id!r} has an unknown rounding {rounding!r}")
            gap = gaps.get(rounding)
            fixed, mult = None, ONE
            if method == M_FIXED:
                how = FIXED
                if value > ZERO:
                    fixed = value.quantize(quantum_, ROUND_HALF_UP)
                    if gap is not None:
                        fixed = (fixed.to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
                    if fixed <= ZERO:
                        fixed = None
            elif method == M_COST_PLUS:
                how, mult = COST_PLUS, (HUNDRED + value) / HUNDRED
            elif method == M_LIST_MINUS:
                how, mult = (SELF if rank == BASE_RANK else LIST_MINUS), (HUNDRED - value) / HUNDRED
            else:
                raise ValueError(f"price rule {rule_id!r} has an unknown method {method!r}")
            tier = rank_of[min_qty]
            key = rank * SCOPES
            if variant_id is not None:
                target, scope_id = variant_scope, variant_id
            elif product_id is not None:
                target, scope_id, key = product_scope, product_id, key + PRODUCT_RANK
            elif category_id is not None:
                target, scope_id = category_scope, category_id
            else:
                target, key = None, key + ALL_RANK
            group = key * n_tiers + top - tier
            entry = (group * n_rules + order, group, tier, min_qty, fixed, how, mult, gap, rule)
            if target is None:
                everyone.append(entry)
            else:
                entries = target.get(scope_id)
                if entries is None:
                    target[scope_id] = [entry]
                else:
                    entries.append(entry)
        self.everyone = everyone

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

    def _add_run(self, ctx: PricingContext, order: int, run: RuleRun, rules: list[PriceRule]) -> bool:
        """Index one run of rules (those of the generic loop, checked once for all); False where that loop would
        raise, so the caller drops the index and pricing raises as it would have."""
        (_list_id, _code, level, customer_id, group_id, scope, method, min_qty, rounding, valid_from, valid_to,
         _label, _ids, values, scope_ids) = run  # fmt: skip
        on = ctx.on
        if (valid_from is not None and on < valid_from) or (valid_to is not None and on > valid_to):
            return True
        rank = LEVELS.get(level)
        if rank is None:
            return False
        if rank == GROUP_RANK:
            if group_id not in ctx.group_ids:
                return True
        elif rank != BASE_RANK and (ctx.customer_id is None or customer_id != ctx.customer_id):
            return True
        if rounding not in ROUNDINGS:
            return False
        gap = ending_gaps(ctx.currency).get(rounding)
        quantum_ = self.quantum
        fixeds: Iterable[Decimal | None] = repeat(None)
        mults: Iterable[Decimal] = repeat(ONE)
        try:
            if method == M_FIXED:
                how = FIXED
                if gap is None:
                    fixeds = list(map(Decimal.quantize, values, repeat(quantum_), repeat(ROUND_HALF_UP)))
                else:
                    fixeds = [
                        (v.quantize(quantum_, ROUND_HALF_UP).to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
                        for v in values
                    ]
                if min(values) <= ZERO or min(fixeds) <= ZERO:  # type: ignore[type-var]
                    fixeds = [f if v > ZERO and f > ZERO else None for v, f in zip(values, fixeds, strict=True)]
            elif method == M_COST_PLUS:
                how, mults = COST_PLUS, [(HUNDRED + v) / HUNDRED for v in values]
            elif method == M_LIST_MINUS:
                how, mults = (SELF if rank == BASE_RANK else LIST_MINUS), [(HUNDRED - v) / HUNDRED for v in values]
            else:
                return False
        except ArithmeticError:  # a value the generic loop would stumble on (NaN): let it
            return False
        tier = self.rank_of[min_qty]
        key = rank * SCOPES + (VARIANT_RANK, PRODUCT_RANK, 0, ALL_RANK)[scope]
        group = key * self.n_tiers + self.n_tiers - 1 - tier
        start = group * self.n_rules + order
        entries = zip(
            range(start, start + len(rules)),
            repeat(group),
            repeat(tier),
            repeat(min_qty),
            fixeds,
            repeat(how),
            mults,
            repeat(gap),
            rules,
        )
        if scope == ALL_SCOPE:
            self.everyone += entries
            return True
        target = (self.variant, self.product, self.category)[scope]
        for scope_id, entry in zip(scope_ids, entries, strict=True):
            same = target.get(scope_id)
            if same is None:
                target[scope_id] = [entry]
            else:
                same.append(entry)
        return True

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
                entries += [
                    (sort_key + step, group + shift, tier, min_qty, fixed, how, mult, gap, rule)
                    for sort_key, group, tier, min_qty, fixed, how, mult, gap, rule in more
                ]
            if rank < ALL_RANK - 1:
                rank += 1
        return entries


# One run as load_page reads it: (list_id, list_code, level, customer_id, group_id, scope kind, method, min_qty,
# rounding, valid_from, valid_to, label, ids, values, scope ids); scope kind 0 variant, 1 product, 2 category,
# 3 all products (scope ids None). A list's own columns (code, level, customer, group) repeat in each of its runs.
RuleRun = tuple[Any, str, str, Any, Any, int, str, Decimal, str, date | None, date | None, str, Sequence, Sequence, Any]
VARIANT_SCOPE, PRODUCT_SCOPE, CATEGORY_SCOPE, ALL_SCOPE = 0, 1, 2, 3
_make_rule = partial(tuple.__new__, PriceRule)  # PriceRule._make without its per-row length check


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
    runs = [run for run in runs if run[12]]
    rules = LoadedRules()
    index: RuleIndex | None = RuleIndex.__new__(RuleIndex)
    index._setup(sorted({run[7] for run in runs}), sum(len(run[12]) for run in runs), ctx.currency)  # type: ignore[union-attr]
    currency, nothing, order = ctx.currency, repeat(None), 0
    for run in runs:
        (list_id, code, level, customer_id, group_id, scope, method, min_qty, rounding, valid_from, valid_to, label,
         ids, values, scope_ids) = run  # fmt: skip
        made = list(
            map(
                _make_rule,
                zip(
                    ids,
                    repeat(list_id),
                    repeat(code),
                    repeat(level),
                    repeat(currency),
                    values,
                    repeat(method),
                    repeat(customer_id),
                    repeat(group_id),
                    scope_ids if scope == VARIANT_SCOPE else nothing,
                    scope_ids if scope == PRODUCT_SCOPE else nothing,
                    scope_ids if scope == CATEGORY_SCOPE else nothing,
                    repeat(min_qty),
                    repeat(rounding),
                    repeat(valid_from),
                    repeat(valid_to),
                    repeat(label),
                    strict=False,
                ),
            )
        )
        list.extend(rules, made)
        if index is not None and not index._add_run(ctx, order, run, made):
            index = None
        order += len(made)
    rules._index, rules._context = index, _context_key(ctx)
    return rules


def index_for(rules: Iterable[PriceRule], ctx: PricingContext) -> RuleIndex:
    """The index of `rules` for `ctx`: the one built while loading them when it still holds, else a new one."""
    if type(rules) is LoadedRules:
        index = getattr(rules, "_index", None)  # unset on a copy made without __init__ (pickle)
        if index is not None and rules._context == _context_key(ctx):
            return index
    return RuleIndex(rules, ctx)
