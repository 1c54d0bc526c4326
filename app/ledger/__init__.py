"""Accounting: taxes, the general ledger and its rules."""
