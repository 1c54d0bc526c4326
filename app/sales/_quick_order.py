"""Quick order: check each pasted or uploaded line against the catalogue, the customer's assortment and the
variant's quantity rule, and merge lines of one SKU into one order line.

Duplicates are merged, not flagged: a list pasted from two sources that names a SKU twice means the buyer
wants both quantities, and one order line per variant is what the cart holds. The quantity rule (minimum,
pack size, maximum) is then checked on the merged total, since that is what the order line will carry;
every input line still gets its own answer, so nothing changes silently.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from app.pricing.domain import QuantityCheck, QuantityRule, check_quantity
from app.sales._errors import N_, Id, Reason, reason
from app.sales._quick_order_input import MAX_LINES, QuickOrderInput, parse_pasted

RULE_MESSAGES = {
    "positive": N_("Enter a quantity greater than zero."),
    "min": N_("The minimum order quantity is %(min)s."),
    "multiple": N_("Order in multiples of %(multiple)s."),
    "max": N_("The maximum order quantity is %(max)s."),
    "none": N_("This item cannot be ordered in any quantity."),
}


class LineStatus(StrEnum):
    """What became of one input line."""

    OK = "ok"  # orderable as it is (holding the total when other lines of its SKU were merged into it)
    MERGED = "merged"  # added to an earlier line of the same SKU, which is orderable
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class QuickOrderCatalogue:
    """The plain lookups the service loads for the SKUs in the input (one query each):

    - variants: normalised SKU -> variant id, for the variants that are for sale;
    - assortment: the variant ids this customer may buy; None when the customer sees everything;
    - quantity_rules: variant id -> its QuantityRule (app.pricing.domain); none = any positive quantity.
    """

    variants: Mapping[str, Id]
    assortment: Container[Id] | None = None
    quantity_rules: Mapping[Id, QuantityRule] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QuickOrderLine:
    """The answer for one input line. `suggested` is the nearest quantity the rule accepts (for a merged SKU:
    for the total of its lines, on the first of them); `merged_into` names the line that holds this one's
    quantity; `merged_with` the later lines added to this one."""

    line: int
    text: str
    sku: str
    qty: Decimal | None
    status: LineStatus
    variant_id: Id | None = None
    reasons: tuple[Reason, ...] = ()
    suggested: Decimal | None = None
    merged_into: int | None = None
    merged_with: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is not LineStatus.REFUSED

    @property
    def reason(self) -> Reason | None:
        """The first reason, the one a one-line message shows."""
        return self.reasons[0] if self.reasons else None


@dataclass(frozen=True, slots=True)
class OrderableLine:
    """One line for the cart: a variant and the total quantity of the input lines that named it."""

    variant_id: Id
    sku: str
    qty: Decimal
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QuickOrderResult:
    """Every input line's answer in input order, and the good lines to add, one per variant."""

    lines: tuple[QuickOrderLine, ...]
    orderable: tuple[OrderableLine, ...]

    @property
    def refused(self) -> tuple[QuickOrderLine, ...]:
        return tuple(line for line in self.lines if not line.ok)

    @property
    def all_ok(self) -> bool:
        return not self.refused


def rule_reasons(check: QuantityCheck, rule: QuantityRule | None) -> tuple[Reason, ...]:
    """The quantity rule's problems as Reasons (msgid + the rule's figures) instead of translated text."""
    figures = {} if rule is None else {"min": rule.min_qty, "multiple": rule.multiple, "max": rule.max_qty}
    return tuple(
        reason(problem.code, RULE_MESSAGES.get(problem.code, problem.message), **figures) for problem in check.problems
    )


def _refused(item: QuickOrderInput, why: Reason, **extra: object) -> QuickOrderLine:
    return QuickOrderLine(item.line, item.text, item.sku, item.qty, LineStatus.REFUSED, reasons=(why,), **extra)


def _first_check(item: QuickOrderInput, catalogue: QuickOrderCatalogue) -> QuickOrderLine | Id:
    """The line's own problems (no SKU, unreadable, unknown, outside the assortment, not above zero), or its
    variant id when it may go on to be merged and checked against the quantity rule."""
    if not item.sku:
        return _refused(item, reason("missing_sku", N_("Enter a SKU before the quantity.")))
    if item.problem is not None:
        return _refused(item, item.problem)
    variant_id = catalogue.variants.get(item.sku)
    if variant_id is None:
        return _refused(item, reason("unknown_sku", N_("We do not know the SKU %(sku)s."), sku=item.sku))
    if catalogue.assortment is not None and variant_id not in catalogue.assortment:
        why = reason("not_in_assortment", N_("%(sku)s is not in your assortment."), sku=item.sku)
        return _refused(item, why, variant_id=variant_id)
    if item.qty is None or item.qty <= 0:
        rule = catalogue.quantity_rules.get(variant_id)
        check = check_quantity(item.qty or Decimal(0), rule)
        why = reason("positive", RULE_MESSAGES["positive"])
        return _refused(item, why, variant_id=variant_id, suggested=check.suggested)
    return variant_id


def _group(group: Sequence[QuickOrderInput], variant_id: Id, rule: QuantityRule | None) -> list[QuickOrderLine]:
    """The answers for the lines of one variant, checked on their total."""
    head, rest = group[0], group[1:]
    total = sum((item.qty for item in group if item.qty is not None), Decimal(0))
    check = check_quantity(total, rule)
    later = tuple(item.line for item in rest)
    if not check.ok:
        first = QuickOrderLine(
            head.line,
            head.text,
            head.sku,
            head.qty,
            LineStatus.REFUSED,
            variant_id,
            rule_reasons(check, rule),
            check.suggested,
            merged_with=later,
        )
        why = reason("merged_refused", N_("Added to line %(line)s, whose total cannot be ordered."), line=head.line)
        return [first, *(_refused(item, why, variant_id=variant_id, merged_into=head.line) for item in rest)]
    first = QuickOrderLine(head.line, head.text, head.sku, head.qty, LineStatus.OK, variant_id, merged_with=later)
    merged = [
        QuickOrderLine(
            item.line,
            item.text,
            item.sku,
            item.qty,
            LineStatus.MERGED,
            variant_id,
            (reason("merged", N_("Added to line %(line)s."), line=head.line),),
            merged_into=head.line,
        )
        for item in rest
    ]
    return [first, *merged]


def check_quick_order(inputs: Iterable[QuickOrderInput], catalogue: QuickOrderCatalogue) -> QuickOrderResult:
    """Check every line and return each one's answer in input order, and the orderable lines (merged per variant,
    in the order their first line came). A refused line never reaches `orderable`."""
    answers: dict[int, QuickOrderLine] = {}
    groups: dict[Id, list[QuickOrderInput]] = {}
    order: list[int] = []
    for item in inputs:
        order.append(item.line)
        outcome = _first_check(item, catalogue)
        if isinstance(outcome, QuickOrderLine):
            answers[item.line] = outcome
        else:
            groups.setdefault(outcome, []).append(item)
    orderable: list[OrderableLine] = []
    for variant_id, group in groups.items():
        results = _group(group, variant_id, catalogue.quantity_rules.get(variant_id))
        answers.update((result.line, result) for result in results)
        if results[0].ok:
            total = sum((item.qty for item in group if item.qty is not None), Decimal(0))
            orderable.append(OrderableLine(variant_id, group[0].sku, total, tuple(item.line for item in group)))
    return QuickOrderResult(tuple(answers[line] for line in order), tuple(orderable))


def quick_order(text: str, catalogue: QuickOrderCatalogue, *, max_lines: int = MAX_LINES) -> QuickOrderResult:
    """parse_pasted then check_quick_order: the answer for a pasted list (TooManyLines for a huge one)."""
    return check_quick_order(parse_pasted(text, max_lines=max_lines), catalogue)
