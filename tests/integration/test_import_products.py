"""Product and price CSV imports as background tasks: report, no partial product, idempotent re-runs, export."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.csv_io import start_import
from app.catalog.services import AttributeInput, CategoryInput, ValueInput
from app.catalog_pricing import PRODUCT_IMPORT, export_products
from app.pricing.price_export import export_prices
from app.pricing.price_import import PRICE_IMPORT
from app.tasks import services as tasks
from app.tasks.runner import run_task
from app.tasks.services import InputFile

HEADER = "product_key,sku,name_es,name_en,category,brand,weight_kg,min_qty,cost,price,attr:color"
GOOD = [
    "mesa-roble,MES-8,Mesa roble 8,Oak table 8,mesas,Actiu,30,1,120,249.00,natural",
    "mesa-roble,MES-10,,,,,,1,140,289,negro",
    ',SIL-1,Silla Kappa,Kappa chair,sillas,Ofiprix,"4,5",2,20,39.90,negro',
]


@pytest.fixture
async def taxonomy(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        for slug in ("mesas", "sillas"):
            await catalog.create_category(s, tenant_a.id, CategoryInput({"es": slug.title()}, slug=slug), SYSTEM)
        colour = await catalog.create_attribute(s, tenant_a.id, AttributeInput("color", {"es": "Color"}), SYSTEM)
        await catalog.add_attribute_value(s, tenant_a.id, colour.id, ValueInput("negro", {"es": "Negro"}), SYSTEM)


def csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


async def run_import(db, settings, tenant, data: bytes, kind: str = PRODUCT_IMPORT):
    """Upload as the back office does, then run the task as the worker does; the finished task row."""
    async with db.transaction(tenant.id) as s:
        task = await start_import(
            s, tenant.id, kind, InputFile("file.csv", "text/csv", data), SYSTEM, locale="en", currency="EUR"
        )
    await run_task(db, settings, tenant.id, task.id)
    async with db.transaction(tenant.id) as s:
        return await tasks.get_task(s, task.id), await tasks.task_issues(s, task.id, limit=None)


async def test_a_good_file_imports_and_the_same_file_again_changes_nothing(db, owner, settings, tenant_a, taxonomy):
    task, issues = await run_import(db, settings, tenant_a, csv(*GOOD))

    assert (task.status, issues) == ("succeeded", [])
    assert task.message == "Products: 2 created, 0 updated, 0 unchanged, 0 rejected."
    assert (task.done, task.total, task.checkpoint, task.attempts) == (2, 2, 1, 1)
    assert task.result["prices_created"] == 3 and task.result["lines"] == 3
    table = await owner.fetch(
        "SELECT p.slug, v.sku, v.position, v.cost FROM products p JOIN product_variants v ON v.product_id = p.id "
        "ORDER BY v.sku"
    )
    assert [(r["slug"], r["sku"], r["position"]) for r in table] == [
        ("mesa-roble", "MES-10", 1),
        ("mesa-roble", "MES-8", 0),
        ("sil-1", "SIL-1", 0),
    ]
    prices = await owner.fetch(
        "SELECT v.sku, r.value FROM price_rules r JOIN product_variants v ON v.id = r.variant_id "
        "JOIN price_lists l ON l.id = r.price_list_id WHERE l.code = 'BASE' ORDER BY v.sku"
    )
    assert [(r["sku"], r["value"]) for r in prices] == [
        ("MES-10", Decimal(289)),
        ("MES-8", Decimal(249)),
        ("SIL-1", Decimal("39.90")),
    ]
    assert await owner.fetchval("SELECT count(*) FROM attribute_values WHERE code = 'natural'") == 1  # value created

    again, _ = await run_import(db, settings, tenant_a, csv(*GOOD))

    assert again.message == "Products: 0 created, 0 updated, 2 unchanged, 0 rejected."
    assert (again.result["prices_created"], again.result["prices_updated"], again.result["prices_unchanged"]) == (
        0,
        0,
        3,
    )
    assert await owner.fetchval("SELECT count(*) FROM product_variants") == 3
    assert await owner.fetchval("SELECT count(*) FROM price_rules") == 3


async def test_a_malformed_file_gets_a_row_by_row_report_and_no_partial_product(
    db, owner, settings, tenant_a, taxonomy
):
    data = csv(
        *GOOD,
        "armario,ARM-1,Armario,,mesas,,12,1,,99,negro",
        "armario,ARM-2,,,,,12,1,,abc,natural",  # bad price: the whole armario goes
        ",LAM-1,Lámpara,,lamparas,,,,,,",  # unknown category
        ",SIL-1,Silla repetida,,sillas,,,,,,",  # duplicate SKU: both SIL-1 lines go
        ",TAB-1,Taburete,,sillas",  # wrong number of fields
        ",BAN-1,Banco,,sillas,,,,,15,",
    )
    task, issues = await run_import(db, settings, tenant_a, data)

    assert task.status == "succeeded"
    found = {(i.line, i.column): i.reason for i in issues}
    assert found[(6, "price")].startswith("Enter a number such as")
    assert found[(5, "sku")] == "Not imported: line 6 of the same product has errors."
    assert found[(7, "category")] == "Unknown category “lamparas”."
    assert found[(4, "sku")] == "SIL-1 is also on line 8." and found[(8, "sku")] == "SIL-1 is also on line 4."
    assert found[(9, "")] == "This line has 5 fields; the header has 11."
    assert [i.line for i in issues] == sorted(i.line for i in issues)
    skus = [r["sku"] for r in await owner.fetch("SELECT sku FROM product_variants ORDER BY sku")]
    assert skus == ["BAN-1", "MES-10", "MES-8"]  # no ARM-1 without ARM-2, no SIL-1, LAM-1 or TAB-1
    assert (task.result["created"], task.result["rejected_products"], task.result["rejected_lines"]) == (2, 4, 6)
    assert task.message == "Products: 2 created, 0 updated, 0 unchanged, 4 rejected."


async def test_ten_megabytes_of_garbage_fail_fast_with_one_clear_issue(db, owner, settings, tenant_a, taxonomy):
    task, issues = await run_import(db, settings, tenant_a, os.urandom(10 * 1024 * 1024))

    assert task.status == "failed"
    assert task.message == "Nothing was imported: This is not a CSV text file: it contains binary data."
    assert [(i.line, i.reason) for i in issues] == [(None, "This is not a CSV text file: it contains binary data.")]
    assert await owner.fetchval("SELECT count(*) FROM products") == 0


async def test_a_file_with_only_bad_products_fails_with_its_report(db, owner, settings, tenant_a, taxonomy):
    task, issues = await run_import(db, settings, tenant_a, csv(",X-1,Silla,,nope,,,,,,"))
    assert task.status == "failed" and "every product in the file has errors" in task.message
    assert [(i.line, i.column) for i in issues] == [(2, "category")]


async def test_an_export_imports_back_unchanged(db, settings, tenant_a, taxonomy):
    await run_import(db, settings, tenant_a, csv(*GOOD))
    exported = b"".join([chunk async for chunk in export_products(db, tenant_a.id, "EUR")])
    text = exported.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("product_key,sku,name_es,name_en,description_es")
    assert "mesa-roble,MES-8,Mesa roble 8,Oak table 8,,,mesas,Actiu,standard,active,30," in text
    assert text.splitlines()[0].endswith(",price,attr:color") and ",249,natural" in text

    again, issues = await run_import(db, settings, tenant_a, exported)

    assert issues == [] and again.message == "Products: 0 created, 0 updated, 2 unchanged, 0 rejected."
    assert again.result["prices_unchanged"] == 3


async def test_prices_import_with_tiers_and_export_round_trip(db, owner, settings, tenant_a, taxonomy):
    await run_import(db, settings, tenant_a, csv(*GOOD))
    prices = csv(
        "BASE,MES-8,1,259,,",
        "BASE,MES-8,10,239.50,,",
        ",SIL-1,5,35,2027-01-01,2027-12-31",
        "BASE,MES-10,,300,2027-01-01,",  # overlaps MES-10's undated price from one unit
        "BASE,GHOST,,10,,",
        header="price_list,sku,min_qty,price,valid_from,valid_to",
    )
    task, issues = await run_import(db, settings, tenant_a, prices, PRICE_IMPORT)

    assert task.status == "succeeded", task.message
    assert [(i.line, i.column, i.reason) for i in issues] == [
        (5, "valid_from", "Overlaps the price in BASE for the same products and quantity (without dates)"),
        (6, "sku", "Unknown SKU GHOST."),
    ]
    assert task.message == "Prices: 2 added, 1 changed, 0 unchanged, 2 lines rejected."
    rows = await owner.fetch(
        "SELECT v.sku, r.min_qty, r.value, r.valid_from FROM price_rules r "
        "JOIN product_variants v ON v.id = r.variant_id WHERE v.sku IN ('MES-8', 'SIL-1') "
        "ORDER BY v.sku, r.min_qty, r.valid_from NULLS FIRST"
    )
    assert [(r["sku"], r["min_qty"], r["value"]) for r in rows] == [
        ("MES-8", Decimal(1), Decimal(259)),
        ("MES-8", Decimal(10), Decimal("239.5")),
        ("SIL-1", Decimal(1), Decimal("39.9")),
        ("SIL-1", Decimal(5), Decimal(35)),
    ]
    audited = await owner.fetchval("SELECT count(*) FROM audit_log WHERE action = 'price_rule.imported'")
    assert audited == 3 + 3  # three from the product import, three now

    exported = b"".join([chunk async for chunk in export_prices(db, tenant_a.id)])
    assert "BASE,SIL-1,5,35,2027-01-01,2027-12-31" in exported.decode("utf-8-sig")
    again, issues = await run_import(db, settings, tenant_a, exported, PRICE_IMPORT)
    assert issues == [] and again.message == "Prices: 0 added, 0 changed, 5 unchanged, 0 lines rejected."
