"""The server-side cart: priced for the customer on every read, quantity rules applied, placed as an order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import NotFound, ValidationFailed
from app.sales import PlaceOrder, add_to_cart, cart, clear_cart, place_order, remove_from_cart, set_cart_qty


async def test_add_set_remove_and_clear(db, sales_a):
    tid, carl = sales_a.tenant_id, sales_a.users["carl"]
    async with db.transaction(tid) as s:
        await add_to_cart(s, tid, carl, sales_a.sku("CHAIR"), 2)
        view = await add_to_cart(s, tid, carl, sales_a.sku("CHAIR"), "1")
        assert [(line.sku, line.qty, line.amount) for line in view.lines] == [("CHAIR", 3, Decimal("300.00"))]
        view = await set_cart_qty(s, tid, carl, sales_a.sku("LAMP"), 5)
        assert view.subtotal == Decimal("400.00")
        view = await remove_from_cart(s, tid, carl, sales_a.sku("CHAIR"))
        assert [line.sku for line in view.lines] == ["LAMP"]
        assert (await clear_cart(s, tid, carl)).lines == ()


async def test_bad_quantities_are_refused(db, sales_a, owner):
    tid, carl = sales_a.tenant_id, sales_a.users["carl"]
    await owner.execute("UPDATE product_variants SET order_multiple = 4 WHERE sku = 'LAMP'")
    async with db.transaction(tid) as s:
        for qty, message in ((0, "greater than zero"), (-2, "greater than zero"), (3, "multiples of 4")):
            with pytest.raises(ValidationFailed) as refused:
                await set_cart_qty(s, tid, carl, sales_a.sku("LAMP"), qty)
            assert message in refused.value.errors["lines.0.qty"]


async def test_the_cart_survives_and_becomes_the_order(db, sales_a, owner):
    tid, carl = sales_a.tenant_id, sales_a.users["carl"]
    async with db.transaction(tid) as s:
        await add_to_cart(s, tid, carl, sales_a.sku("CHAIR"), 2)
    async with db.transaction(tid) as s:  # another request, later: the cart is still there
        data = PlaceOrder(sales_a.customers["ROCA"], carl, "from-cart")
        placed = await place_order(s, tid, data, sales_a.actor("carl"))
    assert placed.gross == Decimal("242.00")
    async with db.transaction(tid) as s:
        assert (await cart(s, tid, carl)).lines == ()
    assert await owner.fetchval("SELECT status FROM carts") == "ordered"


async def test_staff_and_strangers_have_no_cart(db, sales_a, owner):
    async with db.transaction(sales_a.tenant_id) as s:
        staff = await owner.fetchval("SELECT id FROM users WHERE kind = 'staff' LIMIT 1")
        with pytest.raises(NotFound):
            await cart(s, sales_a.tenant_id, staff)
