"""Local-store benchmarks (issue 6): the console's encrypted offline copy of the demo data set.

1. First sync: the console's own `Synchroniser.pull` over HTTP from `ema-server serve` into a new
   SQLCipher file, in a probe process that is the console's stack (bench/store_probe.py) — time,
   records/s and the store's size, against the same rows read from the server's change_log and
   inserted with `executemany` into a plain sqlite3 file with the same record table.
2. The longest GUI stall during that first sync: a 5 ms heartbeat in the probe's shown window,
   against the same heartbeat in the idle window before the sync.
3. Incremental sync: 1,000 tickets' priority changed through the API, then the pull that brings
   them, against what the same number of records cost in the first sync, and an empty pull.
4. Customer search in the store (`ema_desktop.cache.reads.search_customers`) for a few hundred
   queries an operator types, against the same queries through `/api/v1/customers?q=` over HTTP.

The server is a child process of its own on the data set's file, started with an hour-long
heartbeat interval: with the default five minutes, its watchdog would mark every station of the
data set offline in one long write transaction a few minutes into the first sync.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import secrets
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx

from bench.processes import child
from bench.server import sign_in
from bench.stats import percentile, report
from bench.store_probe import KEY_ENV, NOTED_GAP_MS
from ema_desktop.cache.schema import PARENT_FIELD
from ema_desktop.cache.sync import PAGE_SIZE
from ema_server.domain.text import fold

STALL_TARGET_MS = 50.0
SEARCH_TARGET_MS = 50.0
SEARCH_LIMIT = 100
CHANGES = 1_000
QUERIES = 200
PATCH_CONCURRENCY = 8
# An hour: no station of the data set is connected, and the watchdog gives them one heartbeat
# interval after the server starts before it marks them all offline (see the module docstring).
HEARTBEAT_INTERVAL = "3600"

_PLAIN_TABLE = (
    "CREATE TABLE record (entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER, parent_id TEXT, "
    "data TEXT NOT NULL, changed_at TEXT NOT NULL, PRIMARY KEY (entity, id))"
)
_PLAIN_UPSERT = (
    "INSERT INTO record (entity, id, version, parent_id, data, changed_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, parent_id = excluded.parent_id, "
    "data = excluded.data, changed_at = excluded.changed_at"
)


# ---------------------------------------------------------------------------- probe processes
async def _probe(mode: str, *args: str, key: str, stdin: bytes | None = None) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.store_probe", mode, *args,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", KEY_ENV: key},
    )  # fmt: skip
    out, err = await proc.communicate(stdin)
    if proc.returncode != 0:
        raise RuntimeError(f"store probe {mode} failed: {err.decode(errors='replace')[-3000:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def _store_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# ---------------------------------------------------------------------------- 1. plain SQLite baseline
def plain_insert(server_db: Path, target: Path, until_seq: int) -> tuple[int, float, int]:
    """The first sync's rows, read from the server's change_log (with the parent id the store files
    them under) and upserted with executemany into a plain sqlite3 file, one transaction per
    `PAGE_SIZE` rows as the pull's pages. Returns (rows, seconds, file size)."""
    _remove(target)
    parent = " ".join(f"WHEN '{entity}' THEN json_extract(data, '$.{name}')" for entity, name in PARENT_FIELD.items())
    query = (
        f"SELECT op, entity, entity_id, version, CASE entity {parent} END, data, at FROM change_log "
        # What the benchmark's administrator pulls: every scope but the tombstones only roles without
        # the privacy permission read; deletes too (the server's first retention run makes some).
        "WHERE scope != 'withheld' AND seq <= ? ORDER BY seq"
    )
    rows = 0
    started = time.perf_counter()
    source = sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)
    sink = sqlite3.connect(target, isolation_level=None)
    try:
        sink.execute("PRAGMA journal_mode = WAL")
        sink.execute("PRAGMA synchronous = NORMAL")
        sink.execute(_PLAIN_TABLE)
        cursor = source.execute(query, (until_seq,))
        while batch := cursor.fetchmany(PAGE_SIZE):
            sink.execute("BEGIN IMMEDIATE")
            for op, run in itertools.groupby(batch, key=lambda row: row[0]):  # in feed order
                if op == "upsert":
                    sink.executemany(_PLAIN_UPSERT, [row[1:] for row in run])
                else:
                    sink.executemany("DELETE FROM record WHERE entity = ? AND id = ?", [row[1:3] for row in run])
            sink.execute("COMMIT")
            rows += len(batch)
        sink.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
        sink.close()
    seconds = time.perf_counter() - started
    return rows, seconds, _store_size(target)


async def first_sync(server: str, user: str, password: str, store: Path, key: str, server_db: Path,
                     idle_seconds: float) -> float:
    """Items 1 and 2; returns the first sync's seconds per record (for item 3's baseline)."""
    synced = await _probe("first-sync", "--server", server, "--user", user, "--password", password,
                          "--store", str(store), "--idle-seconds", str(idle_seconds), key=key)
    size = _store_size(store)
    plain = store.with_name("plain-sqlite.db")
    rows, plain_seconds, plain_size = await asyncio.to_thread(plain_insert, server_db, plain, int(synced["cursor"]))
    _remove(plain)
    records, seconds = int(synced["records"]), float(synced["seconds"])
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in synced["phase_seconds"].items() if value >= 0.05)
    report(
        "store: first sync into the encrypted store",
        f"{records:,} records ({synced['pages']:,} pages) in {seconds:.1f} s = {records / seconds:,.0f} records/s, "
        f"store {size / 2**20:,.0f} MiB",
        f"the same {rows:,} rows read from the server's change_log and executemany'd into a plain sqlite3 "
        f"file (same record table and key, {PAGE_SIZE:,} rows per transaction) in {plain_seconds:.1f} s = "
        f"{rows / plain_seconds:,.0f} rows/s, {plain_size / 2**20:,.0f} MiB",
        seconds / plain_seconds,
    )
    print(f"  (first sync time: {phases})", flush=True)
    report(
        "store: longest GUI stall during the first sync",
        f"longest gap {synced['max_gap_ms']:.0f} ms, p99 {synced['p99_gap_ms']:.0f} ms "
        f"({synced['beats']:,.0f} beats of a {synced['beat_ms']} ms heartbeat)",
        f"idle window longest {synced['idle_max_gap_ms']:.0f} ms (up to {synced['idle_gui_waited_for_cpu_max_ms']:.0f} "
        f"ms of it waiting for a CPU), p99 {synced['idle_p99_gap_ms']:.0f} ms",
        synced["max_gap_ms"] / synced["idle_max_gap_ms"], target=f"< {STALL_TARGET_MS:.0f} ms",
    )
    print(f"  (in the {synced['long_gaps']:,.0f} gaps over {NOTED_GAP_MS:.0f} ms the GUI thread spent at most "
          f"{synced['gui_waited_for_cpu_max_ms']:.0f} ms waiting for a CPU, {synced['gui_slept_max_ms']:.0f} ms asleep "
          f"(waiting for the GIL) and {synced['gui_ran_max_ms']:.0f} ms running)", flush=True)
    for gap in synced["worst_gaps"][:5]:
        during = "; ".join(gap["during"]) or "nothing the probe notes"
        slept = gap["gap_ms"] - gap["gui_ran_ms"] - gap["gui_waited_for_cpu_ms"]
        print(f"  ({gap['gap_ms']:.0f} ms gap at {gap['at_s']:.1f} s during {during}: the GUI thread waited "
              f"{gap['gui_waited_for_cpu_ms']:.0f} ms for a CPU, slept {max(slept, 0):.0f} ms, "
              f"ran {gap['gui_ran_ms']:.0f} ms; the store's thread ran {gap['store_ran_ms']:.0f} ms, "
              f"waited {gap['store_waited_for_cpu_ms']:.0f} ms for a CPU)", flush=True)
    return seconds / max(records, 1)


# ---------------------------------------------------------------------------- 3. incremental sync
def tickets_to_change(server_db: Path, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """`count` tickets still being worked on (closed ones keep their priority), each with a new
    priority different from its current one."""
    with closing(sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT id, priority FROM tickets WHERE state != 'closed' ORDER BY id").fetchall()
    chosen = random.Random(seed).sample(rows, min(count, len(rows)))
    return [(ticket_id, "high" if priority != "high" else "normal") for ticket_id, priority in chosen]


async def change_tickets(api: str, headers: dict[str, str], changes: list[tuple[str, str]]) -> float:
    gate = asyncio.Semaphore(PATCH_CONCURRENCY)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=api, headers=headers, timeout=60) as http:

        async def patch(ticket_id: str, priority: str) -> None:
            async with gate:
                response = await http.patch(f"/tickets/{ticket_id}", json={"priority": priority},
                                            headers={"If-Match": "*"})
                response.raise_for_status()

        await asyncio.gather(*(patch(ticket_id, priority) for ticket_id, priority in changes))
    return time.perf_counter() - started


async def incremental_sync(server: str, api: str, headers: dict[str, str], user: str, password: str, store: Path,
                           key: str, server_db: Path, count: int, first_per_record: float) -> None:
    changes = tickets_to_change(server_db, count)
    patch_seconds = await change_tickets(api, headers, changes)
    pulled = await _probe("pull", "--server", server, "--user", user, "--password", password, "--store", str(store),
                          key=key)
    records, seconds = int(pulled["records"]), float(pulled["seconds"])
    at_first_rate = records * first_per_record
    report(
        f"store: incremental sync of {len(changes):,} ticket changes",
        f"{records:,} records in {seconds * 1000:,.0f} ms = {records / seconds:,.0f} records/s, "
        f"{pulled['http_seconds'] * 1000:,.0f} ms of it waiting for pages over HTTP "
        f"(the {len(changes):,} PATCHes took {patch_seconds:.1f} s, {PATCH_CONCURRENCY} at a time)",
        f"as many records at the first sync's rate {at_first_rate * 1000:,.0f} ms; "
        f"a pull with nothing new {pulled['empty_seconds'] * 1000:,.0f} ms",
        seconds / at_first_rate if at_first_rate else None,
    )


# ---------------------------------------------------------------------------- 4. customer search
def search_queries(server_db: Path, count: int = QUERIES, seed: int = 7) -> list[tuple[str, str]]:
    """What a hotline operator types, as (kind, query), from the data set's customers: surnames
    without diacritics, first names, prefixes of 1-4 letters, phone numbers in Czech formats,
    customer numbers and whole names. Each kind's share of `count` is fixed; the customers are a
    seeded sample."""
    with closing(sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)) as conn:
        people = conn.execute(
            "SELECT name, phone, customer_number FROM customers WHERE phone IS NOT NULL AND name LIKE '% %' "
            "ORDER BY id"
        ).fetchall()
    rng = random.Random(seed)
    share = {"surname": 0.2, "first name": 0.15, "prefix": 0.2, "phone": 0.2, "customer number": 0.15,
             "full name": 0.1}
    wanted = {kind: max(1, int(count * part)) for kind, part in share.items()}
    wanted["surname"] += max(0, count - sum(wanted.values()))
    picks = rng.sample(people, min(len(people), sum(wanted.values())))
    pool = iter(picks * (1 + sum(wanted.values()) // max(len(picks), 1)))
    queries: list[tuple[str, str]] = []
    for _ in range(wanted["surname"]):
        queries.append(("surname", fold(next(pool)[0]).split()[-1]))  # "dvorakova" for Dvořáková
    for i in range(wanted["first name"]):
        first = next(pool)[0].split()[0]
        queries.append(("first name", first if i % 2 else fold(first)))  # as written, and without diacritics
    for i in range(wanted["prefix"]):
        letters = 1 + i % 4  # the first 1, 2, 3 or 4 letters of a surname, as they are typed
        queries.append((f"{letters}-letter prefix", fold(next(pool)[0]).split()[-1][:letters]))
    formats = (
        lambda n: f"+420 {n[:3]} {n[3:6]} {n[6:]}",
        lambda n: n,
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
        lambda n: f"00420{n}",
        lambda n: f"+420{n}",
    )
    for i in range(wanted["phone"]):
        queries.append(("phone", formats[i % len(formats)](next(pool)[1].removeprefix("+420"))))
    for _ in range(wanted["customer number"]):
        queries.append(("customer number", next(pool)[2]))
    for _ in range(wanted["full name"]):
        queries.append(("full name", fold(next(pool)[0])))  # "jana novakova"
    return queries[:count]


async def search_over_http(api: str, headers: dict[str, str], queries: list[str]) -> tuple[list[float], int]:
    timings: list[float] = []
    empty = 0
    async with httpx.AsyncClient(base_url=api, headers=headers, timeout=60) as http:
        for query in queries:
            started = time.perf_counter()
            response = await http.get("/customers", params={"q": query, "limit": SEARCH_LIMIT})
            response.raise_for_status()
            items = response.json()["items"]
            timings.append(time.perf_counter() - started)
            empty += not items
    return timings, empty


async def customer_search(api: str, headers: dict[str, str], store: Path, key: str, server_db: Path,
                          count: int) -> None:
    kinds_and_queries = search_queries(server_db, count)
    queries = [query for _, query in kinds_and_queries]
    local = await _probe("search", "--store", str(store), key=key, stdin=json.dumps(queries).encode())
    timings = [float(t) for t in local["seconds"]]
    remote, remote_empty = await search_over_http(api, headers, queries)
    p50, p95 = percentile(timings, 50) * 1000, percentile(timings, 95) * 1000
    r50, r95 = percentile(remote, 50) * 1000, percentile(remote, 95) * 1000
    report(
        f"store: customer search, {len(queries)} queries (limit {SEARCH_LIMIT})",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, longest {max(timings) * 1000:.0f} ms "
        f"over {local['customers']:,} cached customers",
        f"the same queries through /api/v1/customers?q= over HTTP p50 {r50:.0f} ms, p95 {r95:.0f} ms",
        p95 / r95 if r95 else None, target=f"p95 < {SEARCH_TARGET_MS:.0f} ms",
    )
    by_kind: dict[str, list[tuple[float, float]]] = {}
    for (kind, _), mine, theirs in zip(kinds_and_queries, timings, remote, strict=True):
        by_kind.setdefault(kind, []).append((mine, theirs))
    print("  (p50/p95 ms by kind, store vs HTTP: " + "; ".join(
        f"{kind} ({len(pairs)}) {percentile([m for m, _ in pairs], 50) * 1000:.0f}/"
        f"{percentile([m for m, _ in pairs], 95) * 1000:.0f} vs {percentile([t for _, t in pairs], 50) * 1000:.0f}/"
        f"{percentile([t for _, t in pairs], 95) * 1000:.0f}"
        for kind, pairs in sorted(by_kind.items())) + ")", flush=True)
    slowest = sorted(zip(timings, queries, strict=True), reverse=True)[:3]
    print("  (slowest in the store: " + ", ".join(f"{q!r} {t * 1000:.0f} ms" for t, q in slowest) + ")", flush=True)
    if local["empty"] or remote_empty:
        print(f"  (found nothing: {local['empty']} queries in the store, {remote_empty} over HTTP)", flush=True)


# ---------------------------------------------------------------------------- all of it
async def run(server_db: Path, out: Path, user: str, password: str, *, changes: int = CHANGES,
              queries: int = QUERIES, idle_seconds: float = 5.0, keep_store: bool = False) -> str | None:
    """The store benchmarks against a server of their own on `server_db` (prepared by bench's
    prepare(): the data set with the operator `user`). The store is deleted afterwards unless
    `keep_store` (for looking into it: then its key is returned)."""
    work = out / "store"
    work.mkdir(parents=True, exist_ok=True)
    store = work / "local-store.db"
    _remove(store)
    key = secrets.token_hex(32)
    url = f"sqlite+aiosqlite:///{server_db}"
    try:
        async with child(["-m", "ema_server", "serve", "--port", "0", "--heartbeat-interval", HEARTBEAT_INTERVAL],
                         ready="listening on", log=work / "server.log", env={"EMA_DB_URL": url}) as server:
            api = server.address + "/api/v1"
            per_record = await first_sync(server.address, user, password, store, key, server_db, idle_seconds)
            headers = await sign_in(api, user, password)
            await incremental_sync(server.address, api, headers, user, password, store, key, server_db, changes,
                                   per_record)
            await customer_search(api, headers, store, key, server_db, queries)
    finally:
        if not keep_store:
            _remove(store)
    return key if keep_store else None
