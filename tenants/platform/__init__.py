"""The platform console: the operator creates and manages tenants."""
