"""Purchasing: suppliers' price lists, requests for quotation, purchase orders (approval, PDF, e-mail), receipts,
supplier bills matched three ways, landed costs, replenishment and the supply cost analysis.

The public interface the faces and other domains use (suppliers themselves are parties: `app.parties`):

- services (writes, one use case each, in the caller's transaction): `app.purchasing.services`;
- queries (reads): `queries` (suppliers, price lists, orders, receipts, the order's PDF document),
  `bill_queries` (bills, their match, `payable_bills` for accounts payable), `rfq_queries`, `analysis`
  (`supply_analysis`), `replenishment` (`replenishment`: suggestions with their best supplier), `rules`
  (`buying_rules`), `supply.open_order_supply` (incoming supply for inventory's ATP, registered at assembly);
- the PDF (`pdf.render_order`), the words for the codes (`states`), the pure rules (`domain`).
"""

from app.purchasing import analysis, bill_queries, domain, pdf, queries, rfq_queries, rules, services, states
from app.purchasing.analysis import SupplyAnalysis, supply_analysis
from app.purchasing.bill_queries import PayableBill, payable_bills
from app.purchasing.bills import APPROVED_TOPIC
from app.purchasing.pdf import OrderDocument, render_order
from app.purchasing.receiving import DOCUMENT_KIND as RECEIPT_DOCUMENT_KIND
from app.purchasing.replenishment import ReplenishmentRow, replenishment
from app.purchasing.rules import BuyingRules, buying_rules
from app.purchasing.supply import open_order_supply

__all__ = [
    "APPROVED_TOPIC",
    "RECEIPT_DOCUMENT_KIND",
    "BuyingRules",
    "OrderDocument",
    "PayableBill",
    "ReplenishmentRow",
    "SupplyAnalysis",
    "analysis",
    "bill_queries",
    "buying_rules",
    "domain",
    "open_order_supply",
    "payable_bills",
    "pdf",
    "queries",
    "render_order",
    "replenishment",
    "rfq_queries",
    "rules",
    "services",
    "states",
    "supply_analysis",
]
