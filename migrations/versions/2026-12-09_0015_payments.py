"""Card payments through Stripe: payment intents, webhook events handled once, refunds.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09

A payment is one attempt at paying an order by card (one PaymentIntent), unique per order and attempt and per
idempotency key, so a retried request finds the attempt already made. Stripe events are recorded under a unique
(tenant_id, event_id) in the transaction that applies them: a replayed event fails to insert and changes nothing.
Refunds are numbered per payment (their idempotency key is derived from the number). Events are append-only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import APPEND_ONLY, tenant_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

AMOUNT = sa.Numeric(16, 4)
PAYMENT_STATES = (
    "'pending', 'requires_action', 'processing', 'failed', 'authorized', 'succeeded', 'partially_refunded', "
    "'refunded', 'canceled'"
)


def _keys() -> list[sa.Column]:
    return [sa.Column("tenant_id", sa.UUID(), nullable=False), sa.Column("id", sa.UUID(), nullable=False)]


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], name=f"fk_{table}_{column}"
    )


def _payments() -> None:
    op.create_table(
        "payments",
        *_keys(),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False, server_default=""),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(20), nullable=False, server_default="stripe"),
        sa.Column("intent_id", sa.String(255)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("card_brand", sa.String(20), nullable=False, server_default=""),
        sa.Column("card_last4", sa.String(4), nullable=False, server_default=""),
        sa.Column("failure_message", sa.String(500), nullable=False, server_default=""),
        sa.Column("livemode", sa.Boolean(), nullable=False, server_default=sa.false()),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_payments"),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_payments_idempotency_key"),
        sa.UniqueConstraint("tenant_id", "order_id", "attempt", name="uq_payments_order_attempt"),
        sa.UniqueConstraint("tenant_id", "intent_id", name="uq_payments_intent_id"),
        _fk("payments", "order_id", "sales_orders"),
        sa.CheckConstraint(f"status IN ({PAYMENT_STATES})", name="status"),
        sa.CheckConstraint(
            "attempt >= 1 AND amount > 0 AND amount_minor > 0 AND refunded_minor BETWEEN 0 AND amount_minor",
            name="figures",
        ),
    )


def _events() -> None:
    op.create_table(
        "stripe_events",
        *_keys(),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("payment_id", sa.UUID()),
        sa.Column("outcome", sa.String(40), nullable=False, server_default=""),
        _created(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_stripe_events"),
        sa.UniqueConstraint("tenant_id", "event_id", name="uq_stripe_events_event_id"),
        _fk("stripe_events", "payment_id", "payments"),
    )


def _refunds() -> None:
    op.create_table(
        "payment_refunds",
        *_keys(),
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("stripe_refund_id", sa.String(255)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_by", sa.UUID()),
        sa.Column("actor_label", sa.String(320), nullable=False, server_default=""),
        _created(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_payment_refunds"),
        sa.UniqueConstraint("tenant_id", "payment_id", "number", name="uq_payment_refunds_number"),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_payment_refunds_idempotency_key"),
        _fk("payment_refunds", "payment_id", "payments"),
        _fk("payment_refunds", "created_by", "users"),
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed', 'canceled')", name="status"),
        sa.CheckConstraint("amount > 0 AND amount_minor > 0 AND number >= 1", name="figures"),
    )


def upgrade() -> None:
    _payments()
    _events()
    _refunds()
    op.create_index("ix_payments_order", "payments", ["tenant_id", "order_id", "attempt"])
    op.create_index("ix_payment_refunds_payment", "payment_refunds", ["tenant_id", "payment_id", "number"])
    tenant_table("payments")
    tenant_table("payment_refunds")
    tenant_table("stripe_events", APPEND_ONLY)


def downgrade() -> None:
    op.drop_table("payment_refunds")
    op.drop_table("stripe_events")
    op.drop_table("payments")
