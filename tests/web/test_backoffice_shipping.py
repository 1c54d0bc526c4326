"""Back-office shipping screens through real HTTP: carriers, services, zones and rates, the rate table import, the
quote tool; bad input is a 400 with the field's message and writes nothing; another tenant's ids are 404."""

from __future__ import annotations

import re

import pytest

from tests.integration.shipping.carriers import build_carriers
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff

QUOTE = "/admin/shipping/quote?country=ES&postcode=28001&weight_kg=4.2&length_cm=40&width_cm=30&height_cm=20"


@pytest.fixture
async def carriers_a(client_a, db, tenant_a):
    """Acme's courier and express carriers, and Marta (warehouse) signed in."""
    built = await build_carriers(db, tenant_a)
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    return built


async def test_carriers_services_zones_and_rates_pages(client_a, owner, carriers_a):
    listing = await client_a.get("/admin/shipping/carriers")
    assert (
        listing.status_code == 200 and "COURIER" in listing.text and 'href="/admin/shipping/carriers"' in listing.text
    )
    created = await post_form(
        client_a,
        "/admin/shipping/carriers",
        {
            "code": "pallet",
            "name": "Pallet Net",
            "currency": "eur",
            "volumetric_divisor": "3333",
            "fuel_surcharge_pct": "7,5",
            "tracking_url_template": "https://palletnet.example/track/{tracking}",
        },
    )
    assert created.status_code == 303
    row = await owner.fetchrow("SELECT * FROM carriers WHERE code = 'PALLET'")
    assert (row["currency"], str(row["fuel_surcharge_pct"])) == ("EUR", "7.50")
    assert row["tracking_url_template"] == "https://palletnet.example/track/{tracking}"
    carrier = created.headers["location"]
    zone = await post_form(
        client_a, f"{carrier}/zones", {"code": "pen", "country": "es", "name_es": "Península", "postcodes": ""}
    )
    service = await post_form(
        client_a, f"{carrier}/services", {"code": "PAL", "name_en": "Pallet", "max_weight_kg": "1000"}
    )
    assert zone.status_code == 303 and service.status_code == 303
    zone_id = await owner.fetchval("SELECT id FROM shipping_zones WHERE carrier_id = $1", row["id"])
    service_url = service.headers["location"]
    rate = await post_form(
        client_a,
        f"{service_url}/rates",
        {"zone_id": str(zone_id), "transit_days": "3", "base_fee": "20", "brackets": "100; 45\n300;80,50"},
    )
    assert rate.status_code == 303
    page = await client_a.get(service_url)
    assert (
        page.status_code == 200
        and "≤ 300 kg" in page.text
        and "€80.50" in page.text
        and "shipping_rate.saved" in page.text
    )
    imported = await post_form(client_a, f"{service_url}/import", {"table": "zone,up_to_kg,price\nPEN,500,120"})
    assert imported.status_code == 303
    detail = await client_a.get(carrier)
    assert "Pallet Net" in detail.text and "Península" in detail.text and "carrier_service.created" in detail.text


async def test_bad_input_is_a_400_with_the_fields_message_and_writes_nothing(client_a, owner, carriers_a):
    before = await owner.fetchval("SELECT count(*) FROM carriers")
    refused = await post_form(
        client_a,
        "/admin/shipping/carriers",
        {"code": "X", "name": "Typed name", "currency": "EURO", "tracking_url_template": "https://t.example/"},
    )
    assert refused.status_code == 400
    assert re.search(r'id="f-currency-error">Enter a three-letter currency code', refused.text)
    assert re.search(r'id="f-tracking_url_template-error">Put \{tracking\} once', refused.text)
    assert 'value="Typed name"' in refused.text and 'value="https://t.example/"' in refused.text
    courier = f"/admin/shipping/carriers/{carriers_a['courier'].id}"
    zone = await post_form(
        client_a, f"{courier}/zones", {"code": "CAN", "country": "ES", "name_en": "Canaries", "postcodes": "38-35"}
    )
    assert zone.status_code == 400 and 'id="f-zone-postcodes-error"' in zone.text and 'value="38-35"' in zone.text
    service = f"/admin/shipping/services/{carriers_a['std'].id}"
    brackets = await owner.fetchval("SELECT count(*) FROM shipping_rate_brackets")
    table = await post_form(client_a, f"{service}/import", {"table": "PEN,5,6.90\nNOWHERE,5,1"})
    assert (
        table.status_code == 400
        and "The carrier has no zone NOWHERE." in table.text
        and 'id="import-report"' in table.text
    )
    rate = await post_form(
        client_a, f"{service}/rates", {"zone_id": str(carriers_a["pen"].id), "transit_days": "x", "brackets": "5"}
    )
    assert (
        rate.status_code == 400
        and 'id="f-rate-transit_days-error"' in rate.text
        and 'id="f-rate-brackets-error"' in rate.text
    )
    assert await owner.fetchval("SELECT count(*) FROM carriers") == before
    assert await owner.fetchval("SELECT count(*) FROM shipping_rate_brackets") == brackets
    assert await owner.fetchval("SELECT count(*) FROM shipping_zones WHERE code = 'CAN'") == 0


async def test_the_quote_tool_marks_the_cheapest_and_the_fastest_and_explains_refusals(client_a, carriers_a):
    empty = await client_a.get("/admin/shipping/quote")
    assert empty.status_code == 200 and "Enter a destination and a weight" in empty.text
    answer = await client_a.get(QUOTE)
    assert answer.status_code == 200
    rows = re.findall(r"<tr( data-cheapest)?( data-fastest)?>\s*<td>(\w+)</td>", answer.text)
    assert rows == [(" data-cheapest", "", "Courier"), ("", "", "Courier"), ("", " data-fastest", "Express")]
    assert "€4.95" in answer.text and "€9.90" in answer.text
    partial = await client_a.get(QUOTE.replace("28001", "07001").replace("4.2", "31"), headers={"hx-request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "The package weighs 31 kg, over the 30 kg maximum." in partial.text
    assert "This service does not deliver to zone BAL." in partial.text
    bad = await client_a.get("/admin/shipping/quote?country=Spain&postcode=28001&weight_kg=0&length_cm=10")
    assert bad.status_code == 400
    assert 'id="f-country-error"' in bad.text and 'id="f-weight_kg-error"' in bad.text


async def test_another_tenants_ids_are_not_found_and_nothing_changes(client_b, db, owner, tenant_a, tenant_b):
    built = await build_carriers(db, tenant_a)
    await sign_in_staff(client_b, db, tenant_b, "olga@globex.test", "owner")
    pages = [
        f"/admin/shipping/carriers/{built['courier'].id}",
        f"/admin/shipping/services/{built['std'].id}",
        f"/admin/shipping/zones/{built['pen'].id}",
    ]
    assert [(await client_b.get(url)).status_code for url in pages] == [404, 404, 404]
    writes = {
        f"/admin/shipping/carriers/{built['courier'].id}": {"code": "MINE", "name": "Mine", "currency": "EUR"},
        f"/admin/shipping/carriers/{built['courier'].id}/status": {"active": "0"},
        f"/admin/shipping/carriers/{built['courier'].id}/zones": {"code": "Z", "country": "ES", "name_en": "Z"},
        f"/admin/shipping/services/{built['std'].id}/rates": {
            "zone_id": str(built["pen"].id),
            "transit_days": "1",
            "brackets": "5;1",
        },
        f"/admin/shipping/services/{built['std'].id}/import": {"table": "PEN,5,1"},
        f"/admin/shipping/zones/{built['pen'].id}": {"code": "PEN", "country": "PT", "name_en": "X"},
    }
    assert [(await post_form(client_b, url, data)).status_code for url, data in writes.items()] == [404] * len(writes)
    assert await owner.fetchval("SELECT count(*) FROM carriers WHERE code = 'COURIER' AND is_active") == 1
    assert await owner.fetchval("SELECT count(*) FROM shipping_zones WHERE country = 'PT' OR code = 'Z'") == 0
    quote = await client_b.get(QUOTE)
    assert "No active carrier has a service to quote" in quote.text
