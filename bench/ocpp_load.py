"""OCPP load: thousands of simulated charging stations against `ema-server serve`, and the same load
against a bare WebSocket echo server as the baseline (`python -m bench ocpp`).

For each server: N stations connect over the ramp-up (spread evenly), boot, then send MeterValues
every 10 s and a Heartbeat every 60 s (see bench/ocpp_generator.py). Once all have booted and a
meter interval has passed, a steady-state window of `--duration` seconds measures the answered
messages per second, the call→result latency, the server's CPU and memory (from /proc) and the
generator's own CPU and event-loop lag. While the window runs against EMA, one more station sends
MeterValues every 0.5 s and a technician's /api/v1/events stream times how long each takes to
arrive there as a `telemetry` event.

The EMA server runs on a fresh SQLite database in bench/out/, deleted afterwards; its log and the
echo server's stay in bench/out/ocpp-*.log for diagnosis.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from bench.ocpp_generator import (
    CallFailed,
    LoadGenerator,
    LoadPlan,
    Station,
    Window,
    boot_payload,
    meter_values_payload,
)
from bench.processes import Child, Usage, child, log_tail, stop, usage
from bench.server import sign_in
from bench.stats import percentile, report
from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.db.models import Connector, Customer, Device, Site
from ema_server.security import hash_station_password

STATION_PASSWORD = "bench-station-password-0001"
TECHNICIAN = "bench.technician"
TECHNICIAN_PASSWORD = "bench-technician-password"
PROBE_IDENTITY = "BENCH-PROBE"
PROBE_PERIOD = 0.5
PROBE_SAMPLES = 100
DEFAULT_STATIONS = 2000
DEFAULT_DURATION = 60.0
CONNECTS_PER_SECOND = 50
"""The default ramp-up spreads the first connections at this rate (a fleet after a server restart
reconnects with random back-off, not all in the same second)."""
METER_INTERVAL = 10.0
HEARTBEAT_INTERVAL = 60.0
CAUGHT_UP_P90 = 1.0
"""The window starts once the last 5 s of answers came within this many seconds (p90): the
ramp-up's connects and boots can leave a backlog that would otherwise be measured as steady state."""
CATCH_UP_LIMIT = 120.0
HOLD_P99 = 1.0
"""A server holds the load when every station stays connected without errors, it answers what is
offered, and its p99 stays under this many seconds: a server short of capacity queues the work,
so its latency grows for as long as the load lasts."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ocpp load")
    group.add_argument("--stations", type=int, default=DEFAULT_STATIONS,
                       help=f"simulated charging stations (default {DEFAULT_STATIONS})")
    group.add_argument("--duration", type=float, default=DEFAULT_DURATION,
                       help=f"seconds of steady state measured after the ramp-up (default {DEFAULT_DURATION:g})")
    group.add_argument("--ramp-up", type=float, default=None,
                       help=f"seconds over which the stations connect (default stations / {CONNECTS_PER_SECOND})")


@dataclass
class Probe:
    """The extra station's MeterValues: when each was sent, answered, and seen on /events."""

    sent: dict[int, float] = field(default_factory=dict)
    answer_latencies: list[float] = field(default_factory=list)
    received: dict[int, float] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    """Set whenever one of its samples arrives on /events."""

    def missing(self) -> int:
        return len(self.sent.keys() - self.received.keys())

    def event_latencies(self) -> list[float]:
        return [self.received[ts] - sent for ts, sent in self.sent.items() if ts in self.received]


@dataclass
class Measurement:
    stations: int
    generator: LoadGenerator
    window: Window
    ramp_seconds: float
    catch_up_seconds: float
    caught_up: bool
    idle: Usage
    at_start: Usage
    at_end: Usage
    probe: Probe | None = None

    @property
    def answered_per_second(self) -> float:
        return self.window.answered / self.window.seconds

    @property
    def server_cpu_percent(self) -> float:
        return 100 * (self.at_end.cpu_seconds - self.at_start.cpu_seconds) / self.window.seconds

    @property
    def problems(self) -> int:
        return (sum(self.generator.connect_failures.values()) + sum(self.generator.dropped.values())
                + sum(self.window.errors.values()))  # fmt: skip


# --- preparing the database --------------------------------------------------------------------


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def register_stations(url: str, identities: list[str]) -> dict[str, str]:
    """Registers the stations straight in the database (one customer and site, one connector
    each); returns identity → device id. The password is hashed once and the hash shared."""
    password_hash = hash_station_password(STATION_PASSWORD)
    db = Database(url)
    try:
        await upgrade(db.engine)
        async with db.sessions() as session:
            customer = Customer(customer_number="B0000001", kind="company", name="Bench Fleet",
                                company_name="Bench Fleet s.r.o.")
            session.add(customer)
            await session.flush()
            site = Site(customer_id=customer.id, name="Depot", street="Průmyslová 1", city="Brno",
                        postal_code="62700", district="Brno-město", region="Jihomoravský kraj", latitude=49.19,
                        longitude=16.61)  # fmt: skip
            session.add(site)
            await session.flush()
            devices = [
                Device(customer_id=customer.id, site_id=site.id, kind="charging_station", vendor="SECTRON",
                       model="Bench AC22", serial=identity, ocpp_identity=identity, ocpp_version="1.6",
                       ocpp_password_hash=password_hash, region=site.region, status="Offline")
                for identity in identities
            ]  # fmt: skip
            session.add_all(devices)
            await session.flush()
            session.add_all([Connector(device_id=d.id, connector_no=1, standard="Type2", max_power_kw=22.0)
                             for d in devices])  # fmt: skip
            await session.commit()
            return {d.serial: d.id for d in devices}
    finally:
        await db.dispose()


async def create_technician(url: str) -> None:
    """Through the CLI, as an administrator would."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ema_server", "--db", url, "create-operator", "--username", TECHNICIAN,
        "--role", "technician", "--password-stdin",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        async with asyncio.timeout(120):
            output, _ = await proc.communicate(f"{TECHNICIAN_PASSWORD}\n".encode())
    finally:
        await stop(proc)
    if proc.returncode != 0:
        raise RuntimeError(f"ema-server create-operator failed ({proc.returncode}): {output.decode(errors='replace')}")


# --- the /events probe -------------------------------------------------------------------------


async def watch_telemetry(base: str, headers: dict[str, str], device_id: str, probe: Probe,
                          ready: asyncio.Event) -> None:
    """Reads /events and notes when each of the probe device's sample times first arrives."""
    timeout = httpx.Timeout(30, read=120)  # the stream sends a keep-alive every 15 s at the least
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=timeout) as http, \
            http.stream("GET", "/events") as response:  # fmt: skip
        response.raise_for_status()
        ready.set()
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif event == "telemetry" and line.startswith("data:") and device_id in line:
                arrived = time.monotonic()
                data = json.loads(line[5:])
                if data.get("device_id") == device_id:
                    for series in data["series"]:
                        for ts_ms, _ in series["points"]:
                            probe.received.setdefault(int(ts_ms), arrived)
                    probe.arrived.set()
            elif not line:
                event = ""


async def send_probe_values(endpoint: str, probe: Probe, samples: int) -> None:
    station = await Station.open(endpoint, PROBE_IDENTITY, STATION_PASSWORD, connect_timeout=30, call_timeout=30)
    try:
        await station.call("BootNotification", boot_payload(PROBE_IDENTITY))
        loop = asyncio.get_running_loop()
        next_at, last_ts, energy_wh = loop.time(), 0, 1000.0
        for n in range(samples):
            # A unique sample time each, so every event names exactly one of these frames.
            ts_ms = max(last_ts + 1, int(time.time() * 1000))
            last_ts, energy_wh = ts_ms, energy_wh + 1.5
            sent: list[float] = []
            try:
                await station.call("MeterValues", meter_values_payload(ts_ms, energy_wh, n), sent)
                probe.answer_latencies.append(time.monotonic() - sent[0])
            except CallFailed as exc:
                probe.failures[str(exc)] += 1
            if sent:
                probe.sent[ts_ms] = sent[0]
            next_at += PROBE_PERIOD
            await asyncio.sleep(max(0.0, next_at - loop.time()))
    finally:
        await station.close()


# --- one measurement ---------------------------------------------------------------------------


async def measure(server: Child, endpoint: str, identities: list[str], duration: float, ramp_up: float, *,
                  api: str | None = None, probe_device_id: str | None = None) -> Measurement:
    """Runs the load against a started server; with `api`, also the /events probe."""
    idle = usage(server.pid)
    plan = LoadPlan(endpoint=endpoint, identities=identities, password=STATION_PASSWORD, ramp_up=ramp_up,
                    meter_interval=METER_INTERVAL, heartbeat_interval=HEARTBEAT_INTERVAL)
    generator = LoadGenerator(plan)
    started = time.monotonic()
    generator.start()
    probe: Probe | None = None
    watcher: asyncio.Task[None] | None = None
    try:
        await generator.wait_ramped_up(ramp_up + plan.connect_timeout + plan.call_timeout + 60)
        ramp_seconds = time.monotonic() - started
        if generator.booted == 0:
            failures = ", ".join(f"{n:,} {what}" for what, n in generator.connect_failures.most_common())
            raise RuntimeError(f"no station could connect and boot at {endpoint} ({failures or 'no answer'})")
        if generator.settled < len(identities):
            print(f"  ramp-up: only {generator.settled:,} of {len(identities):,} stations booted or failed within "
                  f"{ramp_seconds:.0f} s; measuring anyway", flush=True)
        if api is not None and probe_device_id is not None:
            probe, ready = Probe(), asyncio.Event()
            headers = await sign_in(api, TECHNICIAN, TECHNICIAN_PASSWORD)
            watcher = asyncio.create_task(watch_telemetry(api, headers, probe_device_id, probe, ready))
            ready_task = asyncio.create_task(ready.wait())
            try:
                async with asyncio.timeout(30):
                    await asyncio.wait({watcher, ready_task}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                ready_task.cancel()
            if watcher.done():
                await watcher  # raises what went wrong
                raise RuntimeError("GET /api/v1/events ended before it sent anything")
        # One meter interval for every station to be in its periodic rhythm, then until the
        # server has worked off what the ramp-up queued.
        await asyncio.sleep(METER_INTERVAL)
        catch_up_started = time.monotonic()
        caught_up = False
        while time.monotonic() - catch_up_started < CATCH_UP_LIMIT:
            recent = generator.recent_latencies(5)
            if recent and percentile(recent, 90) < CAUGHT_UP_P90:
                caught_up = True
                break
            await asyncio.sleep(1)
        catch_up_seconds = time.monotonic() - catch_up_started
        if not caught_up:
            print(f"  the server has not caught up with the ramp-up after {catch_up_seconds:.0f} s (p90 of the "
                  f"last 5 s over {CAUGHT_UP_P90:g} s); measuring anyway", flush=True)
        at_start = usage(server.pid)
        generator.start_window()
        sender = None
        if probe is not None:
            samples = min(PROBE_SAMPLES, int(duration / PROBE_PERIOD))
            sender = asyncio.create_task(send_probe_values(endpoint, probe, samples))
        await asyncio.sleep(duration)
        at_end = usage(server.pid)
        window = await generator.end_window(drain_timeout=plan.call_timeout)
        if sender is not None and probe is not None:
            try:
                async with asyncio.timeout(60):
                    await sender
            except TimeoutError:
                probe.failures["probe station unfinished after 60 s"] += 1
            except (OSError, InvalidHandshake, ConnectionClosed, CallFailed) as exc:
                probe.failures[f"probe station failed ({type(exc).__name__}: {exc})"] += 1
            # The last events may still be on their way.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    while probe.missing():
                        probe.arrived.clear()
                        await probe.arrived.wait()
        return Measurement(len(identities), generator, window, ramp_seconds, catch_up_seconds, caught_up, idle,
                           at_start, at_end, probe)
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await watcher
        await generator.stop()


# --- the benchmark -----------------------------------------------------------------------------


async def run(out: Path, stations: int, duration: float, ramp_up: float | None) -> None:
    if stations < 1 or duration < 1:
        raise SystemExit("--stations and --duration must be at least 1")
    ramp = ramp_up if ramp_up is not None else max(5.0, stations / CONNECTS_PER_SECOND)
    load_before = os.getloadavg()
    db_path = out / "ocpp-load.db"
    remove_database(db_path)
    identities = [f"BENCH-{n:05d}" for n in range(1, stations + 1)]
    print(f"ocpp load: {stations:,} stations, {ramp:.0f} s ramp-up, {duration:.0f} s measured; "
          f"logs in {out}/ocpp-*.log", flush=True)
    try:
        url = f"sqlite+aiosqlite:///{db_path}"
        devices = await register_stations(url, [*identities, PROBE_IDENTITY])
        await create_technician(url)
        async with child(["-m", "ema_server", "--db", url, "serve", "--port", "0"], ready="listening on",
                         log=out / "ocpp-ema-server.log") as server:
            try:
                ema = await measure(server, server.address.replace("http://", "ws://") + "/ocpp", identities,
                                    duration, ramp, api=server.address + "/api/v1",
                                    probe_device_id=devices[PROBE_IDENTITY])
            except Exception:
                print(f"ocpp load against EMA failed; the server's log {server.log}:\n{log_tail(server.log)}",
                      file=sys.stderr)
                raise
    finally:
        remove_database(db_path)
    async with child(["-m", "bench.ocpp_echo", "--port", "0"], ready="listening on",
                     log=out / "ocpp-echo.log") as echo:
        baseline = await measure(echo, echo.address + "/ocpp", identities, duration, ramp)
    print_report(ema, baseline, load_before, os.getloadavg())


def _ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:,.0f} ms" if values else "n/a"


def _latency(values: list[float]) -> str:
    return f"p50 {_ms(values, 50)}, p99 {_ms(values, 99)}"


def _catch_up(m: Measurement) -> str:
    return f"{METER_INTERVAL + m.catch_up_seconds:.0f} s later" if m.caught_up else "NEVER"


def _memory(m: Measurement) -> str:
    return f"{m.at_end.rss_mib:,.0f} MiB (idle {m.idle.rss_mib:,.0f}, peak {m.at_end.peak_rss_mib:,.0f})"


def _problems(m: Measurement) -> str:
    counts = m.generator.connect_failures + m.generator.dropped + m.window.errors
    return ", ".join(f"{n:,} {what}" for what, n in counts.most_common()) or "no errors"


def print_report(ema: Measurement, echo: Measurement, load_before: tuple[float, float, float],
                 load_after: tuple[float, float, float]) -> None:
    offered = ema.stations * (1 / METER_INTERVAL + 1 / HEARTBEAT_INTERVAL)
    g, w = ema.generator, ema.window
    report(f"ocpp: {ema.stations:,} stations connected at once", f"{g.connected_peak:,} ({g.booted:,} booted in "
           f"{ema.ramp_seconds:.0f} s, caught up {_catch_up(ema)}, {w.connected_at_end:,} still at the end)",
           f"echo {echo.generator.connected_peak:,} ({echo.generator.booted:,} booted in {echo.ramp_seconds:.0f} s, "
           f"caught up {_catch_up(echo)})")  # fmt: skip
    report(f"ocpp: answered/s (offered {offered:,.0f}/s)",
           f"{ema.answered_per_second:,.0f}/s over {w.seconds:.0f} s, {_problems(ema)}",
           f"echo {echo.answered_per_second:,.0f}/s, {_problems(echo)}",
           ema.answered_per_second / echo.answered_per_second if echo.answered_per_second else None)
    echo_p99 = percentile(echo.window.latencies, 99)
    report("ocpp: call -> result latency", _latency(w.latencies), f"echo {_latency(echo.window.latencies)}",
           percentile(w.latencies, 99) / echo_p99 if w.latencies and echo_p99 else None)
    report("ocpp: server memory (VmRSS)", f"{_memory(ema)} under load", f"echo {_memory(echo)}",
           ema.at_end.rss_mib / echo.at_end.rss_mib)
    report("ocpp: server CPU (one core = 100 %)", f"{ema.server_cpu_percent:.0f} %",
           f"echo {echo.server_cpu_percent:.0f} %")
    report("ocpp: load generator (this process)",
           f"CPU {100 * w.cpu_seconds / w.seconds:.0f} %, event loop lag p99 {_ms(w.loop_lag, 99)}",
           f"echo run: CPU {100 * echo.window.cpu_seconds / echo.window.seconds:.0f} %, "
           f"lag p99 {_ms(echo.window.loop_lag, 99)}")  # fmt: skip
    if ema.probe is not None:
        probe = ema.probe
        seen = probe.event_latencies()
        failures = ", ".join(f"{n} {what}" for what, n in probe.failures.items())
        report("ocpp: MeterValues sent -> /events telemetry",
               f"{_latency(seen)} ({len(seen)} of {len(probe.sent)} seen{', ' + failures if failures else ''})",
               f"their call -> result {_latency(probe.answer_latencies)}")
    holds = (ema.problems == 0 and w.connected_at_end == ema.stations and ema.answered_per_second >= 0.98 * offered
             and percentile(w.latencies, 99) < HOLD_P99)  # fmt: skip
    report(f"ocpp: {ema.stations:,} stations hold", "yes" if holds else "NO",
           f"all connected, no errors, answered >= 98 % of offered, p99 < {HOLD_P99:g} s")
    report("ocpp: machine", f"{os.cpu_count()} cores, load average {load_before[0]:.2f} before, "
           f"{load_after[0]:.2f} after")  # fmt: skip
