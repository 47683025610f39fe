"""OCPP 1.6 station: the messages a 1.6 charge point sends, and its answers to the server's commands.

`Station16` is an ``ocpp.v16.ChargePoint`` (the ocpp package does framing, schema validation and
call/result matching) and the `StationLink` for 1.6. Handlers decide their answer at once from
the station's state; anything that follows the answer (a session, a reboot, status sequences)
is started from an ``@after_call`` hook, so it never reaches the server before the answer.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Final

from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action
from websockets.asyncio.client import ClientConnection

from ema_sim.behaviour import StationBehaviour, UnlockOutcome
from ema_sim.link import BootAnswer, OcppLinkBase, after_call, on_call, samples, timestamp
from ema_sim.logs import FRAMES
from ema_sim.physics import MeterReading
from ema_sim.station import BootReason, Connector, ConnectorStatus, Session, StopReason

__all__ = ["Station16"]

VENDOR_ID: Final = "SECTRON"
FIRMWARE_STATUSES: Final = frozenset(
    {"Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed"}
)
TRIGGERABLE: Final = frozenset(
    {"BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
     "StatusNotification"}
)  # fmt: skip
# 1.6 has no ImmediateReset; a 2.0.1-style immediate reset is a hard one.
REASONS: Final = {StopReason.IMMEDIATE_RESET: "HardReset"}


class Station16(OcppLinkBase, ChargePoint):  # type: ignore[misc]
    def __init__(self, behaviour: StationBehaviour, connection: ClientConnection) -> None:
        options = behaviour.options
        OcppLinkBase.__init__(self, validate=options.validate_messages, spawn=behaviour.spawn)
        ChargePoint.__init__(
            self, behaviour.spec.identity, connection, response_timeout=options.response_timeout, logger=FRAMES
        )
        self._behaviour = behaviour
        self._state = behaviour.state

    # --- what the station sends (StationLink) ---------------------------------------------------

    async def boot(self, reason: BootReason) -> BootAnswer:
        profile = self._state.profile
        answer = await self._request(
            call.BootNotification(
                charge_point_vendor=profile.vendor,
                charge_point_model=profile.model,
                charge_point_serial_number=profile.serial_number,
                charge_box_serial_number=profile.serial_number,
                firmware_version=self._state.firmware_version,
                meter_type=profile.meter_type,
                meter_serial_number=profile.meter_serial_number,
            )
        )
        return BootAnswer(str(answer.status), float(answer.interval))

    async def heartbeat(self) -> None:
        await self._request(call.Heartbeat())

    async def station_status(self) -> None:
        status = ConnectorStatus.AVAILABLE if self._state.operative else ConnectorStatus.UNAVAILABLE
        await self._request(
            call.StatusNotification(connector_id=0, error_code="NoError", status=status, timestamp=timestamp())
        )

    async def connector_status(self, connector: Connector, *, force: bool = False) -> None:
        fault = connector.fault if connector.status is ConnectorStatus.FAULTED else None
        await self._request(
            call.StatusNotification(
                connector_id=connector.id,
                error_code=connector.error_code,
                status=connector.status.value,
                timestamp=timestamp(),
                info=fault.info if fault else None,
                vendor_error_code=fault.vendor_error_code if fault else None,
            )
        )

    async def authorize(self, id_tag: str) -> bool:
        answer = await self._request(call.Authorize(id_tag=id_tag))
        return bool(answer.id_tag_info.get("status") == "Accepted")

    async def start_transaction(self, session: Session, reading: MeterReading) -> bool:
        assert session.started_at is not None
        answer = await self._request(
            call.StartTransaction(
                connector_id=session.connector_id,
                id_tag=session.id_tag,
                meter_start=session.meter_start_wh,
                timestamp=timestamp(session.started_at),
            )
        )
        session.transaction_id = int(answer.transaction_id)
        return bool(answer.id_tag_info.get("status") == "Accepted")

    async def transaction_meter_values(
        self, session: Session, reading: MeterReading, *, triggered: bool = False
    ) -> None:
        measurands = self._state.configuration.measurands("MeterValuesSampledData")
        context = "Trigger" if triggered else "Sample.Periodic"
        await self._request(
            call.MeterValues(
                connector_id=session.connector_id,
                transaction_id=session.transaction_id,
                meter_value=[_meter_value(reading, measurands, context)],
            )
        )

    async def meter_values(self, connector: Connector, reading: MeterReading, *, triggered: bool = False) -> None:
        key = "MeterValuesSampledData" if triggered else "MeterValuesAlignedData"
        measurands = self._state.configuration.measurands(key)
        context = "Trigger" if triggered else "Sample.Clock"
        await self._request(
            call.MeterValues(connector_id=connector.id, meter_value=[_meter_value(reading, measurands, context)])
        )

    async def stop_transaction(self, session: Session, reading: MeterReading, *, offline: bool = False) -> None:
        assert session.stop_reason is not None and session.stopped_at is not None
        measurands = self._state.configuration.measurands("StopTxnSampledData")
        end = _meter_value(reading, measurands, "Transaction.End", moment=session.stopped_at)
        await self._request(
            call.StopTransaction(
                meter_stop=session.meter_stop_wh,
                timestamp=timestamp(session.stopped_at),
                transaction_id=session.transaction_id,
                reason=REASONS.get(session.stop_reason, session.stop_reason.value),
                id_tag=session.id_tag if session.stop_reason is StopReason.LOCAL else None,
                transaction_data=[end] if end["sampled_value"] else None,
            )
        )

    async def firmware_status(self, status: str, request_id: int | None) -> None:
        if status in FIRMWARE_STATUSES:
            await self._request(call.FirmwareStatusNotification(status=status))

    async def upload_status(self, status: str, request_id: int | None) -> None:
        await self._request(call.DiagnosticsStatusNotification(status=status))

    async def data_transfer(self, message_id: str, data: dict[str, Any]) -> None:
        await self._request(call.DataTransfer(vendor_id=VENDOR_ID, message_id=message_id, data=json.dumps(data)))

    async def temperatures(self, connectors: list[Connector]) -> None:
        """1.6 meter values carry the Temperature measurand."""

    # --- the server's commands -------------------------------------------------------------------

    @on_call(Action.remote_start_transaction)
    def on_remote_start_transaction(self, id_tag: str, connector_id: int | None = None, **_: Any) -> Any:
        follow_up = self._behaviour.remote_start(connector_id, id_tag)
        self._answer_then(follow_up)
        return call_result.RemoteStartTransaction(status="Accepted" if follow_up else "Rejected")

    @after_call(Action.remote_start_transaction)
    def after_remote_start_transaction(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.remote_stop_transaction)
    def on_remote_stop_transaction(self, transaction_id: int, **_: Any) -> Any:
        accepted = self._behaviour.remote_stop(transaction_id)
        return call_result.RemoteStopTransaction(status="Accepted" if accepted else "Rejected")

    @on_call(Action.reset)
    def on_reset(self, type: str, **_: Any) -> Any:
        reason = StopReason.HARD_RESET if type == "Hard" else StopReason.SOFT_RESET
        _scheduled, follow_up = self._behaviour.reset(reason)
        self._answer_then(follow_up)
        return call_result.Reset(status="Accepted")

    @after_call(Action.reset)
    def after_reset(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.unlock_connector)
    def on_unlock_connector(self, connector_id: int, **_: Any) -> Any:
        outcome = self._behaviour.unlock(connector_id, stop_transaction=True)
        status = "Unlocked" if outcome is UnlockOutcome.UNLOCKED else "NotSupported"
        return call_result.UnlockConnector(status=status)

    @on_call(Action.change_availability)
    def on_change_availability(self, connector_id: int, type: str, **_: Any) -> Any:
        answer, follow_up = self._behaviour.change_availability(connector_id, type == "Operative")
        self._answer_then(follow_up)
        return call_result.ChangeAvailability(status=answer.value)

    @after_call(Action.change_availability)
    def after_change_availability(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.get_configuration)
    def on_get_configuration(self, key: list[str] | None = None, **_: Any) -> Any:
        configuration = self._state.configuration
        if key:
            found = [s for k in key if (s := configuration.get_16(k)) is not None]
            unknown = [k for k in key if configuration.get_16(k) is None]
        else:
            found, unknown = configuration.keys_16(), []
        return call_result.GetConfiguration(
            configuration_key=[{"key": s.name, "readonly": s.readonly, "value": s.value} for s in found],
            unknown_key=unknown or None,
        )

    @on_call(Action.change_configuration)
    def on_change_configuration(self, key: str, value: str, **_: Any) -> Any:
        result = self._state.configuration.change_16(key, value)
        return call_result.ChangeConfiguration(status=result.value)

    @on_call(Action.trigger_message)
    def on_trigger_message(self, requested_message: str, connector_id: int | None = None, **_: Any) -> Any:
        follow_up = None
        if requested_message not in TRIGGERABLE:
            status = "NotImplemented"
        else:
            follow_up = self._behaviour.trigger(requested_message, connector_id)
            status = "Accepted" if follow_up is not None else "Rejected"
        self._answer_then(follow_up)
        return call_result.TriggerMessage(status=status)

    @after_call(Action.trigger_message)
    def after_trigger_message(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.get_diagnostics)
    def on_get_diagnostics(self, location: str, **_: Any) -> Any:
        file_name, follow_up = self._behaviour.upload_logs(location, "diagnostics")
        self._answer_then(follow_up)
        return call_result.GetDiagnostics(file_name=file_name)

    @after_call(Action.get_diagnostics)
    def after_get_diagnostics(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.update_firmware)
    def on_update_firmware(self, location: str, retrieve_date: str, **_: Any) -> Any:
        self._answer_then(self._behaviour.update_firmware(location, _parse_time(retrieve_date)))
        return call_result.UpdateFirmware()

    @after_call(Action.update_firmware)
    def after_update_firmware(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.clear_cache)
    def on_clear_cache(self, **_: Any) -> Any:
        return call_result.ClearCache(status="Accepted")

    @on_call(Action.data_transfer)
    def on_data_transfer(self, vendor_id: str, **_: Any) -> Any:
        return call_result.DataTransfer(status="Accepted" if vendor_id == VENDOR_ID else "UnknownVendorId")


def _meter_value(reading: MeterReading, measurands: frozenset[str], context: str,
                 moment: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "timestamp": timestamp(moment),
        "sampled_value": [
            {
                "value": _number(s.value),
                "context": context,
                "measurand": s.measurand,
                "location": s.location,
                "unit": s.unit,
                **({"phase": s.phase} if s.phase else {}),
            }
            for s in samples(reading, measurands)
        ],
    }


def _number(value: float) -> str:
    """1.6 sends numbers as strings: whole numbers without a fraction."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
