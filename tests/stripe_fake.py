"""localstripe for the test suite: one fake Stripe server per test session (per pytest-xdist worker), and the
settings and app that use it. Tests of card payments ask for `stripe_settings` / `stripe_app`; everything else
keeps the default settings, without Stripe (card payment unavailable).

Without localstripe installed the payment tests skip, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import replace

import pytest

from app.payments import localstripe
from app.settings import Settings


@pytest.fixture(scope="session")
def localstripe_url():
    """The API base of a localstripe started for this session."""
    if not localstripe.available():
        if os.environ.get("CI"):
            pytest.fail("localstripe is not installed: CI installs the test extra")
        pytest.skip("localstripe is not installed (pip install -e '.[test]')")
    server = localstripe.start()
    yield server.url
    server.stop()


@pytest.fixture
def stripe_settings(settings: Settings, localstripe_url: str) -> Settings:
    """The test settings with Stripe pointed at localstripe and a webhook signing secret of this test's own."""
    return replace(
        settings,
        stripe_secret_key=localstripe.SECRET_KEY,
        stripe_publishable_key=localstripe.PUBLISHABLE_KEY,
        stripe_webhook_secret="whsec_" + secrets.token_hex(16),
        stripe_api_base=localstripe_url,
    )


@pytest.fixture
def stripe_app(stripe_settings: Settings, db):
    from app.factory import create_app

    return create_app(stripe_settings, database=db)


def signed_headers(payload: bytes, secret: str, *, at: int | None = None) -> dict[str, str]:
    """A Stripe-Signature header made the way Stripe makes it: HMAC-SHA256 of "<t>.<payload>" with the secret."""
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), b"%d.%s" % (at, payload), hashlib.sha256).hexdigest()
    return {"stripe-signature": f"t={at},v1={digest}", "content-type": "application/json"}


def event_payload(event_id: str, event_type: str, obj: dict) -> bytes:
    """An event body shaped as Stripe (and localstripe) send it."""
    event = {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "livemode": False,
        "created": int(time.time()),
        "api_version": "2024-06-20",
        "data": {"object": obj},
    }
    return json.dumps(event).encode()
