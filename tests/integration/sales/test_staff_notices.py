"""The sales team hears what customers did that waits for them: a quote asked for, changes asked for, a quote
accepted or turned down, goods sent back. One e-mail per active person of the team (the owners when nobody holds
the role), in their language, linking to the back-office page on the tenant's address; nothing is queued when the
customer's action is refused. The mail renders in English and Spanish, the customer's words escaped in HTML."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app import sales
from app.actor import Actor
from app.errors import ValidationFailed
from app.web.mail import render_mail
from tests.integration.sales.conftest import Sales
from tests.integration.sales.test_quotes_flow import requested, revised, sent
from tests.integration.sales.test_returns_flow import _request, _shipped
from tests.web.test_auth_sign_in import add_staff

ADMIN = "https://acme.bodega.example/admin"


async def notices(owner) -> list[dict]:
    rows = await owner.fetch(
        "SELECT payload FROM outbox WHERE topic = 'mail.send' AND payload->>'template' = 'mail/staff_notice' "
        "ORDER BY created_at, id"
    )
    return [json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"] for r in rows]


async def test_with_nobody_in_sales_the_owner_hears_of_a_quote_request(db, sales_a, owner):
    async with db.transaction(sales_a.tenant_id) as s:
        await sales.add_to_cart(s, sales_a.tenant_id, sales_a.users["carl"], sales_a.sku("CHAIR"), 2)
        ref = await sales.request_quote(
            s, sales_a.tenant_id, sales_a.users["carl"], sales_a.actor("carl"), note="Tall & dark", back_office=ADMIN
        )
    (mail,) = await notices(owner)
    assert mail["to"] == "admin@acme.test" and mail["context"]["kind"] == "quote_requested"
    assert mail["context"]["link"] == f"{ADMIN}/sales/quotes/{ref.quote_id}"
    assert mail["context"]["comment"] == "Tall & dark" and mail["context"]["number"] == ref.number


async def test_the_sales_team_hears_each_step_in_its_own_language(db, sales_a: Sales, tenant_a, owner):
    await add_staff(db, tenant_a, "lucia@acme.test", "sales", name="Lucía")
    await add_staff(db, tenant_a, "wendy@acme.test", "warehouse", name="Wendy")
    gone = await add_staff(db, tenant_a, "old@acme.test", "sales", name="Old")
    await owner.execute("UPDATE users SET is_active = false WHERE id = $1", gone.id)
    await owner.execute("UPDATE users SET locale = 'es' WHERE email = 'lucia@acme.test'")
    ref = await requested(db, sales_a, CHAIR=2)  # no back_office given: the mail has no link
    ref = await sent(db, sales_a, await revised(db, sales_a, ref, [("CHAIR", ("2", "90", "0"))]))
    carl = sales_a.users["carl"]
    async with db.transaction(sales_a.tenant_id) as s:
        with pytest.raises(ValidationFailed):  # no words: refused, nobody told
            await sales.ask_revision(s, sales_a.tenant_id, ref.quote_id, carl, sales_a.actor("carl"), " ")
    async with db.transaction(sales_a.tenant_id) as s:
        await sales.ask_revision(
            s, sales_a.tenant_id, ref.quote_id, carl, sales_a.actor("carl"), "Three, not two", back_office=ADMIN
        )
    ref = await sent(db, sales_a, await revised(db, sales_a, ref, [("CHAIR", ("3", "85", "0"))]))  # 7 stay on the shelf
    async with db.transaction(sales_a.tenant_id) as s:
        placed = await sales.accept_quote(
            s, sales_a.tenant_id, ref.quote_id, carl, sales_a.actor("carl"), back_office=ADMIN
        )
    mails = await notices(owner)
    assert [(m["to"], m["context"]["kind"], m["locale"]) for m in mails] == [
        ("lucia@acme.test", "quote_requested", "es"),
        ("lucia@acme.test", "quote_revision", "es"),
        ("lucia@acme.test", "quote_accepted", "es"),
    ]  # not the warehouse, not the one who left, not the owner while sales has someone
    assert "link" not in mails[0]["context"] or mails[0]["context"]["link"] == ""
    assert mails[1]["context"]["comment"] == "Three, not two"
    assert mails[2]["context"]["order_number"] == placed.number

    shipped, line = await _shipped(db, sales_a, 2)
    async with db.transaction(sales_a.tenant_id) as s:
        buyer = Actor("customer", carl, "carl")
        rma = await sales.request_return(
            s, sales_a.tenant_id, _request(sales_a, shipped, {line.id: Decimal(1)}), buyer, back_office=ADMIN
        )
    returns = [m for m in await notices(owner) if m["context"]["kind"] == "return_requested"]
    assert sorted(m["to"] for m in returns) == ["lucia@acme.test", "wendy@acme.test"]
    assert returns[0]["context"]["link"] == f"{ADMIN}/sales/returns/{rma.id}"
    assert returns[0]["context"]["order_number"] == shipped.number


@pytest.mark.parametrize(
    "kind", ["quote_requested", "quote_revision", "quote_accepted", "quote_rejected", "return_requested"]
)
def test_each_notice_renders_in_both_languages_with_the_words_escaped(kind):
    context = {
        "kind": kind, "number": "QT-00007", "customer": "Roig & Asociados", "tenant_name": "Acme", "name": "Lucía",
        "link": f"{ADMIN}/sales/quotes/x", "comment": "<b>ten</b>", "order_number": "SO-00042",
    }  # fmt: skip
    english = render_mail("mail/staff_notice", context, "en")
    spanish = render_mail("mail/staff_notice", context, "es")
    assert "QT-00007" in english.subject and "Roig & Asociados" in english.subject
    assert english.subject != spanish.subject and spanish.text.startswith("Hola, Lucía:")
    assert "Roig & Asociados" in english.text and "<b>ten</b>" in english.text
    assert "Roig &amp; Asociados" in english.html and "&lt;b&gt;ten&lt;/b&gt;" in english.html
    assert f'href="{ADMIN}/sales/quotes/x"' in english.html
    if kind in ("quote_accepted", "return_requested"):
        assert "SO-00042" in english.text and "SO-00042" in spanish.text
