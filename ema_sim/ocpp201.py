"""OCPP 2.0.1 station: the messages a 2.0.1 charging station sends, and its answers to commands.

`Station201` is an ``ocpp.v201.ChargePoint`` and the `StationLink` for 2.0.1. Each connector is an
EVSE with one connector (evseId = connector number, connectorId = 1). Connector statuses are
reported as 2.0.1 knows them (Available, Occupied, Reserved, Unavailable, Faulted); the charging
state inside a transaction (Charging, SuspendedEV, …) goes into TransactionEvent instead. A fault
is a StatusNotification Faulted plus a NotifyEvent carrying the error code (cleared on recovery),
since 2.0.1's StatusNotification has no error code.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from ocpp.v201 import ChargePoint, call, call_result
from ocpp.v201.enums import Action
from websockets.asyncio.client import ClientConnection

from ema_sim.behaviour import StationBehaviour
from ema_sim.configuration import ChangeResult
from ema_sim.link import BootAnswer, OcppLinkBase, after_call, on_call, samples, timestamp
from ema_sim.logs import FRAMES
from ema_sim.physics import MeterReading
from ema_sim.station import BootReason, Connector, ConnectorStatus, Session, StopReason

__all__ = ["Station201"]

VENDOR_ID: Final = "SECTRON"
CONNECTOR_STATUS: Final = {
    ConnectorStatus.AVAILABLE: "Available",
    ConnectorStatus.PREPARING: "Occupied",
    ConnectorStatus.CHARGING: "Occupied",
    ConnectorStatus.SUSPENDED_EV: "Occupied",
    ConnectorStatus.SUSPENDED_EVSE: "Occupied",
    ConnectorStatus.FINISHING: "Occupied",
    ConnectorStatus.RESERVED: "Reserved",
    ConnectorStatus.UNAVAILABLE: "Unavailable",
    ConnectorStatus.FAULTED: "Faulted",
}
CHARGING_STATE: Final = {
    ConnectorStatus.CHARGING: "Charging",
    ConnectorStatus.SUSPENDED_EV: "SuspendedEV",
    ConnectorStatus.SUSPENDED_EVSE: "SuspendedEVSE",
}
STOPPED_REASON: Final = {
    StopReason.SOFT_RESET: "ImmediateReset",
    StopReason.HARD_RESET: "ImmediateReset",
    StopReason.UNLOCK_COMMAND: "Other",
}
TRIGGER_REASON: Final = {
    StopReason.LOCAL: "StopAuthorized",
    StopReason.REMOTE: "RemoteStop",
    StopReason.EV_DISCONNECTED: "EVDeparted",
    StopReason.EMERGENCY_STOP: "AbnormalCondition",
    StopReason.SOFT_RESET: "ResetCommand",
    StopReason.HARD_RESET: "ResetCommand",
    StopReason.IMMEDIATE_RESET: "ResetCommand",
    StopReason.UNLOCK_COMMAND: "UnlockCommand",
    StopReason.DE_AUTHORIZED: "Deauthorized",
    StopReason.POWER_LOSS: "AbnormalCondition",
    StopReason.REBOOT: "AbnormalCondition",
    StopReason.OTHER: "AbnormalCondition",
}
# 2.0.1's MeasurandEnumType has no Temperature: it goes out as a NotifyEvent (`temperatures`).
NOT_MEASURANDS: Final = frozenset({"Temperature"})
UPLOAD_STATUS: Final = {"UploadFailed": "UploadFailure"}
TRIGGERABLE: Final = frozenset(
    {"BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
     "StatusNotification", "TransactionEvent"}
)  # fmt: skip


class Station201(OcppLinkBase, ChargePoint):  # type: ignore[misc]
    def __init__(self, behaviour: StationBehaviour, connection: ClientConnection) -> None:
        options = behaviour.options
        OcppLinkBase.__init__(self, validate=options.validate_messages, spawn=behaviour.spawn)
        ChargePoint.__init__(
            self, behaviour.spec.identity, connection, response_timeout=options.response_timeout, logger=FRAMES
        )
        self._behaviour = behaviour
        self._state = behaviour.state
        # What this connection has told the server, to report changes only.
        self._connector_status: dict[int, str] = {}
        self._charging_state: dict[int | str, str] = {}
        self._event_seq_no = 0
        self._event_id = 0

    # --- what the station sends (StationLink) ---------------------------------------------------

    async def boot(self, reason: BootReason) -> BootAnswer:
        profile = self._state.profile
        answer = await self._request(
            call.BootNotification(
                charging_station={
                    "model": profile.model,
                    "vendor_name": profile.vendor,
                    "serial_number": profile.serial_number,
                    "firmware_version": self._state.firmware_version,
                },
                reason=reason.value,
            )
        )
        return BootAnswer(str(answer.status), float(answer.interval))

    async def heartbeat(self) -> None:
        await self._request(call.Heartbeat())

    async def station_status(self) -> None:
        """2.0.1 reports EVSEs only."""

    async def connector_status(self, connector: Connector, *, force: bool = False) -> None:
        session = connector.session
        charging_state = CHARGING_STATE.get(connector.status)
        if session is not None and session.started and session.stop_reason is None and charging_state is not None:
            assert session.transaction_id is not None
            if self._charging_state.get(session.transaction_id) != charging_state:
                self._charging_state[session.transaction_id] = charging_state
                await self._request(
                    call.TransactionEvent(
                        event_type="Updated",
                        timestamp=timestamp(),
                        trigger_reason="ChargingStateChanged",
                        seq_no=session.next_seq_no(),
                        transaction_info=self._transaction_info(session, charging_state),
                    )
                )
        status = CONNECTOR_STATUS[connector.status]
        previous = self._connector_status.get(connector.id)
        if not force and status == previous:
            return
        self._connector_status[connector.id] = status
        # The problem (with its error code) comes first, so the Faulted status can be tied to it.
        if status == "Faulted" and previous != "Faulted" and connector.fault is not None:
            await self._problem_event(connector, raised=True)
        await self._request(
            call.StatusNotification(
                timestamp=timestamp(), connector_status=status, evse_id=connector.id, connector_id=1
            )
        )
        if previous == "Faulted" and status != "Faulted":
            await self._problem_event(connector, raised=False)

    async def _problem_event(self, connector: Connector, *, raised: bool) -> None:
        fault = connector.fault
        self._event_id += 1
        event: dict[str, Any] = {
            "event_id": self._event_id,
            "timestamp": timestamp(),
            "trigger": "Alerting",
            "actual_value": "true" if raised else "false",
            "event_notification_type": "HardWiredNotification",
            "component": {"name": "Connector", "evse": {"id": connector.id, "connector_id": 1}},
            "variable": {"name": "Problem"},
        }
        if raised and fault is not None:
            event.update(tech_code=fault.error_code, tech_info=fault.info)
        if not raised:
            event["cleared"] = True
        await self._request(call.NotifyEvent(generated_at=timestamp(), seq_no=self._next_event_seq_no(),
                                             event_data=[event]))  # fmt: skip

    def _next_event_seq_no(self) -> int:
        seq_no, self._event_seq_no = self._event_seq_no, self._event_seq_no + 1
        return seq_no

    async def authorize(self, id_tag: str) -> bool:
        answer = await self._request(call.Authorize(id_token={"id_token": id_tag, "type": "ISO14443"}))
        return bool(answer.id_token_info.get("status") == "Accepted")

    async def start_transaction(self, session: Session, reading: MeterReading) -> bool:
        assert session.started_at is not None
        transaction_id = str(uuid.uuid4())
        info: dict[str, Any] = {"transaction_id": transaction_id, "charging_state": "EVConnected"}
        if session.remote_start_id is not None:
            info["remote_start_id"] = session.remote_start_id
        begin = _meter_value(reading, frozenset({"Energy.Active.Import.Register"}), "Transaction.Begin",
                             session.started_at)  # fmt: skip
        answer = await self._request(
            call.TransactionEvent(
                event_type="Started",
                timestamp=timestamp(session.started_at),
                trigger_reason="RemoteStart" if session.remote else "Authorized",
                seq_no=session.next_seq_no(),
                transaction_info=info,
                id_token={"id_token": session.id_tag, "type": session.id_token_type},
                evse={"id": session.connector_id, "connector_id": 1},
                meter_value=[begin],
            )
        )
        session.transaction_id = transaction_id
        self._charging_state[transaction_id] = "EVConnected"
        token_info = answer.id_token_info
        return token_info is None or token_info.get("status") == "Accepted"

    async def transaction_meter_values(
        self, session: Session, reading: MeterReading, *, triggered: bool = False
    ) -> None:
        measurands = self._state.configuration.measurands("MeterValuesSampledData")
        assert session.transaction_id is not None
        state = self._charging_state.get(session.transaction_id, "Charging")
        await self._request(
            call.TransactionEvent(
                event_type="Updated",
                timestamp=timestamp(),
                trigger_reason="Trigger" if triggered else "MeterValuePeriodic",
                seq_no=session.next_seq_no(),
                transaction_info=self._transaction_info(session, state),
                meter_value=[_meter_value(reading, measurands, "Trigger" if triggered else "Sample.Periodic")],
            )
        )

    async def meter_values(self, connector: Connector, reading: MeterReading, *, triggered: bool = False) -> None:
        key = "MeterValuesSampledData" if triggered else "MeterValuesAlignedData"
        measurands = self._state.configuration.measurands(key)
        context = "Trigger" if triggered else "Sample.Clock"
        meter_value = [_meter_value(reading, measurands, context)]
        await self._request(call.MeterValues(evse_id=connector.id, meter_value=meter_value))

    async def stop_transaction(self, session: Session, reading: MeterReading, *, offline: bool = False) -> None:
        reason = session.stop_reason
        assert reason is not None and session.stopped_at is not None and session.transaction_id is not None
        state = "Idle" if reason is StopReason.EV_DISCONNECTED else "EVConnected"
        info = self._transaction_info(session, state)
        info["stopped_reason"] = STOPPED_REASON.get(reason, reason.value)
        measurands = self._state.configuration.measurands("StopTxnSampledData") | {"Energy.Active.Import.Register"}
        await self._request(
            call.TransactionEvent(
                event_type="Ended",
                timestamp=timestamp(session.stopped_at),
                trigger_reason=TRIGGER_REASON[reason],
                seq_no=session.next_seq_no(),
                transaction_info=info,
                meter_value=[_meter_value(reading, measurands, "Transaction.End", session.stopped_at)],
                offline=True if offline else None,
                id_token=(
                    {"id_token": session.id_tag, "type": session.id_token_type} if reason is StopReason.LOCAL else None
                ),
                evse={"id": session.connector_id, "connector_id": 1},
            )
        )
        self._charging_state.pop(session.transaction_id, None)

    def _transaction_info(self, session: Session, charging_state: str) -> dict[str, Any]:
        return {
            "transaction_id": session.transaction_id,
            "charging_state": charging_state,
            "time_spent_charging": int(session.charging_s),
        }

    async def firmware_status(self, status: str, request_id: int | None) -> None:
        await self._request(call.FirmwareStatusNotification(status=status, request_id=request_id))

    async def upload_status(self, status: str, request_id: int | None) -> None:
        await self._request(call.LogStatusNotification(status=UPLOAD_STATUS.get(status, status), request_id=request_id))

    async def data_transfer(self, message_id: str, data: dict[str, Any]) -> None:
        await self._request(call.DataTransfer(vendor_id=VENDOR_ID, message_id=message_id, data=data))

    async def temperatures(self, connectors: list[Connector]) -> None:
        """A periodic NotifyEvent with each connector's Temperature (°C), as a hard-wired monitor."""
        if not connectors or "Temperature" not in self._state.configuration.measurands("MeterValuesAlignedData"):
            return
        moment = timestamp()
        events = []
        for connector in connectors:
            self._event_id += 1
            events.append({
                "event_id": self._event_id,
                "timestamp": moment,
                "trigger": "Periodic",
                "actual_value": f"{connector.meter.temperature_c:.1f}",
                "event_notification_type": "HardWiredMonitor",
                "component": {"name": "Connector", "evse": {"id": connector.id, "connector_id": 1}},
                "variable": {"name": "Temperature"},
            })  # fmt: skip
        await self._request(call.NotifyEvent(generated_at=moment, seq_no=self._next_event_seq_no(), event_data=events))

    # --- the server's commands -------------------------------------------------------------------

    @on_call(Action.request_start_transaction)
    def on_request_start_transaction(
        self, id_token: dict[str, Any], remote_start_id: int, evse_id: int | None = None, **_: Any
    ) -> Any:
        follow_up = self._behaviour.remote_start(
            evse_id, str(id_token["id_token"]), remote_start_id=remote_start_id, id_token_type=str(id_token["type"])
        )
        self._answer_then(follow_up)
        return call_result.RequestStartTransaction(status="Accepted" if follow_up else "Rejected")

    @after_call(Action.request_start_transaction)
    def after_request_start_transaction(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.request_stop_transaction)
    def on_request_stop_transaction(self, transaction_id: str, **_: Any) -> Any:
        accepted = self._behaviour.remote_stop(transaction_id)
        return call_result.RequestStopTransaction(status="Accepted" if accepted else "Rejected")

    @on_call(Action.reset)
    def on_reset(self, type: str, evse_id: int | None = None, **_: Any) -> Any:
        if evse_id is not None:
            # Resetting a single EVSE is optional in 2.0.1 and this station cannot.
            self._answer_then(None)
            return call_result.Reset(status="Rejected")
        scheduled, follow_up = self._behaviour.reset(StopReason.IMMEDIATE_RESET, when_idle=type == "OnIdle")
        self._answer_then(follow_up)
        return call_result.Reset(status="Scheduled" if scheduled else "Accepted")

    @after_call(Action.reset)
    def after_reset(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.unlock_connector)
    def on_unlock_connector(self, evse_id: int, connector_id: int, **_: Any) -> Any:
        if connector_id != 1:
            return call_result.UnlockConnector(status="UnknownConnector")
        outcome = self._behaviour.unlock(evse_id, stop_transaction=False)
        return call_result.UnlockConnector(status=outcome.value)

    @on_call(Action.change_availability)
    def on_change_availability(self, operational_status: str, evse: dict[str, Any] | None = None, **_: Any) -> Any:
        if evse is not None and evse.get("connector_id", 1) != 1:
            self._answer_then(None)
            return call_result.ChangeAvailability(status="Rejected")
        number = None if evse is None else int(evse["id"])
        answer, follow_up = self._behaviour.change_availability(number, operational_status == "Operative")
        self._answer_then(follow_up)
        return call_result.ChangeAvailability(status=answer.value)

    @after_call(Action.change_availability)
    def after_change_availability(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.get_variables)
    def on_get_variables(self, get_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        configuration = self._state.configuration
        results = []
        for item in get_variable_data:
            component, variable = item["component"], item["variable"]
            attribute = item.get("attribute_type", "Actual")
            result: dict[str, Any] = {"component": component, "variable": variable, "attribute_type": attribute}
            setting = configuration.get_variable(component["name"], variable["name"])
            if attribute != "Actual":
                result["attribute_status"] = "NotSupportedAttributeType"
            elif setting is not None:
                result.update(attribute_status="Accepted", attribute_value=setting.value)
            elif configuration.knows_component(component["name"]):
                result["attribute_status"] = "UnknownVariable"
            else:
                result["attribute_status"] = "UnknownComponent"
            results.append(result)
        return call_result.GetVariables(get_variable_result=results)

    @on_call(Action.set_variables)
    def on_set_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        configuration = self._state.configuration
        results = []
        for item in set_variable_data:
            component, variable = item["component"], item["variable"]
            attribute = item.get("attribute_type", "Actual")
            result: dict[str, Any] = {"component": component, "variable": variable, "attribute_type": attribute}
            if attribute != "Actual":
                result["attribute_status"] = "NotSupportedAttributeType"
            elif configuration.get_variable(component["name"], variable["name"]) is None:
                known = configuration.knows_component(component["name"])
                result["attribute_status"] = "UnknownVariable" if known else "UnknownComponent"
            else:
                change = configuration.set_variable(component["name"], variable["name"], str(item["attribute_value"]))
                result["attribute_status"] = {
                    ChangeResult.ACCEPTED: "Accepted",
                    ChangeResult.REBOOT_REQUIRED: "RebootRequired",
                }.get(change, "Rejected")
            results.append(result)
        return call_result.SetVariables(set_variable_result=results)

    @on_call(Action.trigger_message)
    def on_trigger_message(self, requested_message: str, evse: dict[str, Any] | None = None, **_: Any) -> Any:
        follow_up = None
        if requested_message not in TRIGGERABLE:
            status = "NotImplemented"
        else:
            follow_up = self._behaviour.trigger(requested_message, None if evse is None else int(evse["id"]))
            status = "Accepted" if follow_up is not None else "Rejected"
        self._answer_then(follow_up)
        return call_result.TriggerMessage(status=status)

    @after_call(Action.trigger_message)
    def after_trigger_message(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.get_log)
    def on_get_log(self, log: dict[str, Any], log_type: str, request_id: int, **_: Any) -> Any:
        kind = "security-log" if log_type == "SecurityLog" else "log"
        file_name, follow_up = self._behaviour.upload_logs(str(log["remote_location"]), kind, request_id)
        self._answer_then(follow_up)
        return call_result.GetLog(status="Accepted", filename=file_name)

    @after_call(Action.get_log)
    def after_get_log(self, **_: Any) -> None:
        self._run_follow_up()

    @on_call(Action.update_firmware)
    def on_update_firmware(self, request_id: int, firmware: dict[str, Any], **_: Any) -> Any:
        retrieve_at = _parse_time(str(firmware.get("retrieve_date_time", "")))
        self._answer_then(self._behaviour.update_firmware(str(firmware["location"]), retrieve_at, request_id))
        return call_result.UpdateFirmware(status="Accepted")

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
                "value": s.value,
                "context": context,
                "measurand": s.measurand,
                "location": s.location,
                "unit_of_measure": {"unit": s.unit},
                **({"phase": s.phase} if s.phase else {}),
            }
            for s in samples(reading, measurands)
            if s.measurand not in NOT_MEASURANDS
        ],
    }


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
