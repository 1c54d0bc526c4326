"""The operator sees this process's caches; nobody else does (not a tenant, not anonymous visitors)."""

from __future__ import annotations

from tests.conftest import METRICS_AUTH
from tests.web.test_platform_auth import signed_in


async def test_the_operator_sees_every_cache_with_its_figures(platform_client, db, client_a):
    await client_a.get("/")  # the shop's home asks a few caches
    client = await signed_in(platform_client, db)
    page = await client.get("/platform/caches")
    assert page.status_code == 200
    for name in ("web.signed_in", "storefront.category_trees", "storefront.listings", "catalog.facet_counts"):
        assert name in page.text
    assert "not listening" in page.text  # the test app runs no change feed: nothing is kept


async def test_caches_are_not_shown_on_a_tenant_host_or_signed_out(platform_client, client_a):
    assert (await client_a.get("/platform/caches")).status_code == 404
    response = await platform_client.get("/platform/caches")
    assert response.status_code in (302, 303) and "/platform/sign-in" in response.headers["location"]


async def test_cache_figures_are_on_metrics(platform_client):
    text = (await platform_client.get("/metrics", headers=METRICS_AUTH)).text
    assert 'bodega_cache_entries{cache="web.signed_in"}' in text
    assert "bodega_cache_skipped_total" in text or "bodega_cache_skipped{" in text
