"""Retention run over the `large` demo data set (issue 7): how long the daily run takes.

The data set (bench/out/large-seed1.db, seeded once by `python -m bench`) is copied first: a real
run deletes and anonymises, and the other benchmarks need the data as seeded. On the copy:

1. Baseline: a plain COUNT(*) over every table the run looks at, in one sqlite3 connection: the
   least any run must cost to find out what is there.
2. Dry run: `run_retention(dry_run=True)`: per category, counts what expired and what a legal
   hold keeps (two counting queries per record class).
3. Real run: the same, then deleting and anonymising in batches of 1,000, one transaction each,
   through the ORM for tables on the change feed (tombstones for consoles).
4. The next day's run: what is left to do is nothing; the steady-state daily cost.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.stats import report
from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.privacy.retention import RECORD_CLASSES, run_retention

WORK_NAME = "retention-work.db"


def _copy(source: Path, target: Path) -> float:
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    wal = source.with_name(source.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        # Fold the source's write-ahead log in first, so one file is the whole database.
        with sqlite3.connect(source) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, target)
    return time.perf_counter() - started


def _count_baseline(path: Path) -> tuple[float, int]:
    tables = sorted({r.key.class_.__tablename__ for r in RECORD_CLASSES})
    started = time.perf_counter()
    total = 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for table in tables:
            total += conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # our own table names
    return time.perf_counter() - started, total


def _done(summary: dict[str, Any]) -> str:
    records = summary.get("details", {}).get("records", {})
    parts = []
    for name, counts in records.items():
        handled = {k: v for k, v in counts.items() if k != "skipped_legal_hold" and v}
        if handled:
            parts.append(f"{name} " + "/".join(f"{k} {v:,}" for k, v in sorted(handled.items())))
    parts.append(f"held {summary.get('skipped_legal_hold', 0):,}")
    return ", ".join(parts)


async def run(source: Path, out: Path) -> None:
    work = out / WORK_NAME
    copy_seconds = _copy(source, work)
    db = Database(f"sqlite+aiosqlite:///{work}")
    try:
        started = time.perf_counter()
        await upgrade(db.engine)
        report("retention: copy + migrate the large data set", f"{copy_seconds:.0f} s + "
               f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        baseline_seconds, rows = _count_baseline(work)
        baseline = f"COUNT(*) over the same {len({r.key.class_ for r in RECORD_CLASSES})} tables " \
                   f"({rows:,} rows) {baseline_seconds:.2f} s"  # fmt: skip

        started = time.perf_counter()
        dry = await run_retention(db, dry_run=True, trigger="cli")
        seconds = time.perf_counter() - started
        report("retention: dry run, large", f"{seconds:.1f} s", baseline, seconds / baseline_seconds)
        print(f"    would: {_done(dict(dry.summary))}", flush=True)

        started = time.perf_counter()
        real = await run_retention(db, trigger="cli")
        seconds = time.perf_counter() - started
        report("retention: real run, large", f"{seconds:.1f} s", baseline, seconds / baseline_seconds)
        print(f"    did: {_done(dict(real.summary))}", flush=True)
        summary: dict[str, Any] = dict(real.summary)
        spent: dict[str, float] = summary.get("details", {}).get("seconds", {})
        slowest = sorted(spent.items(), key=lambda item: -item[1])[:4]
        print("    slowest: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in slowest), flush=True)

        started = time.perf_counter()
        await run_retention(db, trigger="cli")
        seconds = time.perf_counter() - started
        report("retention: next day's run (nothing left)", f"{seconds:.1f} s", baseline, seconds / baseline_seconds)
    finally:
        await db.dispose()
        for suffix in ("", "-wal", "-shm"):
            work.with_name(work.name + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    import asyncio
    import sys

    here = Path(__file__).parent / "out"
    asyncio.run(run(Path(sys.argv[1]) if len(sys.argv) > 1 else here / "large-seed1.db", here))
