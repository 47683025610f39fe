"""Run many simulated stations in one event loop, each over its own WebSocket.

Every station is one supervisor task that connects to ``<server_url>/<identity>`` with its OCPP
subprotocol and HTTP Basic credentials, and while connected runs two more: the ocpp package's
receive loop and the station's behaviour. When the server goes away or refuses, the station
retries after an exponential backoff (``backoff_initial`` doubling to ``backoff_max``, each delay
drawn from its upper half so a fleet does not reconnect in lockstep); a refusal of its
credentials (HTTP 401/403) or of its subprotocol is logged once per station and retried at the
longest delay. A reboot (Reset, firmware) reconnects after ``reboot_delay``. First connections
are spread at ``connect_rate`` stations per second.

`Fleet.stop` tells every station to stop, cancels every task and closes every socket (code 1001);
nothing is left running.
"""

from __future__ import annotations

import asyncio
import base64
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.typing import Subprotocol

from ema_sim.behaviour import StationBehaviour
from ema_sim.credentials import StationSpec, unique
from ema_sim.link import CallFailed, LinkClosed
from ema_sim.logs import LOG, WEBSOCKETS
from ema_sim.ocpp16 import Station16
from ema_sim.ocpp201 import Station201
from ema_sim.options import FleetOptions
from ema_sim.pulse import Pulse
from ema_sim.station import ConnectorStatus

__all__ = ["Backoff", "Fleet", "FleetStats"]

CLOSE_TIMEOUT_S: Final = 2.0
USER_AGENT: Final = "SECTRON-ema-sim/1.0"
# OCPP frames are small; a server sending more than this is broken.
MAX_FRAME_BYTES: Final = 1 << 20
REFUSED_STATUSES: Final = frozenset({401, 403})


class Backoff:
    """Reconnect delays: ``initial`` doubling to ``maximum``; each one drawn from the upper half
    of its step (so 1 s means 0.5 to 1 s) to spread a fleet's reconnects."""

    def __init__(self, initial: float, maximum: float, rng: random.Random) -> None:
        self.initial = initial
        self.maximum = maximum
        self._rng = rng
        self._step = initial

    def next(self) -> float:
        step = self._step
        self._step = min(step * 2, self.maximum)
        return self._jitter(step)

    def longest(self) -> float:
        return self._jitter(self.maximum)

    def reset(self) -> None:
        self._step = self.initial

    def _jitter(self, step: float) -> float:
        return step * self._rng.uniform(0.5, 1.0)


@dataclass(frozen=True)
class FleetStats:
    stations: int
    connected: int
    booted: int
    charging: int
    """Transactions running."""
    faulted: int
    """Connectors faulted now."""
    faults: int
    """Faults raised since the start."""
    sessions_completed: int
    refused: int
    """Stations whose last attempt the server refused (wrong identity or password)."""

    def summary(self) -> str:
        line = (
            f"{self.connected}/{self.stations} connected, {self.booted} booted, {self.charging} charging, "
            f"{self.faulted} faulted ({self.faults} faults so far), {self.sessions_completed} sessions completed"
        )
        return f"{line}, {self.refused} refused" if self.refused else line


class SimulatedStation:
    """One station's connection loop around its behaviour."""

    def __init__(self, spec: StationSpec, options: FleetOptions, fleet: Fleet) -> None:
        self.spec = spec
        self.options = options
        self.behaviour = StationBehaviour(spec, options, on_booted=self._booted)
        self.connected = False
        self.refused = False
        self._stopping = False
        self._fleet = fleet
        self._refusal_logged = False
        self._booted_this_connection = False
        self._backoff = Backoff(options.backoff_initial, options.backoff_max, self.behaviour.plan.jitter)
        base = options.server_url.rstrip("/")
        self.url = f"{base}/{quote(spec.identity, safe='')}"
        self.subprotocol = Subprotocol(f"ocpp{spec.ocpp_version}")
        credentials = base64.b64encode(f"{spec.identity}:{spec.password}".encode()).decode()
        self._authorization = f"Basic {credentials}"

    def _booted(self) -> None:
        if not self._booted_this_connection:
            self._booted_this_connection = True
            self._fleet._booted_changed(+1)

    def stopping(self) -> None:
        """The fleet stops: no more attempts, and the station's loops end (see Fleet.stop)."""
        self._stopping = True
        self.behaviour.close()

    async def run(self, start_delay: float) -> None:
        await asyncio.sleep(start_delay)
        while not self._stopping:
            try:
                delay = await self._attempt()
            except Exception:
                # A station must outlive its own bugs: log, and try again later.
                LOG.exception("%s: unexpected failure; reconnecting", self.spec.identity)
                delay = self._backoff.next()
            await asyncio.sleep(delay)

    async def _attempt(self) -> float:
        """Connect once and run until disconnected; returns the delay before the next attempt."""
        ping = int(self.behaviour.state.configuration.text("WebSocketPingInterval") or 0)
        try:
            connection = await connect(
                self.url,
                subprotocols=[self.subprotocol],
                additional_headers={"Authorization": self._authorization},
                compression=None,  # per-connection zlib state would cost more than OCPP's small frames save
                proxy=None,
                open_timeout=self.options.open_timeout,
                ping_interval=ping or None,
                ping_timeout=ping or None,
                close_timeout=CLOSE_TIMEOUT_S,
                max_size=MAX_FRAME_BYTES,
                user_agent_header=USER_AGENT,
                logger=WEBSOCKETS,
            )
        except InvalidStatus as error:
            status = error.response.status_code
            if status in REFUSED_STATUSES:
                self.refused = True
                if not self._refusal_logged:
                    self._refusal_logged = True
                    LOG.warning("%s: the server refused the station's credentials (HTTP %d); retrying about every %g s",
                                self.spec.identity, status, self.options.backoff_max)  # fmt: skip
                return self._backoff.longest()
            LOG.info("%s: the server refused the connection (HTTP %d)", self.spec.identity, status)
            return self._backoff.next()
        except (OSError, TimeoutError, WebSocketException) as error:
            LOG.info("%s: cannot connect: %s", self.spec.identity, error or type(error).__name__)
            return self._backoff.next()
        if connection.subprotocol != self.subprotocol:
            if not self._refusal_logged:
                self._refusal_logged = True
                LOG.warning("%s: the server did not accept subprotocol %s", self.spec.identity, self.subprotocol)
            await connection.close()
            return self._backoff.longest()
        self.refused = False
        self._refusal_logged = False
        LOG.info("%s: connected (OCPP %s)", self.spec.identity, self.spec.ocpp_version)
        self.connected = True
        try:
            rebooted = await self._run_connected(connection)
        finally:
            self.connected = False
            if self._booted_this_connection:
                self._booted_this_connection = False
                self._fleet._booted_changed(-1)
                self._backoff.reset()
        return self.options.reboot_delay if rebooted else self._backoff.next()

    async def _run_connected(self, connection: ClientConnection) -> bool:
        """True when the station closed the connection to reboot."""
        link = (
            Station16(self.behaviour, connection)
            if self.spec.ocpp_version == "1.6"
            else Station201(self.behaviour, connection)
        )
        receiving = asyncio.create_task(link.start())
        serving = asyncio.create_task(self.behaviour.serve(link))
        code = 1001  # going away: the fleet is stopping
        try:
            await asyncio.wait((receiving, serving), return_when=asyncio.FIRST_COMPLETED)
            code = 1000
        finally:
            for task in (receiving, serving):
                task.cancel()
            await asyncio.gather(receiving, serving, return_exceptions=True)
            await connection.close(code)
        rebooted = serving.done() and not serving.cancelled() and serving.exception() is None
        if not rebooted:
            self._log_disconnect(receiving, serving)
        return rebooted

    def _log_disconnect(self, receiving: asyncio.Task[None], serving: asyncio.Task[None]) -> None:
        for task in (serving, receiving):
            if task.cancelled():
                continue
            error = task.exception()
            if isinstance(error, ConnectionClosed | LinkClosed | CallFailed):
                LOG.info("%s: disconnected: %s", self.spec.identity, error)
                return
            if error is not None:
                LOG.error("%s: station failed", self.spec.identity, exc_info=error)
                return


class Fleet:
    """Simulated stations, started and stopped together.

    ``async with Fleet(stations, options) as fleet: await fleet.wait_booted()`` runs them until
    the block ends.
    """

    def __init__(self, stations: Iterable[StationSpec], options: FleetOptions | None = None) -> None:
        specs = list(stations)
        unique(specs)
        self.options = options or FleetOptions()
        self._stations = [SimulatedStation(spec, self.options, self) for spec in specs]
        self._by_identity = {s.spec.identity: s for s in self._stations}
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped = False
        self._booted_now = 0
        self._boot_pulse = Pulse()

    def __len__(self) -> int:
        return len(self._stations)

    async def __aenter__(self) -> Fleet:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        if self._tasks or self._stopped:
            raise RuntimeError("the fleet is already running" if self._tasks else "a stopped fleet cannot restart")
        rate = self.options.connect_rate
        self._tasks = [
            asyncio.create_task(station.run(index / rate), name=f"ema-sim {station.spec.identity}")
            for index, station in enumerate(self._stations)
        ]

    async def stop(self) -> None:
        """Stop every station and close its socket; a stopped fleet cannot be started again."""
        tasks, self._tasks = self._tasks, []
        self._stopped = True
        # Flags first, then cancellation: a cancellation lost inside the ocpp package (see
        # StationBehaviour._wait) still ends the station at its next wait.
        for station in self._stations:
            station.stopping()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_booted(self, count: int | None = None) -> None:
        """Wait until ``count`` stations (default: all) are connected and booted at once."""
        target = len(self._stations) if count is None else count
        while self._booted_now < target:
            await self._boot_pulse.wait()

    def _booted_changed(self, delta: int) -> None:
        self._booted_now += delta
        self._boot_pulse.fire()

    def station(self, identity: str) -> StationBehaviour:
        """The behaviour (and through it the state) of one station, for tests and benchmarks."""
        return self._by_identity[identity].behaviour

    def stats(self) -> FleetStats:
        charging = faulted = faults = completed = 0
        for station in self._stations:
            state = station.behaviour.state
            charging += sum(1 for s in state.sessions() if s.started and s.stop_reason is None)
            faulted += sum(1 for c in state.connectors.values() if c.status is ConnectorStatus.FAULTED)
            faults += state.faults_raised
            completed += state.sessions_completed
        return FleetStats(
            stations=len(self._stations),
            connected=sum(1 for s in self._stations if s.connected),
            booted=self._booted_now,
            charging=charging,
            faulted=faulted,
            faults=faults,
            sessions_completed=completed,
            refused=sum(1 for s in self._stations if s.refused),
        )
