"""The roles a tenant starts with; role codes are what guards check."""

from __future__ import annotations

STAFF_ROLES: dict[str, str] = {
    "owner": "Owner / administrator",
    "sales": "Sales",
    "sales_rep": "Sales representative",
    "warehouse": "Warehouse",
    "purchasing": "Purchasing",
    "production": "Production",
    "accounting": "Accounting",
}
CUSTOMER_ROLES: dict[str, str] = {
    "buyer": "Buyer",
    "approver": "Approver",
    "customer_admin": "Customer administrator",
}
ADMIN_ROLES = frozenset({"owner"})
