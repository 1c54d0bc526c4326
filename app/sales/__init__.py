"""Sales: orders, quick order, buyer approvals, credit control, taxes, quotes, delivery planning and fulfilment."""
