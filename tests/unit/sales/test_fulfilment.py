"""Fulfilment: pick lists in walking order, the packing check, shipments within reservations, returns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.inventory.domain import Exclusion, StockLot
from app.sales.domain import (
    RETURN_TRANSITIONS,
    ApprovedLine,
    Disposition,
    FulfilmentLine,
    OrderState,
    OrderStatus,
    PackingInput,
    PickRequest,
    ReceivedGoods,
    ReturnableLine,
    ReturnStatus,
    SalesRuleError,
    TransitionRefused,
    check_packing,
    check_return_request,
    pick_lists,
    receive_return,
    record_shipment,
    return_transition,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


TODAY = date(2026, 6, 1)
STOCK = {
    ("MAD", "glue"): [
        StockLot("B-02", "L2", date(2026, 9, 1), date(2026, 2, 1), d(5)),
        StockLot("A-01", "L1", date(2026, 7, 1), date(2026, 3, 1), d(3)),
        StockLot("C-09", "L0", date(2026, 5, 1), date(2026, 1, 1), d(9)),  # expired
    ],
    ("MAD", "bolt"): [StockLot("A-05", None, None, date(2026, 1, 1), d(100))],
    ("BCN", "bolt"): [StockLot("Z-01", None, None, date(2026, 1, 1), d(100))],
}
REQUESTS = [
    PickRequest("o1", 1, "glue", "GLUE", "MAD", d(4)),
    PickRequest("o1", 2, "bolt", "BOLT", "MAD", d(10)),
    PickRequest("o2", 1, "glue", "GLUE", "MAD", d(6)),
    PickRequest("o3", 1, "bolt", "BOLT", "BCN", d(1)),
]


def test_a_batch_per_warehouse_walks_by_location_and_never_gives_the_same_units_twice():
    mad, bcn = pick_lists(REQUESTS, stock=STOCK, today=TODAY)
    assert (mad.warehouse, mad.orders, bcn.orders) == ("MAD", ("o1", "o2"), ("o3",))
    assert [(s.location, s.order_id, s.lot, s.qty) for s in mad.stops] == [
        ("A-01", "o1", "L1", d(3)),  # FEFO: the lot expiring first
        ("A-05", "o1", None, d(10)),
        ("B-02", "o1", "L2", d(1)),
        ("B-02", "o2", "L2", d(4)),  # what o1 took is not offered to o2
    ]
    assert [(s.order_id, s.line_id, s.qty) for s in mad.shortfalls] == [("o2", 1, d(2))]
    assert [e.reason for e in mad.excluded] == [Exclusion.EXPIRED]


def test_pick_lists_per_order():
    lists = pick_lists(REQUESTS, stock=STOCK, today=TODAY, batch=False)
    assert [(p.warehouse, p.orders) for p in lists] == [("MAD", ("o1",)), ("MAD", ("o2",)), ("BCN", ("o3",))]


def test_fifo_and_missing_stock():
    [walk] = pick_lists(REQUESTS[:1], stock=STOCK, today=TODAY, strategy="fifo")
    assert [s.lot for s in walk.stops] == ["L2"]  # received first
    [walk] = pick_lists([PickRequest("o9", 1, "chair", "CH", "MAD", d(2))], stock=STOCK, today=TODAY)
    assert walk.stops == () and walk.shortfalls[0].qty == d(2)
    assert pick_lists([], stock=STOCK, today=TODAY) == ()


def test_packing_compares_scans_with_what_was_picked():
    lines = [PackingInput(1, "GLUE", d(6), d(4)), PackingInput(2, "BOLT", d(10), d(10))]
    check = check_packing(lines, {"GLUE": d(4), "BOLT": d(10)})
    assert check.ready and check.lines[0].short_picked == d(2)
    partial = check_packing(lines, {"GLUE": d(3), "BOLT": d(11), "NUT": d(1)})
    assert not partial.ready
    assert [(line.sku, line.to_pack) for line in partial.lines] == [("GLUE", d(1)), ("BOLT", d(-1))]
    assert partial.unexpected == (("NUT", d(1)),)
    assert not check_packing(lines, {}).ready


def test_a_sku_on_two_lines_fills_them_in_order():
    lines = [PackingInput(1, "GLUE", d(2), d(2)), PackingInput(2, "GLUE", d(3), d(3))]
    assert [line.packed for line in check_packing(lines, {"GLUE": d(4)}).lines] == [d(2), d(2)]


LINES = [FulfilmentLine(1, d(10), d(0), d(10)), FulfilmentLine(2, d(5), d(2), d(3), picked=d(2))]


def test_a_partial_shipment_then_the_rest():
    first = record_shipment(OrderStatus.CONFIRMED, LINES, {1: d(4), 2: d(2)})
    assert first.status is OrderStatus.PARTIALLY_SHIPPED and not first.everything_shipped
    assert [(s.line_id, s.qty, s.shipped_total, s.outstanding) for s in first.lines] == [
        (1, d(4), d(4), d(6)),
        (2, d(2), d(4), d(1)),
    ]
    later = [FulfilmentLine(1, d(10), d(4), d(6)), FulfilmentLine(2, d(5), d(4), d(1))]
    rest = record_shipment(first.transition.after, later, {1: d(6), 2: d(1)})
    assert rest.status is OrderStatus.SHIPPED and rest.everything_shipped


def test_shipping_more_than_reserved_or_picked_is_refused():
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", LINES, {1: d(11)})
    assert error.value.field == "qty"
    assert error.value.reason == "Shipping more than reserved: line 1 has 10 reserved, 11 to ship."
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", LINES, {2: d(3)})
    assert error.value.reason.startswith("Shipping more than picked")
    backordered = [FulfilmentLine(1, d(10), d(0), d(0))]
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", backordered, {1: d(1)})
    assert "more than reserved" in error.value.reason


def test_shipment_refusals():
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", LINES, {})
    assert error.value.field == "lines"
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", LINES, {9: d(1)})
    assert "not on this order" in error.value.reason
    with pytest.raises(SalesRuleError) as error:
        record_shipment("confirmed", LINES, {1: d(0)})
    assert error.value.field == "qty"
    with pytest.raises(SalesRuleError) as error:
        record_shipment(OrderState(OrderStatus.ON_HOLD, OrderStatus.CONFIRMED), LINES, {1: d(1)})
    assert "on hold" in error.value.reason
    with pytest.raises(TransitionRefused):
        record_shipment("awaiting_payment", LINES, {1: d(1)})


SHIPPED = [ReturnableLine(1, "GLUE", d(4), d(1)), ReturnableLine(2, "BOLT", d(0))]


def test_a_return_request_within_what_shipped_and_was_not_returned():
    check = check_return_request(SHIPPED, {1: d(3)})
    assert check.allowed and check.lines[0].returnable == d(3)


def test_return_request_refusals():
    check = check_return_request(SHIPPED, {1: d(4), 2: d(1), 7: d(1)})
    over, unshipped, unknown = check.lines
    assert not check.allowed
    assert over.reason.code == "more_than_shipped"
    assert str(over.reason) == ("You can return at most 3 of GLUE: 4 shipped, 1 already returned or being returned.")
    assert unshipped.reason.code == unknown.reason.code == "not_shipped"
    assert check_return_request(SHIPPED, {1: d(0)}).lines[0].reason.code == "positive"
    assert not check_return_request(SHIPPED, {}).allowed


def test_return_states():
    assert set(RETURN_TRANSITIONS) == set(ReturnStatus)
    assert return_transition("requested", "approved")
    assert return_transition("requested", "received").reason.code == "not_allowed"
    assert return_transition("received", "approved").reason.code == "final"


def test_receiving_to_stock_and_to_scrap():
    approved = [ApprovedLine(1, "GLUE", d(3)), ApprovedLine(2, "BOLT", d(2))]
    partial = receive_return(
        "approved", approved, [ReceivedGoods(1, d(2), "restock"), ReceivedGoods(1, d(1), "scrap", "leaking")]
    )
    assert partial.status is ReturnStatus.APPROVED  # the bolts are still to come
    assert [(m.line_id, m.qty, m.disposition, m.reason) for m in partial.moves] == [
        (1, d(2), Disposition.RESTOCK, ""),
        (1, d(1), Disposition.SCRAP, "leaking"),
    ]
    rest = receive_return(
        "approved",
        [ApprovedLine(1, "GLUE", d(3), d(3)), ApprovedLine(2, "BOLT", d(2))],
        [ReceivedGoods(2, d(2), "restock")],
    )
    assert rest.status is ReturnStatus.RECEIVED


def test_receiving_refusals():
    approved = [ApprovedLine(1, "GLUE", d(3), d(1))]
    with pytest.raises(SalesRuleError) as error:
        receive_return("approved", approved, [ReceivedGoods(1, d(2), "scrap", "  ")])
    assert error.value.field == "reason"
    with pytest.raises(SalesRuleError) as error:
        receive_return("approved", approved, [ReceivedGoods(1, d(2), "restock"), ReceivedGoods(1, d(1), "restock")])
    assert error.value.reason == "Receiving more than approved: GLUE has 2 still expected, 3 received."
    with pytest.raises(SalesRuleError) as error:
        receive_return("requested", approved, [ReceivedGoods(1, d(1), "restock")])
    assert error.value.field == "status"
    with pytest.raises(SalesRuleError) as error:
        receive_return("approved", approved, [ReceivedGoods(1, d(1), "donate")])
    assert error.value.field == "disposition"
    with pytest.raises(SalesRuleError):
        receive_return("approved", approved, [])
    with pytest.raises(SalesRuleError):
        receive_return("approved", approved, [ReceivedGoods(5, d(1), "restock")])
