"""Where the app is assembled: each domain's contributions registered once, in one place.

Lower layers keep registries and import no domain: tenant seeding (tenants.seeding) and background task
kinds (app.tasks.registry). Every entry point (the web app, the worker, the CLI, the test suite) calls
`assemble()` first; it is idempotent.
"""

from __future__ import annotations

from app.catalog_pricing import product_import
from app.identity.seeding import seed_tenant as seed_identity
from app.inventory import register_incoming
from app.inventory.services import seed_tenant as seed_inventory
from app.ledger.services import seed_tenant as seed_ledger
from app.numbering.services import seed_tenant as seed_numbering
from app.pricing import price_import
from app.pricing.services.price_lists import seed_tenant as seed_pricing
from app.purchasing.supply import open_order_supply
from app.tasks import registry as task_registry
from tenants import seeding


def assemble() -> None:
    """Register tenant seeders (in the order a tenant needs them), task kinds and other domains' incoming supply."""
    for name, seeder in (
        ("identity", seed_identity),
        ("inventory", seed_inventory),
        ("ledger", seed_ledger),
        ("pricing", seed_pricing),
        ("numbering", seed_numbering),
    ):
        seeding.register(name, seeder)
    for kind in (*product_import.TASK_KINDS, *price_import.TASK_KINDS):
        task_registry.register(kind)
    register_incoming("purchase_orders", open_order_supply)  # open order lines are dated incoming stock
