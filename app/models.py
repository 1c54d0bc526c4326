"""Imports every model so that metadata (and Alembic) sees all tables."""

from app.audit.models import AuditEntry
from app.base import Base
from app.identity.models import AuthToken, Customer, LoginFailure, Role, User, UserRole, UserSession
from app.inventory.models import Warehouse
from app.ledger.models import TaxRate
from app.numbering.models import NumberSeries
from app.outbox.models import MailMessage, OutboxEvent
from app.pricing.models import PriceList
from tenants.models import PlatformLoginFailure, PlatformOperator, PlatformSession, Tenant, TenantDomain

__all__ = [
    "AuditEntry",
    "AuthToken",
    "Base",
    "Customer",
    "LoginFailure",
    "MailMessage",
    "NumberSeries",
    "OutboxEvent",
    "PlatformLoginFailure",
    "PlatformOperator",
    "PlatformSession",
    "PriceList",
    "Role",
    "TaxRate",
    "Tenant",
    "TenantDomain",
    "User",
    "UserRole",
    "UserSession",
    "Warehouse",
]
