"""Errors a service raises for the user to fix: each one names the field and the reason."""

from __future__ import annotations


class ValidationFailed(Exception):
    """Bad input; `errors` maps a field name to a human message (already translated)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotFound(Exception):
    """The record does not exist for this tenant (or belongs to another: the same answer)."""
