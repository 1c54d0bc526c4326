"""The demo tenant shows quotes and saved lists: at Cowork Valencia a sent quote awaiting the buyer in two versions
and a list the company shares, a request awaiting the sales team, and an expired quote; written once."""

from __future__ import annotations

from datetime import date

from app.demo import ensure_demo


async def test_the_demo_has_open_quotes_and_a_shared_list(settings, owner):
    lines = "\n".join(await ensure_demo(settings))
    assert "Quotes:" in lines and "3 quotes (2 sent), 1 saved lists" in lines
    rows = await owner.fetch(
        "SELECT c.code, q.status, q.current_version, q.valid_until, q.requested_by IS NOT NULL AS asked "
        "FROM quotes q JOIN customers c ON c.tenant_id = q.tenant_id AND c.id = q.customer_id ORDER BY c.code"
    )
    found = {r["code"]: (r["status"], r["current_version"], r["asked"]) for r in rows}
    assert found == {
        "ALBUFERA": ("draft", 1, True),
        "COWORK": ("sent", 2, True),
        "SANTACLARA": ("sent", 2, False),
    }
    valid = {r["code"]: r["valid_until"] for r in rows}
    assert valid["COWORK"] >= date.today() > valid["SANTACLARA"]  # awaiting Elena; expired
    assert await owner.fetchval("SELECT count(*) FROM quote_versions") == 5
    assert await owner.fetchval("SELECT count(*) FROM quote_lines WHERE discount_pct > 0") >= 2
    listed = await owner.fetchrow(
        "SELECT l.name, c.code, (SELECT count(*) FROM saved_list_lines x WHERE x.list_id = l.id) AS n "
        "FROM saved_lists l JOIN customers c ON c.tenant_id = l.tenant_id AND c.id = l.customer_id"
    )
    assert (listed["name"], listed["code"]) == ("Reposición mensual", "COWORK") and listed["n"] >= 1
    await ensure_demo(settings)
    assert await owner.fetchval("SELECT count(*) FROM quotes") == 3  # once
