"""The back-office mail viewer: owners only, this tenant's mail only, off in production with SMTP."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.actor import SYSTEM
from app.errors import NotFound
from app.events import topic_handlers
from app.factory import create_app
from app.identity.services import NewUser, create_user
from app.identity.sessions import SESSION_COOKIE, start_session
from app.outbox.delivery import deliver
from app.outbox.mail import mail_message, recent_mail
from app.outbox.models import MailMessage
from app.outbox.services import queue_mail
from tests.conftest import client_for


async def _sign_in(client, db, tenant, *roles: str) -> None:
    """A staff user with `roles`, signed in on `client` (the session cookie the sign-in page would set)."""
    async with db.transaction(tenant.id) as session:
        data = NewUser("staff", f"staff@{tenant.slug}.test", "Olga", roles=roles, password="a long passphrase 1")
        user = await create_user(session, tenant.id, data, SYSTEM)
        token = await start_session(session, tenant.id, user.id, ip=None, user_agent="test")
    client.cookies.set(SESSION_COOKIE, token)


async def _mail(db, settings, tenant, note: str = "Tom & Jerry <3", template: str = "mail/test_notice"):
    """Queue and deliver one e-mail through the outbox; returns the recorded message's id."""
    async with db.transaction(tenant.id) as session:
        event = await queue_mail(
            session,
            tenant.id,
            to=f"buyer@{tenant.slug}.test",
            template=template,
            context={"name": "Ana", "note": note},
            locale="en",
        )
    assert await deliver(db, tenant.id, event.id, topic_handlers(settings)) == "delivered"
    async with db.transaction(tenant.id) as session:
        return await session.scalar(select(MailMessage.id).where(MailMessage.outbox_id == event.id))


async def test_owner_lists_own_mail_newest_first(client_a, db, settings, tenant_a, tenant_b):
    await _mail(db, settings, tenant_a, note="first")
    await _mail(db, settings, tenant_a, note="second")
    await _mail(db, settings, tenant_b)
    await _sign_in(client_a, db, tenant_a, "owner")

    response = await client_a.get("/admin/dev/mail")

    assert response.status_code == 200
    assert response.text.count("buyer@acme.test") == 2
    assert "globex" not in response.text
    assert "Notice for Ana · Acme S.L." in response.text
    assert '<span class="badge">dev</span>' in response.text
    assert 'href="/admin/dev/mail"' in response.text  # the nav link


async def test_listing_pages_newest_first(db, settings, tenant_a):
    ids = [await _mail(db, settings, tenant_a, note=str(n)) for n in range(3)]
    async with db.transaction(tenant_a.id) as session:
        first = await recent_mail(session, page=1, per_page=2)
        second = await recent_mail(session, page=2, per_page=2)
    assert [m.id for m in first.messages] == [ids[2], ids[1]]
    assert first.has_next
    assert ([m.id for m in second.messages], second.has_next) == ([ids[0]], False)


async def test_bad_page_number_shows_the_first_page(client_a, db, settings, tenant_a):
    await _mail(db, settings, tenant_a)
    await _sign_in(client_a, db, tenant_a, "owner")
    response = await client_a.get("/admin/dev/mail?page=abc")
    assert response.status_code == 200
    assert "buyer@acme.test" in response.text
    assert "No more e-mail." in (await client_a.get("/admin/dev/mail?page=2")).text


async def test_detail_shows_headers_text_and_escaped_html(client_a, db, settings, tenant_a):
    message_id = await _mail(db, settings, tenant_a)
    await _sign_in(client_a, db, tenant_a, "owner")

    response = await client_a.get(f"/admin/dev/mail/{message_id}")

    assert response.status_code == 200
    assert "buyer@acme.test" in response.text
    assert '<pre class="mail">Hello Ana,' in response.text
    assert "Tom &amp; Jerry &lt;3" in response.text  # the text body, escaped
    assert "&lt;p&gt;Tom &amp;amp; Jerry &amp;lt;3&lt;/p&gt;" in response.text  # the HTML source, escaped
    assert f'src="/admin/dev/mail/{message_id}/html" sandbox=""' in response.text


async def test_html_body_is_served_sandboxed(client_a, db, settings, tenant_a):
    message_id = await _mail(db, settings, tenant_a)
    await _sign_in(client_a, db, tenant_a, "owner")

    response = await client_a.get(f"/admin/dev/mail/{message_id}/html")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<p>Tom &amp; Jerry &lt;3</p>" in response.text
    csp = response.headers["content-security-policy"]
    assert csp.startswith("sandbox;")
    assert "default-src 'none'" in csp
    assert "script-src" not in csp


async def test_plain_text_mail_has_no_html_route(client_a, db, settings, tenant_a):
    message_id = await _mail(db, settings, tenant_a, template="mail/test_plain")
    await _sign_in(client_a, db, tenant_a, "owner")
    assert "<iframe" not in (await client_a.get(f"/admin/dev/mail/{message_id}")).text
    assert (await client_a.get(f"/admin/dev/mail/{message_id}/html")).status_code == 404


async def test_other_tenants_mail_is_not_found(client_a, db, settings, tenant_a, tenant_b):
    theirs = await _mail(db, settings, tenant_b)
    await _sign_in(client_a, db, tenant_a, "owner")
    assert (await client_a.get(f"/admin/dev/mail/{theirs}")).status_code == 404
    assert (await client_a.get(f"/admin/dev/mail/{theirs}/html")).status_code == 404
    assert (await client_a.get("/admin/dev/mail/not-a-uuid")).status_code == 404


async def test_other_tenants_mail_is_invisible_to_the_service(db, settings, tenant_a, tenant_b):
    theirs = await _mail(db, settings, tenant_b)
    async with db.transaction(tenant_a.id) as session:
        assert (await recent_mail(session)).messages == []
        with pytest.raises(NotFound):
            await mail_message(session, theirs)


async def test_only_owners_may_read_mail(client_a, db, settings, tenant_a):
    message_id = await _mail(db, settings, tenant_a)
    anonymous = await client_a.get("/admin/dev/mail", headers={"accept": "text/html"})
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/admin/sign-in")

    await _sign_in(client_a, db, tenant_a, "sales")
    assert (await client_a.get("/admin/dev/mail")).status_code == 403
    assert (await client_a.get(f"/admin/dev/mail/{message_id}")).status_code == 403
    assert 'href="/admin/dev/mail"' not in (await client_a.get("/admin")).text


async def test_viewer_is_off_in_production_with_smtp(db, settings, tenant_a):
    production = replace(settings, env="production", smtp_host="smtp.example.test")
    async with client_for(create_app(production, database=db), "acme.localhost") as client:
        await _sign_in(client, db, tenant_a, "owner")
        assert (await client.get("/admin/dev/mail")).status_code == 404
        assert 'href="/admin/dev/mail"' not in (await client.get("/admin")).text


async def test_viewer_stays_on_in_production_without_smtp(db, settings, tenant_a):
    production = replace(settings, env="production", smtp_host="")
    async with client_for(create_app(production, database=db), "acme.localhost") as client:
        await _sign_in(client, db, tenant_a, "owner")
        assert (await client.get("/admin/dev/mail")).status_code == 200
