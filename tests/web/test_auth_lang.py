"""The language switch: a cookie for everyone, the user's own setting when signed in, on every host."""

from __future__ import annotations

from tests.web.test_auth_sign_in import add_staff, post_form, sign_in


async def test_switch_sets_the_cookie_and_the_page_language(client_a, tenant_a):
    client_a.headers["accept-language"] = "es-ES,es;q=0.9"
    spanish = (await client_a.get("/")).text
    assert '<html lang="es">' in spanish and "Te damos la bienvenida" in spanish

    response = await post_form(client_a, "/lang", {"lang": "en", "next": "/sign-in?next=/account"})

    assert (response.status_code, response.headers["location"]) == (303, "/sign-in?next=/account")
    cookie = response.headers["set-cookie"]
    assert "bodega_lang=en" in cookie and "Max-Age=31536000" in cookie and "Path=/" in cookie
    english = (await client_a.get("/")).text
    assert '<html lang="en">' in english and "Welcome" in english


async def test_switch_only_goes_back_to_a_local_page_and_ignores_unknown_languages(client_a, tenant_a):
    away = await post_form(client_a, "/lang", {"lang": "en", "next": "https://evil.test/"})
    assert away.headers["location"] == "/"
    unknown = await post_form(client_a, "/lang", {"lang": "xx", "next": "/account"})
    assert unknown.status_code == 303
    assert "bodega_lang" not in unknown.headers.get("set-cookie", "")


async def test_switch_remembers_the_signed_in_users_language(app, client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)

    await post_form(client_a, "/lang", {"lang": "en", "next": "/admin"})

    assert await owner.fetchval("SELECT locale FROM users WHERE email = 'olga@acme.test'") == "en"
    assert '<html lang="en">' in (await client_a.get("/admin")).text


async def test_switch_works_on_the_platform_host(platform_client):
    await platform_client.get("/platform/sign-in")
    response = await platform_client.post(
        "/lang",
        data={"lang": "en", "next": "/platform/sign-in"},
        headers={"x-csrftoken": platform_client.cookies["bodega_csrf"]},
    )
    assert (response.status_code, response.headers["location"]) == (303, "/platform/sign-in")
    assert "bodega_lang=en" in response.headers["set-cookie"]


async def test_switch_without_csrf_token_is_forbidden(client_a, tenant_a):
    await client_a.get("/")
    assert (await client_a.post("/lang", data={"lang": "en", "next": "/"})).status_code == 403
