"""Parties: customers, groups, addresses with one default of each use, contacts; each tenant sees its own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import parties
from app.actor import SYSTEM
from app.errors import NotFound, ValidationFailed
from app.parties import AddressInput, NewCustomer

HQ = AddressInput("HQ", "Buyer Co", "Calle Mayor 1", "46001", "Valencia", "es")
DEPOT = AddressInput("Depot", "Buyer Co depot", "Polígono 7", "46200", "Paiporta", "ES", usage="shipping")


async def customer(db, tenant, code="C001"):
    async with db.transaction(tenant.id) as s:
        return await parties.create_customer(s, tenant.id, NewCustomer(code, "Buyer Co"), SYSTEM)


async def test_the_first_address_of_each_use_becomes_its_default(db, tenant_a):
    buyer = await customer(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        hq = await parties.add_address(s, tenant_a.id, buyer.id, HQ, SYSTEM)
        depot = await parties.add_address(s, tenant_a.id, buyer.id, DEPOT, SYSTEM)
        assert (hq.country, hq.is_default_billing, hq.is_default_shipping) == ("ES", True, True)
        assert (depot.is_default_billing, depot.is_default_shipping) == (False, False)
        await parties.update_address(s, tenant_a.id, depot.id, replace(DEPOT, default_shipping=True), SYSTEM)
        shipping = await parties.queries.default_address(s, buyer.id, "shipping")
        billing = await parties.queries.default_address(s, buyer.id, "billing")
        assert (shipping.id, billing.id) == (depot.id, hq.id)
        assert [a.label for a in await parties.queries.addresses(s, buyer.id, "billing")] == ["HQ"]
        await parties.archive_address(s, tenant_a.id, depot.id, SYSTEM)
        assert [a.label for a in await parties.queries.addresses(s, buyer.id)] == ["HQ"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": ""}, "postcode"),
        ({"country": "Spain"}, "country"),
        ({"usage": "elsewhere"}, "usage"),
        ({"usage": "billing", "default_shipping": True}, "default_shipping"),
        ({"line1": "x" * 201}, "line1"),
    ],
)
async def test_an_unusable_address_is_refused_by_field(db, tenant_a, owner, change, field):
    buyer = await customer(db, tenant_a)
    with pytest.raises(ValidationFailed) as refused:
        async with db.transaction(tenant_a.id) as s:
            await parties.add_address(s, tenant_a.id, buyer.id, replace(HQ, **change), SYSTEM)
    assert field in refused.value.errors
    assert await owner.fetchval("SELECT count(*) FROM addresses") == 0


async def test_one_primary_contact(db, tenant_a):
    buyer = await customer(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        await parties.add_contact(
            s, tenant_a.id, buyer.id, name="Ana", email="Ana@Buyer.test", primary=True, actor=SYSTEM
        )
        await parties.add_contact(s, tenant_a.id, buyer.id, name="Luis", primary=True, actor=SYSTEM)
        people = await parties.queries.contacts(s, buyer.id)
    assert [(c.name, c.is_primary) for c in people] == [("Luis", True), ("Ana", False)]
    assert people[1].email == "ana@buyer.test"
    with pytest.raises(ValidationFailed):
        async with db.transaction(tenant_a.id) as s:
            await parties.add_contact(s, tenant_a.id, buyer.id, name="X", email="not-an-email", actor=SYSTEM)


async def test_another_tenants_customer_address_and_contact_are_not_found(db, tenant_a, tenant_b):
    buyer = await customer(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        hq = await parties.add_address(s, tenant_a.id, buyer.id, HQ, SYSTEM)
        await parties.add_contact(s, tenant_a.id, buyer.id, name="Ana", actor=SYSTEM)
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(NotFound):
            await parties.get_customer(s, buyer.id)
        with pytest.raises(NotFound):
            await parties.add_address(s, tenant_b.id, buyer.id, HQ, SYSTEM)
        with pytest.raises(NotFound):
            await parties.update_address(s, tenant_b.id, hq.id, HQ, SYSTEM)
        assert await parties.queries.addresses(s, buyer.id) == []
        assert await parties.queries.contacts(s, buyer.id) == []
        assert await parties.queries.customer_by_code(s, "C001") is None
