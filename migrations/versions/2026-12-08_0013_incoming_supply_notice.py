"""Dated supply and kits send the `availability` notice too: open purchase orders and transfers decide
"available from", a kit's components decide how many kits there are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

The storefront keeps what it shows of the stock under the `availability` change token (app.inventory.queries.shown).
Stock levels, reservations and the inventory settings send it since 0009; a purchase order sent, rescheduled or
cancelled, or a transfer on its way, moves the date a shopper is promised without touching a stock level, so
their tables send it as well; so does a kit's list of components (which already sends `catalog`, by a trigger of
that name: this one is `notify_availability`).
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("purchase_orders", "purchase_order_lines", "transfers", "transfer_lines")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('availability')"
        )
    op.execute(
        "CREATE TRIGGER notify_availability AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kit_components "
        "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('availability')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS notify_availability ON kit_components")
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
