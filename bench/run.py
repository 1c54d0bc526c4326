"""`make bench`: HTTP throughput of the storefront and back office against a /healthz baseline.

    python -m bench.run [--workers 1 2] [--connections 32] [--duration 10] [--products 10000] [--only storefront]

Prints one table per granian worker count and writes bench/results/http-<timestamp>.json.
Tenant creation has its own bench: `python -m bench.tenant_create`.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from bench.http import RESULTS, ROUTES, run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="granian worker counts (default 1)")
    parser.add_argument("--connections", type=int, default=32, help="wrk concurrent connections (default 32)")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per route (default 10)")
    parser.add_argument(
        "--products",
        type=int,
        default=10_000,
        help="grow the demo catalogue to this many products first (default 10,000, the issue's catalogue size)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[r.name for r in ROUTES],
        help="measure only this route (repeatable); the healthz baseline is always measured",
    )
    return parser.parse_args(argv)


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the context managers that stop granian and PostgreSQL


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    print(
        f"wrk -t1 -c{args.connections}, {args.duration:g} s per route after a 2 s warm-up; workers {args.workers}\n",
        flush=True,
    )
    try:
        report = run(args.workers, args.connections, args.duration, args.only or [], args.products)
    except KeyboardInterrupt:
        print("\ninterrupted; everything started was stopped", file=sys.stderr)
        return 130
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"http-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"figures written to {path.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
