"""Pure catalog rules: slugs, codes, GTINs, translations, trees, variants, units, kits, spelling."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.catalog import domain
from app.errors import ValidationFailed


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sillas ergonómicas & más", "sillas-ergonomicas-mas"),
        ("  Estanterías  metálicas ", "estanterias-metalicas"),
        ("Lámpara Ñandú 2000", "lampara-nandu-2000"),
        ("¡¿!?", ""),
    ],
)
def test_slugify(text, slug):
    assert domain.slugify(text) == slug


def test_slug_rules():
    assert domain.valid_slug("mesa-de-reuniones")
    assert not domain.valid_slug("Mesa")
    assert not domain.valid_slug("mesa--alta")
    assert not domain.valid_slug("-mesa")
    assert domain.unique_slug("mesa", []) == "mesa"
    assert domain.unique_slug("mesa", ["mesa", "mesa-2"]) == "mesa-3"
    long = "a" * domain.SLUG_MAX
    assert domain.unique_slug(long, [long]) == "a" * (domain.SLUG_MAX - 2) + "-2"


def test_sku_and_code_rules():
    assert domain.normalise_sku("  sil ergo 01 ") == "SIL-ERGO-01"
    assert domain.valid_sku("SIL-ERGO/01.A_B")
    assert not domain.valid_sku("-SIL")
    assert not domain.valid_sku("SIL€")
    assert domain.normalise_code("Azul Marino") == "azul-marino"
    assert domain.valid_code("talla_xl") and not domain.valid_code("")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("8412345678905", True),
        ("8412345678900", False),
        ("96385074", True),
        ("036000291452", True),
        ("84123", False),
        ("841234567890X", False),
    ],
)
def test_gtin_check_digit(code, valid):
    assert domain.gtin_valid(code) is valid


def test_translations():
    assert domain.clean_translations({"es": " Silla ", "en": "", "fr": "Chaise"}, "name") == {"es": "Silla"}
    with pytest.raises(ValidationFailed) as missing:
        domain.clean_translations({"en": "  "}, "name")
    assert set(missing.value.errors) == {"name"}
    assert domain.clean_translations(None, "description", required=False) == {}
    with pytest.raises(ValidationFailed):
        domain.clean_translations({"es": "x" * 11}, "name", max_len=10)
    assert domain.translated({"es": "Silla", "en": "Chair"}, "en") == "Chair"
    assert domain.translated({"es": "Silla"}, "en") == "Silla"
    assert domain.translated({}, "es") == ""


def test_category_tree_cycles():
    root, child, grandchild, other = (uuid.uuid4() for _ in range(4))
    assert domain.child_path(None, root) == [root]
    assert domain.child_path([root, child], grandchild) == [root, child, grandchild]
    assert domain.creates_cycle(child, [root, child, grandchild])  # under its own descendant
    assert domain.creates_cycle(child, [root, child])  # under itself
    assert not domain.creates_cycle(child, [other])
    assert not domain.creates_cycle(child, None)  # to the root


def test_variant_combinations_and_skus():
    combos = domain.variant_combinations([("color", ["negro", "gris"]), ("talla", ["s", "m"])])
    assert combos == [
        {"color": "negro", "talla": "s"},
        {"color": "negro", "talla": "m"},
        {"color": "gris", "talla": "s"},
        {"color": "gris", "talla": "m"},
    ]
    assert domain.variant_sku("sil-ergo", combos[0]) == "SIL-ERGO-NEGRO-S"
    assert domain.duplicate_combinations([{"a": "1"}, {"a": "2"}, {"a": "1"}]) == [{"a": "1"}]
    with pytest.raises(ValidationFailed) as bad:
        domain.variant_combinations([("color", []), ("talla", ["s", "s"]), ("color", ["x"])])
    assert {"axes", "axes.talla"} <= set(bad.value.errors)
    with pytest.raises(ValidationFailed):
        domain.variant_combinations([("a", [str(i) for i in range(30)]), ("b", [str(i) for i in range(30)])])


def test_unit_conversions():
    assert domain.to_stock_units(Decimal(2), Decimal(12)) == 24
    assert domain.from_stock_units(Decimal(30), Decimal(12)) == Decimal("2.5")
    assert domain.convert(Decimal(1), Decimal(144), Decimal(12)) == 12  # a pallet of 144 is 12 boxes of 12
    with pytest.raises(ValueError):
        domain.to_stock_units(Decimal(1), Decimal(0))


def test_quantity_rules():
    rules = {"min_qty": Decimal(6), "multiple": Decimal(6), "max_qty": Decimal(60)}
    assert domain.quantity_problem(Decimal(12), **rules) is None
    assert domain.quantity_problem(Decimal(3), **rules) == "below_min"
    assert domain.quantity_problem(Decimal(10), **rules) == "not_multiple"
    assert domain.quantity_problem(Decimal(66), **rules) == "above_max"
    assert domain.nearest_valid_quantity(Decimal(10), Decimal(6), Decimal(6)) == 12
    assert domain.nearest_valid_quantity(Decimal(1), Decimal(6), Decimal(6)) == 6


def test_kit_cycles():
    office, pack, desk, chair = (uuid.uuid4() for _ in range(4))
    edges = {office: [desk, chair], pack: [office]}
    assert not domain.kit_cycle(pack, [office], edges)
    assert domain.kit_cycle(office, [pack], edges)  # pack contains office
    assert domain.kit_cycle(desk, [desk], {})
    assert not domain.kit_cycle(desk, [chair], edges)


def test_status_transitions():
    assert domain.can_change_status("draft", "active")
    assert domain.can_change_status("discontinued", "active")
    assert not domain.can_change_status("discontinued", "draft")
    assert not domain.can_change_status("active", "sold")


def test_assortment_rule():
    catalogue = uuid.uuid4()
    assert domain.assortment([]) is None
    assert domain.assortment([catalogue, catalogue]) == frozenset({catalogue})


def test_search_words_match_the_database_tokens():
    assert domain.search_words("Silla ERGONÓMICA, sil-ergo/01") == ["silla", "ergonomica", "sil", "ergo", "01"]
    assert domain.search_words("Straße") == ["strasse"]
    assert domain.search_words("  ") == []


def test_spelling_corrections_prefer_the_fewest_edits():
    assert domain.edit_distance("chiar", "chair") == 1  # a swap
    assert domain.edit_distance("sila", "silla") == 1
    assert domain.edit_distance("metalca", "metal") == 2
    assert domain.corrections("metalca", ["metal", "metalica", "mesa"]) == ["metalica", "metal"]
    assert domain.corrections("sila", ["silla", "sil", "mesa"]) == ["silla", "sil"]  # ties keep the given order
    assert domain.corrections("mesa", ["mesa"]) == []
    assert domain.corrections("xyzw", ["silla"]) == []
