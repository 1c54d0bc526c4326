"""A new tenant's roles and its first owner, invited by e-mail."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import Role, User, UserRole
from app.identity.roles import CUSTOMER_ROLES, STAFF_ROLES
from app.identity.tokens import issue_token
from app.outbox.services import queue_mail
from tenants.seeding import TenantSeed


async def seed_tenant(session: AsyncSession, seed: TenantSeed) -> None:
    """Every staff and customer role, the admin as owner, and the invitation to set a password."""
    tid = seed.tenant_id
    roles = [Role(tenant_id=tid, code=c, kind="staff", name=n) for c, n in STAFF_ROLES.items()]
    roles += [Role(tenant_id=tid, code=c, kind="customer", name=n) for c, n in CUSTOMER_ROLES.items()]
    session.add_all(roles)
    admin = User(tenant_id=tid, kind="staff", email=seed.admin_email, name=seed.admin_name, locale=seed.locale)
    session.add(admin)
    await session.flush()
    owner = next(r for r in roles if r.code == "owner")
    session.add(UserRole(tenant_id=tid, user_id=admin.id, role_id=owner.id))
    token = await issue_token(session, tid, admin.id, "invite")
    await queue_mail(
        session,
        tid,
        to=seed.admin_email,
        template="mail/tenant_invitation",
        locale=seed.locale,
        context={"tenant_name": seed.name, "name": admin.name, "url": seed.invite_url.format(token=token)},
    )
