"""An OCPP 1.6 station against a central system built on the ocpp package, over a real socket."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from ocpp.v16 import call

from ema_sim import StationSpec, demo_password
from ema_sim.plan import StationPlan
from tests.sim.conftest import running
from tests.sim.csms import Csms, StationRecord

ID = "CZ-SEC-00001"
STATION = StationSpec(ID, demo_password(ID), "1.6")
ALL_MEASURANDS = {
    ("Energy.Active.Import.Register", None, "Wh"),
    ("Power.Active.Import", None, "W"),
    ("Current.Import", "L1", "A"),
    ("Current.Import", "L2", "A"),
    ("Current.Import", "L3", "A"),
    ("Voltage", "L1-N", "V"),
    ("Voltage", "L2-N", "V"),
    ("Voltage", "L3-N", "V"),
    ("SoC", None, "Percent"),
    ("Temperature", None, "Celsius"),
}


def statuses(record: StationRecord, connector_id: int) -> list[str]:
    return [p["status"] for p in record.of("StatusNotification") if p["connectorId"] == connector_id]


def sampled(payload: dict[str, Any]) -> dict[tuple[str, str | None, str], float]:
    values = payload["meterValue"][0]["sampledValue"]
    return {(v["measurand"], v.get("phase"), v["unit"]): float(v["value"]) for v in values}


def transaction_meter_values(record: StationRecord, transaction_id: int) -> list[dict[str, Any]]:
    return [p for p in record.of("MeterValues") if p.get("transactionId") == transaction_id]


async def start_session(csms: Csms, id_tag: str = "04A1B2C3D4E5F6", connector_id: int = 1) -> int:
    """Remote-start a session and return its transaction id once the station reports Charging."""
    answer = await csms.call(ID, call.RemoteStartTransaction(id_tag=id_tag, connector_id=connector_id))
    assert answer.status == "Accepted"
    started = len(csms.record(ID).of("StartTransaction"))
    await csms.wait_for(
        ID, lambda r: len(r.of("StartTransaction")) > started and statuses(r, connector_id)[-1] == "Charging"
    )
    return 1000 + sum(r.count("StartTransaction") for r in csms.stations.values())


async def test_boots_reports_every_connector_heartbeats_and_meters(csms: Csms) -> None:
    csms.heartbeat_interval = 1
    async with running(csms, [STATION]) as fleet:
        record = await csms.wait_for(ID, lambda r: r.count("Heartbeat") >= 2 and r.count("MeterValues") >= 2)
        connectors = fleet.station(ID).state.profile.connectors

    credentials = base64.b64encode(f"{ID}:{STATION.password}".encode()).decode()
    assert record.authorization[0] == f"Basic {credentials}"
    assert record.subprotocols == ["ocpp1.6"]
    boot = record.of("BootNotification")[0]
    assert boot["chargePointVendor"] == "SECTRON"
    assert boot["chargePointModel"] and boot["chargePointSerialNumber"].startswith("SEC") and boot["firmwareVersion"]
    assert record.actions()[0] == "BootNotification"
    first_statuses = record.calls[1 : 2 + connectors]
    assert [(p["connectorId"], p["status"], p["errorCode"]) for _, p in first_statuses] == [
        (n, "Available", "NoError") for n in range(connectors + 1)
    ]
    idle = record.of("MeterValues")[0]
    assert "transactionId" not in idle
    values = sampled(idle)
    assert {k for k in values if k[0] != "Voltage"} == {
        ("Energy.Active.Import.Register", None, "Wh"),
        ("Power.Active.Import", None, "W"),
        ("Temperature", None, "Celsius"),
    }
    assert values[("Power.Active.Import", None, "W")] == 0
    assert all(220 < values[("Voltage", f"L{n}-N", "V")] < 240 for n in (1, 2, 3))
    assert idle["meterValue"][0]["sampledValue"][0]["context"] == "Sample.Clock"


async def test_remote_session_from_start_to_stop(csms: Csms) -> None:
    async with running(csms, [STATION]):
        transaction_id = await start_session(csms, "04AABBCCDDEEFF")
        record = await csms.wait_for(ID, lambda r: len(transaction_meter_values(r, transaction_id)) >= 4)

        busy = await csms.call(ID, call.RemoteStartTransaction(id_tag="04AABBCCDDEEFF", connector_id=1))
        assert busy.status == "Rejected"
        unknown = await csms.call(ID, call.RemoteStopTransaction(transaction_id=transaction_id + 50))
        assert unknown.status == "Rejected"
        stopped = await csms.call(ID, call.RemoteStopTransaction(transaction_id=transaction_id))
        assert stopped.status == "Accepted"
        await csms.wait_for(ID, lambda r: r.of("StopTransaction") and statuses(r, 1)[-1] == "Available")

    assert record.of("Authorize") == [{"idTag": "04AABBCCDDEEFF"}]
    start = record.of("StartTransaction")[0]
    assert start["connectorId"] == 1 and start["idTag"] == "04AABBCCDDEEFF"
    assert statuses(record, 1)[:3] == ["Available", "Preparing", "Charging"]
    assert statuses(record, 1)[-2:] == ["Finishing", "Available"]

    meter_values = transaction_meter_values(record, transaction_id)
    assert all(set(sampled(p)) == ALL_MEASURANDS for p in meter_values)
    energy = [sampled(p)[("Energy.Active.Import.Register", None, "Wh")] for p in meter_values]
    soc = [sampled(p)[("SoC", None, "Percent")] for p in meter_values]
    assert energy == sorted(energy) and energy[-1] > start["meterStart"]
    assert soc == sorted(soc) and soc[-1] > soc[0]
    last = sampled(meter_values[-1])
    assert last[("Power.Active.Import", None, "W")] > 1000
    assert all(last[("Current.Import", phase, "A")] > 1 for phase in ("L1", "L2", "L3"))

    stop = record.of("StopTransaction")[0]
    assert stop["transactionId"] == transaction_id and stop["reason"] == "Remote"
    assert stop["meterStop"] >= energy[-1]
    assert stop["transactionData"][0]["sampledValue"][0]["context"] == "Transaction.End"


async def test_a_refused_card_ends_before_a_transaction(csms: Csms) -> None:
    csms.rejected_tags.add("04DEADBEEF0000")
    async with running(csms, [STATION]):
        answer = await csms.call(ID, call.RemoteStartTransaction(id_tag="04DEADBEEF0000", connector_id=1))
        assert answer.status == "Accepted"
        record = await csms.wait_for(ID, lambda r: statuses(r, 1)[-2:] == ["Preparing", "Available"])
    assert record.of("Authorize") == [{"idTag": "04DEADBEEF0000"}]
    assert record.of("StartTransaction") == []


async def test_soft_reset_stops_the_session_reboots_and_boots_again(csms: Csms) -> None:
    async with running(csms, [STATION]) as fleet:
        transaction_id = await start_session(csms)
        answer = await csms.call(ID, call.Reset(type="Soft"))
        assert answer.status == "Accepted"
        connectors = fleet.station(ID).state.profile.connectors

        def rebooted(r: StationRecord) -> bool:
            """Booted again and reported every connector (and the station) since."""
            actions = r.actions()
            if actions.count("BootNotification") < 2:
                return False
            return actions[actions.index("BootNotification", 1) :].count("StatusNotification") > connectors

        record = await csms.wait_for(ID, rebooted)
        hard = await csms.call(ID, call.Reset(type="Hard"))
        assert hard.status == "Accepted"
        await csms.wait_for(ID, lambda r: r.count("BootNotification") == 3)

    stop = record.of("StopTransaction")[0]
    assert stop["transactionId"] == transaction_id and stop["reason"] == "SoftReset"
    assert (
        record.actions().index("StopTransaction")
        < [i for i, a in enumerate(record.actions()) if a == "BootNotification"][1]
    )
    assert record.connections == 3 and record.disconnects >= 2
    after_reboot = record.actions()[record.actions().index("BootNotification", 1) :]
    assert after_reboot[: connectors + 2] == ["BootNotification"] + ["StatusNotification"] * (connectors + 1)
    assert statuses(record, 1)[-1] == "Available"


async def test_configuration_keys_persist_and_take_effect(csms: Csms) -> None:
    csms.heartbeat_interval = 3600
    async with running(csms, [STATION]):
        everything = await csms.call(ID, call.GetConfiguration())
        keys = {k["key"]: k for k in everything.configuration_key}
        assert keys["HeartbeatInterval"]["value"] == "3600"  # the boot answer's interval
        assert keys["MeterValueSampleInterval"]["value"] == "0.2"
        assert keys["NumberOfConnectors"]["readonly"] is True
        assert keys["AuthorizeRemoteTxRequests"]["value"] == "true"

        some = await csms.call(ID, call.GetConfiguration(key=["HeartbeatInterval", "NoSuchKey"]))
        assert [k["key"] for k in some.configuration_key] == ["HeartbeatInterval"]
        assert some.unknown_key == ["NoSuchKey"]

        async def change(key: str, value: str) -> str:
            return str((await csms.call(ID, call.ChangeConfiguration(key=key, value=value))).status)

        assert await change("NumberOfConnectors", "8") == "Rejected"
        assert await change("NoSuchKey", "1") == "NotSupported"
        assert await change("HeartbeatInterval", "often") == "Rejected"

        assert csms.record(ID).count("Heartbeat") == 0
        assert await change("HeartbeatInterval", "0.2") == "Accepted"
        await csms.wait_for(ID, lambda r: r.count("Heartbeat") >= 3)

        assert await change("MeterValuesAlignedData", "Energy.Active.Import.Register") == "Accepted"
        assert await change("LightIntensity", "40") == "Accepted"
        seen = csms.record(ID).count("MeterValues")
        record = await csms.wait_for(ID, lambda r: r.count("MeterValues") >= seen + 2)
        assert set(sampled(record.of("MeterValues")[-1])) == {("Energy.Active.Import.Register", None, "Wh")}

        assert (await csms.call(ID, call.Reset(type="Hard"))).status == "Accepted"
        await csms.wait_for(ID, lambda r: r.count("BootNotification") == 2 and r.cp is not None)
        after = await csms.call(ID, call.GetConfiguration(key=["MeterValuesAlignedData", "LightIntensity"]))
    assert {k["key"]: k["value"] for k in after.configuration_key} == {
        "MeterValuesAlignedData": "Energy.Active.Import.Register", "LightIntensity": "40"
    }  # fmt: skip


async def test_diagnostics_upload_goes_through_its_statuses(csms: Csms) -> None:
    async with running(csms, [STATION]):
        answer = await csms.call(ID, call.GetDiagnostics(location="ftp://diag.sectron.cz/upload/"))
        assert answer.file_name.startswith(ID) and answer.file_name.endswith(".tar.gz")
        await csms.wait_for(ID, lambda r: len(r.of("DiagnosticsStatusNotification")) == 2)
        bad = await csms.call(ID, call.GetDiagnostics(location="nowhere"))
        assert bad.file_name
        record = await csms.wait_for(ID, lambda r: len(r.of("DiagnosticsStatusNotification")) == 4)
        assert (
            await csms.call(ID, call.TriggerMessage(requested_message="DiagnosticsStatusNotification"))
        ).status == "Accepted"
        await csms.wait_for(ID, lambda r: len(r.of("DiagnosticsStatusNotification")) == 5)
    assert [p["status"] for p in record.of("DiagnosticsStatusNotification")] == [
        "Uploading", "Uploaded", "Uploading", "UploadFailed", "Idle"
    ]  # fmt: skip


async def test_firmware_update_installs_and_boots_with_the_new_version(csms: Csms) -> None:
    async with running(csms, [STATION]) as fleet:
        before = fleet.station(ID).state.firmware_version
        now = datetime.now(UTC).isoformat()
        answer = await csms.call(
            ID, call.UpdateFirmware(location="https://fw.sectron.cz/ac22/sectron-ac22-4.1.0.bin", retrieve_date=now)
        )
        assert answer is not None
        record = await csms.wait_for(ID, lambda r: r.count("BootNotification") == 2)
    assert [p["status"] for p in record.of("FirmwareStatusNotification")] == [
        "Downloading", "Downloaded", "Installing", "Installed"
    ]  # fmt: skip
    boots = record.of("BootNotification")
    assert boots[0]["firmwareVersion"] == before and boots[1]["firmwareVersion"] == "4.1.0"
    assert record.actions().index("FirmwareStatusNotification") < record.actions().index("BootNotification", 1)


async def test_unlock_availability_trigger_and_cache(csms: Csms) -> None:
    async with running(csms, [STATION]):
        assert (await csms.call(ID, call.UnlockConnector(connector_id=1))).status == "Unlocked"
        assert (await csms.call(ID, call.UnlockConnector(connector_id=9))).status == "NotSupported"
        assert (await csms.call(ID, call.ClearCache())).status == "Accepted"
        assert (await csms.call(ID, call.DataTransfer(vendor_id="SECTRON", message_id="Ping"))).status == "Accepted"
        assert (await csms.call(ID, call.DataTransfer(vendor_id="ACME"))).status == "UnknownVendorId"

        answer = await csms.call(ID, call.ChangeAvailability(connector_id=1, type="Inoperative"))
        assert answer.status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Unavailable")
        refused = await csms.call(ID, call.RemoteStartTransaction(id_tag="04AABBCCDDEEFF", connector_id=1))
        assert refused.status == "Rejected"
        assert (await csms.call(ID, call.ChangeAvailability(connector_id=1, type="Operative"))).status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Available")

        transaction_id = await start_session(csms)
        scheduled = await csms.call(ID, call.ChangeAvailability(connector_id=1, type="Inoperative"))
        assert scheduled.status == "Scheduled"
        assert (await csms.call(ID, call.RemoteStopTransaction(transaction_id=transaction_id))).status == "Accepted"
        record = await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Unavailable")
        assert statuses(record, 1)[-3:] == ["Charging", "Finishing", "Unavailable"]
        assert (await csms.call(ID, call.ChangeAvailability(connector_id=0, type="Operative"))).status == "Accepted"
        await csms.wait_for(ID, lambda r: statuses(r, 1)[-1] == "Available")

        counts = {a: record.count(a) for a in ("StatusNotification", "Heartbeat", "MeterValues", "BootNotification")}
        for message in counts:
            trigger = call.TriggerMessage(requested_message=message, connector_id=1)
            assert (await csms.call(ID, trigger)).status == "Accepted"
        await csms.wait_for(ID, lambda r: all(r.count(a) > n for a, n in counts.items()))
        triggered = [
            p for p in record.of("MeterValues") if p["meterValue"][0]["sampledValue"][0]["context"] == "Trigger"
        ]
        assert triggered and triggered[0]["connectorId"] == 1
        bad = await csms.call(ID, call.TriggerMessage(requested_message="StatusNotification", connector_id=9))
        assert bad.status == "Rejected"

        transaction_id = await start_session(csms)
        assert (await csms.call(ID, call.UnlockConnector(connector_id=1))).status == "Unlocked"
        record = await csms.wait_for(ID, lambda r: len(r.of("StopTransaction")) == 2)
    assert record.of("StopTransaction")[1] | {"transactionId": transaction_id} == record.of("StopTransaction")[1]
    assert record.of("StopTransaction")[1]["reason"] == "UnlockCommand"


async def test_pending_boot_is_retried_after_the_interval_it_gives(csms: Csms) -> None:
    csms.boot_answers[ID] = [("Pending", 1), ("Rejected", 1)]
    async with running(csms, [STATION]):
        record = await csms.wait_for(ID, lambda r: r.count("StatusNotification") >= 2)
    assert record.actions()[:4] == ["BootNotification", "BootNotification", "BootNotification", "StatusNotification"]


async def test_a_fault_ends_the_session_and_clears(csms: Csms) -> None:
    async with running(csms, [STATION]) as fleet:
        transaction_id = await start_session(csms)
        assert fleet.station(ID).raise_fault(1, "GroundFailure", duration_s=30.0)
        record = await csms.wait_for(ID, lambda r: statuses(r, 1)[-2:] == ["Faulted", "Available"])
        assert fleet.stats().faults == 1
    stop = record.of("StopTransaction")[0]
    assert stop["transactionId"] == transaction_id and stop["reason"] == "EmergencyStop"
    faulted = next(p for p in record.of("StatusNotification") if p["status"] == "Faulted")
    assert faulted["connectorId"] == 1 and faulted["errorCode"] == "GroundFailure"
    cleared = record.of("StatusNotification")[-1]
    assert cleared["errorCode"] == "NoError"


async def test_random_faults_use_real_error_codes_and_recover(csms: Csms) -> None:
    plan = StationPlan(0, ID, fault_rate=60.0)
    first = plan.next_fault()
    async with running(csms, [STATION], fault_rate=60.0, speed=max(600.0, first.duration_s)):
        record = await csms.wait_for(ID, lambda r: statuses(r, first.connector_id)[-2:] == ["Faulted", "Available"])
    faulted = next(p for p in record.of("StatusNotification") if p["status"] == "Faulted")
    assert (faulted["connectorId"], faulted["errorCode"]) == (first.connector_id, first.error_code)


def short_first_car(identity: str) -> int:
    """A seed whose first car on connector 1 leaves within an hour of simulated time."""
    return next(seed for seed in range(200) if StationPlan(seed, identity).next_session(1).stay_s < 3600)


async def test_cars_arrive_charge_and_leave_by_themselves(csms: Csms) -> None:
    seed = short_first_car(ID)
    car = StationPlan(seed, ID).next_session(1)
    async with running(csms, [STATION], seed=seed, session_rate=60.0, speed=1800.0):
        record = await csms.wait_for(ID, lambda r: any(p["transactionId"] == 1001 for p in r.of("StopTransaction")))
    start = next(p for p in record.of("StartTransaction") if p["connectorId"] == 1)
    assert start["idTag"] == car.id_tag
    assert {"idTag": car.id_tag} in record.of("Authorize")
    transaction_id = 1001 + record.of("StartTransaction").index(start)
    stop = next(p for p in record.of("StopTransaction") if p["transactionId"] == transaction_id)
    assert stop["reason"] == ("Local" if car.ends_with_card else "EVDisconnected")
    assert stop["meterStop"] > start["meterStart"]
    soc = [sampled(p)[("SoC", None, "Percent")] for p in transaction_meter_values(record, transaction_id)]
    assert soc and soc[0] >= car.soc_start and soc == sorted(soc)
