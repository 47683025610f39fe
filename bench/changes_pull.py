"""Full pull of the change feed over HTTP, as a console's first sync does, against reading the same
rows straight from the database file."""

from __future__ import annotations

import sqlite3
import time

import httpx

from bench.stats import report

PAGE = 10_000


async def pull_all(base: str, headers: dict[str, str]) -> tuple[int, float]:
    records, cursor = 0, "0"
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
        while True:
            response = await http.get("/changes", params={"since": cursor, "limit": PAGE})
            response.raise_for_status()
            page = response.json()
            records += len(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
    return records, time.perf_counter() - started


def read_directly(path: str) -> tuple[int, float]:
    started = time.perf_counter()
    with sqlite3.connect(path) as conn:
        rows = 0
        cursor = conn.execute(
            "SELECT seq, entity, entity_id, op, version, data, at FROM change_log "
            "WHERE scope IN ('general', 'privacy') ORDER BY seq"
        )
        while batch := cursor.fetchmany(PAGE):
            rows += len(batch)
    return rows, time.perf_counter() - started


async def run(base: str, headers: dict[str, str], sqlite_path: str) -> None:
    direct_rows, direct_seconds = read_directly(sqlite_path)
    records, seconds = await pull_all(base, headers)
    report(
        "changes: full pull over HTTP",
        f"{records:,} records in {seconds:.1f} s = {records / seconds:,.0f} records/s",
        f"direct SQLite read {direct_rows:,} rows in {direct_seconds:.2f} s = {direct_rows / direct_seconds:,.0f}/s",
        seconds / direct_seconds,
    )
