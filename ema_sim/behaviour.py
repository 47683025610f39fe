"""What a simulated station does, whatever OCPP version it speaks.

`StationBehaviour` owns a station's state and plan and runs it over one connection at a time
(`serve`): boot (retrying while the server answers Pending or Rejected), report every connector,
then a single clock loop per station sends heartbeats and the sparse meter values of idle
connectors, lets cars arrive, raises faults and sends the odd vendor DataTransfer. Each charging
session, fault recovery and command flow (reboot, firmware, log upload) is a task of its own.

The server's commands arrive through the version's link as plain method calls (`remote_start`,
`reset`, `change_availability`, …) that decide the answer at once, without waiting, and return
the follow-up to run once that answer has been sent.

A lost connection ends every running session locally (the simulated car stops charging) and the
transaction's end is reported, marked offline, after the next boot, as a real station reports the
transaction messages it queued while offline.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from ema_sim.configuration import format_seconds
from ema_sim.credentials import StationSpec
from ema_sim.link import CallFailed, FollowUp, LinkClosed, StationLink
from ema_sim.logs import LOG
from ema_sim.options import FleetOptions
from ema_sim.physics import BatteryCharge, MeterReading
from ema_sim.plan import FAULT_CODES, FaultPlan, SessionPlan, StationPlan
from ema_sim.pulse import Pulse
from ema_sim.station import CARD_TOKEN_TYPE, BootReason, Connector, ConnectorStatus, Session, StationState, StopReason

__all__ = ["AvailabilityAnswer", "StationBehaviour", "UnlockOutcome", "next_firmware_version"]


# When the server answers Pending or Rejected with interval 0.
BOOT_RETRY_S = 60.0
UPLOAD_SCHEMES = frozenset({"ftp", "ftps", "sftp", "http", "https"})
# Simulated seconds the firmware and log flows take.
DOWNLOAD_S = 40.0
INSTALL_S = 60.0
UPLOAD_S = 15.0
# Longest a charging loop sleeps without looking at its car (when meter values are off).
CHARGING_TICK_S = 30.0


class AvailabilityAnswer(StrEnum):
    ACCEPTED = "Accepted"
    SCHEDULED = "Scheduled"
    REJECTED = "Rejected"


class UnlockOutcome(StrEnum):
    UNLOCKED = "Unlocked"
    UNKNOWN_CONNECTOR = "UnknownConnector"
    ONGOING_TRANSACTION = "OngoingAuthorizedTransaction"


class StationBehaviour:
    """One simulated station: its state and plan, run over one connection at a time by `serve`,
    and the decisions behind its answers to the server's commands."""

    def __init__(
        self, spec: StationSpec, options: FleetOptions, *, on_booted: Callable[[], None] | None = None
    ) -> None:
        self.spec = spec
        self.options = options
        self.plan = StationPlan(
            options.seed,
            spec.identity,
            session_rate=options.session_rate,
            fault_rate=options.fault_rate,
            data_transfer_rate=options.data_transfer_rate,
            id_tags=spec.id_tags,
        )
        self.state = StationState(spec, self.plan, options)
        self.booted = False
        """Booted on the current connection."""
        self.call_failures = 0
        self._on_booted = on_booted
        self._link: StationLink | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # Configuration changes wake the clock and every session too: one pulse for all.
        self._nudge: Pulse = self.state.configuration.changed
        self._rebooting = False
        self._reboot_now = False
        self._closing = False
        self._reset_when_idle: tuple[StopReason, BootReason] | None = None
        self._fault_at: float | None = None
        self._next_fault: FaultPlan | None = None
        self._data_transfer_at: float | None = None
        self._started_at = datetime.now(UTC)

    # --- one connection ------------------------------------------------------------------------

    async def serve(self, link: StationLink) -> None:
        """Run the station over one connection. Returns when the station reboots; raises
        LinkClosed (or is cancelled by the caller) when the connection fails, and CancelledError
        once `close` has been called."""
        self._link = link
        self._rebooting = self._reboot_now = False
        try:
            await self._boot(link)
            self.booted = True
            await self._report_after_boot(link)
            if self._on_booted is not None:
                self._on_booted()
            await self._clock(link)
        finally:
            self.booted = False
            self._link = None
            await self._cancel_tasks()
            for connector in self.state.connectors.values():
                if connector.session is not None:
                    self._interrupted(connector, connector.session)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` as one of this connection's tasks (cancelled when the connection ends)."""
        if self._link is None:
            coro.close()
            return
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None and not isinstance(error, LinkClosed):
            LOG.error("%s: %s", self.spec.identity, error, exc_info=error)

    async def _cancel_tasks(self) -> None:
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._tasks.difference_update(tasks)

    async def _boot(self, link: StationLink) -> None:
        while True:
            answer = await link.boot(self.state.boot_reason)
            if answer.status == "Accepted":
                if self.options.heartbeat_interval is None and answer.interval > 0:
                    self.state.configuration.set_by_station("HeartbeatInterval", format_seconds(answer.interval))
                return
            wait = answer.interval if answer.interval > 0 else BOOT_RETRY_S
            LOG.info("%s: boot %s, retrying in %g s", self.spec.identity, answer.status, wait)
            await self._sleep(wait)

    async def _report_after_boot(self, link: StationLink) -> None:
        self.state.boot_reason = BootReason.POWER_UP
        await self._say(link.station_status())
        for connector in self.state.connectors.values():
            if connector.session is None:
                connector.status = connector.resting_status()
            await self._say(link.connector_status(connector, force=True))
        while self.state.pending_stops:
            session = self.state.pending_stops[0]
            reading = self.state.connectors[session.connector_id].meter.read(0.0)
            await self._say(link.stop_transaction(session, reading, offline=True))
            self.state.pending_stops.pop(0)
        if self.state.firmware_installed_pending:
            self.state.firmware_installed_pending = False
            await self._firmware_status("Installed")
        # A download or upload the lost connection cut off is abandoned, as a rebooted station's is.
        self.state.firmware_status = self.state.upload_status = "Idle"
        for connector in self.state.connectors.values():
            if connector.fault is not None:
                # Its recovery was one of the last connection's tasks: carry on counting down.
                self.spawn(self._recover(connector, connector.fault))

    async def _say(self, message: Coroutine[Any, Any, Any]) -> bool:
        """Send a message whose failure the station shrugs off (it is logged and counted)."""
        try:
            await message
        except CallFailed as error:
            self.call_failures += 1
            LOG.info("%s: %s", self.spec.identity, error)
            return False
        return True

    # --- the station's clock -------------------------------------------------------------------

    async def _clock(self, link: StationLink) -> None:
        loop = asyncio.get_running_loop()
        configuration = self.state.configuration
        speed = self.options.speed
        now = loop.time()
        last_heartbeat = now
        # Spread the idle meter values of a fleet that booted together.
        last_idle = now - self.plan.jitter.uniform(0.0, configuration.seconds("ClockAlignedDataInterval"))
        if self._fault_at is None:
            self._next_fault = self.plan.next_fault()
            self._fault_at = now + self._next_fault.after_s / speed
        if self._data_transfer_at is None:
            self._data_transfer_at = now + self.plan.next_data_transfer_in_s() / speed
        while not self._reboot_now:
            if self._closing:
                raise asyncio.CancelledError
            now = loop.time()
            heartbeat = configuration.seconds("HeartbeatInterval")
            if heartbeat > 0 and now >= last_heartbeat + heartbeat:
                last_heartbeat = now
                await self._say(link.heartbeat())
            idle = configuration.seconds("ClockAlignedDataInterval")
            if idle > 0 and now >= last_idle + idle:
                last_idle = now
                await self._idle_meter_values(link)
            now = loop.time()
            for connector in self.state.connectors.values():
                if not connector.free or self._rebooting:
                    connector.next_arrival_at = None
                elif connector.next_arrival_at is None:
                    connector.next_arrival_at = now + self.plan.next_arrival_s(connector.id) / speed
                elif now >= connector.next_arrival_at:
                    connector.next_arrival_at = None
                    session = self._plug_in(connector, self.plan.next_session(connector.id))
                    self.spawn(self._run_session(connector, session))
            if now >= self._fault_at and self._next_fault is not None:
                self._raise_fault(self._next_fault)
                self._next_fault = self.plan.next_fault()
                self._fault_at = now + self._next_fault.after_s / speed
            if now >= self._data_transfer_at:
                self._data_transfer_at = now + self.plan.next_data_transfer_in_s() / speed
                await self._say(link.data_transfer("StationDiagnostics", self._diagnostics_data()))
            if self._reset_when_idle is not None and not self.state.transactions() and not self._rebooting:
                stop_reason, boot_reason = self._reset_when_idle
                self.spawn(self._reboot(stop_reason, boot_reason))
            deadlines = [self._fault_at, self._data_transfer_at]
            if heartbeat > 0:
                deadlines.append(last_heartbeat + heartbeat)
            if idle > 0:
                deadlines.append(last_idle + idle)
            deadlines.extend(c.next_arrival_at for c in self.state.connectors.values() if c.next_arrival_at is not None)
            await self._wait(min(deadlines) - loop.time())

    async def _idle_meter_values(self, link: StationLink) -> None:
        measurands = self.state.configuration.measurands("MeterValuesAlignedData")
        if not measurands:
            return
        for connector in self.state.connectors.values():
            session = connector.session
            if session is None or not session.started:
                self._advance(connector)
                await self._say(link.meter_values(connector, connector.meter.read(0.0)))
        await self._say(link.temperatures(list(self.state.connectors.values())))

    def _diagnostics_data(self) -> dict[str, Any]:
        uptime = (datetime.now(UTC) - self._started_at).total_seconds()
        temperatures = [c.meter.temperature_c for c in self.state.connectors.values()]
        return {
            "uptimeS": int(uptime),
            "boardTemperatureC": round(max(temperatures) + 6.0, 1),
            "firmware": self.state.firmware_version,
            "faultsSinceStart": self.state.faults_raised,
        }

    # --- physics bookkeeping -------------------------------------------------------------------

    def _advance(self, connector: Connector) -> None:
        """Bring the connector's meter (and car) up to the present."""
        now = asyncio.get_running_loop().time()
        last = connector.meter_updated_at
        connector.meter_updated_at = now
        if last is None:
            return
        seconds = (now - last) * self.options.speed
        session = connector.session
        if session is None or not session.started or session.stop_reason is not None:
            connector.power_w = 0.0
            connector.meter.advance_temperature(seconds, 0.0)
            return
        plan = session.plan
        charge = session.charge
        if plan.pause_at_soc is not None and not session.pause_done and charge.soc >= plan.pause_at_soc:
            session.pause_done = True
            session.paused_until_s = session.elapsed_s + plan.pause_s
        connector.meter.add_energy(charge.advance(seconds, paused=session.paused))
        connector.power_w = charge.power_w
        connector.meter.advance_temperature(seconds, charge.power_w)
        session.elapsed_s += seconds
        if charge.power_w > 0:
            session.charging_s += seconds

    def _read(self, connector: Connector) -> MeterReading:
        session = connector.session
        if session is None or not session.started:
            return connector.meter.read(0.0)
        return connector.meter.read(connector.power_w, phases=session.charge.phases, soc=session.charge.soc)

    # --- charging sessions ---------------------------------------------------------------------

    def _plug_in(self, connector: Connector, plan: SessionPlan, *, remote_start_id: int | None = None,
                 remote: bool = False, id_token_type: str = CARD_TOKEN_TYPE) -> Session:  # fmt: skip
        charge = BatteryCharge(
            plan.ev,
            soc=plan.soc_start,
            target_soc=plan.soc_target,
            evse_max_power_w=self.state.profile.max_power_w,
            taper_from=plan.taper_from,
            ramp_s=plan.ramp_s,
            rng=self.plan.charging_noise,
        )
        session = Session(connector.id, plan, charge, plan.id_tag, id_token_type=id_token_type, remote=remote,
                          remote_start_id=remote_start_id)  # fmt: skip
        connector.session = session
        connector.next_arrival_at = None
        return session

    async def _run_session(self, connector: Connector, session: Session) -> None:
        link = self._require_link()
        configuration = self.state.configuration
        try:
            await self._set_status(connector, ConnectorStatus.PREPARING)
            if not session.remote:
                await self._sim_wait(session.plan.authorize_after_s, lambda: session.stop_reason is not None)
            must_authorize = not session.remote or configuration.flag("AuthorizeRemoteTxRequests")
            if session.stop_reason is None and must_authorize and not await self._authorize(link, session.id_tag):
                session.request_stop(StopReason.DE_AUTHORIZED)
            if session.stop_reason is None:
                self._advance(connector)
                session.started_at = datetime.now(UTC)
                session.meter_start_wh = connector.meter.register_wh
                try:
                    accepted = await link.start_transaction(session, connector.meter.read(0.0))
                except CallFailed as error:
                    self.call_failures += 1
                    LOG.info("%s: %s", self.spec.identity, error)
                    session.request_stop(StopReason.OTHER)
                else:
                    if not accepted:
                        session.request_stop(StopReason.DE_AUTHORIZED)
            if session.started:
                if session.stop_reason is None:
                    await self._set_status(connector, ConnectorStatus.CHARGING)
                    await self._charge(link, connector, session)
                await self._stop_transaction(link, connector, session)
            if self._rebooting:
                self._release(connector, session)
                return
            unplugged = session.stop_reason is StopReason.EV_DISCONNECTED
            if connector.fault is None and not unplugged:
                if session.started:
                    await self._set_status(connector, ConnectorStatus.FINISHING)
                # The driver walks back and unplugs (a refused card leaves the connector Preparing).
                await self._sim_wait(
                    session.plan.unplug_after_s, lambda: connector.fault is not None or self._rebooting
                )
            self._release(connector, session)
            await self._set_status(connector, connector.resting_status())
        finally:
            if connector.session is session:
                self._interrupted(connector, session)
            self._nudge.fire()

    async def _charge(self, link: StationLink, connector: Connector, session: Session) -> None:
        loop = asyncio.get_running_loop()
        configuration = self.state.configuration
        speed = self.options.speed
        connector.meter_updated_at = loop.time()
        last_sample = loop.time()
        while session.stop_reason is None:
            self._advance(connector)
            elapsed = session.elapsed_s
            if elapsed >= session.plan.stay_s:
                session.request_stop(StopReason.LOCAL if session.plan.ends_with_card else StopReason.EV_DISCONNECTED)
                break
            drawing = connector.power_w > 0 or not (session.charge.full or session.paused)
            await self._set_status(connector, ConnectorStatus.CHARGING if drawing else ConnectorStatus.SUSPENDED_EV)
            interval = configuration.seconds("MeterValueSampleInterval")
            now = loop.time()
            if interval > 0 and now - last_sample >= interval:
                last_sample = now
                await self._say(link.transaction_meter_values(session, self._read(connector)))
            wake = [now + (session.plan.stay_s - elapsed) / speed, now + CHARGING_TICK_S]
            if interval > 0:
                wake.append(last_sample + interval)
            if session.paused_until_s is not None and elapsed < session.paused_until_s:
                wake.append(now + (session.paused_until_s - elapsed) / speed)
            if session.stop_reason is None:
                await self._wait(min(wake) - loop.time())

    async def _stop_transaction(self, link: StationLink, connector: Connector, session: Session) -> None:
        self._advance(connector)
        connector.power_w = 0.0
        session.stopped_at = datetime.now(UTC)
        session.meter_stop_wh = connector.meter.register_wh
        reading = self._read(connector)
        if await self._say(link.stop_transaction(session, reading)):
            self.state.sessions_completed += 1
        session.stop_sent = True

    def _release(self, connector: Connector, session: Session) -> None:
        if connector.session is session:
            connector.session = None
        connector.power_w = 0.0
        if connector.pending_operative is not None:
            connector.operative = connector.pending_operative
            connector.pending_operative = None

    def _interrupted(self, connector: Connector, session: Session) -> None:
        """The session ends without its messages (connection lost): queue its stop for later."""
        self._advance(connector)
        self._release(connector, session)
        connector.status = connector.resting_status()
        if session.started and not session.stop_sent:
            session.request_stop(StopReason.OTHER)
            session.stopped_at = session.stopped_at or datetime.now(UTC)
            session.meter_stop_wh = connector.meter.register_wh
            session.stop_sent = True
            self.state.pending_stops.append(session)

    async def _authorize(self, link: StationLink, id_tag: str) -> bool:
        try:
            return await link.authorize(id_tag)
        except CallFailed as error:
            self.call_failures += 1
            LOG.info("%s: %s", self.spec.identity, error)
            return False

    async def _set_status(self, connector: Connector, status: ConnectorStatus, *, force: bool = False) -> None:
        if status is connector.status and not force:
            return
        connector.status = status
        link = self._require_link()
        await self._say(link.connector_status(connector, force=force))

    async def _sim_wait(self, sim_seconds: float, done: Callable[[], bool]) -> None:
        """Let ``sim_seconds`` of simulated time pass, or less if ``done()`` becomes true."""
        loop = asyncio.get_running_loop()
        until = loop.time() + sim_seconds / self.options.speed
        while not done() and loop.time() < until:
            await self._wait(until - loop.time())

    async def _wait(self, seconds: float | None = None) -> None:
        """Wait for a nudge (configuration changed, a stop requested, …) or ``seconds``.

        Raises CancelledError once the station is closing: Python 3.11's asyncio.wait_for, which
        the ocpp package awaits answers with, can lose a cancellation that arrives together with
        the answer, and a lost one must not keep a stopped station running.
        """
        if not self._closing:
            await self._nudge.wait(seconds)
        if self._closing:
            raise asyncio.CancelledError

    async def _sleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while (left := until - loop.time()) > 0:
            await self._wait(left)

    def close(self) -> None:
        """The station is being shut down: every loop ends at its next wait."""
        self._closing = True
        self._nudge.fire()

    def _require_link(self) -> StationLink:
        if self._link is None:
            raise LinkClosed("not connected")
        return self._link

    # --- faults --------------------------------------------------------------------------------

    def raise_fault(self, connector_id: int, error_code: str, *, duration_s: float = 600.0) -> bool:
        """Fault a connector now, as the plan does at random: it reports Faulted with
        ``error_code``, ends a running session, and recovers after ``duration_s`` simulated
        seconds. False when it cannot (not connected, unknown connector, already faulted)."""
        known = {code: (emergency, info) for code, _, emergency, info in FAULT_CODES}
        emergency, info = known.get(error_code, (False, "Simulated fault"))
        fault = FaultPlan(connector_id, error_code, emergency, info, "E900", duration_s, after_s=0.0)
        return self._raise_fault(fault)

    def _raise_fault(self, fault: FaultPlan) -> bool:
        connector = self.state.connectors.get(fault.connector_id)
        if connector is None or connector.fault is not None or not connector.operative:
            return False
        if self._rebooting or self._link is None:
            return False
        connector.fault = fault
        self.state.faults_raised += 1
        LOG.info("%s: connector %d faulted (%s)", self.spec.identity, connector.id, fault.error_code)
        session = connector.session
        if session is not None:
            session.request_stop(StopReason.EMERGENCY_STOP if fault.emergency else StopReason.OTHER)
            self._nudge.fire()
        else:
            self.spawn(self._set_status(connector, ConnectorStatus.FAULTED))
        self.spawn(self._recover(connector, fault))
        return True

    async def _recover(self, connector: Connector, fault: FaultPlan) -> None:
        loop = asyncio.get_running_loop()
        if connector.fault_clears_at is None:
            connector.fault_clears_at = loop.time() + fault.duration_s / self.options.speed
        while connector.fault is fault and (left := connector.fault_clears_at - loop.time()) > 0:
            await self._wait(left)
        while connector.session is not None:
            # The session is still reporting its end; recover once it has.
            await self._wait()
        if connector.fault is fault:
            connector.fault = None
            connector.fault_clears_at = None
            LOG.info("%s: connector %d recovered from %s", self.spec.identity, connector.id, fault.error_code)
            await self._set_status(connector, connector.resting_status())

    # --- the server's commands -------------------------------------------------------------------

    def remote_start(self, connector_id: int | None, id_tag: str, *, remote_start_id: int | None = None,
                     id_token_type: str = CARD_TOKEN_TYPE) -> FollowUp | None:  # fmt: skip
        """A remote start: the session to run once accepted, None when rejected. The connector is
        taken at once, so a second remote start for it is rejected."""
        if self._rebooting or self._link is None:
            return None
        if connector_id is None or connector_id == 0:
            connector = self.state.free_connector()
        else:
            connector = self.state.connector(connector_id)
        if connector is None or not connector.free:
            return None
        plan = self.plan.next_session(connector.id, id_tag=id_tag)
        session = self._plug_in(connector, plan, remote_start_id=remote_start_id, remote=True,
                                id_token_type=id_token_type)  # fmt: skip
        return lambda: self._run_session(connector, session)

    def remote_stop(self, transaction_id: int | str) -> bool:
        session = self.state.find_transaction(transaction_id)
        if session is None:
            return False
        session.request_stop(StopReason.REMOTE)
        self._nudge.fire()
        return True

    def reset(self, stop_reason: StopReason, *, when_idle: bool = False) -> tuple[bool, FollowUp | None]:
        """A reset: (scheduled, follow-up). ``when_idle`` waits for running sessions to end."""
        if when_idle and self.state.transactions():
            self._reset_when_idle = (stop_reason, BootReason.REMOTE_RESET)
            return True, None
        return False, lambda: self._reboot(stop_reason, BootReason.REMOTE_RESET)

    async def _reboot(self, stop_reason: StopReason, boot_reason: BootReason) -> None:
        if self._rebooting:
            return
        self._rebooting = True
        self._reset_when_idle = None
        for session in self.state.sessions():
            session.request_stop(stop_reason)
        self._nudge.fire()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.options.response_timeout
        while self.state.sessions() and loop.time() < deadline:
            await self._wait(deadline - loop.time())
        LOG.info("%s: rebooting (%s)", self.spec.identity, boot_reason)
        self.state.boot_reason = boot_reason
        self._reboot_now = True
        self._nudge.fire()

    def unlock(self, connector_id: int, *, stop_transaction: bool) -> UnlockOutcome:
        """Unlock a connector. With ``stop_transaction`` (1.6) a running transaction ends with
        UnlockCommand; without it (2.0.1) the station refuses while a transaction runs."""
        connector = self.state.connector(connector_id)
        if connector is None:
            return UnlockOutcome.UNKNOWN_CONNECTOR
        session = connector.session
        if session is not None and session.started:
            if not stop_transaction:
                return UnlockOutcome.ONGOING_TRANSACTION
            session.request_stop(StopReason.UNLOCK_COMMAND)
            self._nudge.fire()
        return UnlockOutcome.UNLOCKED

    def change_availability(
        self, connector_id: int | None, operative: bool
    ) -> tuple[AvailabilityAnswer, FollowUp | None]:
        """Connector ``connector_id`` (None or 0: the whole station) becomes (in)operative; a
        connector with a session changes once the session ends (Scheduled)."""
        whole_station = connector_id is None or connector_id == 0
        if whole_station:
            targets = list(self.state.connectors.values())
            self.state.operative = operative
        else:
            found = self.state.connector(connector_id or 0)
            if found is None:
                return AvailabilityAnswer.REJECTED, None
            targets = [found]
        scheduled = False
        changed: list[Connector] = []
        for connector in targets:
            if connector.session is not None and connector.operative != operative:
                connector.pending_operative = operative
                scheduled = True
            else:
                connector.pending_operative = None
                if connector.operative != operative:
                    connector.operative = operative
                    changed.append(connector)
        self._nudge.fire()

        async def report() -> None:
            link = self._require_link()
            if whole_station:
                await self._say(link.station_status())
            for connector in changed:
                if connector.session is None:
                    await self._set_status(connector, connector.resting_status())

        return (AvailabilityAnswer.SCHEDULED if scheduled else AvailabilityAnswer.ACCEPTED), report

    def trigger(self, message: str, connector_id: int | None) -> FollowUp | None:
        """A TriggerMessage: the follow-up sending ``message``, or None when the station cannot
        (unknown message or connector)."""
        if connector_id:
            found = self.state.connector(connector_id)
            if found is None:
                return None
            connectors = [found]
        else:
            connectors = list(self.state.connectors.values())

        async def send() -> None:
            link = self._require_link()
            if message == "BootNotification":
                await self._say(link.boot(BootReason.TRIGGERED))
            elif message == "Heartbeat":
                await self._say(link.heartbeat())
            elif message == "StatusNotification":
                if not connector_id:
                    await self._say(link.station_status())
                for connector in connectors:
                    await self._say(link.connector_status(connector, force=True))
            elif message in ("MeterValues", "TransactionEvent"):
                for connector in connectors:
                    self._advance(connector)
                    session = connector.session
                    if session is not None and session.started and session.stop_reason is None:
                        await self._say(link.transaction_meter_values(session, self._read(connector), triggered=True))
                    elif message == "MeterValues":
                        await self._say(link.meter_values(connector, self._read(connector), triggered=True))
            elif message == "FirmwareStatusNotification":
                await self._firmware_status(self.state.firmware_status)
            elif message in ("DiagnosticsStatusNotification", "LogStatusNotification"):
                await self._say(link.upload_status(self.state.upload_status, self.state.upload_request_id))

        return send

    def upload_logs(self, location: str, kind: str, request_id: int | None = None) -> tuple[str, FollowUp]:
        """GetDiagnostics / GetLog: the file name, and the upload's status sequence."""
        moment = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        file_name = f"{self.spec.identity}-{kind}-{moment}.tar.gz"

        async def upload() -> None:
            link = self._require_link()
            self.state.upload_request_id = request_id
            self.state.upload_status = "Uploading"
            await self._say(link.upload_status("Uploading", request_id))
            await self._sim_wait(UPLOAD_S, lambda: False)
            parts = urlsplit(location)
            final = "Uploaded" if parts.scheme.lower() in UPLOAD_SCHEMES and parts.netloc else "UploadFailed"
            self.state.upload_status = final
            await self._say(link.upload_status(final, request_id))
            self.state.upload_status = "Idle"

        return file_name, upload

    def update_firmware(self, location: str, retrieve_at: datetime | None, request_id: int | None = None) -> FollowUp:
        async def update() -> None:
            self.state.firmware_request_id = request_id
            if retrieve_at is not None:
                await self._sleep((retrieve_at - datetime.now(UTC)).total_seconds())
            await self._firmware_status("Downloading")
            await self._sim_wait(DOWNLOAD_S, lambda: False)
            parts = urlsplit(location)
            if parts.scheme.lower() not in UPLOAD_SCHEMES or not parts.netloc:
                await self._firmware_status("DownloadFailed")
                self.state.firmware_status = "Idle"
                return
            await self._firmware_status("Downloaded")
            if self.state.transactions():
                # Installing reboots the station: wait until nobody is charging.
                await self._firmware_status("InstallScheduled")
                while self.state.transactions():
                    await self._wait()
            await self._firmware_status("Installing")
            await self._sim_wait(INSTALL_S, lambda: False)
            self.state.firmware_version = next_firmware_version(location, self.state.firmware_version)
            if self.state.ocpp_version == "1.6":
                await self._firmware_status("Installed")
            else:
                await self._firmware_status("InstallRebooting")
                self.state.firmware_installed_pending = True
            self.state.firmware_status = "Idle"
            await self._reboot(StopReason.REBOOT, BootReason.FIRMWARE_UPDATE)

        return update

    async def _firmware_status(self, status: str) -> None:
        self.state.firmware_status = status
        link = self._require_link()
        await self._say(link.firmware_status(status, self.state.firmware_request_id))


def next_firmware_version(location: str, current: str) -> str:
    """The version a firmware image installs: the x.y.z in its file name, else ``current`` with
    the last number raised by one."""
    found = re.findall(r"(\d+\.\d+\.\d+)", urlsplit(location).path)
    if found:
        return str(found[-1])
    parts = current.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return f"{current}.1"
