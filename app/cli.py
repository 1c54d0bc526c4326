"""The `bodega` command: serve, worker, db, tenants, users, operators, demo and `run` (the dev stack)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import click

from app.assembly import assemble
from app.cli_admin import owner_url, settings
from app.settings import ROOT, Settings


@click.group()
def main() -> None:
    """Bodega: B2B web shop and ERP."""
    assemble()


@main.group()
def db() -> None:
    """Database migrations (run as the owner role)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    from app.migrate import upgrade

    upgrade(owner_url(), revision)
    click.echo(f"database upgraded to {revision}")


@db.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    from app.migrate import downgrade

    downgrade(owner_url(), revision)
    click.echo(f"database downgraded to {revision}")


@main.command()
@click.option("--host", default="0.0.0.0")  # noqa: S104 - a server listens on all interfaces
@click.option("--port", default=8000, type=int)
@click.option("--workers", default=1, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app with granian."""
    owner_url()
    os.execvp(sys.executable, _granian_args(host, port, workers))  # noqa: S606


def _granian_args(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--factory",
        "app.asgi:create",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--no-ws",
        "--log-level",
        "warning",
    ]


@main.command()
def worker() -> None:
    """Deliver outbox events and run background jobs until stopped."""
    from app.worker import run_worker

    asyncio.run(run_worker(settings()))


@main.command()
def demo() -> None:
    """Create the demo tenant and its data if missing (idempotent)."""
    from app.demo import ensure_demo

    lines = asyncio.run(ensure_demo(settings()))
    for line in lines:
        click.echo(line)


@main.command()
@click.option("--port", default=8000, type=int)
def run(port: int) -> None:
    """The development stack: embedded PostgreSQL, migrations, demo data, worker and server."""
    from app.migrate import upgrade

    url = owner_url()
    os.environ.setdefault("COOKIE_SECURE", "false")
    os.environ["PORT"] = str(port)
    upgrade(url)
    from app.demo import ensure_demo

    lines = asyncio.run(ensure_demo(Settings.from_env()))
    fake_stripe, card_lines = _card_payments(port)
    lines = [*lines, *card_lines]
    env = dict(os.environ)
    procs = [
        subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=env),
        subprocess.Popen(_granian_args("0.0.0.0", port, 1), cwd=ROOT, env=env),  # noqa: S603, S104
    ]
    click.echo("\n".join(["", "Bodega is running:", *lines, "", "Press Ctrl-C to stop."]))
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in procs):
        time.sleep(0.3)
    if fake_stripe is not None:
        fake_stripe.stop()
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    click.echo("stopped")


def _card_payments(port: int):
    """Card payments for the dev stack: real Stripe keys in the environment win; else localstripe (the test
    extra) is started beside the app, with the demo tenant's webhook registered and the test cards printed;
    else card payment stays unavailable. Returns the localstripe process (or None) and the lines to print."""
    if os.environ.get("STRIPE_SECRET_KEY"):
        return None, ["", "Card payments: Stripe, with the keys from the environment."]
    from app.payments import localstripe

    if not localstripe.available():
        return None, ["", "Card payments: unavailable (set STRIPE_SECRET_KEY, or pip install -e '.[test]')."]
    secret = "whsec_dev_" + os.urandom(12).hex()
    log = open(ROOT / ".data" / "localstripe.log", "ab")  # noqa: SIM115 - the process writes it until stopped
    server = localstripe.start(log=log)
    os.environ.update(
        STRIPE_SECRET_KEY=localstripe.SECRET_KEY,
        STRIPE_PUBLISHABLE_KEY=localstripe.PUBLISHABLE_KEY,
        STRIPE_WEBHOOK_SECRET=secret,
        STRIPE_API_BASE=server.url,
    )
    dev = Settings.from_env()
    hook = dev.public_url(f"demo.{dev.base_domain}", "/stripe/webhook")
    localstripe.register_webhook(server.url, "bodega-demo", hook, secret)
    cards = [f"  {card.number}  {card.outcome}" for card in localstripe.TEST_CARDS]
    return server, ["", f"Card payments: localstripe at {server.url} (test mode; webhooks to {hook})", *cards]


from app.cli_admin import operators, tenants, users  # noqa: E402 - after main, which they join

main.add_command(tenants)
main.add_command(users)
main.add_command(operators)

if __name__ == "__main__":
    main()
