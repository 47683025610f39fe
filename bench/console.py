"""Console benchmarks: cold start to the first pane painted with data (against a bare PySide6
window started the same way), and the longest GUI stall while 30 simulated stations stream.

Runs against its own `ema-server serve` on a fresh copy of the small demo data set, with
`ema-sim` driving the stations; every measurement is a separate process (bench/console_probe.py)
so imports and Qt start-up count as they do for an operator.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

from bench.server import running_server
from bench.stats import median, report

DEMO_PASSWORD = os.environ.get("EMA_DEMO_PASSWORD", "ema-demo-2026!")
USER = "demo.admin"
STALL_TARGET_MS = 50.0


async def _probe(*args: str) -> dict[str, float]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.console_probe", *args, "--t0", repr(time.time()),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"console probe {args[0]} failed: {err.decode()[-2000:]}")
    result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def _seed(path: Path) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ema_server", "seed", "--demo", "small", "--db", url, "--fresh",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"seeding failed: {err.decode()[-2000:]}")
    return url


async def run(out: Path, stations: int = 30, seconds: float = 60.0, rounds: int = 3) -> None:
    url = await _seed(out / "console-demo.db")
    async with running_server(url) as base:
        server = base.removesuffix("/api/v1")
        credentials = ("--server", server, "--user", USER, "--password", DEMO_PASSWORD)

        bare = [(await _probe("start", "--bare"))["seconds"] for _ in range(rounds)]
        console = [(await _probe("start", *credentials))["seconds"] for _ in range(rounds)]
        report("console cold start to first pane with data", f"{median(console) * 1000:.0f} ms (median of {rounds})",
               f"bare PySide6 window {median(bare) * 1000:.0f} ms", median(console) / median(bare))

        sim = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ema_sim", "--server", server.replace("http://", "ws://") + "/ocpp",
            # Meter values every 2 s while charging (real stations: 10-60 s), so the panes are busy.
            "--stations", str(stations), "--ocpp", "mixed", "--speed", "10", "--meter-interval", "2",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await asyncio.sleep(20)  # let the fleet connect and start charging
            idle = await _probe("stall", "--bare", "--seconds", str(seconds))
            busy = await _probe("stall", *credentials, "--seconds", str(seconds))
        finally:
            sim.send_signal(signal.SIGTERM)
            await sim.wait()
        report(
            f"GUI stall, {stations} stations streaming ({busy['events']:.0f} events in {seconds:.0f} s)",
            f"longest gap {busy['max_gap_ms']:.0f} ms, p99 {busy['p99_gap_ms']:.0f} ms",
            f"idle window longest {idle['max_gap_ms']:.0f} ms, p99 {idle['p99_gap_ms']:.0f} ms",
            busy["max_gap_ms"] / idle["max_gap_ms"], target=f"< {STALL_TARGET_MS:.0f} ms",
        )
