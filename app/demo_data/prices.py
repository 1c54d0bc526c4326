"""The demo's prices through the pricing services: lists, tiers, contracts, promotions, groups, an assortment.

Dates are relative to the day the demo is created, so the contract is current and the promotion live
whenever someone runs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.actor import Actor
from app.catalog import services as catalog
from app.demo_data.catalogue import Catalogue
from app.parties import Customer
from app.pricing import services as pricing
from app.pricing.domain import to_minor_unit
from app.pricing.models import PriceList
from app.pricing.services import PriceListInput, PromotionInput, RuleInput
from app.pricing.services.quotes import TenantLike

# code, name, customer codes in it
GROUPS = (
    ("DISTRIB", "Distribuidores y prescriptores", ("ALBUFERA",)),
    ("EDU", "Educación", ("SANTACLARA",)),
    ("COWORK", "Coworking y oficinas flexibles", ("COWORK",)),
    ("DESPACHOS", "Despachos profesionales", ("ROIG",)),
)
# base list markups on cost by category (a subcategory overrides its parent) and their rounding
MARKUPS = (
    ("sillas", "95", "99"),
    ("sillones-direccion", "110", "99"),
    ("sillas-colectividades", "70", "99"),
    ("mesas", "80", "cent"),
    ("almacenaje", "75", "cent"),
    ("iluminacion", "90", "99"),
    ("accesorios", "85", "95"),
    ("acustica", "70", "cent"),
    ("cabinas-acusticas", "45", "cent"),
    ("exterior", "85", "99"),
    ("packs", "62", "cent"),
)
# group code -> [(category slug or None for everything, [(tier start, % off the list)])]
GROUP_TIERS = {
    "DISTRIB": [(None, [(1, "25"), (10, "28"), (50, "32"), (100, "35")])],
    "EDU": [
        (None, [(1, "8"), (10, "12"), (50, "15"), (100, "18")]),
        ("sillas-colectividades", [(1, "15"), (50, "20"), (100, "25")]),
        ("mesas-formacion", [(1, "15"), (50, "20"), (100, "25")]),
    ],
    "COWORK": [(None, [(1, "10"), (10, "12"), (50, "15"), (100, "18")]), ("acustica", [(1, "15"), (10, "18")])],
    "DESPACHOS": [(None, [(1, "5"), (10, "8")]), ("sillones-direccion", [(1, "12")])],
}
GBP_FAMILIES = ("operativa", "confidente", "colectividad", "sobremesa", "pie", "panel", "biombo", "cabina", "monitor")
GBP_RATE = Decimal("0.86")
CONTRACT_FAMILIES = ("ergonomica", "elevable", "cabina", "panel")  # Cowork's framework contract covers these
EDUCATION = ("sillas-colectividades", "taburetes", "mesas-formacion", "taquillas", "estanterias", "lamparas-sobremesa")
CLASSROOM_PACK = "pack-aula-24-plazas"


@dataclass
class _Seeding:
    """What every step needs: where to write, the plan and the ids it was written under, today."""

    session: AsyncSession
    tenant: TenantLike
    actor: Actor
    plan: Catalogue
    categories: Mapping[str, uuid.UUID]
    products: Mapping[str, uuid.UUID]
    variants: Mapping[str, uuid.UUID]
    today: date
    customers: dict[str, uuid.UUID] = field(default_factory=dict)
    groups: dict[str, uuid.UUID] = field(default_factory=dict)
    eur: dict[uuid.UUID, Decimal] = field(default_factory=dict)  # variant -> base list price

    async def price_list(self, data: PriceListInput, rules: list[RuleInput]) -> None:
        price_list = await pricing.create_price_list(self.session, self.tenant.id, data, self.actor)
        for rule in rules:
            await pricing.add_rule(self.session, self.tenant.id, price_list.id, rule, self.actor)

    def price_of(self, sku: str) -> Decimal | None:
        return self.eur.get(self.variants[sku])


def school_year(today: date) -> tuple[date, date]:
    """The school year around `today`: 1 September to 31 August."""
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return start, date(start.year + 1, 8, 31)


def _cut(price: Decimal, pct: int) -> Decimal:
    return to_minor_unit(price * (100 - pct) / 100, "EUR")


async def seed_prices(
    session: AsyncSession,
    tenant: TenantLike,
    actor: Actor,
    plan: Catalogue,
    ids: tuple[Mapping[str, uuid.UUID], Mapping[str, uuid.UUID], Mapping[str, uuid.UUID]],
    today: date,
) -> None:
    """Customer groups, the base and export lists, group tiers, customer contracts, promotions, an assortment.

    `ids` are the written categories, products and variants by slug or SKU. A demo customer missing from
    the tenant simply gets no list of its own.
    """
    run = _Seeding(session, tenant, actor, plan, *ids, today)
    run.customers = dict((await session.execute(select(Customer.code, Customer.id))).all())
    await _groups(run)
    await _base_prices(run)
    active = [v for p in plan.products if p.status == "active" for v in p.variants]
    ctx = await pricing.pricing_context_for(session, tenant, None, "EUR")
    sheet = await pricing.price_variants(session, ctx, [run.variants[v.sku] for v in active], tiers=False)
    run.eur = {v: q.unit_price for v, q in sheet.quotes.items() if q.unit_price is not None}
    await _export_list(run)
    await _group_lists(run)
    if "COWORK" in run.customers:
        await _cowork_contracts(run, run.customers["COWORK"])
    if "ROIG" in run.customers:
        await _law_firm(run, run.customers["ROIG"])
    if "SANTACLARA" in run.customers:
        await _school(run, run.customers["SANTACLARA"])
    await _promotions(run)


async def _groups(run: _Seeding) -> None:
    for code, name, members in GROUPS:
        run.groups[code] = (await parties.create_customer_group(run.session, run.tenant.id, code, name, run.actor)).id
        for member in (m for m in members if m in run.customers):
            await parties.set_customer_group(
                run.session, run.tenant.id, run.customers[member], run.groups[code], run.actor
            )


async def _base_prices(run: _Seeding) -> None:
    """The tenant's base list: cost plus a markup per family, some ending in .99, and a volume tier on boxes."""
    base = await run.session.scalar(select(PriceList).where(PriceList.code == "BASE"))
    rules = [
        RuleInput(value=pct, method="cost_plus_pct", category_id=run.categories[slug], rounding=rounding)
        for slug, pct, rounding in MARKUPS
    ]
    rules.append(
        RuleInput(
            value="60",
            method="cost_plus_pct",
            category_id=run.categories["organizadores"],
            min_qty=100,
            rounding="95",
            label="Precio por volumen desde 10 cajas",
        )
    )
    for rule in rules:
        await pricing.add_rule(run.session, run.tenant.id, base.id, rule, run.actor)


async def _group_lists(run: _Seeding) -> None:
    """A list per customer group: a discount on the list price growing at 10, 50 and 100 units."""
    for code, name, _members in GROUPS:
        data = PriceListInput(f"GRP-{code}", f"Tarifa {name.lower()}", "EUR", "group", run.groups[code])
        rules = [
            RuleInput(value=pct, method="list_minus_pct", category_id=run.categories.get(slug or ""), min_qty=qty)
            for slug, steps in GROUP_TIERS[code]
            for qty, pct in steps
        ]
        await run.price_list(data, rules)


async def _export_list(run: _Seeding) -> None:
    """A GBP list for export customers: one price per product of the families sold abroad."""
    rules = []
    for product in (p for p in run.plan.products if p.status == "active" and p.family in GBP_FAMILIES):
        price = run.price_of(product.variants[0].sku)
        if price is not None:
            gbp = (price * GBP_RATE).quantize(Decimal(1)) - Decimal("0.05")  # whole pounds less 5p, like 129.95
            rules.append(RuleInput(value=max(gbp, Decimal("0.95")), product_id=run.products[product.slug]))
    await run.price_list(PriceListInput("EXPORT-GBP", "Tarifa exportación GBP", "GBP", "base", rounding="95"), rules)


async def _cowork_contracts(run: _Seeding, customer_id: uuid.UUID) -> None:
    """Cowork Valencia's framework contract (this year and next) with volume breaks, and the expired one."""
    rules = []
    for family in CONTRACT_FAMILIES:
        for variant in run.plan.family(family)[0].variants:
            price = run.price_of(variant.sku)
            for qty, pct in ((1, 22), (50, 26), (100, 30)) if price else ():
                rules.append(RuleInput(value=_cut(price, pct), variant_id=run.variants[variant.sku], min_qty=qty))
    year = run.today.year
    await run.price_list(
        PriceListInput(
            "CT-COWORK",
            "Contrato marco Cowork Valencia",
            "EUR",
            "contract",
            customer_id=customer_id,
            valid_from=date(year, 1, 1),
            valid_to=date(year + 1, 12, 31),
        ),
        rules,
    )
    await run.price_list(
        PriceListInput(
            "CT-COWORK-OLD",
            "Contrato marco Cowork Valencia (anterior)",
            "EUR",
            "contract",
            customer_id=customer_id,
            valid_from=date(year - 2, 1, 1),
            valid_to=date(year - 1, 12, 31),
        ),
        [r for r in rules if r.min_qty == 1][:4],
    )


async def _law_firm(run: _Seeding, customer_id: uuid.UUID) -> None:
    """The law firm's own conditions on executive chairs and cabinets, until the end of next year."""
    await run.price_list(
        PriceListInput(
            "CLI-ROIG",
            "Condiciones Roig & Asociados",
            "EUR",
            "customer",
            customer_id=customer_id,
            valid_to=date(run.today.year + 1, 12, 31),
        ),
        [
            RuleInput(
                value="15",
                method="list_minus_pct",
                category_id=run.categories["sillones-direccion"],
                label="Renovación de despachos",
            ),
            RuleInput(value="10", method="list_minus_pct", category_id=run.categories["armarios"]),
        ],
    )


async def _school(run: _Seeding, customer_id: uuid.UUID) -> None:
    """The school's assortment (education furniture only) and its school-year price for the classroom pack."""
    session, tenant_id, actor = run.session, run.tenant.id, run.actor
    edu = await catalog.create_catalog(session, tenant_id, "EDUCACION", "Mobiliario educativo", actor)
    extra = [run.plan.family("operativa")[0].slug, run.plan.family("escritorio")[0].slug, CLASSROOM_PACK]
    await catalog.set_catalog_contents(
        session,
        tenant_id,
        edu.id,
        actor,
        product_ids=[run.products[s] for s in extra],
        category_ids=[run.categories[s] for s in EDUCATION],
    )
    await catalog.assign_catalog(session, tenant_id, edu.id, actor, customer_id=customer_id)
    start, end = school_year(run.today)
    kit = next(p for p in run.plan.products if p.slug == CLASSROOM_PACK).variants[0]
    price = run.price_of(kit.sku)
    rules = [RuleInput(value=_cut(price, 12), variant_id=run.variants[kit.sku], label="Curso escolar")] if price else []
    await run.price_list(
        PriceListInput(
            "CT-SANTACLARA",
            "Contrato Colegio Santa Clara (curso escolar)",
            "EUR",
            "contract",
            customer_id=customer_id,
            valid_from=start,
            valid_to=end,
        ),
        rules,
    )


async def _promotions(run: _Seeding) -> None:
    """Black Friday on chairs around today, a welcome coupon, and a back-to-school offer for education."""
    today = run.today
    promotions = [
        PromotionInput(
            code="BLACKFRIDAY-SILLAS",
            kind="percent",
            value="15",
            category_id=run.categories["sillas"],
            valid_from=today - timedelta(days=3),
            valid_to=today + timedelta(days=4),
            label="Black Friday sillas -15 %",
        ),
        PromotionInput(
            code="BIENVENIDA10",
            kind="percent",
            value="10",
            requires_coupon=True,
            per_customer_limit=1,
            valid_from=today - timedelta(days=30),
            valid_to=today + timedelta(days=365),
            label="Bienvenida: 10 % en el primer pedido",
        ),
        PromotionInput(
            code="VUELTA-AL-AULA",
            kind="amount",
            value="5",
            currency="EUR",
            min_qty=24,
            stackable=True,
            category_id=run.categories["sillas-colectividades"],
            group_ids=(run.groups["EDU"],),
            valid_from=today - timedelta(days=10),
            valid_to=today + timedelta(days=60),
            label="Vuelta al aula: 5 € menos por silla desde 24 unidades",
        ),
    ]
    for data in promotions:
        await pricing.create_promotion(run.session, run.tenant.id, data, run.actor)
