"""Create, suspend and resume tenants. Creating one runs every domain's seeder (tenants.seeding), in one transaction."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from babel import Locale
from babel.numbers import get_currency_name
from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.db import Database
from app.emails import valid_email
from app.errors import NotFound, ValidationFailed
from app.i18n import LOCALES, use_locale
from app.i18n import gettext as _
from tenants import seeding
from tenants.models import Tenant, TenantDomain
from tenants.seeding import TenantSeed

RESERVED_SLUGS = frozenset({"www", "admin", "platform", "api", "static", "mail", "app", "status", "help"})
SLUG_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
# Territories babel knows that are not countries a company can be registered in.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
STATUSES = ("active", "suspended")
PER_PAGE = 50


@dataclass(frozen=True)
class NewTenant:
    name: str
    slug: str
    country: str
    currency: str
    locale: str
    admin_email: str
    admin_name: str = ""


def validate(data: NewTenant) -> NewTenant:
    """Normalise and check every field, collecting all problems at once."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    slug = data.slug.strip().lower()
    country = data.country.strip().upper()
    currency = data.currency.strip().upper()
    locale = data.locale.strip().lower()
    email = data.admin_email.strip().lower()
    if not name:
        errors["name"] = _("Enter the company name.")
    elif len(name) > 200:
        errors["name"] = _("Use at most 200 characters.")
    if not SLUG_RE.match(slug):
        errors["slug"] = _("Use 1–40 lower-case letters, digits or hyphens, not starting or ending with a hyphen.")
    elif slug in RESERVED_SLUGS:
        errors["slug"] = _("“%(slug)s” is reserved; choose another.", slug=slug)
    if country not in Locale("en").territories or country in NOT_COUNTRIES or not re.fullmatch(r"[A-Z]{2}", country):
        errors["country"] = _("Enter a two-letter ISO country code, such as ES.")
    if not re.fullmatch(r"[A-Z]{3}", currency) or get_currency_name(currency, locale="en") == currency:
        errors["currency"] = _("Enter a three-letter ISO currency code, such as EUR.")
    if locale not in LOCALES:
        errors["locale"] = _("Choose one of: %(choices)s.", choices=", ".join(LOCALES))
    if not valid_email(email):
        errors["admin_email"] = _("Enter a valid e-mail address.")
    if errors:
        raise ValidationFailed(errors)
    return NewTenant(name, slug, country, currency, locale, email, data.admin_name.strip() or email.split("@")[0])


async def create_tenant(db: Database, data: NewTenant, actor: Actor, *, invite_url: str) -> Tenant:
    """Create the tenant with its defaults and invite its admin; all or nothing.

    `invite_url` is a format string with `{token}` where the raw invitation token goes.
    """
    data = validate(data)
    tenant_id = uuid.uuid4()
    async with db.transaction(tenant_id) as session:
        taken = await session.scalar(select(func.count()).select_from(Tenant).where(Tenant.slug == data.slug))
        if taken:
            raise ValidationFailed({"slug": _("The address “%(slug)s” is already taken.", slug=data.slug)})
        tenant = Tenant(
            id=tenant_id,
            slug=data.slug,
            name=data.name,
            country=data.country,
            currency=data.currency,
            locale=data.locale,
            status="active",
            settings={},
        )
        session.add(tenant)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise ValidationFailed({"slug": _("The address “%(slug)s” is already taken.", slug=data.slug)}) from exc
        session.add(TenantDomain(tenant_id=tenant_id, host=data.slug, kind="subdomain", is_primary=True))
        new = TenantSeed(
            tenant_id=tenant_id,
            name=data.name,
            slug=data.slug,
            country=data.country,
            currency=data.currency,
            locale=data.locale,
            admin_email=data.admin_email,
            admin_name=data.admin_name,
            invite_url=invite_url.replace("{slug}", data.slug),
        )
        with use_locale(data.locale):
            await seeding.seed(session, new)
        await audit.record(
            session,
            tenant_id,
            actor,
            "tenant.created",
            "tenant",
            tenant_id,
            {"slug": [None, data.slug], "name": [None, data.name]},
        )
    return tenant


async def set_status(db: Database, tenant_id: uuid.UUID, status: str, actor: Actor) -> Tenant:
    """Suspend or resume a tenant; its users see the suspended page within the host cache's lifetime."""
    if status not in {"active", "suspended"}:
        raise ValidationFailed({"status": _("Unknown status.")})
    async with db.transaction(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id, with_for_update=True)
        if tenant is None:
            raise NotFound()
        before = tenant.status
        await session.execute(
            update(Tenant)
            .where(Tenant.id == tenant_id)
            .values(status=status, suspended_at=func.now() if status == "suspended" else None)
        )
        await audit.record(
            session,
            tenant_id,
            actor,
            f"tenant.{'suspended' if status == 'suspended' else 'resumed'}",
            "tenant",
            tenant_id,
            {"status": [before, status]},
        )
    tenant.status = status
    return tenant


@dataclass(frozen=True)
class TenantPage:
    """One page of the tenant list; `has_next` instead of a total so no query counts every tenant."""

    items: list[Tenant]
    page: int
    per_page: int
    has_next: bool

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_tenants(
    session: AsyncSession, *, search: str = "", status: str = "", page: int = 1, per_page: int = PER_PAGE
) -> TenantPage:
    """Newest first, filtered by a name/slug fragment and a status; one query of per_page + 1 rows."""
    page = max(1, page)
    stmt = select(Tenant)
    if term := search.strip()[:100]:
        pattern = _like(term)
        # slug as text: a trigram index on (slug::text) can then serve the search
        slug = cast(Tenant.slug, Text)
        stmt = stmt.where(Tenant.name.ilike(pattern, escape="\\") | slug.ilike(pattern, escape="\\"))
    if status in STATUSES:
        stmt = stmt.where(Tenant.status == status)
    stmt = stmt.order_by(Tenant.created_at.desc(), Tenant.id.desc()).offset((page - 1) * per_page)
    rows = list((await session.scalars(stmt.limit(per_page + 1))).all())
    return TenantPage(rows[:per_page], page, per_page, len(rows) > per_page)


async def get_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound()
    return tenant


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug.strip().lower()))


async def tenant_domains(session: AsyncSession, tenant_id: uuid.UUID) -> list[TenantDomain]:
    """The tenant's host names, the primary first."""
    stmt = (
        select(TenantDomain)
        .where(TenantDomain.tenant_id == tenant_id)
        .order_by(TenantDomain.is_primary.desc(), TenantDomain.host)
    )
    return list((await session.scalars(stmt)).all())
