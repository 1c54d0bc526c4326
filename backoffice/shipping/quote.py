"""Quote a shipment: a destination, a weight and the sides give every carrier's quote, the cheapest and the
fastest marked and the refusals with their reasons (the same quote checkout asks for)."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app import shipping
from app.errors import ValidationFailed
from app.i18n import current_locale
from backoffice.catalog._web import page
from backoffice.shipping._forms import SHIPPING_STAFF

PAGE = "backoffice/shipping/quote.html.j2"
FIELDS = ("country", "postcode", "weight_kg", "length_cm", "width_cm", "height_cm", "currency")


@get("/shipping/quote", name="backoffice:shipping_quote", guards=SHIPPING_STAFF)
async def quote(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    params = request.query_params
    typed = {name: (params.get(name) or "").strip()[:40] for name in FIELDS}
    asked = any(typed[name] for name in FIELDS if name != "country")
    typed["country"] = typed["country"] or "ES"
    errors: dict[str, str] = {}
    quotes = None
    if asked:
        try:
            shipment = shipping.parse_shipment(*(typed[name] for name in FIELDS[:-1]))
            quotes = await shipping.quote_shipment(db, shipment, currency=typed["currency"] or None)
        except ValidationFailed as exc:
            errors = exc.errors
    context = {
        "typed": typed,
        "errors": errors,
        "quotes": quotes,
        "labels": await shipping.service_labels(db, current_locale.get()) if quotes else {},
        "reason": shipping.refusal_text,
    }
    htmx = bool(request.headers.get("hx-request"))
    # htmx swaps only 2xx answers: the partial carries its errors inline with a 200; a plain GET gets its 400.
    status = 400 if errors and not htmx else 200
    return page(request, PAGE, context, block="result", status=status)


HANDLERS = [quote]
