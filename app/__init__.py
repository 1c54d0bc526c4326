"""Bodega: one system for a company's B2B web shop and its ERP."""
