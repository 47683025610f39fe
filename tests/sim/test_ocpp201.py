"""An OCPP 2.0.1 station against a central system built on the ocpp package, over a real socket."""

from __future__ import annotations

from typing import Any

from ocpp.v201 import call

from ema_sim import StationSpec, demo_password
from tests.sim.conftest import running
from tests.sim.csms import Csms, StationRecord

ID = "CZ-SEC-00002"
STATION = StationSpec(ID, demo_password(ID), "2.0.1")
TOKEN = {"id_token": "04C0FFEE000001", "type": "ISO14443"}
TRANSACTION_MEASURANDS = {
    ("Energy.Active.Import.Register", None, "Wh"),
    ("Power.Active.Import", None, "W"),
    ("Current.Import", "L1", "A"),
    ("Current.Import", "L2", "A"),
    ("Current.Import", "L3", "A"),
    ("Voltage", "L1-N", "V"),
    ("Voltage", "L2-N", "V"),
    ("Voltage", "L3-N", "V"),
    ("SoC", None, "Percent"),
}


def statuses(record: StationRecord, evse_id: int) -> list[str]:
    return [p["connectorStatus"] for p in record.of("StatusNotification") if p["evseId"] == evse_id]


def events(record: StationRecord, event_type: str | None = None) -> list[dict[str, Any]]:
    return [p for p in record.of("TransactionEvent") if event_type is None or p["eventType"] == event_type]


def sampled(meter_value: dict[str, Any]) -> dict[tuple[str, str | None, str], float]:
    return {
        (v["measurand"], v.get("phase"), v["unitOfMeasure"]["unit"]): float(v["value"])
        for v in meter_value["sampledValue"]
    }


def problems(record: StationRecord) -> list[dict[str, Any]]:
    """NotifyEvent entries about a connector's Problem variable (a fault raised or cleared)."""
    return [e for p in record.of("NotifyEvent") for e in p["eventData"] if e["variable"]["name"] == "Problem"]


def component_variable(component: str, variable: str, value: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"component": {"name": component}, "variable": {"name": variable}}
    if value is not None:
        item["attribute_value"] = value
    return item


async def start_session(csms: Csms, remote_start_id: int = 1) -> str:
    """Request a start on EVSE 1 and return the transaction id once it is charging."""
    answer = await csms.call(
        ID, call.RequestStartTransaction(id_token=TOKEN, remote_start_id=remote_start_id, evse_id=1)
    )
    assert answer.status == "Accepted"

    def charging(r: StationRecord) -> str | None:
        started = [e for e in events(r, "Started") if e["transactionInfo"].get("remoteStartId") == remote_start_id]
        if not started:
            return None
        transaction_id = str(started[0]["transactionInfo"]["transactionId"])
        states = [
            e["transactionInfo"].get("chargingState")
            for e in events(r)
            if e["transactionInfo"]["transactionId"] == transaction_id
        ]
        return transaction_id if "Charging" in states else None

    return await csms.wait_value(ID, charging)


async def test_boots_reports_evses_heartbeats_and_meters(csms: Csms) -> None:
    csms.heartbeat_interval = 1
    async with running(csms, [STATION]) as fleet:
        record = await csms.wait_for(
            ID,
            lambda r: r.count("Heartbeat") >= 2 and r.count("MeterValues") >= 2 and r.count("NotifyEvent"),
        )
        connectors = fleet.station(ID).state.profile.connectors
    assert record.subprotocols == ["ocpp2.0.1"]
    boot = record.of("BootNotification")[0]
    assert boot["reason"] == "PowerUp"
    assert boot["chargingStation"]["vendorName"] == "SECTRON" and boot["chargingStation"]["firmwareVersion"]
    first = record.of("StatusNotification")[:connectors]
    assert [(p["evseId"], p["connectorId"], p["connectorStatus"]) for p in first] == [
        (n, 1, "Available") for n in range(1, connectors + 1)
    ]
    idle = record.of("MeterValues")[0]
    values = sampled(idle["meterValue"][0])
    assert idle["evseId"] in range(1, connectors + 1)
    assert ("Energy.Active.Import.Register", None, "Wh") in values and ("Voltage", "L3-N", "V") in values
    temperature = record.of("NotifyEvent")[0]["eventData"][0]
    assert temperature["variable"]["name"] == "Temperature" and temperature["trigger"] == "Periodic"
    assert 0 < float(temperature["actualValue"]) < 60


async def test_requested_session_from_start_to_stop(csms: Csms) -> None:
    async with running(csms, [STATION]):
        transaction_id = await start_session(csms, remote_start_id=42)

        def periodic(r: StationRecord) -> list[dict[str, Any]]:
            return [e for e in events(r, "Updated") if e["triggerReason"] == "MeterValuePeriodic"]

        await csms.wait_for(ID, lambda r: len(periodic(r)) >= 4)
        assert (await csms.call(ID, call.RequestStopTransaction(transaction_id="no-such"))).status == "Rejected"
        stopped = await csms.call(ID, call.RequestStopTransaction(transaction_id=transaction_id))
        assert stopped.status == "Accepted"
        record = await csms.wait_for(ID, lambda r: events(r, "Ended") and statuses(r, 1)[-1] == "Available")

    assert record.of("Authorize") == [{"idToken": {"idToken": "04C0FFEE000001", "type": "ISO14443"}}]
    started = events(record, "Started")[0]
    assert started["triggerReason"] == "RemoteStart"
    assert started["transactionInfo"]["remoteStartId"] == 42
    assert started["idToken"]["idToken"] == "04C0FFEE000001" and started["evse"] == {"id": 1, "connectorId": 1}
    begin = sampled(started["meterValue"][0])[("Energy.Active.Import.Register", None, "Wh")]

    ours = [e for e in events(record) if e["transactionInfo"]["transactionId"] == transaction_id]
    assert [e["seqNo"] for e in ours] == list(range(len(ours)))
    updates = [e for e in ours if e["triggerReason"] == "MeterValuePeriodic"]
    assert all(set(sampled(e["meterValue"][0])) == TRANSACTION_MEASURANDS for e in updates)
    energy = [sampled(e["meterValue"][0])[("Energy.Active.Import.Register", None, "Wh")] for e in updates]
    soc = [sampled(e["meterValue"][0])[("SoC", None, "Percent")] for e in updates]
    assert energy == sorted(energy) and energy[-1] > begin
    assert soc == sorted(soc) and soc[-1] > soc[0]

    ended = events(record, "Ended")[0]
    assert ended["triggerReason"] == "RemoteStop"
    assert ended["transactionInfo"]["stoppedReason"] == "Remote"
    end_value = ended["meterValue"][0]
    assert end_value["sampledValue"][0]["context"] == "Transaction.End"
    assert sampled(end_value)[("Energy.Active.Import.Register", None, "Wh")] >= energy[-1]
    assert statuses(record, 1)[:3] == ["Available", "Occupied", "Available"]


async def test_resets_reboot_with_their_reason(csms: Csms) -> None:
    async with running(csms, [STATION]):
        transaction_id = await start_session(csms)
        scheduled = await csms.call(ID, call.Reset(type="OnIdle"))
        assert scheduled.status == "Scheduled"
        assert (await csms.call(ID, call.Reset(type="Immediate", evse_id=1))).status == "Rejected"
        assert (await csms.call(ID, call.RequestStopTransaction(transaction_id=transaction_id))).status == "Accepted"
        await csms.wait_for(ID, lambda r: r.count("BootNotification") == 2 and r.cp is not None)

        second = await start_session(csms, remote_start_id=2)
        assert (await csms.call(ID, call.Reset(type="Immediate"))).status == "Accepted"
        record = await csms.wait_for(ID, lambda r: r.count("BootNotification") == 3)

    boots = record.of("BootNotification")
    assert [b["reason"] for b in boots] == ["PowerUp", "RemoteReset", "RemoteReset"]
    ended = {e["transactionInfo"]["transactionId"]: e for e in events(record, "Ended")}
    assert ended[transaction_id]["transactionInfo"]["stoppedReason"] == "Remote"
    assert ended[second]["transactionInfo"]["stoppedReason"] == "ImmediateReset"
    assert ended[second]["triggerReason"] == "ResetCommand"
    assert record.connections == 3


async def test_variables_persist_and_take_effect(csms: Csms) -> None:
    csms.heartbeat_interval = 3600
    async with running(csms, [STATION]):
        got = await csms.call(
            ID,
            call.GetVariables(
                get_variable_data=[
                    component_variable("OCPPCommCtrlr", "HeartbeatInterval"),
                    component_variable("SecurityCtrlr", "SecurityProfile"),
                    component_variable("OCPPCommCtrlr", "NoSuchVariable"),
                    component_variable("NoSuchCtrlr", "HeartbeatInterval"),
                    {**component_variable("SampledDataCtrlr", "TxUpdatedInterval"), "attribute_type": "MaxSet"},
                ]
            ),
        )
        results = [(r["attribute_status"], r.get("attribute_value")) for r in got.get_variable_result]
        assert results == [
            ("Accepted", "3600"),
            ("Accepted", "1"),
            ("UnknownVariable", None),
            ("UnknownComponent", None),
            ("NotSupportedAttributeType", None),
        ]
        assert csms.record(ID).count("Heartbeat") == 0
        set_result = await csms.call(
            ID,
            call.SetVariables(
                set_variable_data=[
                    component_variable("OCPPCommCtrlr", "HeartbeatInterval", "0.2"),
                    component_variable("SecurityCtrlr", "SecurityProfile", "3"),
                    component_variable("OCPPCommCtrlr", "WebSocketPingInterval", "30"),
                    component_variable("DisplayCtrlr", "Brightness", "55"),
                    component_variable("DisplayCtrlr", "NoSuchVariable", "1"),
                ]
            ),
        )
        assert [r["attribute_status"] for r in set_result.set_variable_result] == [
            "Accepted",
            "Rejected",
            "RebootRequired",
            "Accepted",
            "UnknownVariable",
        ]
        await csms.wait_for(ID, lambda r: r.count("Heartbeat") >= 3)
        assert (await csms.call(ID, call.Reset(type="Immediate"))).status == "Accepted"
        await csms.wait_for(ID, lambda r: r.count("BootNotification") == 2 and r.cp is not None)
        after = await csms.call(
            ID, call.GetVariables(get_variable_data=[component_variable("DisplayCtrlr", "Brightness")])
        )
    assert after.get_variable_result[0]["attribute_value"] == "55"


async def test_log_upload_and_firmware_update_report_their_progress(csms: Csms) -> None:
    async with running(csms, [STATION]) as fleet:
        before = fleet.station(ID).state.firmware_version
        log = await csms.call(
            ID,
            call.GetLog(
                log={"remote_location": "https://logs.sectron.cz/upload"}, log_type="DiagnosticsLog", request_id=7
            ),
        )
        assert log.status == "Accepted" and log.filename.startswith(ID)
        await csms.wait_for(ID, lambda r: len(r.of("LogStatusNotification")) == 2)
        update = await csms.call(
            ID,
            call.UpdateFirmware(
                request_id=9,
                firmware={
                    "location": "https://fw.sectron.cz/wb/sectron-wb-5.0.2.bin",
                    "retrieve_date_time": "2020-01-01T00:00:00Z",
                },
            ),
        )
        assert update.status == "Accepted"
        record = await csms.wait_for(
            ID,
            lambda r: r.of("FirmwareStatusNotification")[-1:] == [{"status": "Installed", "requestId": 9}],
        )
    assert record.of("LogStatusNotification") == [
        {"status": "Uploading", "requestId": 7},
        {"status": "Uploaded", "requestId": 7},
    ]
    assert [p["status"] for p in record.of("FirmwareStatusNotification")] == [
        "Downloading",
        "Downloaded",
        "Installing",
        "InstallRebooting",
        "Installed",
    ]
    boots = record.of("BootNotification")
    assert boots[0]["chargingStation"]["firmwareVersion"] == before
    assert boots[1]["reason"] == "FirmwareUpdate" and boots[1]["chargingStation"]["firmwareVersion"] == "5.0.2"
    installed = record.actions().index("FirmwareStatusNotification", record.actions().index("BootNotification", 1))
    assert record.calls[installed][1]["status"] == "Installed"


async def test_unlock_availability_trigger_and_cache(csms: Csms) -> None:
    async with running(csms, [STATION]):
        assert (await csms.call(ID, call.UnlockConnector(evse_id=1, connector_id=1))).status == "Unlocked"
        assert (await csms.call(ID, call.UnlockConnector(evse_id=9, connector_id=1))).status == "UnknownConnector"
        assert (await csms.call(ID, call.ClearCache())).status == "Accepted"

        inoperative = call.ChangeAvailability(operational_status="Inoperative", evse={"id": 1})
        assert (await csms.call(ID, inoperative)).status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Unavailable")
        refused = await csms.call(ID, call.RequestStartTransaction(id_token=TOKEN, remote_start_id=5, evse_id=1))
        assert refused.status == "Rejected"
        assert (await csms.call(ID, call.ChangeAvailability(operational_status="Operative"))).status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Available")

        transaction_id = await start_session(csms)
        busy = await csms.call(ID, call.UnlockConnector(evse_id=1, connector_id=1))
        assert busy.status == "OngoingAuthorizedTransaction"
        triggered = await csms.call(ID, call.TriggerMessage(requested_message="TransactionEvent", evse={"id": 1}))
        assert triggered.status == "Accepted"
        record = await csms.wait_for(ID, lambda r: any(e["triggerReason"] == "Trigger" for e in events(r)))
        assert (
            await csms.call(ID, call.ChangeAvailability(operational_status="Inoperative", evse={"id": 1}))
        ).status == "Scheduled"
        assert (await csms.call(ID, call.RequestStopTransaction(transaction_id=transaction_id))).status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Unavailable")

        counts = {a: record.count(a) for a in ("StatusNotification", "Heartbeat", "MeterValues", "BootNotification")}
        for message in counts:
            assert (
                await csms.call(ID, call.TriggerMessage(requested_message=message, evse={"id": 1}))
            ).status == "Accepted"
        await csms.wait_for(ID, lambda r: all(r.count(a) > n for a, n in counts.items()))
        assert record.of("BootNotification")[-1]["reason"] == "Triggered"
        not_here = await csms.call(ID, call.TriggerMessage(requested_message="SignV2GCertificate"))
        assert not_here.status == "NotImplemented"


async def test_a_fault_is_reported_with_its_error_code_and_cleared(csms: Csms) -> None:
    async with running(csms, [STATION]) as fleet:
        transaction_id = await start_session(csms)
        assert fleet.station(ID).raise_fault(1, "OverCurrentFailure", duration_s=30.0)
        record = await csms.wait_for(ID, lambda r: statuses(r, 1)[-2:] == ["Faulted", "Available"])
        await csms.wait_for(ID, lambda r: len(problems(r)) == 2)
    ended = events(record, "Ended")[0]
    assert ended["transactionInfo"]["transactionId"] == transaction_id
    assert ended["transactionInfo"]["stoppedReason"] == "EmergencyStop"
    assert [(e["actualValue"], e.get("techCode"), e.get("cleared")) for e in problems(record)] == [
        ("true", "OverCurrentFailure", None),
        ("false", None, True),
    ]
    assert problems(record)[0]["component"] == {"name": "Connector", "evse": {"id": 1, "connectorId": 1}}
    # The error code arrives before the Faulted status it explains.
    raised = record.actions().index("NotifyEvent", record.actions().index("TransactionEvent"))
    faulted = next(
        i for i, (a, p) in enumerate(record.calls) if a == "StatusNotification" and p["connectorStatus"] == "Faulted"
    )
    assert raised < faulted and record.calls[raised][1]["eventData"][0]["variable"]["name"] == "Problem"
