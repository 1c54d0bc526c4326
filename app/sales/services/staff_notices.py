"""Telling the sales team what customers did that waits for them: a quote asked for, a revision asked for, a quote
accepted or turned down, goods sent back. One e-mail per person who works on it (the roles below; the owners when
nobody holds them), each in their own language, queued in the caller's transaction: it goes only if the customer's
action commits. The link is the back-office page, on the tenant's own address as the face gives it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.user_admin import staff_recipients
from app.outbox.services import queue_mail
from app.sales import repo

QUOTE_TEAM = ("sales",)
RETURN_TEAM = ("sales", "warehouse")
KINDS = ("quote_requested", "quote_revision", "quote_accepted", "quote_rejected", "return_requested")


async def tell_staff(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    kind: str,
    *,
    customer_id: uuid.UUID,
    number: str,
    path: str,
    back_office: str = "",
    **details: Any,
) -> int:
    """Queue the `kind` notice to the team that handles it; how many were queued. `path` is the page under the
    back office (e.g. /sales/quotes/<id>), `back_office` its absolute address ('' : the mail has no link)."""
    if kind not in KINDS:
        raise ValueError(f"unknown staff notice {kind!r}")
    team = RETURN_TEAM if kind.startswith("return") else QUOTE_TEAM
    recipients = await staff_recipients(session, team)
    if not recipients:
        return 0
    tenant = await repo.tenant(session, tenant_id)
    customer = await repo.customer(session, tenant_id, customer_id)
    context = {
        "kind": kind,
        "number": number,
        "customer": customer["name"],
        "tenant_name": tenant["name"],
        "link": f"{back_office.rstrip('/')}{path}" if back_office else "",
        **{key: str(value) for key, value in details.items() if value not in (None, "")},
    }
    for person in recipients:
        await queue_mail(
            session,
            tenant_id,
            to=person.email,
            template="mail/staff_notice",
            context=context | {"name": person.name},
            locale=person.locale or tenant["locale"],
        )
    return len(recipients)
