"""Pure catalog rules: slugs and codes, translations, the category tree, variants, units, kits, statuses."""

from __future__ import annotations

import itertools
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from app.errors import ValidationFailed
from app.i18n import LOCALES
from app.i18n import gettext as _

PRODUCT_STATUSES = ("draft", "active", "discontinued")
VARIANT_STATUSES = ("active", "discontinued")
# Draft -> active publishes; active <-> discontinued; a product never sold may go back to draft.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"active", "discontinued"}),
    "active": frozenset({"discontinued", "draft"}),
    "discontinued": frozenset({"active"}),
}
TAX_CLASSES = ("standard", "reduced", "super_reduced", "exempt")
RELATION_KINDS = ("related", "substitute", "accessory")
SLUG_MAX = 120
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")
MAX_VARIANTS = 500


def unaccent(text: str) -> str:
    """Strip diacritics the way PostgreSQL's unaccent does for Spanish: ó -> o, ñ -> n, ü -> u."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})


def search_words(text: str) -> list[str]:
    """The words of a search as the database indexes them: lower-case, unaccented, letters and digits."""
    plain = unaccent(text.lower().translate(_LIGATURES))
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w and len(w) <= 60][:12]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of two neighbours as one edit ('chiar' -> 'chair' is 1)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def corrections(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates close enough to be meant (1 edit up to 4 letters, 2 up to 8, else 3), closest first.

    Candidates come most similar first (trigrams); that order breaks ties between equal distances.
    """
    allowed = 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3
    ordered = list(dict.fromkeys(c for c in candidates if c != word))  # ties keep the caller's order
    scored = sorted((edit_distance(word, c), n, c) for n, c in enumerate(ordered))
    return [c for d, _n, c in scored if d <= allowed][:limit]


def slugify(text: str, max_len: int = SLUG_MAX) -> str:
    """'Sillas ergonómicas & más' -> 'sillas-ergonomicas-mas' (empty when nothing usable is left)."""
    slug = re.sub(r"[^a-z0-9]+", "-", unaccent(text).lower()).strip("-")
    return slug[:max_len].rstrip("-")


def valid_slug(slug: str) -> bool:
    return len(slug) <= SLUG_MAX and bool(SLUG_RE.match(slug))


def unique_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet."""
    used = set(taken)
    if base not in used:
        return base
    for n in itertools.count(2):
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in used:
            return candidate
    raise AssertionError("unreachable")


def normalise_code(raw: str) -> str:
    """Attribute, value and catalogue codes: lower-case slug-like words ('Azul marino' -> 'azul-marino')."""
    return slugify(raw, 40)


def valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def normalise_sku(raw: str) -> str:
    """SKUs are compared upper-case without surrounding blanks; inner blanks become hyphens."""
    return re.sub(r"\s+", "-", raw.strip()).upper()


def valid_sku(sku: str) -> bool:
    return bool(SKU_RE.match(sku))


def gtin_valid(code: str) -> bool:
    """GTIN-8/12/13/14 (EAN/UPC) with a correct mod-10 check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def clean_translations(
    value: Mapping[str, str | None] | None, field: str, *, required: bool = True, max_len: int = 200
) -> dict[str, str]:
    """Keep the supported locales with text; raise when none is given (if required) or one is too long."""
    cleaned = {k: (v or "").strip() for k, v in (value or {}).items() if k in LOCALES}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if required and not cleaned:
        raise ValidationFailed({field: _("Enter the text in Spanish or English.")})
    if any(len(v) > max_len for v in cleaned.values()):
        raise ValidationFailed({field: _("Use at most %(n)s characters.", n=max_len)})
    return cleaned


def translated(value: Mapping[str, str] | None, locale: str) -> str:
    """The text in `locale`, else in the other language, else empty."""
    value = value or {}
    if value.get(locale):
        return value[locale]
    return next((value[k] for k in LOCALES if value.get(k)), "")


# --- category tree -------------------------------------------------------------------------------------------


def creates_cycle(category_id: uuid.UUID, new_parent_path: Sequence[uuid.UUID] | None) -> bool:
    """Moving a category under a parent whose path holds it (itself or a descendant) would close a loop."""
    return new_parent_path is not None and category_id in new_parent_path


def child_path(parent_path: Sequence[uuid.UUID] | None, category_id: uuid.UUID) -> list[uuid.UUID]:
    """The materialised path of a category: its ancestors from the root, then itself."""
    return [*(parent_path or []), category_id]


# --- variants ------------------------------------------------------------------------------------------------


def variant_combinations(axes: Sequence[tuple[str, Sequence[str]]]) -> list[dict[str, str]]:
    """Every combination of the axes' values, first axis slowest: [('size', ['s', 'm']), ('colour', ['black'])]."""
    errors: dict[str, str] = {}
    names = [name for name, _values in axes]
    if len(set(names)) != len(names):
        errors["axes"] = _("Each attribute may be used once.")
    for name, values in axes:
        if not values:
            errors[f"axes.{name}"] = _("Choose at least one value.")
        elif len(set(values)) != len(values):
            errors[f"axes.{name}"] = _("Each value may be chosen once.")
    if errors:
        raise ValidationFailed(errors)
    count = 1
    for _name, values in axes:
        count *= len(values)
    if count > MAX_VARIANTS:
        raise ValidationFailed({"axes": _("At most %(n)s variants per product.", n=MAX_VARIANTS)})
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(v for _n, v in axes))]


def variant_sku(base_sku: str, combination: Mapping[str, str]) -> str:
    """BASE-VALUE1-VALUE2 in axis order ('SIL-ERGO' + {'colour': 'black'} -> 'SIL-ERGO-BLACK')."""
    parts = [normalise_sku(base_sku), *(normalise_sku(v) for v in combination.values())]
    return "-".join(p for p in parts if p)[:64]


def duplicate_combinations(combinations: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """Combinations that occur more than once (two variants of one product must differ)."""
    seen: set[tuple] = set()
    duplicates = []
    for combo in combinations:
        key = tuple(sorted(combo.items()))
        if key in seen:
            duplicates.append(dict(combo))
        seen.add(key)
    return duplicates


# --- units and quantities ------------------------------------------------------------------------------------


def to_stock_units(qty: Decimal, factor: Decimal) -> Decimal:
    """2 boxes of 12 -> 24 pieces (factor: stock units in one of the other unit)."""
    if factor <= 0:
        raise ValueError("factor must be positive")
    return qty * factor


def from_stock_units(qty: Decimal, factor: Decimal) -> Decimal:
    """24 pieces -> 2 boxes of 12; may be fractional (30 pieces -> 2.5 boxes)."""
    if factor <= 0:
        raise ValueError("factor must be positive")
    return qty / factor


def convert(qty: Decimal, from_factor: Decimal, to_factor: Decimal) -> Decimal:
    """Between two units of one product, through the stock unit."""
    return from_stock_units(to_stock_units(qty, from_factor), to_factor)


def quantity_problem(qty: Decimal, min_qty: Decimal, multiple: Decimal, max_qty: Decimal | None) -> str | None:
    """Why `qty` cannot be ordered ('below_min', 'not_multiple', 'above_max'), or None when it can."""
    if qty < min_qty:
        return "below_min"
    if max_qty is not None and qty > max_qty:
        return "above_max"
    if multiple > 0 and qty % multiple != 0:
        return "not_multiple"
    return None


def nearest_valid_quantity(qty: Decimal, min_qty: Decimal, multiple: Decimal) -> Decimal:
    """The smallest orderable quantity at or above `qty` (to suggest when a customer types 10 of a pack of 12)."""
    wanted = max(qty, min_qty)
    if multiple <= 0:
        return wanted
    return (wanted / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple


# --- kits ----------------------------------------------------------------------------------------------------


def kit_cycle(
    kit_id: uuid.UUID, component_ids: Iterable[uuid.UUID], edges: Mapping[uuid.UUID, Iterable[uuid.UUID]]
) -> bool:
    """True when `kit_id` would (indirectly) contain itself; `edges` maps each other kit to its components."""
    stack = list(component_ids)
    seen: set[uuid.UUID] = set()
    while stack:
        node = stack.pop()
        if node == kit_id:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return False


# --- statuses ------------------------------------------------------------------------------------------------


def can_change_status(current: str, new: str) -> bool:
    return new in STATUS_TRANSITIONS.get(current, frozenset())


def assortment(catalog_ids: Iterable[uuid.UUID]) -> frozenset[uuid.UUID] | None:
    """What a viewer may see: the union of their catalogues, or everything (None) when they have none."""
    ids = frozenset(catalog_ids)
    return ids or None
