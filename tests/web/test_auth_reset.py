"""Password reset, invitations and password changes: single-use links, one answer, sessions end."""

from __future__ import annotations

import json

from app.actor import SYSTEM
from app.identity.services import NewUser, create_user
from app.web.mail import render_mail
from tests.conftest import client_for
from tests.web.test_auth_sign_in import PASSWORD, add_customer, add_customer_user, add_staff, post_form, sign_in

NEW_PASSWORD = "Brand-new-pass-42"
SENT = "If an account exists for that e-mail, we have sent a link"
EXPIRED = "This link has expired or was already used"


async def mails(owner, template: str) -> list[dict]:
    rows = await owner.fetch("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY created_at, id")
    payloads = [json.loads(r["payload"]) for r in rows]
    return [p for p in payloads if p["template"] == template]


def link_path(payload: dict) -> str:
    url = payload["context"]["url"]
    assert url.startswith("https://acme.localhost/")
    return url.removeprefix("https://acme.localhost")


async def reset_link(client, owner, email: str, *, staff: bool) -> str:
    await post_form(client, "/admin/forgot-password" if staff else "/forgot-password", {"email": email})
    sent = [m for m in await mails(owner, "mail/password_reset") if m["to"] == email]
    return link_path(sent[-1])


async def customer_with_password(db, tenant):
    customer = await add_customer(db, tenant)
    return await add_customer_user(db, tenant, customer, "cam@buyer.test", "buyer", name="Cam")


async def test_forgot_password_answers_the_same_and_mails_only_real_accounts(client_a, db, owner, tenant_a):
    await customer_with_password(db, tenant_a)

    known = await post_form(client_a, "/forgot-password", {"email": "Cam@Buyer.test"})
    unknown = await post_form(client_a, "/forgot-password", {"email": "nobody@buyer.test"})

    assert known.status_code == unknown.status_code == 200
    assert SENT in known.text and SENT in unknown.text
    sent = await mails(owner, "mail/password_reset")
    assert [m["to"] for m in sent] == ["cam@buyer.test"]
    assert link_path(sent[0]).startswith("/reset-password/")
    mail = render_mail("mail/password_reset", sent[0]["context"], "en")
    assert "Acme S.L." in mail.subject and "\n" not in mail.subject
    assert sent[0]["context"]["url"] in mail.text and "Hello Cam," in mail.text
    assert mail.html and sent[0]["context"]["url"] in mail.html


async def test_forgot_password_checks_the_address_and_limits_mails(client_a, db, owner, tenant_a):
    await customer_with_password(db, tenant_a)
    bad = await post_form(client_a, "/forgot-password", {"email": "not an e-mail"})
    assert bad.status_code == 400
    assert "Enter a valid e-mail address." in bad.text and 'value="not an e-mail"' in bad.text
    for _ in range(5):
        assert SENT in (await post_form(client_a, "/forgot-password", {"email": "cam@buyer.test"})).text
    assert len(await mails(owner, "mail/password_reset")) == 3


async def test_reset_sets_the_password_signs_in_and_ends_other_sessions(app, client_a, db, owner, tenant_a):
    await customer_with_password(db, tenant_a)
    async with client_for(app, "acme.localhost") as elsewhere:
        await sign_in(elsewhere, "cam@buyer.test", staff=False)
        assert (await elsewhere.get("/account")).status_code == 200
        path = await reset_link(client_a, owner, "cam@buyer.test", staff=False)

        form = await client_a.get(path)
        assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
        mismatch = await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": "Something-else-1"})
        assert mismatch.status_code == 400 and "The two passwords do not match." in mismatch.text
        weak = await post_form(client_a, path, {"password": "short", "confirm": "short"})
        assert weak.status_code == 400 and "Use at least 10 characters." in weak.text
        done = await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

        assert (done.status_code, done.headers["location"]) == (303, "/")
        assert (await client_a.get("/account")).status_code == 200
        assert (await elsewhere.get("/account")).status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM user_sessions") == 1
    assert await owner.fetchval("SELECT count(*) FROM audit_log WHERE action = 'user.password_reset'") == 1
    async with client_for(app, "acme.localhost") as fresh:
        assert (await sign_in(fresh, "cam@buyer.test", PASSWORD, staff=False)).status_code == 400
        assert (await sign_in(fresh, "cam@buyer.test", NEW_PASSWORD, staff=False)).status_code == 303


async def test_used_reset_link_is_refused(client_a, db, owner, tenant_a):
    await customer_with_password(db, tenant_a)
    path = await reset_link(client_a, owner, "cam@buyer.test", staff=False)
    await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    again = await client_a.get(path)
    post_again = await post_form(client_a, path, {"password": "Another-pass-77", "confirm": "Another-pass-77"})

    assert again.status_code == post_again.status_code == 410
    assert EXPIRED in again.text and 'href="/forgot-password"' in again.text
    assert EXPIRED in post_again.text


async def test_expired_and_unknown_reset_links_are_refused(client_a, db, owner, tenant_a):
    await customer_with_password(db, tenant_a)
    path = await reset_link(client_a, owner, "cam@buyer.test", staff=False)
    await owner.execute("UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset'")

    expired = await client_a.get(path)
    unknown = await client_a.get("/reset-password/not-a-real-token")

    assert expired.status_code == unknown.status_code == 410
    assert EXPIRED in expired.text and EXPIRED in unknown.text
    posted = await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 410


async def test_staff_reset_lives_in_the_back_office(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    path = await reset_link(client_a, owner, "olga@acme.test", staff=True)
    assert path.startswith("/admin/reset-password/")
    wrong_face = await client_a.get(path.removeprefix("/admin"))
    assert (wrong_face.status_code, wrong_face.headers["location"]) == (303, path)
    done = await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (done.status_code, done.headers["location"]) == (303, "/admin")
    assert (await client_a.get("/admin")).status_code == 200


async def test_tenant_owner_accepts_the_invitation(client_a, owner, tenant_a):
    invitation = (await mails(owner, "mail/tenant_invitation"))[0]
    storefront_path = link_path(invitation)  # the platform's link points at /invite/...

    hop = await client_a.get(storefront_path)
    assert hop.status_code == 303
    page = await client_a.get(hop.headers["location"])
    assert page.status_code == 200 and "Welcome" in page.text and "admin@acme.test" in page.text

    done = await post_form(client_a, hop.headers["location"], {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (done.status_code, done.headers["location"]) == (303, "/admin")
    dashboard = await client_a.get("/admin")
    assert dashboard.status_code == 200 and 'href="/admin/users"' in dashboard.text
    assert (await client_a.get(hop.headers["location"])).status_code == 410
    mail = render_mail("mail/tenant_invitation", invitation["context"], "es")
    assert invitation["context"]["url"] in mail.text


async def test_invited_customer_sets_a_first_password(client_a, db, owner, tenant_a):
    customer = await add_customer(db, tenant_a)
    async with db.transaction(tenant_a.id) as session:
        data = NewUser("customer", "new@buyer.test", "Nia", roles=("buyer",), customer_id=customer.id)
        await create_user(session, tenant_a.id, data, SYSTEM, invite_url="https://acme.localhost/invite/{token}")
    invitation = (await mails(owner, "mail/user_invitation"))[0]
    path = link_path(invitation)

    done = await post_form(client_a, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (done.status_code, done.headers["location"]) == (303, "/")
    assert (await client_a.get("/account")).status_code == 200
    mail = render_mail("mail/user_invitation", invitation["context"] | {"tenant_name": "Acme S.L."}, "en")
    assert "Acme S.L." in mail.subject and invitation["context"]["url"] in mail.text


async def test_change_password_ends_other_sessions(app, client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    async with client_for(app, "acme.localhost") as elsewhere:
        await sign_in(elsewhere, "olga@acme.test", staff=True)
        await sign_in(client_a, "olga@acme.test", staff=True)
        wrong = await post_form(
            client_a,
            "/admin/password",
            {"current": "Not-it-at-all-1", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert wrong.status_code == 400 and "That is not your current password." in wrong.text

        done = await post_form(
            client_a, "/admin/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )

        assert (done.status_code, done.headers["location"]) == (303, "/admin/password")
        assert (await client_a.get("/admin")).status_code == 200
        assert (await elsewhere.get("/admin")).status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM user_sessions") == 1
