"""Bad input to placing an order: clear field errors, and nothing written."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.errors import NotFound, ValidationFailed
from app.sales import OrderLineRequest, PlaceOrder, place_order
from tests.integration.sales.conftest import order


async def _nothing_written(owner) -> None:
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 0
    assert await owner.fetchval("SELECT count(*) FROM reservations") == 0
    assert await owner.fetchval("SELECT coalesce(sum(reserved), 0) FROM stock_levels") == 0


async def test_over_the_credit_limit_is_refused_with_the_figures(db, sales_a, owner):
    await owner.execute("UPDATE customers SET credit_limit = 300 WHERE code = 'ROCA'")
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl", ("CHAIR", 3))  # 363.00
    assert "exceed your credit limit of 300.00" in refused.value.errors["payment"]
    await _nothing_written(owner)


async def test_open_orders_count_against_the_credit_limit(db, sales_a, owner):
    await owner.execute("UPDATE customers SET credit_limit = 300 WHERE code = 'ROCA'")
    await order(db, sales_a, "carl", ("CHAIR", 2))  # 242.00
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl", ("CHAIR", 1))  # 121.00 more
    assert "242.00 is already used" in refused.value.errors["payment"]
    assert (await order(db, sales_a, "carl", ("CHAIR", 1), payment="card")).status == "awaiting_payment"


async def test_no_payment_terms_means_no_buying_on_account(db, sales_a, owner):
    await owner.execute("UPDATE customers SET payment_terms_days = NULL WHERE code = 'ROCA'")
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl", ("CHAIR", 1))
    assert "cannot buy on account" in refused.value.errors["payment"]


@pytest.mark.parametrize("qty", [0, -1, "abc", "1e9999"])
async def test_quantity_zero_negative_or_not_a_number_is_refused(db, sales_a, owner, qty):
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl", ("CHAIR", 1), ("LAMP", qty))
    assert set(refused.value.errors) == {"lines.1.qty"}
    await _nothing_written(owner)


async def test_an_unknown_variant_is_refused(db, sales_a, owner):
    data = PlaceOrder(
        sales_a.customers["ROCA"], sales_a.users["carl"], "k", (OrderLineRequest(uuid.uuid4(), Decimal(1)),)
    )
    async with db.transaction(sales_a.tenant_id) as s:
        with pytest.raises(ValidationFailed) as refused:
            await place_order(s, sales_a.tenant_id, data, sales_a.actor("carl"))
    assert refused.value.errors == {"lines.0.variant_id": "This item does not exist."}
    await _nothing_written(owner)


async def test_an_empty_order_is_refused(db, sales_a, owner):
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl")
    assert "lines" in refused.value.errors


def test_a_line_carries_no_price():
    """The input has no price to tamper with: the server prices every line (see test_placing's totals)."""
    with pytest.raises(TypeError):
        OrderLineRequest(uuid.uuid4(), Decimal(1), Decimal("0.01"))  # type: ignore[call-arg]


async def test_a_user_of_another_company_cannot_order_for_this_one(db, sales_a, owner):
    with pytest.raises(NotFound):
        await order(db, sales_a, "otto", ("CHAIR", 1), company="ROCA")
    await _nothing_written(owner)
