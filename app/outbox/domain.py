"""Pure rules of outbox delivery: how long to wait before retrying, and when to give up."""

from __future__ import annotations

import random
from datetime import timedelta

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 8
JITTER = 0.2  # up to 20 % shorter, so events that failed together do not retry together


def retry_delay(attempts: int, jitter: float | None = None) -> timedelta:
    """Exponential back-off after `attempts` failures: 30 s * 2^(attempts-1), capped at 1 h, minus jitter.

    `jitter` is a number in [0, 1) (random when omitted) so tests can pin it.
    """
    if attempts < 1:
        raise ValueError("attempts starts at 1")
    fraction = random.random() if jitter is None else jitter
    # Cap the exponent too: 2**attempts would grow without bound for a misconfigured limit.
    delay = min(BASE_DELAY * 2 ** min(attempts - 1, 20), MAX_DELAY)
    return delay * (1 - JITTER * fraction)


def gives_up(attempts: int) -> bool:
    """After this many failed attempts an event is marked failed and no longer retried."""
    return attempts >= MAX_ATTEMPTS
