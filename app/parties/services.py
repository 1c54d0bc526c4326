"""Customer companies, their groups, addresses and contacts, and suppliers: one use case per function, caller's
transaction."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import LOCALES
from app.i18n import gettext as _
from app.numbers import parse_int
from app.parties.domain import AddressInput, address_errors, normalise_email, valid_email
from app.parties.models import Address, Contact, Customer, CustomerGroup, Supplier

SUPPLIER_FIELDS = (
    "code",
    "name",
    "tax_id",
    "email",
    "phone",
    "currency",
    "default_lead_time_days",
    "payment_terms_days",
    "country",
)
ADDRESS_FIELDS = ("usage", "label", "recipient", "line1", "line2", "postcode", "city", "region", "country", "phone")


@dataclass(frozen=True)
class NewCustomer:
    code: str
    name: str
    tax_id: str | None = None
    email: str | None = None
    phone: str | None = None
    locale: str | None = None


async def create_customer(session: AsyncSession, tenant_id: uuid.UUID, data: NewCustomer, actor: Actor) -> Customer:
    """A new active customer company with a unique code."""
    errors: dict[str, str] = {}
    code, name = data.code.strip().upper(), data.name.strip()
    if not code or len(code) > 40:
        errors["code"] = _("Enter a customer code.")
    if not name or len(name) > 200:
        errors["name"] = _("Enter the company name.")
    if data.email and not valid_email(normalise_email(data.email)):
        errors["email"] = _("Enter a valid e-mail address.")
    if code and await session.scalar(select(func.count()).select_from(Customer).where(Customer.code == code)):
        errors["code"] = _("Customer code %(code)s is already used.", code=code)
    if errors:
        raise ValidationFailed(errors)
    customer = Customer(
        tenant_id=tenant_id,
        code=code,
        name=name,
        tax_id=data.tax_id,
        phone=data.phone,
        email=normalise_email(data.email) if data.email else None,
        locale=data.locale if data.locale in LOCALES else None,
        status="active",
    )
    session.add(customer)
    await session.flush()
    changes = {"code": [None, code], "name": [None, name]}
    await audit.record(session, tenant_id, actor, "customer.created", "customer", customer.id, changes)
    return customer


async def get_customer(session: AsyncSession, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer:
    """The customer company (NotFound for an unknown id or another tenant's)."""
    stmt = select(Customer).where(Customer.id == customer_id)
    customer = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if customer is None:
        raise NotFound()
    return customer


def _code_and_name(code: str, name: str) -> tuple[str, str]:
    code, name = code.strip().upper(), name.strip()
    errors = {}
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        errors["code"] = _("Enter a code of letters, digits, hyphens or underscores (up to 40).")
    if not name or len(name) > 200:
        errors["name"] = _("Enter a name.")
    if errors:
        raise ValidationFailed(errors)
    return code, name


async def create_customer_group(
    session: AsyncSession, tenant_id: uuid.UUID, code: str, name: str, actor: Actor
) -> CustomerGroup:
    """A group customers can be put in (catalogues and price lists apply to it)."""
    code, name = _code_and_name(code, name)
    if await session.scalar(select(func.count()).select_from(CustomerGroup).where(CustomerGroup.code == code)):
        raise ValidationFailed({"code": _("“%(value)s” is already used.", value=code)})
    group = CustomerGroup(tenant_id=tenant_id, code=code, name=name)
    session.add(group)
    await session.flush()
    changes = {"code": [None, code]}
    await audit.record(session, tenant_id, actor, "customer_group.created", "customer_group", group.id, changes)
    return group


async def set_customer_group(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, group_id: uuid.UUID | None, actor: Actor
) -> Customer:
    """Put a customer in a group (or in none); a customer belongs to at most one group."""
    customer = await get_customer(session, customer_id, for_update=True)
    if group_id is not None and await session.get(CustomerGroup, (customer.tenant_id, group_id)) is None:
        raise ValidationFailed({"group_id": _("Choose an existing customer group.")})
    before = customer.group_id
    customer.group_id = group_id
    await session.flush()
    if before != group_id:
        changes = audit.diff({"group_id": before}, {"group_id": group_id})
        await audit.record(session, tenant_id, actor, "customer.group_set", "customer", customer.id, changes)
    return customer


def _checked_address(data: AddressInput) -> dict[str, object]:
    if errors := address_errors(data):
        raise ValidationFailed({field: _(message) for field, message in errors.items()})
    values = {name: (getattr(data, name) or "").strip() or None for name in ADDRESS_FIELDS}
    values["country"] = data.country.strip().upper()
    values["label"] = values["label"] or values["city"]
    return values


async def add_address(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, data: AddressInput, actor: Actor
) -> Address:
    """A new billing and/or shipping address; the first of each use becomes that use's default."""
    await get_customer(session, customer_id)
    values = _checked_address(data)
    address = Address(tenant_id=tenant_id, customer_id=customer_id, **values)
    session.add(address)
    await session.flush()
    await _set_defaults(session, address, billing=data.default_billing, shipping=data.default_shipping)
    await audit.record(
        session, tenant_id, actor, "address.created", "customer", customer_id, {"address": [None, address.label]}
    )
    return address


async def update_address(
    session: AsyncSession, tenant_id: uuid.UUID, address_id: uuid.UUID, data: AddressInput, actor: Actor
) -> Address:
    """Change an address; orders placed before keep their own copy of it."""
    address = await _address(session, address_id, for_update=True)
    values = _checked_address(data)
    before = audit.snapshot(address, ADDRESS_FIELDS)
    for name, value in values.items():
        setattr(address, name, value)
    await session.flush()
    await _set_defaults(session, address, billing=data.default_billing, shipping=data.default_shipping)
    changes = audit.diff(before, audit.snapshot(address, ADDRESS_FIELDS))
    await audit.record(session, tenant_id, actor, "address.updated", "customer", address.customer_id, changes)
    return address


async def archive_address(session: AsyncSession, tenant_id: uuid.UUID, address_id: uuid.UUID, actor: Actor) -> None:
    """Hide an address from new orders (it is never deleted: past documents point at it)."""
    address = await _address(session, address_id, for_update=True)
    address.is_archived, address.is_default_billing, address.is_default_shipping = True, False, False
    await session.flush()
    changes = {"address": [address.label, None]}
    await audit.record(session, tenant_id, actor, "address.archived", "customer", address.customer_id, changes)


async def _address(session: AsyncSession, address_id: uuid.UUID, *, for_update: bool = False) -> Address:
    stmt = select(Address).where(Address.id == address_id, Address.is_archived.is_(False))
    address = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if address is None:
        raise NotFound()
    return address


async def _set_defaults(session: AsyncSession, address: Address, *, billing: bool, shipping: bool) -> None:
    """Make `address` the default for what is asked, or for a use that has no default yet."""
    for use, asked, column in (
        ("billing", billing, Address.is_default_billing),
        ("shipping", shipping, Address.is_default_shipping),
    ):
        if address.usage not in (use, "both"):
            continue
        others = select(func.count()).where(
            Address.customer_id == address.customer_id, column.is_(True), Address.id != address.id
        )
        if asked or not await session.scalar(others):
            await session.execute(
                update(Address)
                .where(Address.customer_id == address.customer_id, column.is_(True))
                .values({column: False})
            )
            await session.execute(update(Address).where(Address.id == address.id).values({column: True}))
    await session.refresh(address)


async def add_contact(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    *,
    name: str,
    actor: Actor,
    email: str = "",
    phone: str = "",
    job_title: str = "",
    primary: bool = False,
) -> Contact:
    """A person at the customer; one primary contact per customer."""
    await get_customer(session, customer_id)
    errors = {}
    if not name.strip() or len(name.strip()) > 200:
        errors["name"] = _("Enter the person's name.")
    if email and not valid_email(normalise_email(email)):
        errors["email"] = _("Enter a valid e-mail address.")
    if len(phone) > 40 or len(job_title) > 100:
        errors["phone" if len(phone) > 40 else "job_title"] = _(
            "At most %(n)s characters.", n=40 if len(phone) > 40 else 100
        )
    if errors:
        raise ValidationFailed(errors)
    if primary:
        await session.execute(update(Contact).where(Contact.customer_id == customer_id).values(is_primary=False))
    contact = Contact(
        tenant_id=tenant_id,
        customer_id=customer_id,
        name=name.strip(),
        email=normalise_email(email) if email else None,
        phone=phone.strip() or None,
        job_title=job_title.strip() or None,
        is_primary=primary,
    )
    session.add(contact)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "contact.created", "customer", customer_id, {"contact": [None, contact.name]}
    )
    return contact


@dataclass(frozen=True)
class SupplierInput:
    """A supplier as typed in its form: days as typed, currency and country as ISO codes."""

    code: str
    name: str
    currency: str
    country: str
    tax_id: str = ""
    email: str = ""
    phone: str = ""
    default_lead_time_days: str | int = "14"
    payment_terms_days: str | int = "30"


def _days(raw: str | int, field: str, errors: dict[str, str]) -> int:
    try:
        return parse_int(raw, field, minimum=0, maximum=999)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return 0


def _supplier_values(data: SupplierInput) -> dict[str, object]:
    """The supplier's columns from its form, or every problem at once."""
    errors: dict[str, str] = {}
    code, name = data.code.strip().upper(), data.name.strip()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]{0,39}", code):
        errors["code"] = _("Enter a code of letters, digits, hyphens or underscores (up to 40).")
    if not name or len(name) > 200:
        errors["name"] = _("Enter the company name.")
    email = normalise_email(data.email) if data.email.strip() else None
    if email and not valid_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    currency, country = data.currency.strip().upper(), data.country.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("Enter a three-letter currency code (EUR, USD...).")
    if not re.fullmatch(r"[A-Z]{2}", country):
        errors["country"] = _("Choose a country (two-letter ISO code).")
    for field, limit in (("tax_id", 40), ("phone", 40)):
        if len(getattr(data, field).strip()) > limit:
            errors[field] = _("At most %(n)s characters.", n=limit)
    lead = _days(data.default_lead_time_days, "default_lead_time_days", errors)
    terms = _days(data.payment_terms_days, "payment_terms_days", errors)
    if errors:
        raise ValidationFailed(errors)
    return {
        "code": code,
        "name": name,
        "tax_id": data.tax_id.strip() or None,
        "email": email,
        "phone": data.phone.strip() or None,
        "currency": currency,
        "country": country,
        "default_lead_time_days": lead,
        "payment_terms_days": terms,
    }


async def _code_free(session: AsyncSession, code: str, supplier_id: uuid.UUID | None = None) -> None:
    stmt = select(func.count()).select_from(Supplier).where(Supplier.code == code)
    if supplier_id is not None:
        stmt = stmt.where(Supplier.id != supplier_id)
    if await session.scalar(stmt):
        raise ValidationFailed({"code": _("Supplier code %(code)s is already used.", code=code)})


async def create_supplier(session: AsyncSession, tenant_id: uuid.UUID, data: SupplierInput, actor: Actor) -> Supplier:
    """A new active supplier with a unique code (its price lists and orders live in purchasing)."""
    values = _supplier_values(data)
    await _code_free(session, str(values["code"]))
    supplier = Supplier(tenant_id=tenant_id, status="active", **values)
    session.add(supplier)
    await session.flush()
    changes = audit.diff({}, {"code": supplier.code, "name": supplier.name})
    await audit.record(session, tenant_id, actor, "supplier.created", "supplier", supplier.id, changes)
    return supplier


async def get_supplier(session: AsyncSession, supplier_id: uuid.UUID, *, for_update: bool = False) -> Supplier:
    """The supplier (NotFound for an unknown id or another tenant's)."""
    stmt = select(Supplier).where(Supplier.id == supplier_id)
    supplier = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if supplier is None:
        raise NotFound()
    return supplier


async def update_supplier(
    session: AsyncSession, tenant_id: uuid.UUID, supplier_id: uuid.UUID, data: SupplierInput, actor: Actor
) -> Supplier:
    """Change a supplier's details; orders already placed keep their own currency and dates."""
    supplier = await get_supplier(session, supplier_id, for_update=True)
    values = _supplier_values(data)
    await _code_free(session, str(values["code"]), supplier.id)
    before = audit.snapshot(supplier, SUPPLIER_FIELDS)
    for name, value in values.items():
        setattr(supplier, name, value)
    await session.flush()
    changes = audit.diff(before, audit.snapshot(supplier, SUPPLIER_FIELDS))
    await audit.record(session, tenant_id, actor, "supplier.updated", "supplier", supplier.id, changes)
    return supplier


async def set_supplier_status(
    session: AsyncSession, tenant_id: uuid.UUID, supplier_id: uuid.UUID, status: str, actor: Actor
) -> Supplier:
    """Block a supplier (no new orders or requests go to it) or make it active again."""
    if status not in ("active", "blocked"):
        raise ValidationFailed({"status": _("Choose one of the options.")})
    supplier = await get_supplier(session, supplier_id, for_update=True)
    before, supplier.status = supplier.status, status
    await session.flush()
    if before != status:
        changes = {"status": [before, status]}
        await audit.record(session, tenant_id, actor, "supplier.status_set", "supplier", supplier.id, changes)
    return supplier
