"""The words people read for purchasing's codes: order states, bill holds, landed cost kinds and bases."""

from __future__ import annotations

from app.i18n import gettext as _


def N_(message: str) -> str:
    """Marks an English message for extraction; it is translated where it is shown."""
    return message


STATES = {
    "draft": N_("draft"),
    "to_approve": N_("waiting for approval"),
    "approved": N_("approved"),
    "sent": N_("sent"),
    "partially_received": N_("partly received"),
    "received": N_("received"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
}
RFQ_STATES = {"open": N_("open"), "ordered": N_("ordered"), "cancelled": N_("cancelled")}
BILL_STATES = {"held": N_("held"), "approved": N_("approved")}
HOLDS = {
    "qty_over_tolerance": N_("Quantity over tolerance"),
    "price_over_tolerance": N_("Price over tolerance"),
    "billed_before_receipt": N_("Billed before receipt"),
    "not_on_order": N_("Not on the order"),
}
LANDED_KINDS = {"freight": N_("Freight"), "duty": N_("Duties"), "insurance": N_("Insurance"), "other": N_("Other")}
BASES = {"value": N_("By value"), "weight": N_("By weight"), "volume": N_("By volume"), "quantity": N_("By quantity")}


def state_label(state: str) -> str:
    """A purchase order state as people read it."""
    return _(STATES.get(str(state), str(state)))


def label(table: dict[str, str], code: str) -> str:
    """Any of the codes above as people read it (the code itself when unknown)."""
    return _(table.get(code, code))
