"""Quotes from stored rates: the same answer as the pure rules, cheapest and fastest marked, refusals explained."""

from __future__ import annotations

import pytest

from app import shipping
from app.actor import SYSTEM
from app.catalog import queries as catalog_queries
from app.catalog.services import ProductInput, VariantInput, create_product
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.shipping import CarrierInput, Shipment
from tests.integration.shipping.carriers import D, build_carriers
from tests.unit.shipping.test_quote import BOX, FAST, SLOW


async def test_stored_rates_quote_as_the_domain_does(db, tenant_a):
    await build_carriers(db, tenant_a)
    for shipment in (BOX, BOX._replace(postcode="07001"), BOX._replace(weight_kg=D("30.5"), country="PT")):
        async with db.transaction(tenant_a.id) as s:
            stored = await shipping.quote_shipment(s, shipment)
        assert _figures(stored) == _figures(shipping.quote(shipment, _hand_built()))
    async with db.transaction(tenant_a.id) as s:
        quotes = await shipping.quote_shipment(s, BOX)
    assert [(q.carrier, q.service, q.price, q.transit_days, q.cheapest, q.fastest) for q in quotes] == [
        ("COURIER", "ECO", D("4.95"), 7, True, False),
        ("COURIER", "STD", D("6.60"), 4, False, False),
        ("EXPRESS", "24H", D("9.90"), 1, False, True),
    ]


def _hand_built():
    """The unit tests' carriers under the codes build_carriers stores (upper case; their ISL zone is BAL)."""
    std, eco = SLOW.services
    rates = tuple(r._replace(zone="BAL" if r.zone == "ISL" else r.zone) for r in std.rates)
    zones = (SLOW.zones[0], SLOW.zones[1]._replace(code="BAL"))
    courier = SLOW._replace(
        code="COURIER", zones=zones, services=(eco._replace(code="ECO"), std._replace(code="STD", rates=rates))
    )
    return [courier, FAST._replace(code="EXPRESS", services=(FAST.services[0]._replace(code="24H"),))]


def _figures(quotes):
    return sorted(
        (q.carrier, q.service, q.zone, q.price, q.transit_days, q.cheapest, q.fastest, q.refusal) for q in quotes
    )


async def test_refusals_come_last_with_a_translated_reason(db, tenant_a):
    await build_carriers(db, tenant_a)
    heavy = Shipment("ES", "07001", D("31"), D(121), D(10), D(10))
    async with db.transaction(tenant_a.id) as s:
        quotes = await shipping.quote_shipment(s, heavy)
    assert all(not q.available for q in quotes)
    token = current_locale.set("en")
    try:
        reasons = {(q.service, shipping.refusal_text(q)) for q in quotes}
    finally:
        current_locale.reset(token)
    assert reasons == {
        ("STD", "The package weighs 31 kg, over the 30 kg maximum."),
        ("ECO", "This service does not deliver to zone BAL."),
        ("24H", "Its longest side is 121 cm, over the 120 cm maximum."),
    }


async def test_inactive_carriers_and_services_are_not_quoted(db, tenant_a):
    built = await build_carriers(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        await shipping.set_service_active(s, tenant_a.id, built["eco"].id, False, SYSTEM)
        await shipping.set_carrier_active(s, tenant_a.id, built["express"].id, False, SYSTEM)
        quotes = await shipping.quote_shipment(s, BOX)
    assert [(q.carrier, q.service, q.cheapest, q.fastest) for q in quotes] == [("COURIER", "STD", True, True)]


async def test_carriers_in_two_currencies_need_one_chosen(db, tenant_a):
    await build_carriers(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        uk = await shipping.create_carrier(s, tenant_a.id, CarrierInput("UKPOST", "UK Post", "GBP"), SYSTEM)
        await shipping.add_service(s, tenant_a.id, uk.id, shipping.ServiceInput("STD", {"en": "Standard"}), SYSTEM)
        with pytest.raises(ValidationFailed) as refused:
            await shipping.quote_shipment(s, BOX)
        assert "currency" in refused.value.errors
        assert {q.currency for q in await shipping.quote_shipment(s, BOX, currency="eur")} == {"EUR"}
        assert [q.refusal_kind for q in await shipping.quote_shipment(s, BOX, currency="GBP")] == ["no_zone"]


async def test_a_shipment_is_built_from_the_lines_weights_and_sides(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        await create_product(
            s,
            tenant_a.id,
            ProductInput({"en": "Desk"}, weight_kg="20", length_cm="120", width_cm="60", height_cm="5"),
            SYSTEM,
            [VariantInput(sku="DESK-1"), VariantInput(sku="DESK-2", weight_kg=D("22.5"))],
        )
        await create_product(s, tenant_a.id, ProductInput({"en": "Lamp"}), SYSTEM, [VariantInput(sku="LAMP")])
    async with db.transaction(tenant_a.id) as s:
        variants = await catalog_queries.variants_by_sku(s, ["DESK-1", "DESK-2", "LAMP"])
        shipment = await shipping.shipment_for(
            s, [(variants["DESK-1"], D(2)), (variants["DESK-2"], D(1))], "es", "46001"
        )
        assert shipment == Shipment("ES", "46001", D("62.5"), D(120), D(60), D(15))
        with pytest.raises(ValidationFailed) as unweighed:
            await shipping.shipment_for(s, [(variants["LAMP"], D(1))], "ES", "46001")
        assert "LAMP" in unweighed.value.errors["weight_kg"]
        with pytest.raises(ValidationFailed) as bad:
            await shipping.shipment_for(s, [(variants["DESK-1"], D(0))], "Spain", "46001")
        assert set(bad.value.errors) == {"country", "lines"}
