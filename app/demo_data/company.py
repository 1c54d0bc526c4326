"""The demo's customer company as its administrator manages it: Cowork Valencia gets several ship-to and bill-to
addresses (its head office, a second coworking space, the warehouse it receives furniture at, the accounts
office that is billed) and colleagues with roles and spending limits (Emily's limit per order and per month,
an invited buyer with his own limits), so that /account/users and /account/addresses show real data. Idempotent:
an address whose label exists and a user who exists are left alone (another seeder may add addresses too)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.actor import Actor
from app.identity.models import User
from app.identity.services import NewUser, create_user
from app.parties import Address, AddressInput, Customer

COMPANY = "Cowork Valencia Espacios S.L."
ADDRESSES = (
    AddressInput(
        "Cowork Ruzafa",
        "Recepción Ruzafa",
        "Calle de Cádiz 42",
        "46006",
        "Valencia",
        "ES",
        region="Valencia",
        phone="+34 963 00 11 22",
        usage="shipping",
    ),
    AddressInput(
        "Almacén Paterna",
        "Muelle 3 · Logística",
        "Calle Ciudad de Sevilla 18",
        "46988",
        "Paterna",
        "ES",
        line2="Parque Tecnológico",
        region="Valencia",
        usage="shipping",
    ),
    AddressInput(
        "Administración",
        "Departamento de cuentas",
        "Gran Vía Marqués del Turia 55",
        "46005",
        "Valencia",
        "ES",
        line2="3.º B",
        region="Valencia",
        usage="billing",
        default_billing=True,
    ),
)
# e-mail -> (name, roles, limit per order, limit per month); a user who exists keeps their roles
COLLEAGUES = {
    "emily@cowork-valencia.test": (None, None, Decimal("300"), Decimal("2500")),
    "jordi@cowork-valencia.test": ("Jordi Puig", ("buyer",), Decimal("500"), Decimal("1500")),
}


async def ensure_demo_company(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> list[str]:
    """Cowork Valencia's addresses and colleagues; the console line describing them."""
    customer = await session.scalar(select(Customer).where(Customer.name == COMPANY))
    if customer is None:
        return []
    labels = set(await session.scalars(select(Address.label).where(Address.customer_id == customer.id)))
    for place in ADDRESSES:
        if place.label not in labels:
            await parties.add_address(session, tenant_id, customer.id, place, actor)
    for email, (name, roles, per_order, per_month) in COLLEAGUES.items():
        user_id = await session.scalar(select(User.id).where(User.kind == "customer", User.email == email))
        if user_id is None and name is not None:
            data = NewUser("customer", email, name, roles or ("buyer",), None, customer.id, "es")
            user_id = (await create_user(session, tenant_id, data, actor)).id  # invited: no password yet
        if user_id is not None:
            await sales.set_spending_limits(session, tenant_id, user_id, "EUR", per_order, per_month)
    count = len(await parties.queries.addresses(session, customer.id))
    limited = len(await sales.spending_limits(session, customer.id))
    return [f"  Company portal:    Cowork Valencia with {count} addresses, {limited} buyers with spending limits"]
