"""The cart page with 50 lines, re-priced on every read: p99 against its target at 16 connections.

    python -m bench.cart_page [--connections 16] [--duration 10] [--lines 50]

The stack is bench.http's (PostgreSQL, migrations, the demo tenant, granian). The demo buyer
(compras@cowork-valencia.test: group prices with tiers, a contract, the live promotion) signs in over HTTP and
fills the cart through quick order with `--lines` of the articles she may buy; wrk then reads GET /cart, which
prices every line for her company, taxes the cart and shows each line's availability. Target: p99 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import asyncpg
import httpx

from bench.http import DEMO_BUYER, DEMO_SLUG, WRK_SCRIPT, Route, _bench_root, database, granian, prepare, sign_in, wrk

TARGET_P99_MS = 100


async def _skus(owner_url: str, count: int) -> list[str]:
    """SKUs the demo buyer may order one of (active, no minimum or pack size), first by SKU."""
    conn = await asyncpg.connect(owner_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            """SELECT v.sku FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
               JOIN tenants t ON t.id = v.tenant_id WHERE t.slug = $1 AND p.status = 'active'
               AND v.status = 'active' AND v.min_qty <= 1 AND v.order_multiple = 1 ORDER BY v.sku LIMIT $2""",
            DEMO_SLUG,
            count * 2,
        )
    finally:
        await conn.close()
    return [r["sku"] for r in rows]


def _fill(base: str, host: str, cookie: str, skus: list[str], _lines: int) -> int:
    """Quick order of the SKUs, one each; the lines the cart then holds."""
    csrf = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.startswith("bodega_csrf="))
    headers = {"host": host, "cookie": cookie, "x-csrftoken": csrf}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        client.post("/quick-order", data={"lines": "\n".join(f"{sku} 1" for sku in skus), "action": "add"})
        count = client.get("/cart/count").text
    return int("".join(ch for ch in count if ch.isdigit()) or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cart_page", description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured (default 10)")
    parser.add_argument("--lines", type=int, default=50, help="cart lines (default 50)")
    args = parser.parse_args(argv)
    with database() as owner_url, tempfile.TemporaryDirectory(prefix="cart-", dir=_bench_root()) as tmp:
        settings = prepare(owner_url, 0)
        skus = asyncio.run(_skus(owner_url, args.lines))
        host = f"{DEMO_SLUG}.{settings.base_domain}"
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT)
        with granian(1, Path(tmp) / "granian.log") as base:
            cookie = sign_in(base, host, *DEMO_BUYER, face="", home="/account")
            held = _fill(base, host, cookie, skus[: args.lines], 0)
            for sku in skus[args.lines :]:  # a SKU outside her assortment adds no line: add the next ones
                if held >= args.lines:
                    break
                held = _fill(base, host, cookie, [sku], 0)
            if held < args.lines:
                raise SystemExit(f"the cart holds {held} lines, not {args.lines}")
            route = Route("cart", "/cart", signed_in=True, customer=True)
            headers = {"Host": host, "Cookie": cookie}
            wrk(base, route, headers, args.connections, 2, script)  # warm-up
            result = wrk(base, route, headers, args.connections, args.duration, script)
    verdict = "met" if result.p99_ms <= TARGET_P99_MS else "MISSED"
    print(f"cart page with {held} lines, {args.connections} connections, {args.duration:g} s, 1 granian worker")
    print(
        f"  {result.requests_per_s:.0f} req/s, p50 {result.p50_ms} ms, p99 {result.p99_ms} ms "
        f"(target p99 <= {TARGET_P99_MS} ms: {verdict}); {result.non_2xx} non-2xx, {result.socket_errors} socket errors"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
