"""`python -m bench` (`make bench`): seeds the demo data set once (kept in bench/out/), then measures
the change-feed pull, customer search and telemetry reduction against the running server, then
the console's encrypted local store (first and incremental sync, GUI stalls, search; bench/store.py),
a retention run over the same data set (bench/retention.py), an access package for a customer with
three stations and a year of telemetry (bench/privacy_package.py), then thousands of OCPP stations
against a server of their own (bench/ocpp_load.py), and finally the console's cold start and GUI
stalls with 30 simulated stations (bench/console.py).

Naming benchmarks runs only those: `python -m bench ocpp`, `python -m bench search telemetry`."""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from sqlalchemy import select

from bench import changes_pull, console, ocpp_load, privacy_package, retention, search, store, telemetry
from bench.server import running_server, sign_in
from bench.stats import report
from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.db.models import Operator
from ema_server.operators import create_operator
from ema_server.seed.demo import seed_demo

BENCH_USER = "bench.admin"
BENCH_PASSWORD = "bench-password-not-secret"
DEMO_BENCHMARKS = ("changes", "search", "telemetry")
# `store` serves the demo data set from a server of its own (see bench/store.py).
BENCHMARKS = (*DEMO_BENCHMARKS, "store", "retention", "package", "ocpp", "console", "crash")


async def prepare(path: Path, size: str, seed: int) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        partial_url = f"sqlite+aiosqlite:///{partial}"
        db = Database(partial_url)
        try:
            await upgrade(db.engine)
            started = time.perf_counter()
            counts = await seed_demo(db, size, seed)
            seconds = time.perf_counter() - started
        finally:
            await db.dispose()
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items() if k in {"customers", "devices", "tickets",
                                                                              "telemetry_samples"})
        report(f"seed --demo {size} (SQLite, bulk inserts)", f"{seconds:.0f} s", summary)
        partial.rename(path)
    db = Database(url)
    try:
        async with db.sessions() as session:
            exists = (await session.execute(select(Operator.id).where(Operator.username == BENCH_USER))).first()
            if not exists:
                await create_operator(session, username=BENCH_USER, roles=["admin"], password=BENCH_PASSWORD)
                await session.commit()
    finally:
        await db.dispose()
    return url


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK",
                        help=f"any of {', '.join(BENCHMARKS)} (default all)")
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    ocpp_load.add_arguments(parser)
    args = parser.parse_args()
    if unknown := set(args.benchmarks) - set(BENCHMARKS):
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    selected = set(args.benchmarks or BENCHMARKS)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.size}-seed{args.seed}.db"
    if selected & {*DEMO_BENCHMARKS, "store", "retention"}:
        url = await prepare(path, args.size, args.seed)
    if selected & set(DEMO_BENCHMARKS):
        async with running_server(url) as base:
            headers = await sign_in(base, BENCH_USER, BENCH_PASSWORD)
            if "changes" in selected:
                await changes_pull.run(base, headers, str(path))
            if "search" in selected:
                await search.run(base, headers, str(path), url)
            if "telemetry" in selected:
                await telemetry.run(base, headers, str(path), url)
    if "store" in selected:
        await store.run(path, args.out, BENCH_USER, BENCH_PASSWORD)
    if "retention" in selected:
        await retention.run(path, args.out)
    if "package" in selected:
        await privacy_package.run(args.out)
    if "ocpp" in selected:
        await ocpp_load.run(args.out, args.stations, args.duration, args.ramp_up)
    if "console" in selected:
        await console.run(args.out)
    if "crash" in selected:
        from bench import crash  # the console killed over and over (tests/desktop/crash_harness.py)

        await crash.run(args.out)


if __name__ == "__main__":
    asyncio.run(main())
