"""The demo tenant: Muebles Levante S.L., an office-furniture maker selling to businesses; idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.db import Database
from app.demo_data import commerce_summary, seed_demo_commerce
from app.demo_data.company import ensure_demo_company
from app.demo_data.fulfilment import ensure_demo_fulfilment
from app.demo_data.inventory import ensure_demo_inventory, inventory_summary
from app.demo_data.purchasing import ensure_demo_purchasing
from app.demo_data.quotes import ensure_demo_quotes
from app.demo_data.sales import ensure_demo_sales, sales_summary
from app.demo_data.shipping import ensure_demo_shipping
from app.identity.models import User
from app.identity.operators import create_operator, operator_by_email
from app.identity.passwords import hash_password
from app.identity.services import NewUser, create_user
from app.parties import Customer, NewCustomer, create_customer
from app.settings import Settings
from tenants.models import Tenant
from tenants.services import NewTenant, create_tenant, tenant_by_slug

SLUG = "demo"
PASSWORD = "demo-Bodega-2026"  # noqa: S105 - the demo's published password
OWNER = ("admin@demo.bodega.test", "Lucía Ferrer")
OPERATOR = ("operator@bodega.test", "Bodega Operator")
ACTOR = Actor(kind="system", id=None, label="demo")


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    roles: tuple[str, ...]
    label: str
    locale: str | None = None


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    tax_id: str
    email: str
    phone: str
    users: tuple[DemoUser, ...]


STAFF = (
    DemoUser("comercial@demo.bodega.test", "Javier Soler", ("sales_rep", "sales"), "sales rep"),
    DemoUser("almacen@demo.bodega.test", "Marta Gil", ("warehouse",), "warehouse"),
    DemoUser("contabilidad@demo.bodega.test", "Ramón Vidal", ("accounting",), "accounting"),
)
CUSTOMERS = (
    DemoCustomer(
        "COWORK",
        "Cowork Valencia Espacios S.L.",
        "B98765432",
        "compras@cowork-valencia.test",
        "+34 961 234 567",
        (
            DemoUser("compras@cowork-valencia.test", "Elena Martí", ("buyer", "customer_admin"), "buyer + admin"),
            DemoUser("direccion@cowork-valencia.test", "Pablo Ortega", ("approver",), "approver"),
            DemoUser("emily@cowork-valencia.test", "Emily Clarke", ("buyer",), "buyer (English)", "en"),
        ),
    ),
    DemoCustomer(
        "ALBUFERA",
        "Albufera Arquitectura S.L.P.",
        "B46512378",
        "estudio@albufera-arquitectura.test",
        "+34 963 456 789",
        (DemoUser("pedidos@albufera-arquitectura.test", "Nuria Peris", ("buyer", "customer_admin"), "buyer + admin"),),
    ),
    DemoCustomer(
        "SANTACLARA",
        "Colegio Santa Clara de Alicante",
        "R0300123J",
        "administracion@colegio-santaclara.test",
        "+34 965 112 233",
        (
            DemoUser("administracion@colegio-santaclara.test", "Ignacio Llorca", ("buyer",), "buyer"),
            DemoUser(
                "direccion@colegio-santaclara.test", "Rosa Sempere", ("approver", "customer_admin"), "approver + admin"
            ),
        ),
    ),
    DemoCustomer(
        "ROIG",
        "Roig & Asociados Abogados S.L.P.",
        "B12345674",
        "oficina@roig-abogados.test",
        "+34 964 220 330",
        (DemoUser("oficina@roig-abogados.test", "Carmen Roig", ("buyer", "customer_admin"), "buyer + admin"),),
    ),
)


async def ensure_demo(settings: Settings) -> list[str]:
    """Create whatever part of the demo is missing; returns the lines `bodega run` prints."""
    db = Database(settings, null_pool=True)
    try:
        async with db.session(None) as session:
            tenant = await tenant_by_slug(session, SLUG)
        if tenant is None:
            tenant = await _create_tenant(db, settings)
        async with db.transaction(tenant.id) as session:
            await _ensure_owner_password(session)
            for person in STAFF:
                await _ensure_user(session, tenant, person, "staff", None)
            for company in CUSTOMERS:
                await _ensure_customer(session, tenant, company)
        async with db.transaction(tenant.id) as session:
            commerce = await commerce_summary(session)
            if not commerce:  # a new demo tenant (or one from before the catalogue existed)
                commerce = await seed_demo_commerce(session, tenant.id, settings, ACTOR)
        async with db.transaction(tenant.id) as session:
            carriers = await ensure_demo_shipping(session, tenant.id, ACTOR)
        async with db.transaction(tenant.id) as session:  # before the stock: its summary counts these receipts
            buying = await ensure_demo_purchasing(session, tenant.id, ACTOR)
        async with db.transaction(tenant.id) as session:
            await ensure_demo_inventory(session, tenant.id, ACTOR)
        async with db.transaction(tenant.id) as session:  # after the stock: orders reserve it
            selling = await ensure_demo_sales(session, tenant.id, ACTOR)
        async with db.transaction(tenant.id) as session:  # after the orders: some are picked, shipped, returned
            fulfilling = await ensure_demo_fulfilment(session, tenant.id, ACTOR)
            selling[:1] = await sales_summary(session)  # counted again: shipping moved some orders on
        async with db.transaction(tenant.id) as session:  # the customer company's addresses, colleagues, limits
            selling += await ensure_demo_company(session, tenant.id, ACTOR)
        async with db.transaction(tenant.id) as session:  # after the orders: a saved list is made from one
            shop = settings.public_url(f"{SLUG}.{settings.base_domain}", "")
            selling += await ensure_demo_quotes(session, tenant.id, ACTOR, shop)
        async with db.transaction(tenant.id) as session:  # the stock as the orders left it, on every run alike
            stock = await inventory_summary(session, tenant.id)
        async with db.transaction(None) as session:
            if await operator_by_email(session, OPERATOR[0]) is None:
                await create_operator(session, OPERATOR[0], OPERATOR[1], PASSWORD)
    finally:
        await db.dispose()
    return [*demo_lines(settings), *commerce, *carriers, *stock, *buying, *selling, *fulfilling]


async def _create_tenant(db: Database, settings: Settings) -> Tenant:
    data = NewTenant(
        name="Muebles Levante S.L.",
        slug=SLUG,
        country="ES",
        currency="EUR",
        locale="es",
        admin_email=OWNER[0],
        admin_name=OWNER[1],
    )
    invite = settings.public_url("{slug}." + settings.base_domain, "/admin/invite/{token}")
    return await create_tenant(db, data, ACTOR, invite_url=invite)


async def _ensure_owner_password(session: AsyncSession) -> None:
    """create_tenant invites the owner; the demo signs in at once, so the owner gets the demo password."""
    await session.execute(
        update(User)
        .where(User.kind == "staff", User.email == OWNER[0], User.password_hash.is_(None))
        .values(password_hash=hash_password(PASSWORD), password_changed_at=datetime.now(UTC))
    )


async def _exists(session: AsyncSession, kind: str, email: str) -> bool:
    stmt = select(func.count()).select_from(User).where(User.kind == kind, User.email == email)
    return bool(await session.scalar(stmt))


async def _ensure_user(session: AsyncSession, tenant: Tenant, person: DemoUser, kind: str, customer_id) -> None:
    if await _exists(session, kind, person.email):
        return
    data = NewUser(
        kind=kind,
        email=person.email,
        name=person.name,
        roles=person.roles,
        password=PASSWORD,
        customer_id=customer_id,
        locale=person.locale,
    )
    await create_user(session, tenant.id, data, ACTOR)


async def _ensure_customer(session: AsyncSession, tenant: Tenant, company: DemoCustomer) -> None:
    customer_id = await session.scalar(select(Customer.id).where(Customer.code == company.code))
    if customer_id is None:
        data = NewCustomer(company.code, company.name, company.tax_id, company.email, company.phone, "es")
        customer_id = (await create_customer(session, tenant.id, data, ACTOR)).id
    for person in company.users:
        await _ensure_user(session, tenant, person, "customer", customer_id)


def demo_lines(settings: Settings) -> list[str]:
    """Where to go and how to sign in, for the console."""
    shop = settings.public_url(f"{SLUG}.{settings.base_domain}", "")
    rows = [("owner", OWNER[0])] + [(p.label, p.email) for p in STAFF]
    customers = [(f"{p.label}, {c.name}", p.email) for c in CUSTOMERS for p in c.users]
    width = max(len(label) for label, _ in rows + customers)
    return [
        f"  Storefront:        {shop}",
        f"  Back office:       {shop}/admin",
        f"  Platform console:  {settings.public_url(settings.base_domain, '/platform')}",
        "",
        "  Back-office sign-ins:",
        *(f"    {label:<{width}}  {email:<40} {PASSWORD}" for label, email in rows),
        "  Storefront sign-ins (customers):",
        *(f"    {label:<{width}}  {email:<40} {PASSWORD}" for label, email in customers),
        "  Platform console sign-in:",
        f"    {'operator':<{width}}  {OPERATOR[0]:<40} {PASSWORD}",
    ]
