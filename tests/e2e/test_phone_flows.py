"""End to end at phone width (360×740) in headless Chromium against granian: sign-ins and language switch."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "demo-Bodega-2026"


def shop(port: str, path: str = "/") -> str:
    return f"http://demo.localhost:{port}{path}"


async def sign_in(page, url: str, email: str) -> None:
    await page.goto(url)
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form.stack button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def test_storefront_home_at_phone_width(live_server, phone):
    await phone.goto(shop(live_server))
    assert "Muebles Levante" in await phone.title()
    await assert_no_horizontal_scroll(phone)
    await screenshot(phone, "storefront-home")


async def test_staff_sign_in_to_back_office(live_server, phone):
    await sign_in(phone, shop(live_server, "/admin/sign-in"), "admin@demo.bodega.test")
    assert phone.url.endswith("/admin") or phone.url.endswith("/admin/")
    assert "Lucía Ferrer" in await phone.content()
    await assert_no_horizontal_scroll(phone)
    await screenshot(phone, "backoffice-dashboard")
    # The menu opens with one tap and leads to the staff users page.
    await phone.click("button.nav-toggle")
    await phone.click("#bo-nav a[href='/admin/users']")
    await phone.wait_for_load_state("networkidle")
    assert "contabilidad@demo.bodega.test" in await phone.content()
    await assert_no_horizontal_scroll(phone)
    await screenshot(phone, "backoffice-users")


async def test_customer_sign_in_to_storefront(live_server, phone):
    await sign_in(phone, shop(live_server, "/sign-in"), "compras@cowork-valencia.test")
    await phone.goto(shop(live_server, "/account"))
    content = await phone.content()
    assert "Elena Martí" in content
    assert "Cowork" in content
    await assert_no_horizontal_scroll(phone)
    await screenshot(phone, "storefront-account")


async def test_wrong_password_keeps_email_and_says_why(live_server, phone):
    await phone.goto(shop(live_server, "/sign-in"))
    await phone.fill("input[name=email]", "compras@cowork-valencia.test")
    await phone.fill("input[name=password]", "not-the-password")
    await phone.click("form.stack button[type=submit]")
    await phone.wait_for_load_state("networkidle")
    assert await phone.input_value("input[name=email]") == "compras@cowork-valencia.test"
    assert await phone.locator("[role=alert]").count() >= 1
    await screenshot(phone, "storefront-sign-in-error")


async def test_language_switch(live_server, phone):
    await phone.goto(shop(live_server, "/sign-in"))
    assert await phone.get_attribute("html", "lang") == "es"
    spanish_heading = await phone.inner_text("h1")
    await screenshot(phone, "language-es")
    await phone.click("button.nav-toggle")
    await phone.select_option("#lang-select", "en")
    await phone.wait_for_load_state("networkidle")
    await phone.wait_for_function("document.documentElement.lang === 'en'")
    english_heading = await phone.inner_text("h1")
    assert english_heading.startswith("Sign in")
    assert spanish_heading != english_heading
    await assert_no_horizontal_scroll(phone)
    await screenshot(phone, "language-en")
