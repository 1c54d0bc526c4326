"""The page items pricing remembers under a pricing token (app.pricing.repo.ITEMS): the same quotes as a fresh read,
only under the token they were read with, and only for the tenant that read them."""

from __future__ import annotations

import uuid

import pytest

from app import changes, parties
from app.actor import SYSTEM
from app.cache import Cache
from app.catalog import services as catalog
from app.catalog.services import ProductInput
from app.parties import NewCustomer, create_customer
from app.pricing import repo
from app.pricing import services as pricing
from tests.integration.pricing.test_services import IN_2026, IN_2027, Shop, add_rules, build_shop, priced, shop
from tests.integration.pricing.test_services import D as Dec

__all__ = ["priced", "shop"]  # fixtures used below, imported from the pricing service tests


@pytest.fixture(autouse=True)
def fresh_memory():
    repo.ITEMS.clear()
    yield
    repo.ITEMS.clear()


class Generation:
    """A change feed standing at one generation, as a listening feed does between two notices (a fake)."""

    def __init__(self, token):
        self.current = token

    def token(self, tenant_id, topic):
        return self.current


async def quotes(db, shop: Shop, customer, ids, *, token=None, on=IN_2026, qtys=None, tiers=True):
    """Quotes priced while the process's change feed stands at `token` (None: not listening)."""
    with changes.answering(Generation(token)):
        async with db.transaction(shop.tenant.id) as s:
            ctx = await pricing.pricing_context_for(s, shop.tenant, customer, "EUR", on)
            return (await pricing.price_variants(s, ctx, ids, qtys, tiers=tiers)).quotes


async def group_customer(db, shop: Shop) -> uuid.UUID:
    async with db.transaction(shop.tenant.id) as s:
        other = await create_customer(s, shop.tenant.id, NewCustomer(code="C-PRO3", name="Taller Norte"), SYSTEM)
        await parties.set_customer_group(s, shop.tenant.id, other.id, shop.group, SYSTEM)
    return other.id


@pytest.mark.parametrize("tiers", [True, False])
async def test_remembered_items_price_exactly_as_a_fresh_read(db, priced: Shop, tiers):
    """Every scope the fixture has (variant, product for the customer list, category for the group discount),
    every level, both years: the second call takes its items from memory and its quotes do not change."""
    member = await group_customer(db, priced)
    ids = [priced.chair_black, priced.chair_pack, priced.table]
    token = (1, 0)
    for who in (None, priced.solo, priced.pro, member):
        for on in (IN_2026, IN_2027):
            for qty in (Dec(1), Dec(10), Dec(100)):
                qtys = {priced.chair_black: qty}
                fresh = await quotes(db, priced, who, ids, on=on, qtys=qtys, tiers=tiers)
                filled = await quotes(db, priced, who, ids, token=token, on=on, qtys=qtys, tiers=tiers)
                remembered = await quotes(db, priced, who, ids, token=token, on=on, qtys=qtys, tiers=tiers)
                assert filled == fresh == remembered, (who, on, qty)
    held = repo.ITEMS.of(priced.tenant.id, token)
    assert set(held) == set(ids)
    assert held[priced.chair_black].category_ids == (priced.chairs, priced.root)  # the leaf first
    assert held.ruled_products == {priced.chair}  # the customer list's product rules: the only product ids sent


async def test_a_page_mixes_remembered_and_new_variants(db, priced: Shop):
    token = (1, 0)
    await quotes(db, priced, priced.pro, [priced.chair_black], token=token)
    mixed = await quotes(db, priced, priced.pro, [priced.chair_black, priced.chair_pack, priced.table], token=token)
    assert mixed[priced.chair_black].unit_price == Dec("80.00")  # the contract, on a remembered item
    assert mixed[priced.chair_pack].unit_price == Dec("85.00")  # the customer list's product rule, read now
    assert mixed[priced.table].unit_price == Dec("250.00")
    again = await quotes(db, priced, priced.pro, [priced.chair_pack, priced.chair_black], token=token)
    assert again[priced.chair_pack].unit_price == Dec("85.00")  # the product rule reaches a remembered item


async def test_items_are_read_again_under_a_new_token(db, priced: Shop):
    """Moving the chair out of Sillas ends the group's category discount. The change feed moves the pricing token
    when that commits: under the new one the chair's path is read again, and a late request still holding the old
    token reads for itself rather than from what was kept under it."""
    member = await group_customer(db, priced)
    old, new = (1, 0), (1, 1)
    before = await quotes(db, priced, member, [priced.chair_black], token=old)
    assert (before[priced.chair_black].unit_price, before[priced.chair_black].level) == (Dec("90.00"), "group")
    async with db.transaction(priced.tenant.id) as s:
        moved = ProductInput({"es": "Silla Kappa"}, category_id=priced.root)
        await catalog.update_product(s, priced.tenant.id, priced.chair, moved, SYSTEM)
    after = await quotes(db, priced, member, [priced.chair_black], token=new)
    assert (after[priced.chair_black].unit_price, after[priced.chair_black].level) == (Dec("100.00"), "base")
    assert (await quotes(db, priced, member, [priced.chair_black]))[priced.chair_black].unit_price == Dec("100.00")
    late = await quotes(db, priced, member, [priced.chair_black], token=old)
    assert late[priced.chair_black].unit_price == Dec("100.00")
    assert repo.ITEMS.of(priced.tenant.id, new)[priced.chair_black].category_ids == (priced.root,)


async def test_ids_that_are_not_the_tenants_get_no_quote_and_stay_unknown(db, priced: Shop):
    token = (1, 0)
    stranger = uuid.uuid4()
    for _ in range(2):
        sheet = await quotes(db, priced, None, [stranger, priced.table], token=token)
        assert set(sheet) == {priced.table}
    assert repo.ITEMS.of(priced.tenant.id, token)[stranger] is None


async def test_one_tenants_remembered_items_are_not_anothers(db, priced: Shop, tenant_b):
    """The same token value in two tenants: tenant B asking for tenant A's variants gets no quote, before and after
    A's items are remembered, and B's own prices are its own."""
    token = (1, 0)
    ids = [priced.chair_black, priced.chair_pack, priced.table]
    other = await build_shop(db, tenant_b)
    await add_rules(db, other, other.base, pricing.RuleInput(Dec("7"), variant_id=other.table))
    assert await quotes(db, other, None, ids, token=token) == {}
    assert len(await quotes(db, priced, None, ids, token=token)) == 3
    assert await quotes(db, other, None, ids, token=token) == {}
    mine = await quotes(db, other, None, [other.table, priced.table], token=token)
    assert set(mine) == {other.table} and mine[other.table].unit_price == Dec("7.00")
    assert repo.ITEMS.of(other.tenant.id, token)[priced.table] is None  # not B's: remembered as unknown


async def test_memory_is_bounded(db, priced: Shop):
    """Beyond `max_items` the least recently used tenant's items go; a page is priced all the same."""
    small = repo.PageItems(Cache("test.items", size=2, ttl=600, weigh=len, keep_oversized=False))
    saved, repo.ITEMS = repo.ITEMS, small
    try:
        token = (1, 0)
        ids = [priced.chair_black, priced.chair_pack, priced.table]
        sheet = await quotes(db, priced, None, ids, token=token)
        assert len(sheet) == 3
        assert len(small.of(priced.tenant.id, token)) == 0  # three would not fit in two
        await quotes(db, priced, None, ids[:2], token=token)
        assert len(small.of(priced.tenant.id, token)) == 2
        assert len(await quotes(db, priced, None, ids, token=token)) == 3
    finally:
        repo.ITEMS = saved


def test_only_the_newest_token_of_a_tenant_is_kept():
    items = repo.PageItems(Cache("test.items", size=500_000, ttl=600, weigh=len, keep_oversized=False))
    tenant, other = uuid.uuid4(), uuid.uuid4()
    newer = items.of(tenant, (1, 5))
    newer[uuid.uuid4()] = None
    assert items.of(tenant, (1, 5)) is newer
    late = items.of(tenant, (1, 4))  # a request that took its token before the change: reads, keeps nothing
    assert late == {} and late is not newer and items.of(tenant, (1, 5)) is newer
    assert items.of(other, (1, 5)) == {}  # another tenant, the same token value: its own map
    assert items.of(tenant, (2, 0)) == {}  # a reconnect (new epoch) retires what was held before
    assert items.of(tenant, (1, 5)) == {}
