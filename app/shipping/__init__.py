"""Carriers, their services and rate tables, and shipping quotes."""
