"""Ledger rules, pure: which way a move goes for the stock's value, and what a warehouse or location code may be."""

from __future__ import annotations

import re
from enum import StrEnum

from app.inventory._errors import StockRuleError

STOCK_KINDS = frozenset({"internal", "transit"})  # stock that is ours: on hand, and valued
VIRTUAL_KINDS = ("supplier", "customer", "production", "scrap", "adjustment", "transit")
CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]*")


class Direction(StrEnum):
    """What a move does to the stock: brings it in, takes it out, or moves it between two stock locations."""

    IN = "in"
    OUT = "out"
    INTERNAL = "internal"


def direction(from_kind: str, to_kind: str) -> Direction:
    """The direction of a move between locations of these kinds; a view location holds nothing, and a move
    between two virtual locations never touches the stock, so both are refused."""
    if "view" in (from_kind, to_kind):
        raise StockRuleError("location", "a view location groups other locations and holds no stock")
    inside, outside = from_kind in STOCK_KINDS, to_kind in STOCK_KINDS
    if inside and outside:
        return Direction.INTERNAL
    if outside:
        return Direction.IN
    if inside:
        return Direction.OUT
    raise StockRuleError("location", f"a move from {from_kind} to {to_kind} never touches the stock")


def place_code(field: str, raw: str, max_length: int) -> str:
    """A warehouse or location code as stored and printed on labels: upper case letters, digits and . _ / -,
    starting with a letter or digit, so that any barcode (Code 128, QR) carries it and a scan finds it."""
    code = (raw or "").strip().upper()
    if not code:
        raise StockRuleError(field, "a code is required")
    if len(code) > max_length:
        raise StockRuleError(field, f"at most {max_length} characters")
    if not CODE.fullmatch(code):
        raise StockRuleError(field, "use letters A-Z, digits and . _ / - only, starting with a letter or digit")
    return code
