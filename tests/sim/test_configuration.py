"""Configuration keys: what GetConfiguration/ChangeConfiguration and Get/SetVariables see."""

from __future__ import annotations

import asyncio

import pytest

from ema_sim.configuration import ChangeResult, ConfigurationStore, default_settings


def store(**overrides: float) -> ConfigurationStore:
    values = {"heartbeat_interval": 300.0, "meter_interval": 10.0, "idle_meter_interval": 100.0} | overrides
    return ConfigurationStore(default_settings(identity="CZ-SEC-00001", connectors=2, **values))


def test_factory_keys_carry_the_fleets_intervals() -> None:
    configuration = store(meter_interval=0.2)
    keys = {s.name: s for s in configuration.keys_16()}
    assert {"HeartbeatInterval", "MeterValueSampleInterval", "NumberOfConnectors",
            "AuthorizeRemoteTxRequests", "ClockAlignedDataInterval"} <= keys.keys()  # fmt: skip
    assert keys["MeterValueSampleInterval"].value == "0.2"
    assert keys["HeartbeatInterval"].value == "300"
    assert keys["NumberOfConnectors"].value == "2" and keys["NumberOfConnectors"].readonly
    # 2.0.1-only variables are not 1.6 keys.
    assert "SecurityProfile" not in keys
    assert configuration.get_16("SecurityProfile") is None


def test_a_change_persists_normalised() -> None:
    configuration = store()
    assert configuration.change_16("HeartbeatInterval", " 120 ") is ChangeResult.ACCEPTED
    assert configuration.change_16("AuthorizeRemoteTxRequests", "FALSE") is ChangeResult.ACCEPTED
    assert configuration.change_16("MeterValueSampleInterval", "0.5") is ChangeResult.ACCEPTED
    assert configuration.get_16("HeartbeatInterval").value == "120"  # type: ignore[union-attr]
    assert configuration.seconds("HeartbeatInterval") == 120.0
    assert configuration.flag("AuthorizeRemoteTxRequests") is False
    assert configuration.seconds("MeterValueSampleInterval") == 0.5


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("NumberOfConnectors", "4", ChangeResult.REJECTED),
        ("SupportedFeatureProfiles", "Core", ChangeResult.REJECTED),
        ("HeartbeatInterval", "soon", ChangeResult.REJECTED),
        ("HeartbeatInterval", "-5", ChangeResult.REJECTED),
        ("HeartbeatInterval", "nan", ChangeResult.REJECTED),
        ("ConnectionTimeOut", "1.5", ChangeResult.REJECTED),
        ("AuthorizeRemoteTxRequests", "yes", ChangeResult.REJECTED),
        ("MeterValuesSampledData", "Voltage,Frequency", ChangeResult.REJECTED),
        ("NoSuchKey", "1", ChangeResult.NOT_SUPPORTED),
        ("SecurityProfile", "2", ChangeResult.NOT_SUPPORTED),
    ],
)
def test_refused_changes_leave_the_value_alone(key: str, value: str, expected: ChangeResult) -> None:
    configuration = store()
    before = {s.name: s.value for s in configuration.keys_16()}
    assert configuration.change_16(key, value) is expected
    assert {s.name: s.value for s in configuration.keys_16()} == before


def test_measurand_lists_are_checked_and_deduplicated() -> None:
    configuration = store()
    assert configuration.change_16("MeterValuesSampledData", "Voltage, SoC,Voltage") is ChangeResult.ACCEPTED
    assert configuration.measurands("MeterValuesSampledData") == {"Voltage", "SoC"}
    assert configuration.text("MeterValuesSampledData") == "Voltage,SoC"


def test_201_variables_are_the_same_settings() -> None:
    configuration = store()
    assert configuration.set_variable("OCPPCommCtrlr", "HeartbeatInterval", "45") is ChangeResult.ACCEPTED
    assert configuration.get_16("HeartbeatInterval").value == "45"  # type: ignore[union-attr]
    assert configuration.set_variable("SampledDataCtrlr", "TxUpdatedInterval", "2") is ChangeResult.ACCEPTED
    assert configuration.seconds("MeterValueSampleInterval") == 2.0
    assert configuration.set_variable("SecurityCtrlr", "SecurityProfile", "3") is ChangeResult.REJECTED
    assert configuration.get_variable("SecurityCtrlr", "Identity").value == "CZ-SEC-00001"  # type: ignore[union-attr]
    assert configuration.set_variable("OCPPCommCtrlr", "WebSocketPingInterval", "30") is ChangeResult.REBOOT_REQUIRED
    assert configuration.set_variable("OCPPCommCtrlr", "NoSuchVariable", "1") is ChangeResult.NOT_SUPPORTED
    assert configuration.knows_component("OCPPCommCtrlr")
    assert not configuration.knows_component("NoSuchCtrlr")


async def test_a_change_wakes_whoever_waits_on_the_configuration() -> None:
    configuration = store()
    waiter = asyncio.create_task(configuration.changed.wait())
    await asyncio.sleep(0)
    assert configuration.change_16("HeartbeatInterval", "300") is ChangeResult.ACCEPTED  # same value: no wake-up
    await asyncio.sleep(0)
    assert not waiter.done()
    configuration.change_16("HeartbeatInterval", "30")
    async with asyncio.timeout(5):
        await waiter


def test_the_station_can_set_a_key_itself() -> None:
    configuration = store()
    configuration.set_by_station("HeartbeatInterval", "90")
    assert configuration.seconds("HeartbeatInterval") == 90.0
    with pytest.raises(ValueError, match="HeartbeatInterval"):
        configuration.set_by_station("HeartbeatInterval", "often")
