"""Parties: customer companies, customer groups, addresses and contacts, and suppliers (purchasing and CRM build on it).

The public interface: services (writes, caller's transaction), queries (reads), rules and value types.
"""

from app.parties import queries
from app.parties.domain import EMAIL_RE, AddressInput, normalise_email, valid_email
from app.parties.models import Address, Contact, Customer, CustomerGroup, Supplier
from app.parties.services import (
    NewCustomer,
    SupplierInput,
    add_address,
    add_contact,
    archive_address,
    create_customer,
    create_customer_group,
    create_supplier,
    get_customer,
    get_supplier,
    set_customer_group,
    set_supplier_status,
    update_address,
    update_supplier,
)

__all__ = [
    "EMAIL_RE",
    "Address",
    "AddressInput",
    "Contact",
    "Customer",
    "CustomerGroup",
    "NewCustomer",
    "Supplier",
    "SupplierInput",
    "add_address",
    "add_contact",
    "archive_address",
    "create_customer",
    "create_customer_group",
    "create_supplier",
    "get_customer",
    "get_supplier",
    "normalise_email",
    "queries",
    "set_customer_group",
    "set_supplier_status",
    "update_address",
    "update_supplier",
    "valid_email",
]
