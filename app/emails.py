"""E-mail addresses as people type them: one syntax check and one normal form for the whole app."""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str) -> bool:
    """Looks like local@domain.tld, within the 254 characters an address may have."""
    return bool(EMAIL_RE.match(email)) and len(email) <= 254
