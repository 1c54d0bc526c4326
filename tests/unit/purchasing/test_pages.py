"""What the purchasing pages derive without a database: an order's status timeline and why a bill line is held."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from app.i18n import use_locale
from app.purchasing.bill_queries import hold_messages
from app.purchasing.queries import OrderDetail
from app.settings import ROOT
from app.web.templating import make_environment

DAY = datetime(2026, 12, 7, 9, tzinfo=UTC)


def _detail(status: str, approval_required: bool, *actions: str) -> OrderDetail:
    order = SimpleNamespace(status=status, approval_required=approval_required, created_at=DAY)
    history = [
        SimpleNamespace(action=f"purchase_order.{a}", at=DAY.replace(hour=10 + i)) for i, a in enumerate(actions)
    ]
    return OrderDetail(order, None, None, [], history=list(reversed(history)))  # the audit trail is newest first


def test_the_timeline_shows_approval_only_when_the_order_needed_it_and_dates_each_state():
    quick = _detail("sent", False, "created", "approved", "sent").timeline()
    assert [(s.state, s.at is not None, s.current) for s in quick] == [
        ("draft", True, False),
        ("approved", True, False),
        ("sent", True, True),
        ("partially_received", False, False),
        ("received", False, False),
        ("closed", False, False),
    ]
    waited = _detail("to_approve", True, "created", "to_approve").timeline()
    assert [s.state for s in waited][:3] == ["draft", "to_approve", "approved"] and waited[1].current
    cancelled = _detail("cancelled", False, "created", "approved", "cancelled").timeline()
    assert [s.state for s in cancelled] == ["draft", "approved", "cancelled"]


def test_hold_messages_give_the_figures_the_line_was_matched_against():
    line = SimpleNamespace(
        holds=["qty_over_tolerance", "price_over_tolerance"],
        billed_total=Decimal("12.0000"),
        received_qty=Decimal("10.0000"),
        unit_price=Decimal("36.5000"),
        ordered_price=Decimal("35.0000"),
    )
    with use_locale("en"):
        assert hold_messages(line, "EUR") == (
            ("Quantity over tolerance", "12 billed in all, 10 received."),
            ("Price over tolerance", "36.5 a unit billed, 35 ordered (EUR)."),
        )
    with use_locale("es"):
        assert hold_messages(line, "EUR")[0] == ("Cantidad fuera de tolerancia", "12 facturado en total, 10 recibido.")
    early = SimpleNamespace(
        holds=["billed_before_receipt"], billed_total=0, received_qty=0, unit_price=0, ordered_price=0
    )
    with use_locale("en"):
        assert hold_messages(early, "EUR") == (
            ("Billed before receipt", "Nothing has been received on this line yet."),
        )


def test_every_purchasing_template_compiles():
    env = make_environment()
    names = [
        str(path.relative_to(ROOT / "backoffice" / "templates"))
        for path in sorted((ROOT / "backoffice" / "templates" / "backoffice" / "purchasing").rglob("*.j2"))
    ]
    names += [f"mail/purchase_order.{part}.j2" for part in ("subject", "txt", "html")]
    assert len(names) > 15 and all(env.get_template(name) for name in names)
