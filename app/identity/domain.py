"""Pure identity rules: who may pass a guard, where a sign-in may send you, how long a lock lasts."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

STAFF = "staff"
CUSTOMER = "customer"
STAFF_SUPERROLE = "owner"
CUSTOMER_SUPERROLE = "customer_admin"
SESSION_TTL = timedelta(days=14)
# Sliding expiry is written at most this often, so a busy user costs one write per few minutes, not per page.
SESSION_TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The signed-in person as handlers and templates see them, loaded once per request."""

    id: uuid.UUID
    kind: str
    email: str
    name: str
    roles: frozenset[str]
    customer_id: uuid.UUID | None = None
    customer_name: str | None = None
    locale: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF

    @property
    def is_customer(self) -> bool:
        return self.kind == CUSTOMER

    def has_any(self, roles: Iterable[str]) -> bool:
        """True when the user holds one of `roles` (or the superrole of their kind; no roles: any user)."""
        wanted = frozenset(roles)
        superrole = STAFF_SUPERROLE if self.is_staff else CUSTOMER_SUPERROLE
        return not wanted or superrole in self.roles or bool(wanted & self.roles)


def face_kind(path: str) -> str | None:
    """Which kind of user a path authenticates: staff on /admin, customers elsewhere, either on /lang."""
    if path == "/admin" or path.startswith("/admin/"):
        return STAFF
    if path == "/lang":
        return None
    return CUSTOMER


def session_authenticates(user_kind: str, path: str) -> bool:
    """A staff session only counts on the back office, a customer session only on the storefront."""
    wanted = face_kind(path)
    return wanted is None or wanted == user_kind


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` when it is a path on this site, else `default` (no open redirects, no scheme tricks)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 32 or ch == "\\" for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def minutes_to_wait(blocked_until: datetime, now: datetime) -> int:
    """Whole minutes (at least one) until a rate-limit lock lifts."""
    seconds = (blocked_until - now).total_seconds()
    return max(1, math.ceil(seconds / 60))


def role_change_problem(
    actor_id: uuid.UUID, user_id: uuid.UUID, before: Iterable[str], after: Iterable[str]
) -> str | None:
    """An English message when a role change must be refused: an owner may not demote themself."""
    if actor_id == user_id and STAFF_SUPERROLE in set(before) and STAFF_SUPERROLE not in set(after):
        return "You cannot remove your own owner role. Ask another owner to do it."
    return None


def deactivation_problem(actor_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """An English message when a deactivation must be refused: nobody locks themself out."""
    if actor_id == user_id:
        return "You cannot deactivate your own account."
    return None


def user_status(is_active: bool, has_password: bool) -> str:
    """The status shown in user lists: deactivated, invited (no password yet) or active."""
    if not is_active:
        return "deactivated"
    return "active" if has_password else "invited"
