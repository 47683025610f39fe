"""Crash benchmark (issue 6): the console process SIGKILLed at random moments of its first sync and
of its outbox replay, hundreds of times, with every round checked (tests/desktop/crash_harness.py):
the store opens and passes SQLite's integrity checks, holds exactly the change feed up to its
cursor (but what store hygiene purges), and every operator write is on the server at most once
while in the outbox and exactly once after it.

Against its own `ema-server serve` on a fresh copy of the small demo data set; two consoles at a
time (two operators' computers), one killed during first syncs, one during replays. Prints the
rounds, where the kills landed, the writes delivered exactly once and the time per round; the
round log is bench/out/crash/*/rounds.log.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from pathlib import Path

from bench.stats import report
from ema_server.seed.demo import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV
from tests.desktop.crash_harness import CrashHarness, ServerProcess, summary

ROUNDS = 200
SEED = 1
INITIAL_WRITES = ["comment", "state", "comment", "contact", "note", "photo", "comment", "comment", "state", "comment"]


async def _seed(path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ema_server", "seed", "--demo", "small", "--db", f"sqlite+aiosqlite:///{path}",
        "--fresh", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"seeding failed: {err.decode(errors='replace')[-2000:]}")


async def _syncs(harness: CrashHarness, rounds: int) -> None:
    await harness.sync_rounds(rounds)
    await harness.finish_sync()


async def _replays(harness: CrashHarness, rounds: int) -> None:
    await harness.finish_sync()
    await harness.begin_writes()
    await harness.add_writes(len(INITIAL_WRITES), kinds=INITIAL_WRITES)
    for number in range(rounds):
        if number and harness.rng.random() < 0.3:
            await harness.add_writes(harness.rng.randint(1, 3))
        await harness.replay_round()
    await harness.finish_replay()
    wrong = await harness.final_values()
    if wrong:
        raise RuntimeError(harness.explain("; ".join(wrong)))


async def run(out: Path, rounds: int = ROUNDS, seed: int = SEED) -> None:
    workdir = out / "crash"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    db = workdir / "server.db"
    await _seed(db)
    password = os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)
    server = ServerProcess(db, workdir / "server.log")
    url = await server.start()
    syncing = CrashHarness(workdir / "sync", url, db, password=password, seed=seed)
    replaying = CrashHarness(workdir / "replay", url, db, password=password, seed=seed + 1)
    started = time.perf_counter()
    try:
        await syncing.start()
        await replaying.start()
        async with asyncio.TaskGroup() as group:
            group.create_task(_syncs(syncing, rounds // 2))
            group.create_task(_replays(replaying, rounds - rounds // 2))
    finally:
        await syncing.stop()
        await replaying.stop()
        await server.stop()
    seconds = time.perf_counter() - started

    sync, replay = syncing.stats, replaying.stats
    total = len(sync.rounds) + len(replay.rounds)
    report("crash: console SIGKILLed, rounds", f"{total} in {seconds:.0f} s, {seconds / total:.1f} s per round "
           "(two consoles at a time)")
    report("crash: kills during first sync", f"{sync.count('sync', 'sync')} of {len(sync.rounds)} rounds "
           f"(at start-up {sync.count('sync', 'startup')}, after it {sync.count('sync', 'after')})")
    report("crash: kills during outbox replay", f"{replay.count('replay', 'replay')} of {len(replay.rounds)} rounds "
           f"({sum(1 for r in replay.rounds if r.in_flight)} with a write sent and its answer unrecorded, "
           f"{sum(1 for r in replay.rounds if r.applied_unrecorded)} of them applied on the server)")
    report("crash: writes delivered exactly once", f"{replay.delivered_once} of {replay.writes}",
           target="all, none twice")
    report("crash: sign-ins lost to a kill", f"{sync.sign_ins_lost + replay.sign_ins_lost} launches "
           "(refresh token rotated by the server, the new one not yet in the keyring)")
    for line in [*summary(sync), *summary(replay)]:
        print("  " + line, flush=True)
