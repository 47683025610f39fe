"""A lean OCPP-J 1.6 load generator: many simulated charging stations on the `websockets` asyncio
client, each sending raw frames (BootNotification once, then MeterValues every 10 s with nine
sampled values and a Heartbeat every 60 s), recording every call's call→result latency on the
monotonic clock.

Raw frames rather than the `ocpp` package's ChargePoint: its schema validation and routing cost
more CPU per message than the server work being measured, and the generator must not be what
limits the figures. Stations that lose their connection stay away (no reconnect), so a server
that drops stations shows it in the connected count.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import math
import random
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

CALL, CALL_RESULT, CALL_ERROR = 2, 3, 4
SUBPROTOCOL = Subprotocol("ocpp1.6")


@dataclass(frozen=True)
class LoadPlan:
    endpoint: str
    """ws://host:port/ocpp: the station's identity is appended."""
    identities: list[str]
    password: str
    ramp_up: float
    """Seconds over which the stations' first connection attempts are spread evenly."""
    meter_interval: float = 10.0
    heartbeat_interval: float = 60.0
    call_timeout: float = 30.0
    connect_timeout: float = 30.0


@dataclass
class Window:
    """What happened between start_window() and end_window()."""

    started: float = 0.0
    ended: float = 0.0
    sent: int = 0
    answered: int = 0
    """Answers (results and errors) received inside the window, whenever their call was sent."""
    latencies: list[float] = field(default_factory=list)
    """Seconds from sending to the answer, of the calls sent inside the window."""
    errors: Counter[str] = field(default_factory=Counter)
    """CALLERRORs, timeouts and dropped connections of calls sent inside the window."""
    loop_lag: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    connected_at_end: int = 0
    closed: bool = False
    """Set once end_window() has returned: calls cancelled later are not the server's doing."""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def basic_authorization(identity: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{identity}:{password}".encode()).decode()


def ocpp_time(ts_ms: int) -> str:
    """Unix milliseconds as OCPP writes times (UTC, milliseconds, Z), without float rounding."""
    whole = datetime.fromtimestamp(ts_ms // 1000, UTC)
    return whole.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z"


def meter_values_payload(ts_ms: int, energy_wh: float, phase: float) -> dict[str, Any]:
    """A three-phase 11 kW AC charge as a wallbox reports it every interval: nine sampled values."""
    current = 16.0 + 0.3 * math.sin(phase)
    voltages = [230.0 + 2.0 * math.sin(phase + k) for k in range(3)]
    power = sum(v * current for v in voltages)
    sampled: list[dict[str, str]] = [
        {"value": f"{energy_wh:.1f}", "context": "Sample.Periodic", "measurand": "Energy.Active.Import.Register",
         "location": "Outlet", "unit": "Wh"},
        {"value": f"{power:.0f}", "context": "Sample.Periodic", "measurand": "Power.Active.Import",
         "location": "Outlet", "unit": "W"},
    ]  # fmt: skip
    for name in ("L1", "L2", "L3"):
        sampled.append({"value": f"{current:.2f}", "context": "Sample.Periodic", "measurand": "Current.Import",
                        "phase": name, "location": "Outlet", "unit": "A"})
    for k, name in enumerate(("L1-N", "L2-N", "L3-N")):
        sampled.append({"value": f"{voltages[k]:.1f}", "context": "Sample.Periodic", "measurand": "Voltage",
                        "phase": name, "location": "Outlet", "unit": "V"})
    sampled.append({"value": f"{31 + 2 * math.sin(phase / 7):.1f}", "context": "Sample.Periodic",
                    "measurand": "Temperature", "location": "Body", "unit": "Celsius"})
    return {"connectorId": 1, "meterValue": [{"timestamp": ocpp_time(ts_ms), "sampledValue": sampled}]}


def boot_payload(identity: str) -> dict[str, Any]:
    return {"chargePointVendor": "SECTRON", "chargePointModel": "Bench AC22", "chargePointSerialNumber": identity,
            "firmwareVersion": "1.4.2"}  # fmt: skip


class CallFailed(Exception):
    """A call that got a CALLERROR or no answer in time (the connection is still usable)."""


class Station:
    """One raw OCPP-J 1.6 connection; `call` sends a CALL and waits for its answer."""

    def __init__(self, socket: ClientConnection, identity: str, timeout: float) -> None:
        self.socket = socket
        self.identity = identity
        self.timeout = timeout
        self._ids = itertools.count(1)

    @classmethod
    async def open(cls, endpoint: str, identity: str, password: str, *, connect_timeout: float,
                   call_timeout: float) -> Station:
        socket = await connect(
            f"{endpoint}/{identity}", subprotocols=[SUBPROTOCOL],
            additional_headers={"Authorization": basic_authorization(identity, password)},
            open_timeout=connect_timeout, close_timeout=2, compression=None,
            # The server pings every 20 s; stations' own pings would only add load both sides answer alike.
            ping_interval=None,
        )  # fmt: skip
        return cls(socket, identity, call_timeout)

    async def call(self, action: str, payload: dict[str, Any], sent: list[float] | None = None) -> Any:
        """The CALLRESULT payload; raises CallFailed for a CALLERROR or a timeout and
        ConnectionClosed when the connection is gone. `sent` receives the send time."""
        unique_id = str(next(self._ids))
        frame = json.dumps([CALL, unique_id, action, payload], separators=(",", ":"))
        try:
            async with asyncio.timeout(self.timeout):
                if sent is not None:
                    sent.append(time.monotonic())
                await self.socket.send(frame)
                while True:
                    message = json.loads(await self.socket.recv())
                    if message[0] == CALL:  # the server's own call: this station implements none
                        await self.socket.send(json.dumps([CALL_ERROR, message[1], "NotImplemented", "", {}]))
                        continue
                    if message[1] != unique_id:  # a late answer to a call that already timed out
                        continue
                    if message[0] == CALL_ERROR:
                        raise CallFailed(f"CALLERROR {message[2]}")
                    return message[2]
        except TimeoutError:
            raise CallFailed("timeout") from None

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.socket.close()


class LoadGenerator:
    """Runs the plan's stations until stop(); measures what happens inside a window."""

    def __init__(self, plan: LoadPlan, seed: int = 1) -> None:
        self.plan = plan
        self.connected = 0
        self.connected_peak = 0
        self.booted = 0
        self.settled = 0
        """Stations that booted or gave up: the ramp-up is over when all have."""
        self.connect_failures: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.window: Window | None = None
        self._measuring = False
        self._in_flight = 0
        self._random = random.Random(seed)
        self._stations: set[Station] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._all_settled = asyncio.Event()
        self._drained = asyncio.Event()
        self._cpu_at_start = 0.0
        self._recent: deque[tuple[float, float]] = deque(maxlen=20_000)

    def start(self) -> None:
        count = len(self.plan.identities)
        for index, identity in enumerate(self.plan.identities):
            delay = self.plan.ramp_up * index / count
            self._tasks.append(asyncio.create_task(self._station(identity, delay), name=f"station-{identity}"))
        self._tasks.append(asyncio.create_task(self._watch_loop_lag(), name="loop-lag"))

    async def wait_ramped_up(self, timeout: float) -> None:  # noqa: ASYNC109 - the caller's overall limit
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_settled.wait(), timeout)

    def recent_latencies(self, seconds: float) -> list[float]:
        """Latencies of the calls answered in the last `seconds`, inside a window or not."""
        since = time.monotonic() - seconds
        return [latency for answered, latency in self._recent if answered >= since]

    def start_window(self) -> None:
        self.window = Window(started=time.monotonic())
        self._cpu_at_start = time.process_time()
        self._measuring = True

    async def end_window(self, drain_timeout: float) -> Window:
        """Close the window, then wait for the answers to the calls sent inside it."""
        assert self.window is not None
        window = self.window
        window.ended = time.monotonic()
        window.cpu_seconds = time.process_time() - self._cpu_at_start
        window.connected_at_end = self.connected
        self._measuring = False
        if self._in_flight:
            self._drained.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._drained.wait(), drain_timeout)
        if self._in_flight:
            window.errors["unanswered at the end"] += self._in_flight
        window.closed = True
        return window

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        stations = list(self._stations)
        self._stations.clear()
        # Closing thousands of sockets one after another would take minutes of close handshakes.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(30):
                await asyncio.gather(*(s.close() for s in stations))

    # --- one station -----------------------------------------------------------------------

    async def _station(self, identity: str, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            station = await Station.open(self.plan.endpoint, identity, self.plan.password,
                                         connect_timeout=self.plan.connect_timeout,
                                         call_timeout=self.plan.call_timeout)
        except InvalidStatus as exc:
            self.connect_failures[f"HTTP {exc.response.status_code}"] += 1
            self._settle()
            return
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            self.connect_failures[type(exc).__name__] += 1
            self._settle()
            return
        self._stations.add(station)
        self.connected += 1
        self.connected_peak = max(self.connected_peak, self.connected)
        try:
            await self._serve(station)
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else "none"
            self.dropped[f"closed ({code})"] += 1
        finally:
            self.connected -= 1
            self._stations.discard(station)
            await station.close()

    async def _serve(self, station: Station) -> None:
        loop = asyncio.get_running_loop()
        try:
            await self._call(station, "BootNotification", boot_payload(station.identity))
        except CallFailed as exc:
            self.connect_failures[f"boot {exc}"] += 1
            return
        finally:
            self._settle()
        self.booted += 1
        now = loop.time()
        # Random phases, as real stations' clocks would have them, so the load is even in time.
        next_meter = now + self._random.uniform(0, self.plan.meter_interval)
        next_heartbeat = now + self._random.uniform(0, self.plan.heartbeat_interval)
        energy_wh = self._random.uniform(0, 50_000)
        while True:
            due = min(next_meter, next_heartbeat)
            await asyncio.sleep(max(0.0, due - loop.time()))
            if due == next_meter:
                next_meter += self.plan.meter_interval
                energy_wh += 11_000 * self.plan.meter_interval / 3600
                payload = meter_values_payload(int(time.time() * 1000), energy_wh, next_meter)
                with contextlib.suppress(CallFailed):
                    await self._call(station, "MeterValues", payload)
            else:
                next_heartbeat += self.plan.heartbeat_interval
                with contextlib.suppress(CallFailed):
                    await self._call(station, "Heartbeat", {})

    async def _call(self, station: Station, action: str, payload: dict[str, Any]) -> None:
        window = self.window if self._measuring else None
        if window is not None:
            window.sent += 1
            self._in_flight += 1
        sent: list[float] = []
        try:
            await station.call(action, payload, sent)
        except CallFailed as exc:
            self._answered(window, None if str(exc) == "timeout" else sent[0], str(exc))
            raise
        except ConnectionClosed:
            self._answered(window, None, "connection closed")
            raise
        except BaseException:
            self._answered(window, None, "cancelled")
            raise
        self._answered(window, sent[0], None)

    def _answered(self, window: Window | None, sent: float | None, error: str | None) -> None:
        now = time.monotonic()
        if error is None and sent is not None:
            self._recent.append((now, now - sent))
        if self.window is not None and self._measuring and sent is not None:
            self.window.answered += 1
        if window is None or window.closed:
            return
        self._in_flight -= 1
        if error is not None:
            window.errors[error] += 1
        elif sent is not None:
            window.latencies.append(now - sent)
        if not self._in_flight and not self._measuring:
            self._drained.set()

    def _settle(self) -> None:
        self.settled += 1
        if self.settled == len(self.plan.identities):
            self._all_settled.set()

    async def _watch_loop_lag(self) -> None:
        """How late the generator's own event loop wakes up: if it is busy, latencies measured
        here include its delay, and the figures say more about the generator than the server."""
        period = 0.05
        while True:
            before = time.monotonic()
            await asyncio.sleep(period)
            if self._measuring and self.window is not None:
                self.window.loop_lag.append(time.monotonic() - before - period)
