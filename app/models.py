"""Imports every model so that metadata (and Alembic) sees all tables."""

from app.audit.models import AuditEntry
from app.base import Base
from app.catalog.documents import CatalogTerm, ProductListing, ProductSearch
from app.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Catalog,
    CatalogAssignment,
    CatalogCategory,
    CatalogProduct,
    Category,
    CustomerGroup,
    KitComponent,
    Product,
    ProductImage,
    ProductRelation,
    ProductUom,
    ProductVariant,
    UnitOfMeasure,
    VariantAttributeValue,
)
from app.identity.models import AuthToken, Customer, Role, User, UserRole, UserSession
from app.inventory.models import Warehouse
from app.ledger.models import TaxRate
from app.numbering.models import NumberSeries
from app.outbox.models import MailMessage, OutboxEvent
from app.pricing.models import PriceList, PriceRuleRecord, PromotionCustomerGroup, PromotionRecord, PromotionRedemption
from app.tasks.models import BackgroundTask, TaskFile, TaskIssue
from tenants.models import PlatformOperator, PlatformSession, Tenant, TenantDomain

__all__ = [
    "Attribute",
    "AttributeValue",
    "AuditEntry",
    "AuthToken",
    "BackgroundTask",
    "Base",
    "Brand",
    "Catalog",
    "CatalogAssignment",
    "CatalogCategory",
    "CatalogProduct",
    "CatalogTerm",
    "Category",
    "Customer",
    "CustomerGroup",
    "KitComponent",
    "MailMessage",
    "NumberSeries",
    "OutboxEvent",
    "PlatformOperator",
    "PlatformSession",
    "PriceList",
    "PriceRuleRecord",
    "Product",
    "ProductImage",
    "ProductListing",
    "ProductRelation",
    "ProductSearch",
    "ProductUom",
    "ProductVariant",
    "PromotionCustomerGroup",
    "PromotionRecord",
    "PromotionRedemption",
    "Role",
    "TaskFile",
    "TaskIssue",
    "TaxRate",
    "Tenant",
    "TenantDomain",
    "UnitOfMeasure",
    "User",
    "UserRole",
    "UserSession",
    "VariantAttributeValue",
    "Warehouse",
]
