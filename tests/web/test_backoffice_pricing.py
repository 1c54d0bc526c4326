"""Back-office pricing screens: price lists, their rules with the engine's messages, promotions, the price check."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.actor import SYSTEM
from app.catalog.services import VariantInput, add_variants
from app.parties import create_customer_group, set_customer_group
from app.pricing.services import (
    PriceListInput,
    PromotionInput,
    RuleInput,
    add_rule,
    create_price_list,
    create_promotion,
)
from tests.web.test_auth_sign_in import add_customer, post_form
from tests.web.test_backoffice_catalog import build_catalog, sign_in_staff


@pytest.fixture
async def priced(client_a, db, owner, tenant_a):
    """Acme's catalogue, a customer C001 in group WHOLESALE, a base price of 100 and Sam (sales) signed in."""
    data = await build_catalog(db, tenant_a)
    customer = await add_customer(db, tenant_a, "C001", "Buyer Co")
    async with db.transaction(tenant_a.id) as s:
        group = await create_customer_group(s, tenant_a.id, "WHOLESALE", "Wholesale", SYSTEM)
        await set_customer_group(s, tenant_a.id, customer.id, group.id, SYSTEM)
    base_id = await owner.fetchval("SELECT id FROM price_lists WHERE code = 'BASE' AND tenant_id = $1", tenant_a.id)
    async with db.transaction(tenant_a.id) as s:
        await add_rule(s, tenant_a.id, base_id, RuleInput(value="100"), SYSTEM)
    await sign_in_staff(client_a, db, tenant_a, "sam@acme.test", "sales")
    return {**data, "customer": customer, "group": group, "base_id": base_id}


async def test_price_lists_list_create_and_refuse(client_a, owner, priced):
    listing = await client_a.get("/admin/pricing/price-lists")
    assert listing.status_code == 200 and "BASE" in listing.text and 'data-shortcut="new"' in listing.text
    form = await client_a.get("/admin/pricing/price-lists/new")
    assert form.status_code == 200 and 'name="level"' in form.text

    created = await post_form(
        client_a,
        "/admin/pricing/price-lists",
        {
            "code": "ws-2026",
            "name": "Wholesale 2026",
            "currency": "eur",
            "level": "group",
            "customer_group_id": str(priced["group"].id),
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "is_active": "1",
            "rounding": "99",
        },
    )
    assert created.status_code == 303
    row = await owner.fetchrow("SELECT * FROM price_lists WHERE code = 'WS-2026'")
    assert (row["level"], row["currency"], row["customer_group_id"]) == ("group", "EUR", priced["group"].id)
    page = await client_a.get(created.headers["location"])
    assert "Wholesale 2026" in page.text and "price_list.created" in page.text
    groups_only = await client_a.get("/admin/pricing/price-lists?level=group", headers={"hx-request": "true"})
    assert "WS-2026" in groups_only.text and "BASE" not in groups_only.text and "<html" not in groups_only.text

    refused = await post_form(
        client_a,
        "/admin/pricing/price-lists",
        {"code": "ct", "name": "Contract", "currency": "EURO", "level": "contract", "customer": "NOBODY"},
    )
    assert refused.status_code == 400
    assert re.search(r'id="f-customer_id-error">No customer has the code “NOBODY”', refused.text)
    assert 'value="NOBODY"' in refused.text and 'value="Contract"' in refused.text
    dates = await post_form(
        client_a,
        "/admin/pricing/price-lists",
        {
            "code": "x",
            "name": "X",
            "currency": "EURO",
            "level": "base",
            "valid_from": "2026-05-01",
            "valid_to": "2026-01-01",
        },
    )
    assert dates.status_code == 400
    assert 'id="f-currency-error">Enter a three-letter currency code such as EUR.' in dates.text
    assert 'id="f-valid_to-error">The end date is before the start date.' in dates.text


async def test_rule_validation_messages_show_next_to_their_fields(client_a, db, tenant_a, owner, priced):
    async with db.transaction(tenant_a.id) as s:
        contract = await create_price_list(
            s,
            tenant_a.id,
            PriceListInput("CT-ACME", "Acme contract", "EUR", "contract", customer_id=priced["customer"].id),
            SYSTEM,
        )
        other = await create_price_list(
            s,
            tenant_a.id,
            PriceListInput("CT-ACME-2", "Second contract", "EUR", "contract", customer_id=priced["customer"].id),
            SYSTEM,
        )
        await add_variants(
            s, tenant_a.id, priced["stool"].id, [VariantInput(sku="ST-BOX", min_qty=5, order_multiple=5)], SYSTEM
        )
    page = await client_a.get(f"/admin/pricing/price-lists/{contract.id}")
    assert page.status_code == 200 and "Add a price" in page.text
    url = f"/admin/pricing/price-lists/{contract.id}/rules"

    zero = await post_form(client_a, url, {"scope": "variant", "variant": "ch-1", "method": "fixed", "value": "0"})
    negative = await post_form(client_a, url, {"scope": "all", "method": "fixed", "value": "-5"})
    assert zero.status_code == 400 and negative.status_code == 400
    assert 'id="f-value-error">Enter a price greater than zero' in zero.text
    assert 'id="f-value-error">Enter a price greater than zero' in negative.text
    assert 'value="ch-1"' in zero.text  # the input is kept

    below = await post_form(client_a, url, {"scope": "variant", "variant": "ST-BOX", "min_qty": "2", "value": "9"})
    assert below.status_code == 400
    assert 'id="f-min_qty-error">The tier starts below the minimum order quantity of 5' in below.text

    unknown = await post_form(client_a, url, {"scope": "variant", "variant": "NOPE", "value": "9"})
    assert unknown.status_code == 400 and "No variant has this SKU." in unknown.text

    period = {
        "scope": "variant",
        "variant": "CH-1",
        "value": "80",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
    }
    assert (await post_form(client_a, url, period)).status_code == 303
    overlapping = {**period, "valid_from": "2026-06-01", "valid_to": "2027-05-31"}
    clash = await post_form(client_a, f"/admin/pricing/price-lists/{other.id}/rules", overlapping)
    assert clash.status_code == 400
    assert re.search(
        r'id="f-valid_from-error">Overlaps the price in CT-ACME for the same products and quantity', clash.text
    )
    assert 'value="2027-05-31"' in clash.text

    shown = await client_a.get(f"/admin/pricing/price-lists/{contract.id}")
    assert "Variant CH-1" in shown.text and "€80.00" in shown.text
    rule_id = await owner.fetchval("SELECT id FROM price_rules WHERE price_list_id = $1", contract.id)
    edit = await client_a.get(f"/admin/pricing/rules/{rule_id}")
    assert edit.status_code == 200 and 'value="CH-1"' in edit.text and "price_rule.created" in edit.text
    changed = await post_form(client_a, f"/admin/pricing/rules/{rule_id}", {**period, "value": "75.5"})
    assert changed.status_code == 303
    assert str(await owner.fetchval("SELECT value FROM price_rules WHERE id = $1", rule_id)) == "75.5000"
    gone = await post_form(client_a, f"/admin/pricing/rules/{rule_id}/delete")
    assert gone.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM price_rules WHERE price_list_id = $1", contract.id) == 0


async def test_promotions_list_with_usage_and_form_errors(client_a, db, tenant_a, owner, priced):
    async with db.transaction(tenant_a.id) as s:
        await create_promotion(
            s, tenant_a.id, PromotionInput("SPRING", "percent", "10", usage_limit=50, label="Spring sale"), SYSTEM
        )
    await owner.execute("UPDATE promotions SET times_used = 7 WHERE code = 'SPRING'")
    listing = await client_a.get("/admin/pricing/promotions")
    assert listing.status_code == 200 and "SPRING" in listing.text and "7 / 50" in listing.text

    created = await post_form(
        client_a,
        "/admin/pricing/promotions",
        {
            "code": "WELCOME5",
            "kind": "amount",
            "value": "5",
            "currency": "eur",
            "requires_coupon": "1",
            "scope": "category",
            "category_id": str(priced["chairs"].id),
            "per_customer_limit": "1",
            "group_ids": [str(priced["group"].id)],
            "is_active": "1",
        },
    )
    assert created.status_code == 303
    promo = await owner.fetchrow("SELECT * FROM promotions WHERE code = 'WELCOME5'")
    assert (promo["requires_coupon"], promo["category_id"], promo["currency"]) == (True, priced["chairs"].id, "EUR")
    assert await owner.fetchval("SELECT customer_group_id FROM promotion_customer_groups") == priced["group"].id
    page = await client_a.get(created.headers["location"])
    assert page.status_code == 200 and "promotion.created" in page.text and "Times used" in page.text

    bad = await post_form(
        client_a, "/admin/pricing/promotions", {"code": "spring", "kind": "percent", "value": "150", "usage_limit": "0"}
    )
    assert bad.status_code == 400
    assert 'id="f-value-error">Enter a percentage above 0 and at most 100' in bad.text
    assert 'id="f-code-error">Another promotion' in bad.text and 'value="150"' in bad.text
    nowhere = await post_form(
        client_a,
        "/admin/pricing/promotions",
        {"code": "X", "kind": "percent", "value": "5", "scope": "product", "product": "x"},
    )
    assert nowhere.status_code == 400 and 'id="f-product_id-error">No product has this slug or SKU.' in nowhere.text
    spring = await owner.fetchval("SELECT id FROM promotions WHERE code = 'SPRING'")
    used = await post_form(
        client_a,
        f"/admin/pricing/promotions/{spring}",
        {"code": "SPRING", "kind": "percent", "value": "10", "usage_limit": "5", "is_active": "1"},
    )
    assert used.status_code == 400
    assert "It has been used 7 times already: the limit cannot be lower." in used.text


async def test_price_check_shows_the_quote_and_its_explanation(client_a, db, tenant_a, priced):
    async with db.transaction(tenant_a.id) as s:
        contract = await create_price_list(
            s,
            tenant_a.id,
            PriceListInput(
                "CT-ACME",
                "Acme contract",
                "EUR",
                "contract",
                customer_id=priced["customer"].id,
                valid_to=date(2099, 1, 1),
            ),
            SYSTEM,
        )
        await add_rule(s, tenant_a.id, contract.id, RuleInput(value="80", min_qty=10), SYSTEM)
    chair = priced["chair"]
    variant = priced["chair_variant"]
    url = f"/admin/catalog/products/{chair.id}/price-check"

    anonymous = await client_a.get(f"{url}?variant_id={variant}&qty=3&currency=EUR", headers={"hx-request": "true"})
    assert anonymous.status_code == 200 and "<html" not in anonymous.text
    assert "€100.00" in anonymous.text and "Base price list BASE" in anonymous.text
    assert "Anonymous visitor" in anonymous.text and "€300.00" in anonymous.text

    contract_price = await client_a.get(
        f"{url}?variant_id={variant}&qty=12&customer=c001", headers={"hx-request": "true"}
    )
    assert "€80.00" in contract_price.text and "Contract price CT-ACME valid until" in contract_price.text
    assert (
        "Buyer Co" in contract_price.text
        and "Tier 12+" not in contract_price.text
        and "Tier 10+" in contract_price.text
    )

    full_page = await client_a.get(f"{url}?variant_id={variant}&qty=1&customer=C001")
    assert full_page.status_code == 200 and "<html" in full_page.text and "From 10: €80.00" in full_page.text

    unknown = await client_a.get(f"{url}?qty=0&customer=ZZZ", headers={"hx-request": "true"})
    assert unknown.status_code == 400
    assert "No customer has the code “ZZZ”." in unknown.text and "Enter a quantity greater than zero." in unknown.text


async def test_hide_prices_setting(client_a, owner, tenant_a, priced):
    page = await client_a.get("/admin/catalog/settings")
    assert page.status_code == 200 and "Hide prices until sign-in" in page.text
    on = await post_form(client_a, "/admin/catalog/settings/prices", {"hide_prices": "1"})
    assert on.status_code == 303
    settings = await owner.fetchval("SELECT settings FROM tenants WHERE id = $1", tenant_a.id)
    assert '"hide_prices_until_sign_in": true' in settings
    shown = await client_a.get("/admin/catalog/settings")
    assert "Visitors now see prices only after signing in." in shown.text and 'value="1" checked' in shown.text
