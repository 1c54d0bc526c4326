"""Supply cost analysis: for each supplier route, landed cost against list price and promised against actual lead
time, the unprofitable and late ones flagged, with a bar chart of each supplier's uplift drawn as SVG."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.purchasing.analysis import SupplierTotal
from app.web.guards import current_tenant
from backoffice.purchasing._web import BUYERS, render

CHART_WIDTH = 320  # px for the longest bar


class Bar(NamedTuple):
    """One bar of the chart: a supplier's uplift of landed cost over list price."""

    label: str
    pct: Decimal
    width: int
    flagged: bool


def bars(totals: list[SupplierTotal]) -> list[Bar]:
    """Bars scaled to the largest uplift (suppliers without a list value are left out)."""
    shown = [(t, t.uplift_pct) for t in totals if t.uplift_pct is not None]
    top = max((abs(pct) for _t, pct in shown), default=Decimal(0)) or Decimal(1)
    return [Bar(t.code, pct, int(abs(pct) / top * CHART_WIDTH), bool(t.flagged)) for t, pct in shown]


def _since(raw: str) -> date | None:
    try:
        value = date.fromisoformat(raw[:10])
    except ValueError:
        return None
    return value if 2000 <= value.year <= 2199 else None


@get("/purchasing/analysis", name="backoffice:supply_analysis", guards=BUYERS)
async def analysis(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    since = _since(request.query_params.get("since", ""))
    result = await purchasing.supply_analysis(db, current_tenant(request).id, since=since)
    context = {"result": result, "bars": bars(result.suppliers), "chart_width": CHART_WIDTH}
    return render(request, "analysis.html.j2", context)


HANDLERS = [analysis]
