"""Back-office staff users: search, invite, roles, deactivation, the audit trail, and tenant isolation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import client_for
from tests.web.test_auth_sign_in import add_staff, post_form, sign_in


@pytest.fixture
async def owner_a(client_a, db, tenant_a):
    """Olga, an owner of Acme, signed in on client_a."""
    user = await add_staff(db, tenant_a, "olga@acme.test", "owner", name="Olga Owner")
    assert (await sign_in(client_a, "olga@acme.test", staff=True)).status_code == 303
    return user


async def roles_of(owner, email: str) -> list[str]:
    rows = await owner.fetch(
        "SELECT r.code FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id "
        "WHERE u.email = $1 AND u.kind = 'staff' ORDER BY r.code",
        email,
    )
    return [r["code"] for r in rows]


async def test_list_searches_by_name_or_email_and_filters_by_role(client_a, db, tenant_a, owner_a):
    await add_staff(db, tenant_a, "ana@acme.test", "sales", name="Ana Sales")
    await add_staff(db, tenant_a, "wes@acme.test", "warehouse", name="Wes Ware")

    everyone = await client_a.get("/admin/users")
    by_name = await client_a.get("/admin/users?q=ana")
    by_mail = await client_a.get("/admin/users?q=WES@")
    by_role = await client_a.get("/admin/users?role=warehouse")
    fragment = await client_a.get("/admin/users?q=ana", headers={"hx-request": "true"})

    assert all(n in everyone.text for n in ("Ana Sales", "Wes Ware", "Olga Owner", "admin@acme.test"))
    assert "Ana Sales" in by_name.text and "Wes Ware" not in by_name.text
    assert "Wes Ware" in by_mail.text and "Ana Sales" not in by_mail.text
    assert "Wes Ware" in by_role.text and "Ana Sales" not in by_role.text
    assert "Invited" in everyone.text  # the tenant's first admin has not accepted yet
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Ana Sales" in fragment.text


async def test_owner_invites_a_staff_user(client_a, owner, tenant_a, owner_a):
    form = await client_a.get("/admin/users/new")
    assert form.status_code == 200 and 'name="roles"' in form.text

    response = await post_form(
        client_a, "/admin/users", {"name": "Pia Picker", "email": "Pia@Acme.test", "roles": ["warehouse", "purchasing"]}
    )

    assert response.status_code == 303
    user_id = response.headers["location"].rsplit("/", 1)[1]
    assert await roles_of(owner, "pia@acme.test") == ["purchasing", "warehouse"]
    payload = json.loads(await owner.fetchval("SELECT payload FROM outbox WHERE payload->>'to' = 'pia@acme.test'"))
    assert payload["template"] == "mail/user_invitation"
    assert payload["context"]["url"].startswith("https://acme.localhost/admin/invite/")
    assert payload["context"]["invited_by"] == "olga@acme.test"
    entry = await owner.fetchrow("SELECT * FROM audit_log WHERE action = 'user.created' AND entity_id = $1", user_id)
    assert (entry["actor_kind"], entry["actor_id"], entry["actor_label"]) == ("staff", owner_a.id, "olga@acme.test")
    assert str(entry["ip"]) == "127.0.0.1" and entry["request_id"]
    page = await client_a.get(response.headers["location"])
    assert "Pia Picker" in page.text and "Invitation sent to pia@acme.test." in page.text
    assert "user.created" in page.text and "olga@acme.test" in page.text


async def test_invite_with_errors_keeps_the_input(client_a, tenant_a, owner_a):
    response = await post_form(client_a, "/admin/users", {"name": "Pia Picker", "email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in response.text and "Choose at least one role." in response.text
    assert 'value="Pia Picker"' in response.text and 'value="not-an-email"' in response.text
    taken = await post_form(client_a, "/admin/users", {"name": "Olga", "email": "olga@acme.test", "roles": "sales"})
    assert taken.status_code == 400 and "There is already a user with this e-mail." in taken.text
    assert 'value="sales" checked' in taken.text


async def test_roles_change_is_saved_and_audited(client_a, db, owner, tenant_a, owner_a):
    ana = await add_staff(db, tenant_a, "ana@acme.test", "sales", name="Ana Sales")

    response = await post_form(client_a, f"/admin/users/{ana.id}/roles", {"roles": ["sales", "accounting"]})

    assert (response.status_code, response.headers["location"]) == (303, f"/admin/users/{ana.id}")
    assert await roles_of(owner, "ana@acme.test") == ["accounting", "sales"]
    page = await client_a.get(f"/admin/users/{ana.id}")
    assert "user.roles_changed" in page.text and "roles: sales → accounting, sales" in page.text
    bad = await post_form(client_a, f"/admin/users/{ana.id}/roles", {"roles": ["pilot"]})
    assert bad.status_code == 400 and "Unknown role: pilot." in bad.text


async def test_owner_cannot_demote_or_deactivate_themself(client_a, owner, tenant_a, owner_a):
    demote = await post_form(client_a, f"/admin/users/{owner_a.id}/roles", {"roles": ["sales"]})
    leave = await post_form(client_a, f"/admin/users/{owner_a.id}/deactivate")

    assert demote.status_code == 400 and "You cannot remove your own owner role." in demote.text
    assert leave.status_code == 400 and "You cannot deactivate your own account." in leave.text
    assert await roles_of(owner, "olga@acme.test") == ["owner"]
    assert await owner.fetchval("SELECT is_active FROM users WHERE id = $1", owner_a.id)


async def test_deactivation_ends_sessions_and_reactivation_restores_access(app, client_a, db, owner, tenant_a, owner_a):
    ana = await add_staff(db, tenant_a, "ana@acme.test", "sales", name="Ana Sales")
    async with client_for(app, "acme.localhost") as ana_client:
        await sign_in(ana_client, "ana@acme.test", staff=True)
        assert (await ana_client.get("/admin")).status_code == 200

        off = await post_form(client_a, f"/admin/users/{ana.id}/deactivate")

        assert off.status_code == 303
        assert (await ana_client.get("/admin")).status_code == 303
        assert (await sign_in(ana_client, "ana@acme.test", staff=True)).status_code == 400
        assert "Deactivated" in (await client_a.get(f"/admin/users/{ana.id}")).text
        on = await post_form(client_a, f"/admin/users/{ana.id}/reactivate")
        assert on.status_code == 303
        assert (await sign_in(ana_client, "ana@acme.test", staff=True)).status_code == 303
    actions = [r["action"] for r in await owner.fetch("SELECT action FROM audit_log WHERE entity_id = $1", ana.id)]
    assert "user.deactivated" in actions and "user.reactivated" in actions


async def test_invitation_can_be_sent_again(client_a, owner, tenant_a, owner_a):
    admin_id = await owner.fetchval("SELECT id FROM users WHERE email = 'admin@acme.test'")
    response = await post_form(client_a, f"/admin/users/{admin_id}/invitation")
    assert response.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM outbox WHERE payload->>'template' = 'mail/user_invitation'") == 1
    again_for_active = await post_form(client_a, f"/admin/users/{owner_a.id}/invitation")
    assert again_for_active.status_code == 400


async def test_another_tenants_user_is_not_found(client_a, db, tenant_a, tenant_b, owner_a):
    stranger = await add_staff(db, tenant_b, "gus@globex.test", "sales", name="Gus Globex")

    assert (await client_a.get(f"/admin/users/{stranger.id}")).status_code == 404
    for action, data in (("roles", {"roles": ["owner"]}), ("deactivate", {}), ("reactivate", {}), ("invitation", {})):
        response = await post_form(client_a, f"/admin/users/{stranger.id}/{action}", data)
        assert response.status_code == 404, action
    assert (await client_a.get("/admin/users/not-a-uuid")).status_code == 404
    assert "Gus Globex" not in (await client_a.get("/admin/users?q=gus")).text
