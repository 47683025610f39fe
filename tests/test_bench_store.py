"""Smoke test of the local-store benchmark (`python -m bench store`, bench/store.py): on a cut-down
small demo data set it runs end to end — first sync in the console probe, plain-SQLite baseline,
ticket changes and the incremental pull, customer search in the store and over HTTP — and prints
every figure. The figures themselves are the benchmark's business, not this test's."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bench.__main__ import BENCH_PASSWORD, BENCH_USER, prepare
from bench.store import run
from ema_server.seed import generate


@pytest.fixture
def tiny_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The small demo set cut down to 60 customers and 300 tickets, and without its 750,000
    telemetry samples, which the store never sees: seeded in a second or two."""
    small = generate.SIZES["small"]
    tiny = replace(small, plan=replace(small.plan, customers=60), tickets=300, privacy_requests=10,
                   telemetry_samples=1_000)
    monkeypatch.setitem(generate.SIZES, "small", tiny)


@pytest.mark.usefixtures("tiny_demo")
async def test_store_benchmark_prints_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_set = tmp_path / "small-seed1.db"
    await prepare(data_set, "small", 1)
    out = tmp_path / "out"

    await run(data_set, out, BENCH_USER, BENCH_PASSWORD, changes=10, queries=12, idle_seconds=0.3)

    printed = capsys.readouterr().out
    first_sync = re.search(r"first sync into the encrypted store +([\d,]+) records .* records/s, store [\d,]+ MiB "
                           r"\| baseline the same ([\d,]+) rows .* \| ratio [\d.]+x", printed)
    assert first_sync, printed
    assert first_sync.group(1) == first_sync.group(2), "the baseline inserts exactly the rows the sync pulled"
    assert re.search(r"longest GUI stall during the first sync +longest gap \d+ ms, p99 \d+ ms .* "
                     r"\| baseline idle window longest \d+ ms", printed), printed
    # Every PATCH changes the ticket and adds an entry to its history: 2 records each.
    assert re.search(r"incremental sync of 10 ticket changes +20 records in [\d,]+ ms", printed), printed
    search = (r"customer search, 12 queries \(limit 100\) +p50 [\d.]+ ms, p95 [\d.]+ ms, .* over 60 cached customers "
              r"\| baseline the same queries through /api/v1/customers\?q= over HTTP")
    assert re.search(search, printed), printed
    assert "found nothing" not in printed, "every query is made from a customer of the data set"
    assert not list((out / "store").glob("local-store.db*")), "the store is deleted afterwards"
