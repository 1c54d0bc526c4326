"""Carriers for the shipping tests, built through the services: a courier with two services and an express one."""

from __future__ import annotations

from decimal import Decimal

from app import shipping
from app.actor import SYSTEM
from app.shipping import CarrierInput, RateInput, ServiceInput, ZoneInput

D = Decimal


async def build_carriers(db, tenant) -> dict:
    """NACEX-like courier (peninsula, Balearics by postcode 07; standard and economy) and an express carrier."""
    tid = tenant.id
    async with db.transaction(tid) as s:
        courier = await shipping.create_carrier(s, tid, CarrierInput("COURIER", "Courier", "EUR", "5000", "10"), SYSTEM)
        std = await shipping.add_service(
            s, tid, courier.id, ServiceInput("STD", {"es": "Estándar", "en": "Standard"}, "30"), SYSTEM
        )
        eco = await shipping.add_service(s, tid, courier.id, ServiceInput("ECO", {"en": "Economy"}, "30"), SYSTEM)
        pen = await shipping.add_zone(s, tid, courier.id, ZoneInput("PEN", "es", {"es": "Península"}), SYSTEM)
        bal = await shipping.add_zone(s, tid, courier.id, ZoneInput("BAL", "ES", {"en": "Balearics"}, "07"), SYSTEM)
        await shipping.set_rate(s, tid, std.id, RateInput(pen.id, "4", "1.00", brackets="30; 5.00"), SYSTEM)
        await shipping.set_rate(s, tid, std.id, RateInput(bal.id, 6, "1", brackets=[(D(30), D(9))]), SYSTEM)
        await shipping.set_rate(s, tid, eco.id, RateInput(pen.id, 7, brackets="30;4,50"), SYSTEM)
        express = await shipping.create_carrier(s, tid, CarrierInput("EXPRESS", "Express", "EUR", "4000"), SYSTEM)
        fast = await shipping.add_service(
            s, tid, express.id, ServiceInput("24H", {"en": "Next day"}, None, "120", "300"), SYSTEM
        )
        spain = await shipping.add_zone(s, tid, express.id, ZoneInput("ES", "ES", {"en": "Spain"}), SYSTEM)
        await shipping.set_rate(s, tid, fast.id, RateInput(spain.id, 1, "0", "1.00", "30; 9.90"), SYSTEM)
    return {"courier": courier, "std": std, "eco": eco, "pen": pen, "bal": bal, "express": express, "fast": fast}
