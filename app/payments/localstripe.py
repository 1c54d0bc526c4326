"""localstripe, a fake Stripe server, for the test suite and `bodega run`: start it on a free port, wait until it
answers, register the app's webhook endpoint with it, and name the test cards it understands.

It is started as `python -m app.payments.localstripe --port N --from-scratch`: localstripe itself, with one
change in that process only: host names under `.localhost` resolve to the loopback address (RFC 6761, as every
browser does), so that it can deliver signed webhooks to a tenant's host such as http://demo.localhost:8000,
which the system resolver of many machines does not know. Nothing here is used when real Stripe keys are set.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import httpx

from app.payments._errors import N_

SECRET_KEY = "sk_test_localstripe_bodega"  # noqa: S105 - localstripe takes any key starting with sk_
PUBLISHABLE_KEY = "pk_test_localstripe_bodega"


class TestCard(NamedTuple):
    """A card number localstripe (and Stripe's test mode) treats in a known way."""

    number: str
    outcome: str  # English msgid, marked for translation


TEST_CARDS = (
    TestCard("4242424242424242", N_("the payment succeeds")),
    TestCard("4000000000000341", N_("the card is declined")),
    TestCard("4000000000003220", N_("asks for 3-D Secure, then succeeds or fails as you choose")),
)


def available() -> bool:
    """Whether localstripe is installed (the `test` extra)."""
    return importlib.util.find_spec("localstripe") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalStripe:
    """A running localstripe: its API base address and the process (stop() ends it)."""

    url: str
    process: subprocess.Popen = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start(port: int | None = None, *, timeout: float = 20.0, log=subprocess.DEVNULL) -> LocalStripe:
    """Start localstripe on `port` (a free one when None) and return once it answers an authenticated call."""
    port = port or free_port()
    args = [sys.executable, "-m", "app.payments.localstripe", "--port", str(port), "--from-scratch"]
    process = subprocess.Popen(args, stdout=log, stderr=log)  # noqa: S603 - our own module, fixed arguments
    server = LocalStripe(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = httpx.get(f"{server.url}/v1/balance", auth=(SECRET_KEY, ""), timeout=1)
            if answer.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"localstripe did not start on port {port}")
        time.sleep(0.1)


def register_webhook(api_base: str, webhook_id: str, url: str, secret: str, events: list[str] | None = None) -> None:
    """Tell localstripe to deliver events (all, or `events`) to `url`, signed with `secret` as Stripe signs them.
    Registering the same id again replaces the endpoint."""
    data: dict[str, str] = {"url": url, "secret": secret}
    for index, event in enumerate(events or ()):
        data[f"events[{index}]"] = event
    answer = httpx.post(f"{api_base}/_config/webhooks/{webhook_id}", data=data, timeout=5)
    answer.raise_for_status()


def _resolve_localhost_names() -> None:
    """Names under .localhost are the loopback address (RFC 6761 section 6.3), whatever the resolver says."""
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.rstrip(".").lower().endswith(".localhost"):
            host = "127.0.0.1"
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def _serve() -> None:
    _resolve_localhost_names()
    from localstripe.server import start as serve

    serve()


if __name__ == "__main__":
    _serve()
