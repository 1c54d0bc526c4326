"""Change notices: a committed write to the catalogue or to pricing tells every app process, so caches stay true.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

A statement-level trigger on each table that decides what a shopper sees or pays sends
`NOTIFY bodega_changes, '<tenant id>:<topic>'` (topic `catalog`, `pricing` or `sessions`). PostgreSQL delivers a
notice only when its transaction commits, and once per distinct payload per transaction, so a bulk import
costs one notice. A write without a tenant set (a migration, the platform) says `*`: every tenant.
app.changes listens and drops the cached pages and prices of that tenant and topic.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "bodega_changes"
# table -> the topics its writes concern
TABLES: dict[str, tuple[str, ...]] = {
    "price_lists": ("pricing",),
    "price_rules": ("pricing",),
    "promotions": ("pricing",),
    "promotion_customer_groups": ("pricing",),
    "promotion_redemptions": ("pricing",),
    "customers": ("pricing", "catalog", "sessions"),  # the group decides prices and catalogues; status, sign-in
    "users": ("sessions",),  # a deactivated user, a changed name or password: signed-in requests re-check
    "user_roles": ("sessions",),
    "roles": ("sessions",),
    "customer_groups": ("pricing", "catalog"),
    "categories": ("pricing", "catalog"),  # category rules follow the tree
    "products": ("pricing", "catalog"),
    "product_variants": ("pricing", "catalog"),  # cost feeds cost-plus rules
    "brands": ("catalog",),
    "attributes": ("catalog",),
    "attribute_values": ("catalog",),
    "variant_attribute_values": ("catalog",),
    "product_images": ("catalog",),
    "product_relations": ("catalog",),
    "product_uoms": ("catalog",),
    "kit_components": ("catalog",),
    "catalogs": ("catalog",),
    "catalog_categories": ("catalog",),
    "catalog_products": ("catalog",),
    "catalog_assignments": ("catalog",),
}


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION public.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            tenant text := coalesce(NULLIF(current_setting('app.tenant_id', true), ''), '*');
            topic text;
        BEGIN
            FOREACH topic IN ARRAY TG_ARGV LOOP
                PERFORM pg_notify('{CHANNEL}', tenant || ':' || topic);
            END LOOP;
            RETURN NULL;
        END $$
        """
    )
    for table, topics in TABLES.items():
        args = ", ".join(f"'{t}'" for t in topics)
        op.execute(
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change({args})"
        )
    # A session that ends (sign-out, password change, expiry clean-up) must not be honoured from a cache; a new
    # one or a slid expiry changes nothing a cache holds.
    op.execute(
        "CREATE TRIGGER notify_change AFTER DELETE OR TRUNCATE ON user_sessions "
        "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('sessions')"
    )


def downgrade() -> None:
    for table in (*TABLES, "user_sessions"):
        op.execute(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS public.notify_change()")
