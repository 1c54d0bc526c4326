"""Purchasing rules, pure: supplier prices, RFQ comparison, order approval and states, bill matching,
landed cost allocation and supply cost analysis.

No database or web here: the service loads rows, maps them onto these NamedTuples, calls a rule and stores
the answer. Quantities are Decimal; money is Decimal rounded half up to the currency's minor unit
(`app.money.to_minor_unit`). Bad input raises PurchasingRuleError(field, reason); an answer that is
"no" (no price, a held bill line) is a value with a reason. The rules:

- Price lists (`supplier_price`, `best_supplier`): the highest quantity break the packed quantity reaches,
  valid on the day (inclusive ends), newest list then lowest price on a tie; the best supplier by landed
  cost per unit asked for (rate and uplift applied) or by lead time.
- RFQs (`compare_rfq`): answers side by side; best price and lead time marked per line (ties all marked);
  a total only for a supplier that answered every line.
- Orders (`needs_approval`, `submitted_state`, `transition`, `PO_TRANSITIONS`): approval above a threshold
  in the tenant's currency; the allowed state changes are data.
- Bills (`match_bill`): three-way match with quantity and price tolerances; a line is approved or held
  with its reasons; the bill is approved when every line is.
- Landed costs (`allocate_landed_cost`): by value, weight, volume or quantity, largest remainder, summing
  exactly. The shares then go to `app.inventory.domain.FifoCost.revalue` / `AverageCost.revalue`.
- Supply analysis (`analyse_supply`): per product route, landed vs list, lead times, flags.
"""

from __future__ import annotations

from app.purchasing._errors import Id, PurchasingRuleError
from app.purchasing._landed_costs import AllocationBasis, LandedShare, ReceivedLine, allocate_landed_cost, minor_unit
from app.purchasing._matching import (
    BillLine,
    BillMatch,
    Hold,
    HoldReason,
    LineMatch,
    MatchTolerance,
    OrderLine,
    match_bill,
    price_allowance,
)
from app.purchasing._orders import (
    PO_TRANSITIONS,
    ApprovalPolicy,
    PoState,
    needs_approval,
    submitted_state,
    transition,
)
from app.purchasing._price_lists import (
    PriceLookup,
    RankedOffer,
    SupplierChoice,
    SupplierOffer,
    SupplierPreference,
    SupplierPrice,
    SupplierRefusal,
    best_supplier,
    in_packs,
    supplier_price,
)
from app.purchasing._rfq import RfqCell, RfqColumn, RfqComparison, RfqLine, RfqResponse, RfqRow, compare_rfq
from app.purchasing._supply_analysis import (
    RouteAnalysis,
    SupplyRecord,
    SupplyRoute,
    SupplyThresholds,
    analyse_supply,
)

__all__ = [
    "PO_TRANSITIONS",
    "AllocationBasis",
    "ApprovalPolicy",
    "BillLine",
    "BillMatch",
    "Hold",
    "HoldReason",
    "Id",
    "LandedShare",
    "LineMatch",
    "MatchTolerance",
    "OrderLine",
    "PoState",
    "PriceLookup",
    "PurchasingRuleError",
    "RankedOffer",
    "ReceivedLine",
    "RfqCell",
    "RfqColumn",
    "RfqComparison",
    "RfqLine",
    "RfqResponse",
    "RfqRow",
    "RouteAnalysis",
    "SupplierChoice",
    "SupplierOffer",
    "SupplierPreference",
    "SupplierPrice",
    "SupplierRefusal",
    "SupplyRecord",
    "SupplyRoute",
    "SupplyThresholds",
    "allocate_landed_cost",
    "analyse_supply",
    "best_supplier",
    "compare_rfq",
    "in_packs",
    "match_bill",
    "minor_unit",
    "needs_approval",
    "price_allowance",
    "submitted_state",
    "supplier_price",
    "transition",
]
