"""Carrier services: each refusal names its field and writes nothing, the rate table import reports line by line,
and another tenant's carriers can be neither read nor changed by id."""

from __future__ import annotations

import pytest

from app import shipping
from app.actor import SYSTEM
from app.errors import NotFound, ValidationFailed
from app.shipping import CarrierInput, RateInput, RateTableRefused, ServiceInput, ZoneInput
from tests.integration.shipping.carriers import D, build_carriers

BAD_CARRIERS = [
    (CarrierInput("", "Courier"), {"code"}),
    (CarrierInput("A B", "", "EURO"), {"code", "name", "currency"}),
    (CarrierInput("X", "X", "EUR", "0", "-1"), {"volumetric_divisor", "fuel_surcharge_pct"}),
    (CarrierInput("X", "X", "EUR", "1e400", "NaN"), {"volumetric_divisor", "fuel_surcharge_pct"}),
    (CarrierInput("COURIER", "Again"), {"code"}),
]


async def test_a_bad_carrier_is_refused_by_field_and_nothing_is_written(db, owner, tenant_a):
    await build_carriers(db, tenant_a)
    before = await owner.fetchval("SELECT count(*) FROM carriers")
    for data, fields in BAD_CARRIERS:
        with pytest.raises(ValidationFailed) as refused:
            async with db.transaction(tenant_a.id) as s:
                await shipping.create_carrier(s, tenant_a.id, data, SYSTEM)
        assert set(refused.value.errors) == fields, data
    assert await owner.fetchval("SELECT count(*) FROM carriers") == before


async def test_services_zones_and_rates_refuse_bad_input_by_field(db, tenant_a):
    built = await build_carriers(db, tenant_a)
    cases = [
        (
            shipping.add_service,
            built["courier"].id,
            ServiceInput("STD", {}, "-2", "x"),
            {"code", "name", "max_weight_kg", "max_length_cm"},
        ),
        (
            shipping.add_zone,
            built["courier"].id,
            ZoneInput("CAN", "Spain", {"en": "Canaries"}, "38-35"),
            {"country", "postcodes"},
        ),
        (shipping.add_zone, built["courier"].id, ZoneInput("PEN", "ES", {"en": "Again"}, "a#b"), {"code", "postcodes"}),
        (
            shipping.set_rate,
            built["std"].id,
            RateInput(built["pen"].id, "-1", "x", brackets="5"),
            {"transit_days", "base_fee", "brackets"},
        ),
        (shipping.set_rate, built["std"].id, RateInput(None, 1, brackets=""), {"zone_id", "brackets"}),
    ]
    for use_case, parent_id, data, fields in cases:
        with pytest.raises(ValidationFailed) as refused:
            async with db.transaction(tenant_a.id) as s:
                await use_case(s, tenant_a.id, parent_id, data, SYSTEM)
        assert set(refused.value.errors) == fields, use_case.__name__
    express_zone = await _zone_of(db, tenant_a, built["express"].id)
    with pytest.raises(ValidationFailed) as other_carrier:
        async with db.transaction(tenant_a.id) as s:
            await shipping.set_rate(s, tenant_a.id, built["std"].id, RateInput(express_zone, 1, brackets="5;1"), SYSTEM)
    assert set(other_carrier.value.errors) == {"zone_id"}


async def _zone_of(db, tenant, carrier_id):
    async with db.transaction(tenant.id) as s:
        return (await shipping.queries.carrier_zones(s, carrier_id))[0].id


async def test_edits_and_deactivation_are_audited(db, owner, tenant_a):
    built = await build_carriers(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        await shipping.update_carrier(
            s, tenant_a.id, built["courier"].id, CarrierInput("COURIER", "Courier SA", "EUR", "", "12.5"), SYSTEM
        )
        await shipping.update_zone(
            s, tenant_a.id, built["bal"].id, ZoneInput("BAL", "ES", {"en": "Balearics"}, "07, 35 - 38"), SYSTEM
        )
        await shipping.set_carrier_active(s, tenant_a.id, built["courier"].id, False, SYSTEM)
        carrier = await shipping.queries.carrier(s, built["courier"].id)
        zone = await shipping.queries.zone(s, built["bal"].id)
    assert (carrier.name, carrier.volumetric_divisor, carrier.fuel_surcharge_pct, carrier.is_active) == (
        "Courier SA",
        None,
        D("12.5"),
        False,
    )
    assert shipping.queries.zone_postcodes(zone) == "07, 35-38"
    actions = {r["action"] for r in await owner.fetch("SELECT action FROM audit_log WHERE entity_id = $1", carrier.id)}
    assert {"carrier.created", "carrier.updated", "shipping_zone.updated", "carrier.deactivated"} <= actions


async def test_a_pasted_rate_table_is_reported_line_by_line(db, owner, tenant_a):
    built = await build_carriers(db, tenant_a)
    table = "zone;up_to_kg;price\nPEN;2;3,10\nPEN;30;5.00\nBAL;5;8\n"
    async with db.transaction(tenant_a.id) as s:
        report = await shipping.import_rate_table(s, tenant_a.id, built["eco"].id, table, SYSTEM, transit_days="5")
    assert [(line.line, line.zone, line.outcome) for line in report.lines] == [
        (2, "PEN", "added"),
        (3, "PEN", "changed"),
        (4, "BAL", "added"),
    ]
    async with db.transaction(tenant_a.id) as s:
        rates = {view.zone.code: view for view in await shipping.queries.service_rates(s, built["eco"].id)}
    assert rates["PEN"].brackets == [(D(2), D("3.10")), (D(30), D(5))] and rates["BAL"].rate.transit_days == 5
    bad = "PEN,2,3.10\nXXX,5,1\nPEN,2,4\nPEN,abc,1\nBAL,5\n"
    stored = await owner.fetchval("SELECT count(*) FROM shipping_rate_brackets")
    with pytest.raises(RateTableRefused) as refused:
        async with db.transaction(tenant_a.id) as s:
            await shipping.import_rate_table(s, tenant_a.id, built["eco"].id, bad, SYSTEM, replace=True)
    assert [line.outcome for line in refused.value.report.lines] == [
        "pending",
        "refused",
        "refused",
        "refused",
        "refused",
    ]
    assert "table" in refused.value.errors
    assert await owner.fetchval("SELECT count(*) FROM shipping_rate_brackets") == stored
    async with db.transaction(tenant_a.id) as s:
        report = await shipping.import_rate_table(s, tenant_a.id, built["eco"].id, "PEN\t30\t5", SYSTEM, replace=True)
    assert (report.count("unchanged"), report.removed) == (1, 1)


async def test_another_tenants_carriers_cannot_be_read_or_changed_by_id(db, owner, tenant_a, tenant_b):
    built = await build_carriers(db, tenant_a)
    async with db.transaction(tenant_b.id) as s:
        assert await shipping.queries.carriers(s) == []
        assert await shipping.quote_shipment(s, shipping.Shipment("ES", "28001", D(1))) == []
        for read, row_id in (
            (shipping.queries.carrier, built["courier"].id),
            (shipping.queries.service, built["std"].id),
            (shipping.queries.zone, built["pen"].id),
        ):
            with pytest.raises(NotFound):
                await read(s, row_id)
    rate_id = await owner.fetchval("SELECT id FROM shipping_rates WHERE tenant_id = $1 LIMIT 1", tenant_a.id)
    writes = [
        lambda s: shipping.update_carrier(s, tenant_b.id, built["courier"].id, CarrierInput("MINE", "Mine"), SYSTEM),
        lambda s: shipping.set_carrier_active(s, tenant_b.id, built["courier"].id, False, SYSTEM),
        lambda s: shipping.add_service(s, tenant_b.id, built["courier"].id, ServiceInput("X", {"en": "X"}), SYSTEM),
        lambda s: shipping.set_service_active(s, tenant_b.id, built["std"].id, False, SYSTEM),
        lambda s: shipping.update_zone(s, tenant_b.id, built["pen"].id, ZoneInput("PEN", "PT"), SYSTEM),
        lambda s: shipping.set_rate(
            s, tenant_b.id, built["std"].id, RateInput(built["pen"].id, 1, brackets="5;1"), SYSTEM
        ),
        lambda s: shipping.import_rate_table(s, tenant_b.id, built["std"].id, "PEN,5,1", SYSTEM),
        lambda s: shipping.remove_rate(s, tenant_b.id, rate_id, SYSTEM),
    ]
    for write in writes:
        with pytest.raises(NotFound):
            async with db.transaction(tenant_b.id) as s:
                await write(s)
    assert await owner.fetchval("SELECT count(*) FROM carriers WHERE tenant_id = $1", tenant_b.id) == 0
    assert await owner.fetchval("SELECT bool_and(is_active) FROM carriers") is True


async def test_a_tracking_page_needs_an_address_with_one_place_for_the_number(db, owner, tenant_a):
    cases = [
        ("track.example/{tracking}", "https://"),
        ("https://track.example/ {tracking}", "https://"),
        ("https://track.example/parcel", "{tracking}"),
        ("https://track.example/{tracking}/{tracking}", "{tracking}"),
        ("javascript:alert(1)//{tracking}", "https://"),
    ]
    for template, said in cases:
        with pytest.raises(ValidationFailed) as refused:
            async with db.transaction(tenant_a.id) as s:
                await shipping.create_carrier(
                    s, tenant_a.id, CarrierInput("T", "T", tracking_url_template=template), SYSTEM
                )
        assert (
            set(refused.value.errors) == {"tracking_url_template"}
            and said in refused.value.errors["tracking_url_template"]
        )
    assert await owner.fetchval("SELECT count(*) FROM carriers") == 0
    async with db.transaction(tenant_a.id) as s:
        made = await shipping.create_carrier(
            s, tenant_a.id, CarrierInput("T", "T", tracking_url_template=" https://track.example/{tracking} "), SYSTEM
        )
        assert made.tracking_url_template == "https://track.example/{tracking}"
        await shipping.update_carrier(s, tenant_a.id, made.id, CarrierInput("T", "T"), SYSTEM)  # blank: none
        assert made.tracking_url_template == ""
    changes = await owner.fetchval(
        "SELECT changes::text FROM audit_log WHERE action = 'carrier.updated' ORDER BY at DESC LIMIT 1"
    )
    assert "tracking_url_template" in changes
