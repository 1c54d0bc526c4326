"""The demo catalogue, planned in plain Python: products, variants, kits and relations from the family table.

`plan_catalogue()` is deterministic (a seeded random generator), so the demo's names, codes, costs and
pictures are the same on every machine and screenshots stay stable. Nothing here touches the database;
app.demo_data.seed_catalogue writes the plan through the catalog services.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from app.catalog.domain import slugify
from app.demo_data.families import FAMILIES, INTROS, Family
from app.demo_data.taxonomy import SERIES, SKU_PARTS, VALUE_NAMES

SEED = 20261128
GS1_PREFIX = "8437012"  # a Spanish (84) company prefix, invented for the demo
KIT_CATEGORY = "packs"
_COST_FACTORS = {
    ("tapizado", "tela"): 1.05,
    ("tapizado", "polipiel"): 1.12,
    ("tapizado", "piel"): 1.45,
    ("acabado", "nogal"): 1.12,
    ("acabado", "roble"): 1.06,
    ("alto", "200"): 1.55,
    ("alto", "180"): 1.4,
}


@dataclass
class PlannedVariant:
    sku: str
    gtin: str
    values: dict[str, str]
    cost: Decimal
    colour: str  # the drawing's colour: the variant's colour or finish


@dataclass
class PlannedProduct:
    slug: str
    family: str  # a Family key, or "kit"
    category: str
    brand: str
    name: dict[str, str]
    description: dict[str, str]
    status: str
    shape: str
    style: int
    measures: tuple[Decimal, Decimal, Decimal, Decimal]  # weight kg, length, width, height cm
    variants: list[PlannedVariant]
    min_qty: int = 1
    multiple: int = 1
    by_box: bool = False
    components: list[tuple[str, int]] = field(default_factory=list)  # kits: (component SKU, qty)


@dataclass
class Catalogue:
    products: list[PlannedProduct]
    relations: list[tuple[str, str, list[str]]]  # (product slug, kind, related slugs)

    def family(self, key: str, *, active: bool = True) -> list[PlannedProduct]:
        return [p for p in self.products if p.family == key and (not active or p.status == "active")]

    @property
    def skus(self) -> int:
        return sum(len(p.variants) for p in self.products)


def ean13(body: str) -> str:
    """body (12 digits, or 13 for a GTIN-14) with its GS1 mod-10 check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def box_gtin(piece_gtin: str) -> str:
    """The GTIN-14 of a box of the piece: packaging indicator 1 in front, check digit recomputed."""
    return ean13("1" + piece_gtin[:12])


def _join(words: list[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _availability(axes: dict[str, list[str]]) -> tuple[str, str]:
    """'Disponible en negro y gris; 120 y 140 cm de ancho.' and its English."""
    es_parts, en_parts = [], []
    for attribute, codes in axes.items():
        es = [VALUE_NAMES[(attribute, c)][0] for c in codes]
        en = [VALUE_NAMES[(attribute, c)][1] for c in codes]
        if attribute in ("ancho", "alto"):
            word_es, word_en = ("de ancho", "wide") if attribute == "ancho" else ("de alto", "high")
            es_parts.append(f"{_join([w.removesuffix(' cm') for w in es], 'y')} cm {word_es}")
            en_parts.append(f"{_join([w.removesuffix(' cm') for w in en], 'and')} cm {word_en}")
        elif attribute == "tapizado":
            es_parts.append("tapizado en " + _join([w.lower() for w in es], "o"))
            en_parts.append("upholstered in " + _join([w.lower() for w in en], "or"))
        elif attribute == "luz":
            es_parts.append("luz " + _join(es, "o"))
            en_parts.append(_join(en, "or") + " light")
        else:
            prefix_es, suffix_en = ("acabado ", " finish") if attribute == "acabado" else ("", "")
            es_parts.append(prefix_es + _join([w.lower() for w in es], "y"))
            en_parts.append(_join([w.lower() for w in en], "and") + suffix_en)
    return "Disponible en " + "; ".join(es_parts) + ".", "Available in " + "; ".join(en_parts) + "."


def _description(family: Family, name: dict[str, str], brand: str, axes: dict, rng: random.Random) -> dict[str, str]:
    intro_es, intro_en = rng.choice(INTROS)
    features = rng.sample(family.features, min(3, len(family.features))) if family.features else []
    es = [f"{intro_es}. {name['es']}, de {brand},"]
    en = [f"{intro_en}. The {name['en']} by {brand}"]
    if features:
        es[0] += " con " + _join([f[0] for f in features], "y")
        en[0] += " comes with " + _join([f[1] for f in features], "and")
    es[0] += "."
    en[0] += "."
    avail_es, avail_en = _availability(axes)
    es.append(avail_es)
    en.append(avail_en)
    if family.norm:
        es.append(f"Cumple la norma {family.norm}.")
        en.append(f"Complies with {family.norm}.")
    if family.by_box:
        es.append("Se vende en cajas de 10 unidades.")
        en.append("Sold in boxes of 10.")
    elif family.min_qty > 1:
        es.append(f"Pedido mínimo de {family.min_qty} unidades, en múltiplos de {family.multiple}.")
        en.append(f"Minimum order {family.min_qty} units, in multiples of {family.multiple}.")
    es.append(f"Garantía de {family.warranty} años.")
    en.append(f"{family.warranty}-year warranty.")
    return {"es": " ".join(es), "en": " ".join(en)}


def _status(n: int) -> str:
    """Most products are active; a few are discontinued (kept for reorders) or still drafts."""
    if n % 12 == 10:
        return "discontinued"
    if n % 17 == 13:
        return "draft"
    return "active"


def _measures(family: Family, values: dict[str, str], rng: random.Random) -> tuple[Decimal, ...]:
    length, width, height = family.size
    if "ancho" in values:
        length = int(values["ancho"])
    if "alto" in values:
        height = int(values["alto"])
    weight = Decimal(str(round(rng.uniform(*family.weight), 1)))
    jitter = rng.choice((0, 2, -2, 4))
    return weight, Decimal(length), Decimal(max(width + jitter, 1)), Decimal(height)


def _variants(family: Family, base_sku: str, axes: dict[str, list[str]], base_cost: float, gtins) -> list:
    variants = []
    for combo in itertools.product(*axes.values()):
        values = dict(zip(axes, combo, strict=True))
        factor = 1.0
        for attribute, code in values.items():
            factor *= _COST_FACTORS.get((attribute, code), 1.0)
            if attribute == "ancho":
                factor *= (int(code) / family.size[0]) ** 0.6
        sku = "-".join([base_sku, *(SKU_PARTS[(a, c)] for a, c in values.items())])
        colour = values.get("color") or values.get("acabado") or "gris"
        cost = Decimal(str(round(base_cost * factor, 2)))
        variants.append(PlannedVariant(sku, ean13(GS1_PREFIX + f"{next(gtins):05d}"), values, cost, colour))
    return variants


def _family_products(family: Family, rng: random.Random, gtins) -> list[PlannedProduct]:
    products = []
    for n, series in enumerate(rng.sample(SERIES, family.count)):
        kind = family.kinds[n % len(family.kinds)]
        brand = family.brands[n % len(family.brands)]
        name = {"es": f"{kind.es} {series}", "en": f"{series} {kind.en}"}
        axes = {
            attribute: sorted(rng.sample(pool, rng.randint(low, high)), key=pool.index)
            for attribute, pool, low, high in family.axes
        }
        low, high = family.cost
        base_cost = low + (high - low) * rng.random() ** 1.4  # more cheap models than dear ones
        base_sku = f"{family.prefix}-{100 + n}"
        variants = _variants(family, base_sku, axes, base_cost, gtins)
        products.append(
            PlannedProduct(
                slug=slugify(name["es"]),
                family=family.key,
                category=family.category,
                brand=brand,
                name=name,
                description=_description(family, name, brand, axes, rng),
                status="active" if n == 0 else _status(n),
                shape=family.shape,
                style=kind.style,
                measures=_measures(family, variants[0].values, rng),
                variants=variants,
                min_qty=family.min_qty,
                multiple=family.multiple,
                by_box=family.by_box,
            )
        )
    return products


# slug, es, en, shape, style, [(family, wanted values, qty)]
KITS = (
    ("puesto-de-trabajo-completo-essential", "Puesto de trabajo completo Essential", "Essential complete workstation",
     "workstation", 0, [("escritorio", {"ancho": "140"}, 1), ("operativa", {}, 1), ("sobremesa", {}, 1)]),
    ("puesto-elevable-completo-pro", "Puesto elevable completo Pro", "Pro complete standing workstation",
     "workstation", 1, [("elevable", {"ancho": "160"}, 1), ("ergonomica", {}, 1), ("monitor", {}, 1),
                        ("sobremesa", {}, 1)]),
    ("pack-sala-de-reuniones-8-personas", "Pack sala de reuniones 8 personas", "Meeting room pack for 8",
     "meeting_set", 0, [("reuniones", {}, 1), ("confidente", {}, 8)]),
    ("pack-aula-24-plazas", "Pack aula 24 plazas", "Classroom pack for 24", "classroom_set", 0,
     [("formacion", {"ancho": "120"}, 12), ("colectividad", {}, 24)]),
)  # fmt: skip


def _pick(catalogue: Catalogue, family: str, wanted: dict[str, str]) -> tuple[PlannedProduct, PlannedVariant]:
    """The family's first active product with a variant of the wanted values, and that variant."""
    for product in catalogue.family(family):
        for variant in product.variants:
            if all(variant.values.get(a) == c for a, c in wanted.items()):
                return product, variant
    raise LookupError(f"no {family} variant with {wanted}")


def _variant_name(product: PlannedProduct, variant: PlannedVariant, locale: str) -> str:
    """'Silla operativa Albir (gris, tela)'."""
    index = 0 if locale == "es" else 1
    values = [VALUE_NAMES[(a, c)][index] for a, c in variant.values.items()]
    values = [v if v[0].isdigit() else v.lower() for v in values]
    return product.name[locale] + (f" ({', '.join(values)})" if values else "")


def _kits(catalogue: Catalogue, gtins) -> list[PlannedProduct]:
    kits = []
    for n, (slug, es, en, shape, style, parts) in enumerate(KITS):
        picked = [(*_pick(catalogue, family, wanted), qty) for family, wanted, qty in parts]
        cost = sum((v.cost * qty for _p, v, qty in picked), Decimal(0))
        colour = picked[0][1].colour
        es_parts = "; ".join(f"{qty} × {_variant_name(p, v, 'es')}" for p, v, qty in picked)
        en_parts = "; ".join(f"{qty} × {_variant_name(p, v, 'en')}" for p, v, qty in picked)
        description = {
            "es": f"Todo lo necesario en un solo pedido, a mejor precio que por separado. Incluye: {es_parts}.",
            "en": f"Everything in a single order, for less than buying the parts. Includes: {en_parts}.",
        }
        sku = f"KIT-{100 + n}"
        variant = PlannedVariant(sku, ean13(GS1_PREFIX + f"{next(gtins):05d}"), {}, cost, colour)
        weight = sum((p.measures[0] * qty for p, _v, qty in picked), Decimal(0))
        kits.append(
            PlannedProduct(
                slug=slug,
                family="kit",
                category=KIT_CATEGORY,
                brand=FAMILIES[0].brands[0],
                name={"es": es, "en": en},
                description=description,
                status="active",
                shape=shape,
                style=style,
                measures=(weight, Decimal(160), Decimal(80), Decimal(120)),
                variants=[variant],
                components=[(v.sku, qty) for _p, v, qty in picked],
            )
        )
    return kits


def _relations(catalogue: Catalogue) -> list[tuple[str, str, list[str]]]:
    """Related models in the same family, accessories for desks and chairs, successors of discontinued ones."""
    relations: list[tuple[str, str, list[str]]] = []
    firsts = {key: catalogue.family(key)[0].slug for key in ("monitor", "sobremesa", "cajonera", "reposapies")}
    for family in FAMILIES:
        active = catalogue.family(family.key)
        for n, product in enumerate(active[:12]):
            others = [p.slug for p in (active[n + 1 :] + active[:n])[:3]]
            if others:
                relations.append((product.slug, "related", others))
        if family.category in ("escritorios", "mesas-elevables", "bench"):
            accessories = [firsts["monitor"], firsts["sobremesa"], firsts["cajonera"]]
            relations += [(p.slug, "accessory", accessories) for p in active[:8]]
        if family.category in ("sillas-operativas", "sillas-ergonomicas"):
            relations += [(p.slug, "accessory", [firsts["reposapies"]]) for p in active[:8]]
        for product in catalogue.family(family.key, active=False):
            if product.status == "discontinued":
                relations.append((product.slug, "substitute", [active[0].slug, active[1].slug]))
    return relations


@cache
def plan_catalogue() -> Catalogue:
    """The whole demo catalogue (the same on every call and machine)."""
    rng = random.Random(SEED)
    gtins = itertools.count(1)
    catalogue = Catalogue([], [])
    for family in FAMILIES:
        catalogue.products += _family_products(family, rng, gtins)
    catalogue.products += _kits(catalogue, gtins)
    catalogue.relations = _relations(catalogue)
    return catalogue
