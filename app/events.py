"""The one registry of who reacts to which outbox topic.

Domains do not call each other: they emit an event into the outbox (app.outbox.services.emit)
in the same transaction as their change, and the handlers listed here run after commit, in
the worker, inside the delivery transaction of that event's tenant. A handler must be
idempotent enough to be retried: delivery is at least once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory, purchasing, sales
from app.outbox import mail
from app.outbox.models import OutboxEvent
from app.outbox.services import MAIL_TOPIC
from app.settings import Settings
from app.web.mail import render_mail

Handler = Callable[[AsyncSession, OutboxEvent], Awaitable[object]]


def registry(settings: Settings) -> dict[str, list[Handler]]:
    """Topic -> handlers, run in this order; add a topic by adding a line.

    A topic with an empty list is one nobody reacts to yet (finance will post stock moves to the ledger):
    its events are delivered to no one. A topic missing here is a mistake, and its events fail.
    """
    approvals = partial(sales.on_order_event, public_url=settings.public_url, base_domain=settings.base_domain)
    return {
        MAIL_TOPIC: [partial(mail.send_mail, settings=settings, render=render_mail)],
        inventory.MOVED_TOPIC: [sales.on_stock_moved],  # arrived stock is reserved for backorders
        inventory.REVALUED_TOPIC: [],
        purchasing.APPROVED_TOPIC: [],  # finance will post approved bills to payables
        # the confirmation mail goes as its own mail event; an order waiting for approval mails its approvers
        sales.ORDER_PLACED_TOPIC: [approvals],
        sales.ORDER_STATUS_TOPIC: [approvals],
        sales.ORDER_CHANGED_TOPIC: [],  # staff changed an order's lines; webhooks will listen
        sales.QUOTE_STATUS_TOPIC: [],  # the buyer's mail goes as its own mail event; webhooks will listen
        sales.SHIPMENT_SHIPPED_TOPIC: [],  # the buyer's tracking mail goes as its own mail event
        sales.RETURN_STATUS_TOPIC: [],
    }


def topic_handlers(settings: Settings) -> Callable[[str], list[Handler] | None]:
    """What the outbox's delivery asks for each event: the handlers of its topic (None: an unknown topic)."""
    handlers = registry(settings)
    return handlers.get
