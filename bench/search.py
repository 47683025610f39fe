"""Customer search latency over HTTP for 20 representative queries (what a hotline operator types:
names with and without diacritics, phones in every format, numbers, IČO, DIČ, e-mail, serials)."""

from __future__ import annotations

import random
import sqlite3
import time

import httpx
from sqlalchemy import select

from bench.stats import percentile, report
from ema_server.db.engine import Database
from ema_server.db.models import Customer
from ema_server.domain.text import fold
from ema_server.search import customer_search_clause

ROUNDS = 5


def representative_queries(path: str, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    with sqlite3.connect(path) as conn:
        people = conn.execute(
            "SELECT name, phone, customer_number, email FROM customers WHERE kind = 'consumer' AND phone IS NOT NULL "
            "ORDER BY id LIMIT 2000"
        ).fetchall()
        firms = conn.execute(
            "SELECT company_name, ico, dic FROM customers WHERE ico IS NOT NULL AND dic IS NOT NULL "
            "ORDER BY id LIMIT 500"
        ).fetchall()
        stations = conn.execute(
            "SELECT serial, ocpp_identity FROM devices WHERE ocpp_identity IS NOT NULL ORDER BY id LIMIT 500"
        ).fetchall()
    chosen = rng.sample(people, 10)
    firm = rng.sample(firms, 3)
    station = rng.choice(stations)
    national = [p[1].removeprefix("+420") for p in chosen[:3]]
    return [
        fold(chosen[0][0]).split()[-1],                       # surname typed without diacritics
        fold(chosen[1][0]).split()[-1],
        chosen[2][0].split()[-1],                             # surname as written
        chosen[3][0],                                         # full name with diacritics
        fold(chosen[4][0]),                                   # full name without
        f"+420 {national[0][:3]} {national[0][3:6]} {national[0][6:]}",
        national[1],
        f"00420{national[2]}",
        f"{national[0][:3]} {national[0][3:6]} {national[0][6:]}",
        chosen[5][2],                                         # customer number
        chosen[6][2],
        firm[0][1],                                           # IČO
        firm[1][1],
        firm[2][2],                                           # DIČ
        chosen[7][3],                                         # e-mail
        chosen[8][3].split("@")[0],                           # e-mail local part
        firm[0][0].split()[0],                                # company name fragment
        station[0],                                           # device serial
        station[1],                                           # OCPP identity
        "novak",                                              # a very common name: many matches
    ]


async def _direct(db_url: str, queries: list[str]) -> list[float]:
    db = Database(db_url)
    timings = []
    try:
        async with db.sessions() as session:
            for _ in range(ROUNDS):
                for q in queries:
                    started = time.perf_counter()
                    await session.execute(select(Customer.id).where(customer_search_clause(q)).limit(50))
                    timings.append(time.perf_counter() - started)
    finally:
        await db.dispose()
    return timings


async def run(base: str, headers: dict[str, str], sqlite_path: str, db_url: str) -> None:
    queries = representative_queries(sqlite_path)
    timings: list[float] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        for _ in range(ROUNDS):
            for q in queries:
                started = time.perf_counter()
                response = await http.get("/customers", params={"q": q, "limit": 50})
                timings.append(time.perf_counter() - started)
                response.raise_for_status()
                if not response.json()["items"]:
                    print(f"  (no result for query #{queries.index(q) + 1})")
    direct = await _direct(db_url, queries)
    p50, p95 = percentile(timings, 50) * 1000, percentile(timings, 95) * 1000
    d50, d95 = percentile(direct, 50) * 1000, percentile(direct, 95) * 1000
    report(
        f"customer search over HTTP ({len(queries)} queries x {ROUNDS})",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        f"the same SQL in process p50 {d50:.1f} ms, p95 {d95:.1f} ms",
        p95 / d95 if d95 else None,
    )
