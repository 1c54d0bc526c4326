"""`bodega tenants|users|operators ...`: the operator's commands, each one call into the same services as the web."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from sqlalchemy import select

from app.actor import Actor
from app.db import Database
from app.errors import NotFound, ValidationFailed
from app.i18n import use_locale
from app.identity.services import NewUser, create_user
from app.parties import Customer
from app.settings import Settings
from tenants import services as tenant_services
from tenants.models import Tenant


def owner_url() -> str:
    """DATABASE_URL when set; otherwise start the embedded PostgreSQL in .data/pg and export its URL."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from app.pgserver import start_embedded

        url = start_embedded(Settings().data_dir)
        os.environ["DATABASE_URL"] = url
    return url


def settings() -> Settings:
    owner_url()
    return Settings.from_env()


T = TypeVar("T")
CLI_ACTOR = Actor(kind="system", id=None, label="cli")


def _run(work: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Run one async use case against the configured database; a ValidationFailed exits with code 2."""

    config = settings()

    async def main() -> T:
        db = Database(config, null_pool=True)
        try:
            return await work(db, config)
        finally:
            await db.dispose()

    try:
        with use_locale("en"):
            return asyncio.run(main())
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            click.echo(f"error: {field}: {message}", err=True)
        raise click.exceptions.Exit(2) from exc


async def _tenant(db: Database, slug: str) -> Tenant:
    async with db.session(None) as session:
        tenant = await tenant_services.tenant_by_slug(session, slug)
    if tenant is None:
        raise ValidationFailed({"tenant": f"no tenant with the address “{slug}”."})
    return tenant


def _host(config: Settings, slug: str) -> str:
    return f"{slug}.{config.base_domain}"


@click.group()
def tenants() -> None:
    """Create, list, suspend and resume tenants."""


@tenants.command("create")
@click.option("--name", required=True, help="Company name.")
@click.option("--slug", required=True, help="Subdomain: the shop lives at SLUG.<base domain>.")
@click.option("--country", default="ES", show_default=True, help="ISO 3166 two-letter code.")
@click.option("--currency", default="EUR", show_default=True, help="ISO 4217 three-letter code.")
@click.option("--locale", default="es", show_default=True, type=click.Choice(["es", "en"]))
@click.option("--admin-email", required=True, help="The tenant's administrator; receives an invitation.")
def tenants_create(name: str, slug: str, country: str, currency: str, locale: str, admin_email: str) -> None:
    """Create a tenant with its defaults and invite its administrator."""
    data = tenant_services.NewTenant(name, slug, country, currency, locale, admin_email)

    async def work(db: Database, config: Settings) -> tuple[Tenant, str]:
        invite = config.public_url("{slug}." + config.base_domain, "/admin/invite/{token}")
        tenant = await tenant_services.create_tenant(db, data, CLI_ACTOR, invite_url=invite)
        return tenant, config.public_url(_host(config, tenant.slug), "")

    tenant, url = _run(work)
    click.echo(f"created tenant {tenant.slug} ({tenant.id}); an invitation was sent to {data.admin_email}")
    click.echo(f"storefront: {url}  back office: {url}/admin")


@tenants.command("list")
@click.option("--search", default="", help="Part of the name or the address.")
@click.option("--status", type=click.Choice(["", *tenant_services.STATUSES]), default="")
@click.option("--page", default=1, type=int, show_default=True)
def tenants_list(search: str, status: str, page: int) -> None:
    """List tenants, newest first, 50 a page."""

    async def work(db: Database, _: Settings) -> tenant_services.TenantPage:
        async with db.session(None) as session:
            return await tenant_services.list_tenants(session, search=search, status=status, page=page)

    result = _run(work)
    if not result.items:
        click.echo("no tenants")
        return
    click.echo(f"{'SLUG':<24} {'STATUS':<10} {'COUNTRY':<7} {'CUR':<4} {'CREATED':<10} NAME")
    for t in result.items:
        created = t.created_at.date().isoformat()
        click.echo(f"{t.slug:<24} {t.status:<10} {t.country:<7} {t.currency:<4} {created:<10} {t.name}")
    if result.has_next:
        click.echo(f"more: --page {page + 1}")


def _status_command(name: str, status: str, done: str) -> click.Command:
    @click.argument("slug")
    def command(slug: str) -> None:
        async def work(db: Database, _: Settings) -> Tenant:
            tenant = await _tenant(db, slug)
            try:
                return await tenant_services.set_status(db, tenant.id, status, CLI_ACTOR)
            except NotFound as exc:
                raise ValidationFailed({"tenant": f"no tenant with the address “{slug}”."}) from exc

        tenant = _run(work)
        click.echo(f"{tenant.slug} {done}")

    command.__doc__ = f"{name.capitalize()} a tenant (by its address)."
    return tenants.command(name)(command)


_status_command("suspend", "suspended", "is suspended")
_status_command("resume", "active", "is active again")


@click.group()
def users() -> None:
    """Create staff and customer users of a tenant."""


@users.command("create")
@click.option("--tenant", "slug", required=True, help="The tenant's address (slug).")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, help="Role code; repeat for several.")
@click.option("--password", default=None, help="Set a password now; without it the user is invited by e-mail.")
@click.option("--customer", "customer_code", default=None, help="Customer code: makes a customer user.")
@click.option("--locale", default=None, type=click.Choice(["es", "en"]))
def users_create(
    slug: str,
    email: str,
    name: str,
    roles: tuple[str, ...],
    password: str | None,
    customer_code: str | None,
    locale: str | None,
) -> None:
    """Create a user with roles; staff unless --customer is given."""

    async def work(db: Database, config: Settings) -> tuple[uuid.UUID, str]:
        tenant = await _tenant(db, slug)
        path = "/invite/{token}" if customer_code else "/admin/invite/{token}"
        async with db.transaction(tenant.id) as session:
            customer_id = None
            if customer_code:
                customer_id = await session.scalar(
                    select(Customer.id).where(Customer.code == customer_code.strip().upper())
                )
                if customer_id is None:
                    raise ValidationFailed({"customer": f"no customer with the code “{customer_code}”."})
            data = NewUser(
                kind="customer" if customer_code else "staff",
                email=email,
                name=name,
                roles=roles,
                password=password,
                customer_id=customer_id,
                locale=locale,
            )
            invite = config.public_url(_host(config, tenant.slug), path)
            user = await create_user(session, tenant.id, data, CLI_ACTOR, invite_url=invite)
            return user.id, user.email

    user_id, user_email = _run(work)
    how = "with the given password" if password else "and invited by e-mail"
    click.echo(f"created user {user_email} ({user_id}) {how}")


@click.group()
def operators() -> None:
    """Platform operators (who sign in to the platform console)."""


@operators.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def operators_create(email: str, name: str, password: str) -> None:
    """Create a platform operator."""
    from app.identity.operators import create_operator

    async def work(db: Database, config: Settings) -> tuple[str, str]:
        async with db.transaction(None) as session:
            operator = await create_operator(session, email, name, password)
        return operator.email, config.public_url(config.base_domain, "/platform")

    created, url = _run(work)
    click.echo(f"created operator {created}; sign in at {url}")
