"""Availability as the storefront says it: the line on a product card and on the offer, and the note when a buyer
asks for more than is available now (a warning, never a refusal: whether backorders are taken is the ordering's).

What is shown comes from inventory's remembered reads (`shown_availability`, under the tenant's `availability`
change token), as the tenant's setting asks: exact figures, levels, or nothing. A card's line sits between two
markers naming its variant (`<!--stock:<id>-->…<!--/stock-->`): storefront.listing_cache keeps a listing block
with its markers and fills them in afresh on every request, so a stock move changes the availability shown
without rebuilding any listing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from markupsafe import Markup, escape

from app.i18n import current_locale, format_date, format_number, ngettext
from app.i18n import gettext as _
from app.inventory.domain import AvailabilityDisplay, StockSignal

CSS = {
    StockSignal.IN_STOCK: "stock-in",
    StockSignal.LOW_STOCK: "stock-low",
    StockSignal.AVAILABLE_FROM: "stock-later",
    StockSignal.ON_REQUEST: "stock-request",
    StockSignal.OUT_OF_STOCK: "stock-out",
}
EMPTY = Markup("")
_SLOT = re.compile(r"<!--stock:([0-9a-f-]{36})-->.*?<!--/stock-->", re.S)
_CLOSING = "<!--/stock-->"


def day_text(day: date) -> str:
    """A promise date, short: "14 Dec" this year, with the year when it is another."""
    return format_date(day, "d MMM" if day.year == date.today().year else "medium")


def _count(qty: Decimal) -> tuple[int, str]:
    """The plural form's number and the figure as the shopper reads it (quantities may have decimals)."""
    return (1 if qty == 1 else 2), format_number(qty)


def stock_text(shown: AvailabilityDisplay | None) -> str:
    """What a card or the offer says: "In stock", "12 available", "Available from 14 Dec", "Only 3 available: the
    rest on request"...; empty when the tenant hides availability (or nothing is known)."""
    if shown is None:
        return ""
    signal, qty = shown.signal, shown.qty
    if signal is StockSignal.IN_STOCK:
        if qty is None:
            return _("In stock")
        n, figure = _count(qty)
        return ngettext("%(num)s available", "%(num)s available", n, num=figure)
    if signal is StockSignal.LOW_STOCK:
        return _("Low stock")
    if signal is StockSignal.AVAILABLE_FROM and shown.available_from is not None:
        day = day_text(shown.available_from)
        if qty:
            n, figure = _count(qty)
            return ngettext(
                "Only %(num)s available: the rest from %(date)s",
                "Only %(num)s available: the rest from %(date)s",
                n,
                num=figure,
                date=day,
            )
        return _("Available from %(date)s", date=day)
    if signal is StockSignal.ON_REQUEST:
        if qty:
            n, figure = _count(qty)
            return ngettext(
                "Only %(num)s available: the rest on request",
                "Only %(num)s available: the rest on request",
                n,
                num=figure,
            )
        return _("On request")
    if signal is StockSignal.OUT_OF_STOCK:
        return _("Out of stock")
    return ""


@lru_cache(maxsize=8_192)
def _line(shown: AvailabilityDisplay, locale: str, today: date) -> Markup:
    text = stock_text(shown)
    if not text:
        return EMPTY
    return Markup('<p class="stock {}">{}</p>').format(CSS[shown.signal], escape(text))


def stock_line(shown: AvailabilityDisplay | None) -> Markup:
    """The availability line as HTML (remembered per language and day: a page shows the same few lines)."""
    if shown is None:
        return EMPTY
    return _line(shown, current_locale.get(), date.today())


@lru_cache(maxsize=65_536)
def _opening(variant_id: uuid.UUID) -> str:  # remembered: writing out a UUID costs more than finding it again
    return f"<!--stock:{variant_id}-->"


def card_stock(variant_id: uuid.UUID | None, shown: AvailabilityDisplay | None) -> Markup:
    """A card's availability line between the markers a kept listing is filled in by (nothing without a variant)."""
    return card_stock_lines([variant_id], {variant_id: shown} if variant_id is not None and shown is not None else {})[
        0
    ]


def card_stock_lines(
    variant_ids: Sequence[uuid.UUID | None], shown: Mapping[uuid.UUID, AvailabilityDisplay]
) -> list[Markup]:
    """`card_stock` for a page of cards at once: the language and the day are read once, and cards showing the
    same thing share one line (inventory hands out one object for equal displays, so identity finds them)."""
    locale, today = current_locale.get(), date.today()
    made: dict[int, str] = {}  # by the display's identity (`shown` holds them all alive meanwhile)
    lines: list[Markup] = []
    for variant_id in variant_ids:
        if variant_id is None:
            lines.append(EMPTY)
            continue
        found = shown.get(variant_id)
        line = "" if found is None else made.get(id(found))
        if line is None:
            line = made[id(found)] = _line(found, locale, today)
        # Markup: a UUID and a line built escaped in _line
        lines.append(Markup(f"{_opening(variant_id)}{line}{_CLOSING}"))  # noqa: S704
    return lines


@dataclass(frozen=True, slots=True)
class Slotted:
    """Rendered HTML cut at its cards' availability lines: the text around them (one more part than lines), and
    each line's variant and opening marker."""

    parts: tuple[str, ...]
    variant_ids: tuple[uuid.UUID, ...]
    openings: tuple[str, ...]


def slotted(html: str) -> Slotted:
    parts: list[str] = []
    variants: list[uuid.UUID] = []
    openings: list[str] = []
    start = 0
    for found in _SLOT.finditer(html):
        parts.append(html[start : found.start()])
        variants.append(uuid.UUID(found.group(1)))
        openings.append(_opening(variants[-1]))
        start = found.end()
    parts.append(html[start:])
    return Slotted(tuple(parts), tuple(variants), tuple(openings))


def filled(cut: Slotted, shown: Mapping[uuid.UUID, AvailabilityDisplay]) -> Markup:
    """The HTML again with each card's line as `shown` says now (every request of a kept listing: kept cheap)."""
    locale, today = current_locale.get(), date.today()
    made: dict[int, str] = {}  # by the display's identity, as in card_stock_lines
    pieces = [cut.parts[0]]
    for variant_id, opening, after in zip(cut.variant_ids, cut.openings, cut.parts[1:], strict=True):
        found = shown.get(variant_id)
        line = "" if found is None else made.get(id(found))
        if line is None:
            line = made[id(found)] = _line(found, locale, today)
        pieces += (opening, line, _CLOSING, after)
    # Markup: the parts are our autoescaped template's output and the lines are built escaped above
    return Markup("".join(pieces))  # noqa: S704


# --- the offer -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferStock:
    """The chosen variant's availability on the offer: for one unit, and for the quantity asked."""

    qty: Decimal
    one: AvailabilityDisplay | None  # None: availability is not shown (hidden, or nothing to show)
    asked: AvailabilityDisplay | None

    @property
    def line(self) -> Markup:
        """The line for the quantity asked; when levels are shown and some are in stock but not that many, the
        line for one unit ("In stock"), and the note says the rest."""
        shown = self.asked or self.one
        in_stock = (StockSignal.IN_STOCK, StockSignal.LOW_STOCK)
        if self.short and self.asked is not None and not self.asked.qty and self.one and self.one.signal in in_stock:
            shown = self.one
        return stock_line(shown)

    @property
    def short(self) -> bool:
        """True when the quantity asked is more than is available now (and availability is shown)."""
        return self.asked is not None and self.asked.signal not in (
            StockSignal.IN_STOCK,
            StockSignal.LOW_STOCK,
            StockSignal.HIDDEN,
        )

    @property
    def note(self) -> str:
        """The polite warning beside the quantity when more than one is asked for and that is more than is
        available now (for one, the line says it all)."""
        if not self.short or self.asked is None or self.qty <= 1:
            return ""
        figure = format_number(self.qty)
        if self.asked.available_from is not None:
            return _(
                "Not all %(num)s are in stock right now. You can still order them: we can deliver them all from "
                "%(date)s.",
                num=figure,
                date=day_text(self.asked.available_from),
            )
        return _(
            "Not all %(num)s are in stock right now. You can still order them: we will confirm the delivery date.",
            num=figure,
        )
