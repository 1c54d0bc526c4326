"""Benchmarks that print figures against their targets (`make bench`, `python -m bench.tenant_create`)."""
