"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with its default (RFC 9106 low-memory) cost. The test suite sets BODEGA_CHEAP_PASSWORD_HASH=1 for
# the same algorithm at its cheapest cost: thousands of sign-ins at 0.12 s each would cost minutes, and what
# is tested is the flow, not argon2's cost. Never set it anywhere else.
_hasher = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if os.environ.get("BODEGA_CHEAP_PASSWORD_HASH") == "1"
    else PasswordHasher()
)
# Verified against when the account does not exist, so timing does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash("bodega-dummy-password")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """A message (English source, translated by the caller) when the password is too weak."""
    if len(password) < MIN_LENGTH:
        return "Use at least %(n)s characters."
    if password.isdigit() or (password.lower() == password and password.isalpha()):
        return "Mix letters with digits, capitals or symbols."
    return None
