"""Who may keep a copy of a response, cookies on shared files, /metrics, HEAD, charsets, neutral invitations."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.storage import LocalStorage
from tests.conftest import METRICS_AUTH
from tests.web.test_auth_sign_in import add_customer, add_customer_user, add_staff, post_form, sign_in
from tests.web.test_storefront_catalog import build_shop

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def settings(settings, tmp_path):
    return replace(settings, data_dir=tmp_path)


async def test_media_and_static_files_set_no_cookie(client_a, db, settings, tenant_a):
    shop = await build_shop(db, tenant_a)
    storage = LocalStorage.for_tenant(settings, tenant_a.id)
    async with db.transaction(tenant_a.id) as s:
        image = await catalog.add_product_image(
            s, tenant_a.id, shop.demo.products["kappa"], PNG, "image/png", storage, SYSTEM
        )
    for path in (f"/media/{image.storage_key}", "/static/css/bodega.css"):
        response = await client_a.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path
        assert "public" in response.headers["cache-control"] or "max-age" in response.headers["cache-control"]
    assert "bodega_csrf" not in client_a.cookies


@pytest.mark.parametrize(("staff", "page"), [(True, "/admin"), (True, "/admin/users"), (False, "/account")])
async def test_signed_in_pages_are_never_stored(client_a, db, tenant_a, staff, page):
    if staff:
        await add_staff(db, tenant_a, "olga@acme.test", "owner")
        await sign_in(client_a, "olga@acme.test", staff=True)
    else:
        customer = await add_customer(db, tenant_a)
        await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "customer_admin")
        await sign_in(client_a, "cam@buyer.test", staff=False)
    response = await client_a.get(page)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    home = await client_a.get("/")  # the shop's pages too, while signed in
    assert home.headers["cache-control"] == "no-store"


async def test_anonymous_tenant_pages_are_private(client_a):
    for path in ("/", "/sign-in", "/admin/sign-in"):
        assert (await client_a.get(path)).headers["cache-control"] == "private, no-cache", path


async def test_metrics_only_on_the_platform_host_with_the_token(client_a, platform_client, db, owner):
    assert (await client_a.get("/metrics")).status_code == 404
    assert (await client_a.get("/metrics", headers=METRICS_AUTH)).status_code == 404
    await owner.execute("UPDATE tenants SET status = 'suspended' WHERE slug = 'acme'")
    assert (await client_a.get("/metrics", headers=METRICS_AUTH)).status_code == 404
    assert (await platform_client.get("/metrics")).status_code == 404
    assert (await platform_client.get("/metrics", headers={"authorization": "Bearer wrong"})).status_code == 404
    scraped = await platform_client.get("/metrics", headers=METRICS_AUTH)
    assert scraped.status_code == 200 and "litestar_requests_total" in scraped.text


async def test_metrics_are_off_without_a_token(app, db, platform_client):
    from app.factory import create_app
    from tests.conftest import client_for

    quiet = create_app(replace(app.state.settings, metrics_token=""), database=db)
    async with client_for(quiet, "localhost") as client:
        assert (await client.get("/metrics", headers={"authorization": "Bearer "})).status_code == 404


@pytest.mark.parametrize("path", ["/", "/sign-in", "/admin/sign-in", "/static/css/bodega.css", "/healthz"])
async def test_head_answers_as_get_without_a_body(client_a, path):
    get = await client_a.get(path)
    head = await client_a.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


async def test_csv_downloads_name_their_charset_once(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    await sign_in(client_a, "olga@acme.test", staff=True)
    for path in ("/admin/catalog/export.csv", "/admin/catalog/prices.csv"):
        response = await client_a.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].count("charset") == 1, response.headers["content-type"]


async def test_inviting_another_companys_user_answers_as_for_anyone(client_a, db, owner, tenant_a):
    """The admin is not told that rob@rival.test is registered; Rob is told somebody tried."""
    buyer = await add_customer(db, tenant_a, "C001", "Buyer Co")
    rival = await add_customer(db, tenant_a, "C002", "Rival Ltd")
    await add_customer_user(db, tenant_a, buyer, "cam@buyer.test", "customer_admin", name="Cam")
    await add_customer_user(db, tenant_a, rival, "rob@rival.test", "buyer", name="Rob")
    await sign_in(client_a, "cam@buyer.test", staff=False)

    taken = await post_form(client_a, "/account/users", {"name": "Rob", "email": "rob@rival.test", "roles": ["buyer"]})
    taken_page = (await client_a.get("/account/users")).text
    fresh = await post_form(client_a, "/account/users", {"name": "Nia", "email": "nia@buyer.test", "roles": ["buyer"]})
    fresh_page = (await client_a.get("/account/users")).text

    assert taken.status_code == fresh.status_code == 303
    assert taken.headers["location"] == fresh.headers["location"]
    assert "Invitation sent to rob@rival.test." in taken_page
    assert "Invitation sent to nia@buyer.test." in fresh_page
    assert "already" not in taken_page
    rob = await owner.fetchrow("SELECT customer_id FROM users WHERE email = 'rob@rival.test'")
    assert rob["customer_id"] == rival.id
    rows = await owner.fetch("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY created_at")
    payloads = [json.loads(r["payload"]) for r in rows]
    to_rob = [p for p in payloads if p["to"] == "rob@rival.test"]
    assert [p["template"] for p in to_rob] == ["mail/already_registered"]
    assert to_rob[0]["context"]["url"] == "https://acme.localhost/sign-in"
    same = await post_form(client_a, "/account/users", {"name": "Nia", "email": "nia@buyer.test", "roles": ["buyer"]})
    assert same.status_code == 400 and "already one of your colleagues" in same.text
