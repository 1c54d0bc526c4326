"""Inventory: locations, lots, the append-only stock ledger, balances, reservations, valuation, transfers, counts.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Every table is tenant-owned (forced RLS through tenant_table) and keyed with tenant_id first; every foreign
key carries tenant_id, and where a row names a lot the key carries its variant too, so a move can never point
at another variant's lot; a location's parent is always in its own warehouse. Stock moves and revaluations
(landed costs) are append-only for the app role (SELECT, INSERT): corrections are reversals. Writes to stock
levels, reservations and the inventory settings send the change notice `availability` (not `catalog`: a move
must not empty every cached listing). Existing tenants get their settings, virtual locations, each
warehouse's view and stock location, and the new document series.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import APPEND_ONLY, READ_WRITE, tenant_table

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

QTY = sa.Numeric(14, 4)
COST = sa.Numeric(18, 6)
VALUE = sa.Numeric(16, 4)
VIRTUAL = [
    ("SUPPLIER", "Suppliers", "supplier"),
    ("CUSTOMER", "Customers", "customer"),
    ("PRODUCTION", "Production", "production"),
    ("SCRAP", "Scrap", "scrap"),
    ("ADJUSTMENT", "Inventory adjustment", "adjustment"),
    ("TRANSIT", "In transit", "transit"),
]
SERIES = [
    ("goods_receipt", "Goods receipts", "GR-"),
    ("transfer", "Transfers", "TR-"),
    ("stock_count", "Stock counts", "CC-"),
    ("stock_adjustment", "Stock adjustments", "ADJ-"),
]
AVAILABILITY_TABLES = ("stock_levels", "reservations", "inventory_settings")
TABLES = (
    "stock_count_lines",
    "stock_counts",
    "transfer_lines",
    "transfers",
    "reorder_rules",
    "cost_layers",
    "stock_revaluations",
    "stock_valuations",
    "reservations",
    "stock_levels",
    "stock_quants",
    "stock_moves",
    "lots",
    "stock_items",
    "inventory_settings",
)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.UUID(), nullable=False)


def _id() -> sa.Column:
    return sa.Column("id", sa.UUID(), nullable=False)


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _fk(table: str, columns: list[str], target: str, target_columns: list[str] | None = None, **kw):
    """A foreign key that starts with tenant_id on both sides."""
    target_columns = target_columns or ["id"]
    name = f"fk_{table}_{'_'.join(columns)}_{target}"[:63]
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns], [f"{target}.tenant_id", *(f"{target}.{c}" for c in target_columns)], name=name, **kw
    )


def _lot_fk(table: str) -> sa.ForeignKeyConstraint:
    return _fk(table, ["variant_id", "lot_id"], "lots", ["variant_id", "id"])


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("tenant_id", *(columns or ("id",)), name=f"pk_{table}")


def _places() -> None:
    """Settings, the warehouses' new columns, locations, stock items and lots."""
    op.create_table(
        "inventory_settings",
        _tenant(),
        sa.Column("cost_method", sa.String(10), server_default="average", nullable=False),
        sa.Column("allow_negative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("availability_mode", sa.String(10), server_default="level", nullable=False),
        sa.Column("low_stock_at", QTY, server_default="5", nullable=False),
        sa.Column("pick_strategy", sa.String(10), server_default="fefo", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_inventory_settings"),
        sa.CheckConstraint("cost_method IN ('average', 'fifo')", name="ck_inventory_settings_cost_method"),
        sa.CheckConstraint(
            "availability_mode IN ('exact', 'level', 'hidden')", name="ck_inventory_settings_availability_mode"
        ),
        sa.CheckConstraint("pick_strategy IN ('fefo', 'fifo')", name="ck_inventory_settings_pick_strategy"),
        sa.CheckConstraint("low_stock_at >= 0", name="ck_inventory_settings_low_stock_at"),
    )
    op.add_column("warehouses", sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("warehouses", sa.Column("country", sa.String(2)))
    op.add_column("warehouses", sa.Column("postcode", sa.String(20)))
    op.add_column("warehouses", sa.Column("city", sa.String(100)))
    op.add_column("warehouses", sa.Column("receipt_location_id", sa.UUID()))
    op.create_table(
        "locations",
        _tenant(),
        _id(),
        sa.Column("warehouse_id", sa.UUID()),
        sa.Column("parent_id", sa.UUID()),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _created(),
        _pk("locations"),
        sa.UniqueConstraint("tenant_id", "code", name="uq_locations_tenant_id_code"),
        sa.UniqueConstraint("tenant_id", "warehouse_id", "id", name="uq_locations_tenant_id_warehouse_id_id"),
        _fk("locations", ["warehouse_id"], "warehouses"),
        _fk("locations", ["warehouse_id", "parent_id"], "locations", ["warehouse_id", "id"]),
        sa.CheckConstraint(
            "kind IN ('view', 'internal', 'transit', 'supplier', 'customer', 'production', 'scrap', 'adjustment')",
            name="ck_locations_kind",
        ),
        sa.CheckConstraint(
            "(kind IN ('view', 'internal')) = (warehouse_id IS NOT NULL)", name="ck_locations_warehouse_for_places"
        ),
        sa.CheckConstraint("parent_id IS NULL OR kind = 'internal'", name="ck_locations_only_places_nest"),
    )
    op.create_index("ix_locations_warehouse", "locations", ["tenant_id", "warehouse_id"])
    op.create_index(
        "uq_locations_virtual_kind",
        "locations",
        ["tenant_id", "kind"],
        unique=True,
        postgresql_where=sa.text("warehouse_id IS NULL"),
    )
    op.create_foreign_key(
        "fk_warehouses_receipt_location",
        "warehouses",
        "locations",
        ["tenant_id", "receipt_location_id"],
        ["tenant_id", "id"],
    )
    op.create_table(
        "stock_items",
        _tenant(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("tracking", sa.String(10), server_default="none", nullable=False),
        sa.Column("shelf_life_days", sa.Integer()),
        _pk("stock_items", "variant_id"),
        _fk("stock_items", ["variant_id"], "product_variants", ondelete="CASCADE"),
        sa.CheckConstraint("tracking IN ('none', 'lot', 'serial')", name="ck_stock_items_tracking"),
        sa.CheckConstraint(
            "shelf_life_days IS NULL OR shelf_life_days BETWEEN 0 AND 36500", name="ck_stock_items_shelf_life"
        ),
    )
    op.create_table(
        "lots",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("expiry_date", sa.Date()),
        _created(),
        _pk("lots"),
        sa.UniqueConstraint("tenant_id", "variant_id", "code", name="uq_lots_tenant_id_variant_id_code"),
        sa.UniqueConstraint("tenant_id", "variant_id", "id", name="uq_lots_tenant_id_variant_id_id"),
        _fk("lots", ["variant_id"], "product_variants"),
    )


def _ledger() -> None:
    """The moves, and what is derived from them: quants, warehouse levels, reservations."""
    op.create_table(
        "stock_moves",
        _tenant(),
        _id(),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("from_location_id", sa.UUID(), nullable=False),
        sa.Column("to_location_id", sa.UUID(), nullable=False),
        sa.Column("lot_id", sa.UUID()),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_cost", COST, nullable=False),
        sa.Column("value", VALUE, nullable=False),
        sa.Column("adjustment", VALUE, server_default="0", nullable=False),
        sa.Column("document_kind", sa.String(30), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("document_line_id", sa.UUID()),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(20)),
        sa.Column("reversal_of", sa.UUID()),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _pk("stock_moves"),
        _fk("stock_moves", ["variant_id"], "product_variants"),
        _fk("stock_moves", ["from_location_id"], "locations"),
        _fk("stock_moves", ["to_location_id"], "locations"),
        _lot_fk("stock_moves"),
        _fk("stock_moves", ["reversal_of"], "stock_moves"),
        sa.CheckConstraint("qty > 0", name="ck_stock_moves_qty_positive"),
        sa.CheckConstraint("from_location_id <> to_location_id", name="ck_stock_moves_somewhere_else"),
        sa.UniqueConstraint("tenant_id", "variant_id", "sequence", name="uq_stock_moves_tenant_id_variant_id_sequence"),
    )
    op.create_index("ix_stock_moves_document", "stock_moves", ["tenant_id", "document_kind", "document_id"])
    op.create_index(
        "uq_stock_moves_reversal",
        "stock_moves",
        ["tenant_id", "reversal_of"],
        unique=True,
        postgresql_where=sa.text("reversal_of IS NOT NULL"),
    )
    op.create_table(
        "stock_quants",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("location_id", sa.UUID(), nullable=False),
        sa.Column("lot_id", sa.UUID()),
        sa.Column("on_hand", QTY, server_default="0", nullable=False),
        sa.Column("received_on", sa.Date(), server_default=sa.text("CURRENT_DATE"), nullable=False),
        _pk("stock_quants"),
        _fk("stock_quants", ["variant_id"], "product_variants"),
        _fk("stock_quants", ["location_id"], "locations"),
        _lot_fk("stock_quants"),
    )
    op.create_index(
        "uq_stock_quants_place",
        "stock_quants",
        ["tenant_id", "variant_id", "location_id", "lot_id"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_index("ix_stock_quants_location", "stock_quants", ["tenant_id", "location_id"])
    op.create_table(
        "stock_levels",
        _tenant(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("on_hand", QTY, server_default="0", nullable=False),
        sa.Column("reserved", QTY, server_default="0", nullable=False),
        _pk("stock_levels", "variant_id", "warehouse_id"),
        _fk("stock_levels", ["variant_id"], "product_variants"),
        _fk("stock_levels", ["warehouse_id"], "warehouses"),
        sa.CheckConstraint("reserved >= 0", name="ck_stock_levels_reserved_not_negative"),
    )
    op.create_index("ix_stock_levels_warehouse", "stock_levels", ["tenant_id", "warehouse_id"])
    op.create_table(
        "reservations",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("document_kind", sa.String(30), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("document_line_id", sa.UUID(), nullable=False),
        sa.Column("needed_on", sa.Date()),
        _created(),
        _pk("reservations"),
        sa.UniqueConstraint(
            "tenant_id", "document_kind", "document_line_id", "warehouse_id", name="uq_reservations_line_warehouse"
        ),
        _fk("reservations", ["variant_id"], "product_variants"),
        _fk("reservations", ["warehouse_id"], "warehouses"),
        sa.CheckConstraint("qty > 0", name="ck_reservations_qty_positive"),
    )
    op.create_index("ix_reservations_variant", "reservations", ["tenant_id", "variant_id", "warehouse_id"])


def _valuation() -> None:
    op.create_table(
        "stock_valuations",
        _tenant(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("qty", QTY, server_default="0", nullable=False),
        sa.Column("value", VALUE, server_default="0", nullable=False),
        sa.Column("unit_cost", COST, server_default="0", nullable=False),
        sa.Column("owed_qty", QTY, server_default="0", nullable=False),
        sa.Column("owed_value", VALUE, server_default="0", nullable=False),
        sa.Column("moves", sa.BigInteger(), server_default="0", nullable=False),
        _pk("stock_valuations", "variant_id"),
        _fk("stock_valuations", ["variant_id"], "product_variants"),
        sa.CheckConstraint("method IN ('average', 'fifo')", name="ck_stock_valuations_method"),
    )
    op.create_table(
        "cost_layers",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("move_id", sa.UUID()),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("qty_received", QTY, nullable=False),
        sa.Column("qty_remaining", QTY, nullable=False),
        sa.Column("value_remaining", VALUE, nullable=False),
        sa.Column("unit_cost", COST, nullable=False),
        _pk("cost_layers"),
        sa.UniqueConstraint("tenant_id", "variant_id", "sequence", name="uq_cost_layers_tenant_id_variant_id_sequence"),
        _fk("cost_layers", ["variant_id"], "product_variants"),
        _fk("cost_layers", ["move_id"], "stock_moves"),
    )
    op.create_index(
        "ix_cost_layers_open",
        "cost_layers",
        ["tenant_id", "variant_id", "sequence"],
        postgresql_where=sa.text("qty_remaining > 0"),
    )
    op.create_table(
        "stock_revaluations",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("move_id", sa.UUID(), nullable=False),
        sa.Column("amount", VALUE, nullable=False),
        sa.Column("to_stock", VALUE, nullable=False),
        sa.Column("to_cogs", VALUE, nullable=False),
        sa.Column("document_kind", sa.String(30), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _pk("stock_revaluations"),
        _fk("stock_revaluations", ["variant_id"], "product_variants"),
        _fk("stock_revaluations", ["move_id"], "stock_moves"),
    )
    op.create_index("ix_stock_revaluations_move", "stock_revaluations", ["tenant_id", "move_id"])
    op.create_table(
        "reorder_rules",
        _tenant(),
        _id(),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("min_qty", QTY, nullable=False),
        sa.Column("max_qty", QTY, nullable=False),
        _created(),
        _pk("reorder_rules"),
        sa.UniqueConstraint("tenant_id", "variant_id", "warehouse_id", name="uq_reorder_rules_variant_warehouse"),
        _fk("reorder_rules", ["variant_id"], "product_variants", ondelete="CASCADE"),
        _fk("reorder_rules", ["warehouse_id"], "warehouses"),
        sa.CheckConstraint("kind IN ('min_max', 'reorder_point')", name="ck_reorder_rules_kind"),
        sa.CheckConstraint("min_qty >= 0 AND max_qty > 0", name="ck_reorder_rules_quantities"),
    )


def _documents() -> None:
    """Transfers between warehouses and cycle counts, with their lines."""
    op.create_table(
        "transfers",
        _tenant(),
        _id(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("from_warehouse_id", sa.UUID(), nullable=False),
        sa.Column("to_warehouse_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(20), server_default="draft", nullable=False),
        sa.Column("expected_on", sa.Date()),
        sa.Column("note", sa.String(500), server_default="", nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True)),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        _created(),
        _pk("transfers"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_transfers_tenant_id_number"),
        _fk("transfers", ["from_warehouse_id"], "warehouses"),
        _fk("transfers", ["to_warehouse_id"], "warehouses"),
        sa.CheckConstraint("status IN ('draft', 'in_transit', 'done', 'cancelled')", name="ck_transfers_status"),
        sa.CheckConstraint("from_warehouse_id <> to_warehouse_id", name="ck_transfers_elsewhere"),
    )
    op.create_index("ix_transfers_status", "transfers", ["tenant_id", "status", "created_at"])
    op.create_table(
        "transfer_lines",
        _tenant(),
        _id(),
        sa.Column("transfer_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("qty_shipped", QTY, server_default="0", nullable=False),
        sa.Column("qty_received", QTY, server_default="0", nullable=False),
        _pk("transfer_lines"),
        _fk("transfer_lines", ["transfer_id"], "transfers", ondelete="CASCADE"),
        _fk("transfer_lines", ["variant_id"], "product_variants"),
        sa.UniqueConstraint("tenant_id", "transfer_id", "variant_id", name="uq_transfer_lines_variant"),
        sa.CheckConstraint(
            "qty > 0 AND qty_shipped >= 0 AND qty_received >= 0 AND qty_received <= qty_shipped",
            name="ck_transfer_lines_qty",
        ),
    )
    op.create_table(
        "stock_counts",
        _tenant(),
        _id(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("location_id", sa.UUID()),
        sa.Column("status", sa.String(20), server_default="draft", nullable=False),
        sa.Column("note", sa.String(500), server_default="", nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True)),
        _created(),
        _pk("stock_counts"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_stock_counts_tenant_id_number"),
        _fk("stock_counts", ["warehouse_id"], "warehouses"),
        _fk("stock_counts", ["warehouse_id", "location_id"], "locations", ["warehouse_id", "id"]),
        sa.CheckConstraint("status IN ('draft', 'done', 'cancelled')", name="ck_stock_counts_status"),
    )
    op.create_index("ix_stock_counts_status", "stock_counts", ["tenant_id", "status", "created_at"])
    op.create_table(
        "stock_count_lines",
        _tenant(),
        _id(),
        sa.Column("count_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("location_id", sa.UUID(), nullable=False),
        sa.Column("lot_id", sa.UUID()),
        sa.Column("expected_qty", QTY, server_default="0", nullable=False),
        sa.Column("counted_qty", QTY),
        _pk("stock_count_lines"),
        _fk("stock_count_lines", ["count_id"], "stock_counts", ondelete="CASCADE"),
        _fk("stock_count_lines", ["variant_id"], "product_variants"),
        _fk("stock_count_lines", ["location_id"], "locations"),
        _lot_fk("stock_count_lines"),
        sa.CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="ck_stock_count_lines_counted_not_negative"),
    )
    op.create_index(
        "uq_stock_count_lines_place",
        "stock_count_lines",
        ["tenant_id", "count_id", "variant_id", "location_id", "lot_id"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )


def _existing_tenants() -> None:
    """What seed_tenant gives a new tenant, for the tenants that exist already (the migration runs as owner)."""
    op.execute("INSERT INTO inventory_settings (tenant_id) SELECT id FROM tenants ON CONFLICT DO NOTHING")
    values = ", ".join(f"('{code}', '{name}', '{kind}')" for code, name, kind in VIRTUAL)
    op.execute(
        "INSERT INTO locations (tenant_id, id, code, name, kind) "
        f"SELECT t.id, gen_random_uuid(), v.code, v.name, v.kind FROM tenants t CROSS JOIN (VALUES {values}) "
        "AS v(code, name, kind)"
    )
    op.execute(
        "INSERT INTO locations (tenant_id, id, warehouse_id, code, name, kind) "
        "SELECT tenant_id, gen_random_uuid(), id, code, name, 'view' FROM warehouses"
    )
    op.execute(
        "INSERT INTO locations (tenant_id, id, warehouse_id, parent_id, code, name, kind) "
        "SELECT l.tenant_id, gen_random_uuid(), l.warehouse_id, l.id, l.code || '-STOCK', 'Stock', 'internal' "
        "FROM locations l WHERE l.kind = 'view'"
    )
    op.execute(
        "UPDATE warehouses w SET receipt_location_id = l.id FROM locations l "
        "WHERE l.tenant_id = w.tenant_id AND l.warehouse_id = w.id AND l.kind = 'internal'"
    )
    series = ", ".join(f"('{code}', '{name}', '{prefix}')" for code, name, prefix in SERIES)
    op.execute(
        "INSERT INTO number_series (tenant_id, id, code, name, prefix, padding, next_number) "
        f"SELECT t.id, gen_random_uuid(), s.code, s.name, s.prefix, 5, 1 FROM tenants t CROSS JOIN (VALUES {series}) "
        "AS s(code, name, prefix) ON CONFLICT (tenant_id, code) DO NOTHING"
    )


def upgrade() -> None:
    _places()
    _ledger()
    _valuation()
    _documents()
    for table in ("locations", *TABLES):
        tenant_table(table, APPEND_ONLY if table in ("stock_moves", "stock_revaluations") else READ_WRITE)
    _existing_tenants()
    for table in AVAILABILITY_TABLES:
        op.execute(
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('availability')"
        )


def downgrade() -> None:
    for table in AVAILABILITY_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
    op.execute(
        "DELETE FROM number_series WHERE code IN ('goods_receipt', 'transfer', 'stock_count', 'stock_adjustment')"
    )
    op.drop_constraint("fk_warehouses_receipt_location", "warehouses", type_="foreignkey")
    for table in TABLES:
        op.drop_table(table)
    op.drop_table("locations")
    for column in ("receipt_location_id", "city", "postcode", "country", "is_active"):
        op.drop_column("warehouses", column)
