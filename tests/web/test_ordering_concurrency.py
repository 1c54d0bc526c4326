"""A hundred buyers check out at once, through real HTTP against a real server (granian, as `make run` serves
the app), for a chair of which ten are on the shelf, in a shop that takes no backorders.

Each buyer has their own session, cart and idempotency key, and each checkout runs in its own request and
database transaction on the server's connection pool: the race is the real one. Exactly ten units are
reserved, no stock level goes below zero, the ninety others are told on the checkout page, with a 4xx, which
line cannot be filled and why, and no server error, deadlock or serialization failure reaches anyone.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.actor import SYSTEM
from app.identity.services import NewUser, create_user
from app.parties import NewCustomer, create_customer
from app.sales import set_backorders_allowed
from app.settings import ROOT
from tests.integration.sales.conftest import build_sales

PASSWORD = "secret-pass-1"
BUYERS = 100
COMPANIES = 20  # five buyers each: some checkouts also wait for one another on their company's credit


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def server(database_url: str, tenant_a) -> AsyncIterator[str]:
    """granian serving the app over this test's database (tenant_a first, so the server finds its tenant)."""
    port, data_dir = _free_port(), Path(tempfile.mkdtemp(prefix="bodega-race-"))
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        COOKIE_SECURE="false",
        BASE_DOMAIN="localhost",
        PORT=str(port),
        SECRET_KEY="race-secret-" + "z" * 32,
        BODEGA_DATA_DIR=str(data_dir),
        BODEGA_CHEAP_PASSWORD_HASH="1",
        DB_POOL_SIZE="15",  # 30 connections at most: other test processes share the server
    )
    env.pop("APP_DATABASE_URL", None)
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "app.asgi:create"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-ws", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as probe:
        while True:
            try:
                if (await probe.get(base + "/healthz", timeout=1)).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("granian did not start")
            await asyncio.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


async def _buyers(db, shop) -> list[str]:
    """COMPANIES companies with BUYERS buyers between them, none with a spending limit; their e-mails."""
    emails = []
    async with db.transaction(shop.tenant_id) as s:
        for c in range(COMPANIES):
            customer = await create_customer(s, shop.tenant_id, NewCustomer(f"R{c}", f"Rush {c} S.L."), SYSTEM)
            for b in range(BUYERS // COMPANIES):
                email = f"b{b}@rush{c}.test"
                data = NewUser("customer", email, f"Buyer {c}-{b}", ("buyer",), PASSWORD, customer.id)
                await create_user(s, shop.tenant_id, data, SYSTEM)
                emails.append(email)
        await set_backorders_allowed(s, shop.tenant_id, False, SYSTEM)
    return emails


async def _ready_to_check_out(base: str, email: str, chair: str) -> tuple[httpx.AsyncClient, dict]:
    """A buyer's own browser: signed in, one chair in the cart, the checkout form with its key."""
    client = httpx.AsyncClient(base_url=base, headers={"host": "acme.localhost", "accept-language": "en"}, timeout=60)
    await client.get("/sign-in")
    token = {"x-csrftoken": client.cookies["bodega_csrf"]}
    signed = await client.post("/sign-in", data={"email": email, "password": PASSWORD}, headers=token)
    assert signed.status_code == 303, signed.text[:300]
    added = await client.post("/cart/add", data={"variant": chair, "qty": "1"}, headers=token)
    assert added.status_code == 303
    page = await client.get("/checkout")
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.text).group(1)
    form = {"idempotency_key": key, "payment": "account", "delivery_mode": "ship_available", "unit_price": "0"}
    return client, form | token


async def test_a_hundred_checkouts_for_ten_chairs_reserve_exactly_ten(db, owner, tenant_a, server):
    shop = await build_sales(db, tenant_a)  # ten chairs on the shelf
    emails = await _buyers(db, shop)
    chair = str(shop.sku("CHAIR"))
    # sign-ins one after another: the per-address sign-in limit counts attempts before the password is checked
    buyers = [await _ready_to_check_out(server, email, chair) for email in emails]
    start = asyncio.Event()

    async def check_out(client: httpx.AsyncClient, form: dict) -> httpx.Response:
        await start.wait()
        token = {"x-csrftoken": form["x-csrftoken"]}
        data = {k: v for k, v in form.items() if k != "x-csrftoken"}
        return await client.post("/checkout", data=data, headers=token)

    tasks = [asyncio.create_task(check_out(client, form)) for client, form in buyers]
    await asyncio.sleep(0.1)
    start.set()
    answers = await asyncio.gather(*tasks)
    for client, _form in buyers:
        await client.aclose()

    codes = [a.status_code for a in answers]
    assert not [c for c in codes if c >= 500], codes
    placed = [a for a in answers if a.status_code == 303]
    refused = [a for a in answers if a.status_code != 303]
    assert len(placed) == 10 and all(a.headers["location"].startswith("/account/orders/") for a in placed)
    assert len(refused) == BUYERS - 10
    for answer in refused:
        assert answer.status_code == 400
        assert "Only 0 of CHAIR left in stock, and this shop does not take backorders" in answer.text
        assert not re.search(r"deadlock|serializ|could not|internal server error", answer.text, re.IGNORECASE)

    level = await owner.fetchrow("SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1", shop.sku("CHAIR"))
    assert (level["on_hand"], level["reserved"]) == (10, 10)
    assert await owner.fetchval("SELECT count(*) FROM stock_levels WHERE on_hand - reserved < 0") == 0
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 10
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 10
    assert await owner.fetchval("SELECT sum(reserved_qty) FROM sales_order_lines") == 10
    numbers = await owner.fetch("SELECT number FROM sales_orders ORDER BY number")
    assert len({row["number"] for row in numbers}) == 10  # gapless series: ten numbers, no gap left by a refusal
    assert await owner.fetchval("SELECT count(*) FROM carts WHERE status = 'open'") == BUYERS - 10  # carts kept
