"""Search and listing over the demo furniture catalogue: accents, misspellings, both languages, facets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.demo import seed_demo_catalog
from app.catalog.search import CatalogQuery, FacetCache, browse
from app.errors import ValidationFailed


@pytest.fixture
async def demo(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        return await seed_demo_catalog(s, tenant_a.id, SYSTEM)


async def _browse(db, tenant, facets=True, **kw):
    async with db.transaction(tenant.id) as s:
        return await browse(s, CatalogQuery(**kw), facets=facets)


def _names(page) -> list[str]:
    return [item.name for item in page.items]


SPANISH = [
    ("silla ergonómica", "Silla ergonómica Kappa"),
    ("SILLA ERGONOMICA", "Silla ergonómica Kappa"),  # accents and case do not matter
    ("sillas ergonómicas", "Silla ergonómica Kappa"),  # Spanish plural, stemmed
    ("lampara", "Lámpara de escritorio Lumen"),
    ("estanteria metalica", "Estantería metálica Delta"),
    ("mesa reuniones", "Mesa de reuniones Roble"),
    ("arm", "Armario alto con puertas Atlas"),  # a prefix, as typed
]
ENGLISH = [
    ("ergonomic chair", "Kappa ergonomic chair"),
    ("meeting tables", "Roble meeting table"),
    ("desk lamp", "Lumen desk lamp"),
]
MISSPELT = [  # query, first result, did-you-mean
    ("sila ergonomca", "Silla ergonómica Kappa", "silla ergonomica"),
    ("armaro", "Armario alto con puertas Atlas", None),  # its stem is a prefix of armario's: no correction
    ("estanteria metalca", "Estantería metálica Delta", "estanteria metalica"),
    ("ergonomic chiar", "Silla ergonómica Kappa", "ergonomic chair"),
    ("lampra", "Lámpara de escritorio Lumen", "lampara"),
]


async def test_spanish_search_ignores_accents_case_and_plurals(db, tenant_a, demo):
    for text, expected in SPANISH:
        page = await _browse(db, tenant_a, text=text)
        assert (text, _names(page)[0], page.did_you_mean) == (text, expected, None)


async def test_english_search_shows_english_names(db, tenant_a, demo):
    for text, expected in ENGLISH:
        page = await _browse(db, tenant_a, text=text, locale="en")
        assert (text, _names(page)[0]) == (text, expected)


async def test_misspelt_words_are_corrected_to_the_catalogue_vocabulary(db, tenant_a, demo):
    for text, expected, suggestion in MISSPELT:
        page = await _browse(db, tenant_a, text=text)
        assert (text, _names(page)[0], page.did_you_mean) == (text, expected, suggestion)


async def test_search_by_colour_finds_products_whose_variants_have_it(db, tenant_a, demo):
    page = await _browse(db, tenant_a, text="silla negra")
    assert set(_names(page)) == {"Silla ergonómica Kappa", "Silla giratoria Sigma"}


async def test_exact_sku_and_gtin_rank_first(db, tenant_a, demo):
    async with db.transaction(tenant_a.id) as s:
        _product, variants = await catalog.get_product(s, demo.products["lumen"])
        variant = variants[1]
        data = catalog.VariantInput(sku=variant.sku, gtin="8412345678905", attributes={"color": "blanco"})
        await catalog.update_variant(s, tenant_a.id, variant.id, data, SYSTEM)
    by_sku = await _browse(db, tenant_a, text="sil-sigma-blanco")
    assert _names(by_sku)[0] == "Silla giratoria Sigma"
    by_gtin = await _browse(db, tenant_a, text="8412345678905")
    assert _names(by_gtin) == ["Lámpara de escritorio Lumen"]


async def test_nothing_matches_nonsense(db, tenant_a, demo):
    page = await _browse(db, tenant_a, text="zzqxw")
    assert page.items == [] and page.total == 0


async def test_glued_words_are_found_by_the_trigram_fallback(db, tenant_a, demo):
    page = await _browse(db, tenant_a, text="sillaergonomica")
    assert _names(page)[0] == "Silla ergonómica Kappa"


async def test_category_page_lists_the_subtree_with_facet_counts(db, tenant_a, demo):
    page = await _browse(db, tenant_a, category_id=demo.categories["sillas"])
    assert _names(page) == ["Silla de confidente Alba", "Silla ergonómica Kappa", "Silla giratoria Sigma"]
    assert page.total == 3 and page.total_exact
    assert {(c.label, c.count) for c in page.facets.categories} == {
        ("Sillas de oficina", 2),
        ("Sillas de confidente", 1),
    }
    assert {(b.label, b.count) for b in page.facets.brands} == {("Actiu", 2), ("Ofiprix", 1)}
    colours = next(a for a in page.facets.attributes if a.code == "color")
    assert [(v.label, v.count) for v in colours.values] == [("Negro", 2), ("Gris", 2), ("Blanco", 1)]


async def test_facets_narrow_others_but_not_themselves(db, tenant_a, demo):
    black = demo.values["color:negro"]
    page = await _browse(db, tenant_a, category_id=demo.categories["sillas"], value_ids=(black,))
    assert _names(page) == ["Silla ergonómica Kappa", "Silla giratoria Sigma"]
    colours = next(a for a in page.facets.attributes if a.code == "color")
    assert [(v.label, v.count, v.selected) for v in colours.values] == [
        ("Negro", 2, True),
        ("Gris", 2, False),
        ("Blanco", 1, False),
    ]
    materials = next(a for a in page.facets.attributes if a.code == "material")
    assert [(v.label, v.count) for v in materials.values] == [("Malla", 1)]
    assert {(b.label, b.count) for b in page.facets.brands} == {("Actiu", 1), ("Ofiprix", 1)}
    by_brand = await _browse(
        db, tenant_a, category_id=demo.categories["sillas"], value_ids=(black,), brand_ids=(demo.brands["Actiu"],)
    )
    assert _names(by_brand) == ["Silla giratoria Sigma"]
    assert {(b.label, b.count, b.selected) for b in by_brand.facets.brands} == {
        ("Actiu", 1, True),
        ("Ofiprix", 1, False),
    }


async def test_root_listing_counts_top_level_categories_and_paginates(db, tenant_a, demo):
    first = await _browse(db, tenant_a, per_page=3, sort="name", locale="en")
    assert _names(first) == ["Alba visitor chair", "Atlas tall cabinet with doors", "Delta metal shelving unit"]
    assert first.total == 8 and first.pages == 3 and first.has_next
    assert {(c.label, c.count) for c in first.facets.categories} == {
        ("Chairs", 3),
        ("Tables", 2),
        ("Storage", 2),
        ("Lighting", 1),
    }
    last = await _browse(db, tenant_a, per_page=3, page=3, sort="name", locale="en")
    assert _names(last) == ["Roble meeting table", "Sigma swivel chair"] and not last.has_next
    newest = await _browse(db, tenant_a, sort="newest", per_page=1, facets=False)
    assert _names(newest) == ["Lámpara de escritorio Lumen"]


async def test_only_active_products_are_listed(db, tenant_a, demo):
    async with db.transaction(tenant_a.id) as s:
        await catalog.change_product_status(s, tenant_a.id, demo.products["kappa"], "discontinued", SYSTEM)
    page = await _browse(db, tenant_a, text="silla")
    assert "Silla ergonómica Kappa" not in _names(page)


async def test_price_sorts_and_filters_need_a_price_lookup(db, tenant_a, demo):
    with pytest.raises(ValidationFailed) as sort:
        await _browse(db, tenant_a, sort="price_asc")
    with pytest.raises(ValidationFailed) as price:
        await _browse(db, tenant_a, price_min=Decimal(1))
    with pytest.raises(ValidationFailed) as unknown:
        await _browse(db, tenant_a, sort="popularity", page=0)
    assert set(sort.value.errors) == {"sort"} and set(price.value.errors) == {"price"}
    assert set(unknown.value.errors) == {"sort", "page"}


async def test_plain_category_pages_read_the_listing_index_and_agree_with_the_full_query(db, tenant_a, demo):
    cache = FacetCache((1, 0))
    for category in (None, demo.categories["sillas"], demo.categories["sillas-oficina"], demo.categories["mesas"]):
        for sort, locale in (("name", "es"), ("name", "en"), ("newest", "es")):
            query = dict(category_id=category, sort=sort, locale=locale, per_page=2)
            full = await _browse(db, tenant_a, **query)  # counts facets: the full statement
            async with db.transaction(tenant_a.id) as s:
                fast = await browse(s, CatalogQuery(**query), facets=False)
                await browse(s, CatalogQuery(**query), cache=cache)  # fills the cache
                cached = await browse(s, CatalogQuery(**query), cache=cache)  # listing index + cached counts
            assert [i.product_id for i in fast.items] == [i.product_id for i in full.items]
            assert [i.name for i in cached.items] == [i.name for i in full.items]
            assert fast.total == cached.total == full.total
            assert cached.facets == full.facets
    beyond = await _browse(db, tenant_a, category_id=demo.categories["mesas"], page=9, facets=False)
    assert beyond.items == [] and beyond.total == 2


async def test_facet_cache_is_per_tenant_and_assortment(db, tenant_a, tenant_b, demo):
    cache = FacetCache((1, 0))
    async with db.transaction(tenant_a.id) as s:
        a = await browse(s, CatalogQuery(), cache=cache)
        limited = await browse(s, CatalogQuery(), cache=cache, catalog_ids=frozenset({demo.values["color:negro"]}))
    async with db.transaction(tenant_b.id) as s:
        b = await browse(s, CatalogQuery(), cache=cache)
    assert a.total == 8 and limited.total == 0 and b.total == 0 and b.facets.categories == []


async def test_a_restriction_from_outside_narrows_the_listing_and_its_counts_and_is_never_cached(db, tenant_a, demo):
    """`only_product_ids` (the storefront's in-stock products, say): only those match, every count follows, and
    neither the plain listing's fast path nor the facet cache is used (the restriction is not the catalogue's)."""
    chairs, kappa, alba = demo.categories["sillas"], demo.products["kappa"], demo.products["alba"]
    cache = FacetCache((1, 0))
    async with db.transaction(tenant_a.id) as s:
        whole = await browse(s, CatalogQuery(category_id=chairs), cache=cache)
        only = frozenset({kappa, alba, demo.products["lumen"]})  # Lumen is no chair: the category still holds
        narrowed = await browse(s, CatalogQuery(category_id=chairs, only_product_ids=only), cache=cache)
        searched = await browse(s, CatalogQuery(text="silla", only_product_ids=frozenset({alba})), cache=cache)
        none = await browse(s, CatalogQuery(category_id=chairs, only_product_ids=frozenset()), cache=cache)
        again = await browse(s, CatalogQuery(category_id=chairs), cache=cache)
    assert whole.total == 3 and again.total == 3 and again.facets == whole.facets  # the cache kept the whole one
    assert _names(narrowed) == ["Silla de confidente Alba", "Silla ergonómica Kappa"] and narrowed.total == 2
    assert {(b.label, b.count) for b in narrowed.facets.brands} == {("Actiu", 1), ("Ofiprix", 1)}
    assert {(c.label, c.count) for c in narrowed.facets.categories} == {
        ("Sillas de oficina", 1),
        ("Sillas de confidente", 1),
    }
    assert _names(searched) == ["Silla de confidente Alba"]
    assert none.items == [] and none.total == 0
