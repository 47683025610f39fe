"""A station's configuration: the keys it reports and accepts, with their validation.

One store serves both protocol versions: OCPP 1.6 names a setting by its configuration key
(GetConfiguration / ChangeConfiguration), OCPP 2.0.1 by component and variable (GetVariables /
SetVariables); most settings have both names. Values are strings as on the wire, persist for the
life of the process (across reconnects and reboots) and take effect: the station reads them
whenever it schedules a heartbeat or a meter value, and every change wakes it (`changed`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum

from ema_sim.pulse import Pulse

__all__ = ["MEASURANDS", "ChangeResult", "ConfigurationStore", "Kind", "Setting", "default_settings"]

MEASURANDS = (
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "Voltage",
    "SoC",
    "Temperature",
)
"""What the simulated meter measures (a configured list may name only these)."""


class Kind(Enum):
    INTEGER = "integer"
    SECONDS = "seconds"
    """A non-negative number of seconds; fractions allowed, so tests can run fast."""
    BOOLEAN = "boolean"
    MEASURANDS = "measurands"
    TEXT = "text"


class ChangeResult(StrEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    """Read-only, or a value the setting cannot take."""
    REBOOT_REQUIRED = "RebootRequired"
    NOT_SUPPORTED = "NotSupported"
    """No such setting."""


@dataclass
class Setting:
    name: str
    """The OCPP 1.6 configuration key (also the store's name for 2.0.1-only settings)."""
    kind: Kind
    value: str
    readonly: bool = False
    in_16: bool = True
    variable: tuple[str, str] | None = None
    """OCPP 2.0.1 (component, variable), None when 2.0.1 has no such variable."""
    reboot_required: bool = False
    """The new value applies from the next connection (reported as RebootRequired in 2.0.1)."""


class ConfigurationStore:
    def __init__(self, settings: Iterable[Setting]) -> None:
        self._settings = {s.name: s for s in settings}
        self._by_variable = {s.variable: s for s in self._settings.values() if s.variable is not None}
        self._components = {component for component, _ in self._by_variable}
        self.changed = Pulse()

    # --- OCPP 1.6 --------------------------------------------------------------------------

    def keys_16(self) -> list[Setting]:
        return [s for s in self._settings.values() if s.in_16]

    def get_16(self, key: str) -> Setting | None:
        setting = self._settings.get(key)
        return setting if setting is not None and setting.in_16 else None

    def change_16(self, key: str, value: str) -> ChangeResult:
        setting = self.get_16(key)
        if setting is None:
            return ChangeResult.NOT_SUPPORTED
        return self._change(setting, value)

    # --- OCPP 2.0.1 ------------------------------------------------------------------------

    def get_variable(self, component: str, variable: str) -> Setting | None:
        return self._by_variable.get((component, variable))

    def knows_component(self, component: str) -> bool:
        return component in self._components

    def set_variable(self, component: str, variable: str, value: str) -> ChangeResult:
        setting = self.get_variable(component, variable)
        if setting is None:
            return ChangeResult.NOT_SUPPORTED
        return self._change(setting, value)

    # --- the station's own use ---------------------------------------------------------------

    def set_by_station(self, name: str, value: str) -> None:
        """The station changes a setting itself (e.g. the heartbeat interval from the boot answer)."""
        setting = self._settings[name]
        normalised = _normalise(setting.kind, value)
        if normalised is None:
            raise ValueError(f"{value!r} is not a valid {setting.kind.value} for {name}")
        if normalised != setting.value:
            setting.value = normalised
            self.changed.fire()

    def text(self, name: str) -> str:
        return self._settings[name].value

    def seconds(self, name: str) -> float:
        return float(self._settings[name].value)

    def flag(self, name: str) -> bool:
        return self._settings[name].value == "true"

    def measurands(self, name: str) -> frozenset[str]:
        return frozenset(m for m in self._settings[name].value.split(",") if m)

    def _change(self, setting: Setting, value: str) -> ChangeResult:
        if setting.readonly:
            return ChangeResult.REJECTED
        normalised = _normalise(setting.kind, value)
        if normalised is None:
            return ChangeResult.REJECTED
        if normalised != setting.value:
            setting.value = normalised
            self.changed.fire()
        return ChangeResult.REBOOT_REQUIRED if setting.reboot_required else ChangeResult.ACCEPTED


def _normalise(kind: Kind, value: str) -> str | None:
    """The value as the store keeps it, or None when ``kind`` cannot take it."""
    text = value.strip()
    if kind is Kind.TEXT:
        return value if len(value) <= 500 else None
    if kind is Kind.BOOLEAN:
        lowered = text.lower()
        return lowered if lowered in ("true", "false") else None
    if kind is Kind.INTEGER:
        return str(int(text)) if text.isdigit() else None
    if kind is Kind.SECONDS:
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number) or number < 0:
            return None
        return format_seconds(number)
    names = [m.strip() for m in text.split(",") if m.strip()]
    if any(m not in MEASURANDS for m in names):
        return None
    return ",".join(dict.fromkeys(names))


def format_seconds(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def default_settings(
    *,
    identity: str,
    connectors: int,
    heartbeat_interval: float,
    meter_interval: float,
    idle_meter_interval: float,
) -> list[Setting]:
    """The settings of a SECTRON station as it leaves the factory (with the fleet's intervals)."""
    all_measurands = ",".join(MEASURANDS)
    idle_measurands = "Energy.Active.Import.Register,Power.Active.Import,Voltage,Temperature"
    s = Setting
    return [
        s("HeartbeatInterval", Kind.SECONDS, format_seconds(heartbeat_interval),
          variable=("OCPPCommCtrlr", "HeartbeatInterval")),
        s("MeterValueSampleInterval", Kind.SECONDS, format_seconds(meter_interval),
          variable=("SampledDataCtrlr", "TxUpdatedInterval")),
        s("ClockAlignedDataInterval", Kind.SECONDS, format_seconds(idle_meter_interval),
          variable=("AlignedDataCtrlr", "Interval")),
        s("MeterValuesSampledData", Kind.MEASURANDS, all_measurands,
          variable=("SampledDataCtrlr", "TxUpdatedMeasurands")),
        s("MeterValuesAlignedData", Kind.MEASURANDS, idle_measurands, variable=("AlignedDataCtrlr", "Measurands")),
        s("StopTxnSampledData", Kind.MEASURANDS, "Energy.Active.Import.Register",
          variable=("SampledDataCtrlr", "TxEndedMeasurands")),
        s("NumberOfConnectors", Kind.INTEGER, str(connectors), readonly=True),
        s("AuthorizeRemoteTxRequests", Kind.BOOLEAN, "true", variable=("AuthCtrlr", "AuthorizeRemoteStart")),
        s("LocalAuthorizeOffline", Kind.BOOLEAN, "true", variable=("AuthCtrlr", "LocalAuthorizeOffline")),
        s("LocalPreAuthorize", Kind.BOOLEAN, "false", variable=("AuthCtrlr", "LocalPreAuthorize")),
        s("ConnectionTimeOut", Kind.INTEGER, "120", variable=("TxCtrlr", "EVConnectionTimeOut")),
        s("StopTransactionOnEVSideDisconnect", Kind.BOOLEAN, "true", variable=("TxCtrlr", "StopTxOnEVSideDisconnect")),
        s("StopTransactionOnInvalidId", Kind.BOOLEAN, "true", variable=("TxCtrlr", "StopTxOnInvalidId")),
        s("UnlockConnectorOnEVSideDisconnect", Kind.BOOLEAN, "true"),
        s("TransactionMessageAttempts", Kind.INTEGER, "3", variable=("OCPPCommCtrlr", "MessageAttempts")),
        s("TransactionMessageRetryInterval", Kind.INTEGER, "60", variable=("OCPPCommCtrlr", "MessageAttemptInterval")),
        s("ResetRetries", Kind.INTEGER, "2", variable=("OCPPCommCtrlr", "ResetRetries")),
        s("WebSocketPingInterval", Kind.INTEGER, "60", variable=("OCPPCommCtrlr", "WebSocketPingInterval"),
          reboot_required=True),
        s("ConnectorPhaseRotation", Kind.TEXT, ",".join(f"{c}.RST" for c in range(connectors + 1))),
        s("GetConfigurationMaxKeys", Kind.INTEGER, "50", readonly=True),
        s("SupportedFeatureProfiles", Kind.TEXT, "Core,FirmwareManagement,RemoteTrigger", readonly=True),
        s("LightIntensity", Kind.INTEGER, "80", variable=("DisplayCtrlr", "Brightness")),
        s("SecurityProfile", Kind.INTEGER, "1", readonly=True, in_16=False,
          variable=("SecurityCtrlr", "SecurityProfile")),
        s("Identity", Kind.TEXT, identity, readonly=True, in_16=False, variable=("SecurityCtrlr", "Identity")),
        s("TxStartPoint", Kind.TEXT, "Authorized", readonly=True, in_16=False, variable=("TxCtrlr", "TxStartPoint")),
        s("TxStopPoint", Kind.TEXT, "EVConnected,Authorized", readonly=True, in_16=False,
          variable=("TxCtrlr", "TxStopPoint")),
        s("ItemsPerMessageGetVariables", Kind.INTEGER, "50", readonly=True, in_16=False,
          variable=("DeviceDataCtrlr", "ItemsPerMessage")),
    ]  # fmt: skip
