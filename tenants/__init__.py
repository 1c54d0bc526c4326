"""Tenants: the model, host resolution, row-level security helpers and the platform console."""
