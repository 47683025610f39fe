"""The operator command catalogue: what an operator may ask a charging station to do, in EMA's words,
and how each request becomes an OCPP call for the station's version.

Each action has a strict parameter model (unknown fields and out-of-range values refused, so nothing
a station would choke on is ever sent), the permission it needs, a builder per OCPP version that
yields the OCPP action and its camelCase payload, and the reading of the station's answer as
``accepted`` or ``rejected``. The payload is checked against the ``ocpp`` package's JSON schema
before it may be sent: a payload that fails is a bug in this module, never the operator's fault.

Which permission (BRIEF §5): starting and stopping a charge are simple actions next to reset,
unlock and trigger message — the hotline helps a customer whose charge will not start or stop.
Clearing the authorisation cache changes how the station authorises, so it is advanced, next to
configuration, diagnostics, firmware and availability.

Connector numbers are EMA's: the OCPP 1.6 ``connectorId``; on an OCPP 2.0.1 station the EVSE id
(stations almost always have one connector per EVSE), with ``evse_connector_id`` picking the
connector within an EVSE that has several.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit, urlunsplit

from ocpp.exceptions import OCPPError
from ocpp.messages import Call, _validate_payload
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from ema_server.domain.permissions import Permission

OcppVersion = Literal["1.6", "2.0.1"]
OCPP_VERSIONS: tuple[OcppVersion, ...] = ("1.6", "2.0.1")
Outcome = Literal["accepted", "rejected"]

URL_SCHEMES = frozenset({"ftp", "ftps", "http", "https"})
URL_MAX = 512
"""OCPP 2.0.1 limits remote locations to 512 characters; 1.6 stations get the same bound."""
REDACTED = "***"


class CommandParameterError(ValueError):
    """Parameters that are valid in general but not for the station's OCPP version (a Reset of one
    EVSE sent to a 1.6 station, a 2.0.1-only trigger …)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidOcppPayload(RuntimeError):
    """A built payload does not satisfy the OCPP schema: a bug in the catalogue, never sent."""


# --- parameter types ---------------------------------------------------------------------------


def _printable(value: str) -> str:
    # Control characters and lone surrogates mean nothing to a station and cannot be stored.
    if any(unicodedata.category(c) in {"Cc", "Cs"} for c in value):
        raise ValueError("contains control characters")
    return value


def _remote_location(value: str) -> str:
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        raise ValueError("is not a valid URL") from None
    if parts.scheme.lower() not in URL_SCHEMES or not host:
        raise ValueError("must be an absolute ftp, ftps, http or https URL")
    if re.search(r"\s", value):
        raise ValueError("must not contain spaces")
    return value


Text = Annotated[str, AfterValidator(_printable)]
ConnectorId = Annotated[int, Field(ge=1, le=1000, description="The connector as EMA lists it (1.6 connectorId; "
                                                              "2.0.1 EVSE id).")]
EvseConnectorId = Annotated[int, Field(ge=1, le=100, description="OCPP 2.0.1 only: the connector within the EVSE, "
                                                                 "for EVSEs with several connectors.")]
IdTag = Annotated[Text, Field(min_length=1, max_length=20, description="The RFID tag (or other id token) to "
                                                                       "charge with.")]
ConfigKey = Annotated[Text, Field(min_length=1, max_length=50, description="A 1.6 configuration key; on 2.0.1 "
                                                                           "stations a well-known 1.6 key, or "
                                                                           "'Component.Variable'.")]
RemoteLocation = Annotated[
    Text,
    Field(min_length=1, max_length=URL_MAX, json_schema_extra={"format": "uri"},
          description="Absolute ftp, ftps, http or https URL."),
    AfterValidator(_remote_location),
]


def _transaction_id(value: object) -> int | str:
    # One validator rather than a union, so an error names the field and not the union's branches.
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 2**31 - 1:
            raise ValueError("must be between 0 and 2147483647")
        return value
    if isinstance(value, str):
        value = _printable(value.strip())
        if not 1 <= len(value) <= 36:
            raise ValueError("must be 1 to 36 characters long")
        return value
    raise ValueError("must be a number (OCPP 1.6) or a text (OCPP 2.0.1)")


TransactionId = Annotated[
    int | str,
    PlainValidator(_transaction_id),
    WithJsonSchema({
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
                  {"type": "string", "minLength": 1, "maxLength": 36}],
        "description": "The station's transaction id: a number on 1.6 stations, a text of up to 36 characters on "
                       "2.0.1 stations.",
    }),
]  # fmt: skip
Retries = Annotated[int, Field(ge=0, le=100, description="How often the station retries; its own default if "
                                                         "omitted.")]
RetryInterval = Annotated[int, Field(ge=0, le=86_400, description="Seconds between retries.")]

# OCPP's enums for TriggerMessage, copied so OpenAPI and the catalogue list them; a test compares
# them with the schemas of the ocpp package.
TRIGGERS_16 = (
    "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat",
    "MeterValues", "StatusNotification",
)  # fmt: skip
TRIGGERS_201 = (
    "BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
    "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent",
    "SignCombinedCertificate", "PublishFirmwareStatusNotification",
)  # fmt: skip
RequestedMessage = Literal[
    "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat",
    "MeterValues", "StatusNotification", "LogStatusNotification", "SignChargingStationCertificate",
    "SignV2GCertificate", "TransactionEvent", "SignCombinedCertificate", "PublishFirmwareStatusNotification",
]  # fmt: skip
# The same message under each version's name; messages of one version only have no equivalent.
TRIGGER_16_TO_201 = {"DiagnosticsStatusNotification": "LogStatusNotification"}
TRIGGER_201_TO_16 = {v: k for k, v in TRIGGER_16_TO_201.items()}

# 2.0.1 keeps configuration in components and variables. The well-known 1.6 keys map onto the
# variables the OCPP 2.0.1 specification names as their successors (Part 2, referenced components
# and variables); any other key is given as "Component.Variable", or, without a dot, is taken as a
# variable of the station's top-level component "ChargingStation".
VARIABLES_OF_16_KEYS: dict[str, tuple[str, str]] = {
    "HeartbeatInterval": ("OCPPCommCtrlr", "HeartbeatInterval"),
    "WebSocketPingInterval": ("OCPPCommCtrlr", "WebSocketPingInterval"),
    "ResetRetries": ("OCPPCommCtrlr", "ResetRetries"),
    "MeterValueSampleInterval": ("SampledDataCtrlr", "TxUpdatedInterval"),
    "MeterValuesSampledData": ("SampledDataCtrlr", "TxUpdatedMeasurands"),
    "StopTxnSampledData": ("SampledDataCtrlr", "TxEndedMeasurands"),
    "ClockAlignedDataInterval": ("AlignedDataCtrlr", "Interval"),
    "MeterValuesAlignedData": ("AlignedDataCtrlr", "Measurands"),
    "StopTxnAlignedData": ("AlignedDataCtrlr", "TxEndedMeasurands"),
    "ConnectionTimeOut": ("TxCtrlr", "EVConnectionTimeOut"),
    "StopTransactionOnEVSideDisconnect": ("TxCtrlr", "StopTxOnEVSideDisconnect"),
    "StopTransactionOnInvalidId": ("TxCtrlr", "StopTxOnInvalidId"),
    "MaxEnergyOnInvalidId": ("TxCtrlr", "MaxEnergyOnInvalidId"),
    "AuthorizeRemoteTxRequests": ("AuthCtrlr", "AuthorizeRemoteStart"),
    "LocalAuthorizeOffline": ("AuthCtrlr", "LocalAuthorizeOffline"),
    "LocalPreAuthorize": ("AuthCtrlr", "LocalPreAuthorize"),
    "AllowOfflineTxForUnknownId": ("AuthCtrlr", "OfflineTxForUnknownIdEnabled"),
    "AuthorizationCacheEnabled": ("AuthCacheCtrlr", "Enabled"),
    "LocalAuthListEnabled": ("LocalAuthListCtrlr", "Enabled"),
    "SecurityProfile": ("SecurityCtrlr", "SecurityProfile"),
}
DEFAULT_COMPONENT = "ChargingStation"


def variable_of(key: str) -> tuple[str, str]:
    """The 2.0.1 (component, variable) for a 1.6 configuration key, as documented above."""
    if key in VARIABLES_OF_16_KEYS:
        return VARIABLES_OF_16_KEYS[key]
    component, dot, variable = key.partition(".")
    if not dot:
        return DEFAULT_COMPONENT, key
    if not component or not variable:
        raise CommandParameterError("key", "give a 2.0.1 variable as 'Component.Variable'")
    return component, variable


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _evse(connector_id: int, evse_connector_id: int | None) -> dict[str, Any]:
    evse: dict[str, Any] = {"id": connector_id}
    if evse_connector_id is not None:
        evse["connectorId"] = evse_connector_id
    return evse


def _no_evse_connector_on_16(evse_connector_id: int | None) -> None:
    if evse_connector_id is not None:
        raise CommandParameterError("evse_connector_id", "OCPP 1.6 stations have no EVSEs")


def _status(response: dict[str, Any]) -> str | None:
    status = response.get("status")
    return status if isinstance(status, str) else None


# --- the commands ------------------------------------------------------------------------------


class CommandParameters(BaseModel):
    """The parameters of one operator action, and how the action goes to a station.

    Validated strictly from the request's JSON: `"1"` is no connector number.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)

    action: ClassVar[str]
    permission: ClassVar[Permission]
    summary: ClassVar[str]
    ocpp_action_16: ClassVar[str]
    ocpp_action_201: ClassVar[str]
    accepted_16: ClassVar[frozenset[str]] = frozenset({"Accepted"})
    accepted_201: ClassVar[frozenset[str]] = frozenset({"Accepted"})

    def ocpp_action(self, version: OcppVersion) -> str:
        return self.ocpp_action_16 if version == "1.6" else self.ocpp_action_201

    def payload_16(self, request_id: int) -> dict[str, Any]:
        raise NotImplementedError

    def payload_201(self, request_id: int) -> dict[str, Any]:
        raise NotImplementedError

    def outcome(self, version: OcppVersion, response: dict[str, Any]) -> Outcome:
        """Whether the station's answer means it will do what was asked."""
        accepted = self.accepted_16 if version == "1.6" else self.accepted_201
        return "accepted" if _status(response) in accepted else "rejected"


class RemoteStartTransaction(CommandParameters):
    action, permission = "RemoteStartTransaction", Permission.SIMPLE_REMOTE_ACTIONS
    summary = "Start a charge with an id tag, on a connector or wherever the station chooses."
    ocpp_action_16, ocpp_action_201 = "RemoteStartTransaction", "RequestStartTransaction"

    id_tag: IdTag
    connector_id: ConnectorId | None = None

    def payload_16(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"idTag": self.id_tag}
        if self.connector_id is not None:
            payload["connectorId"] = self.connector_id
        return payload

    def payload_201(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"idToken": {"idToken": self.id_tag, "type": "ISO14443"}, "remoteStartId": request_id}
        if self.connector_id is not None:
            payload["evseId"] = self.connector_id
        return payload


class RemoteStopTransaction(CommandParameters):
    action, permission = "RemoteStopTransaction", Permission.SIMPLE_REMOTE_ACTIONS
    summary = "Stop a running charge."
    ocpp_action_16, ocpp_action_201 = "RemoteStopTransaction", "RequestStopTransaction"

    transaction_id: TransactionId

    def payload_16(self, request_id: int) -> dict[str, Any]:
        value = self.transaction_id
        if isinstance(value, str):
            if not value.isascii() or not value.isdigit() or int(value) > 2**31 - 1:
                raise CommandParameterError("transaction_id", "OCPP 1.6 transaction ids are numbers")
            value = int(value)
        return {"transactionId": value}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        return {"transactionId": str(self.transaction_id)}


class Reset(CommandParameters):
    action, permission = "Reset", Permission.SIMPLE_REMOTE_ACTIONS
    summary = "Restart the station: Soft when idle, Hard at once (2.0.1: OnIdle / Immediate)."
    ocpp_action_16 = ocpp_action_201 = "Reset"
    accepted_201 = frozenset({"Accepted", "Scheduled"})

    type: Literal["Soft", "Hard"]
    connector_id: ConnectorId | None = Field(None, description="OCPP 2.0.1 only: reset just this EVSE.")

    def payload_16(self, request_id: int) -> dict[str, Any]:
        if self.connector_id is not None:
            raise CommandParameterError("connector_id", "OCPP 1.6 stations reset only as a whole")
        return {"type": self.type}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"type": "Immediate" if self.type == "Hard" else "OnIdle"}
        if self.connector_id is not None:
            payload["evseId"] = self.connector_id
        return payload


class UnlockConnector(CommandParameters):
    action, permission = "UnlockConnector", Permission.SIMPLE_REMOTE_ACTIONS
    summary = "Release the cable lock of a connector."
    ocpp_action_16 = ocpp_action_201 = "UnlockConnector"
    accepted_16 = accepted_201 = frozenset({"Unlocked"})

    connector_id: ConnectorId
    evse_connector_id: EvseConnectorId | None = None

    def payload_16(self, request_id: int) -> dict[str, Any]:
        _no_evse_connector_on_16(self.evse_connector_id)
        return {"connectorId": self.connector_id}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        return {"evseId": self.connector_id, "connectorId": self.evse_connector_id or 1}


class ChangeAvailability(CommandParameters):
    action, permission = "ChangeAvailability", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Take the station or one connector out of service (Inoperative) or back (Operative)."
    ocpp_action_16 = ocpp_action_201 = "ChangeAvailability"
    accepted_16 = accepted_201 = frozenset({"Accepted", "Scheduled"})

    type: Literal["Operative", "Inoperative"]
    connector_id: int = Field(0, ge=0, le=1000, description="0 (the default) is the whole station.")
    evse_connector_id: EvseConnectorId | None = None

    def payload_16(self, request_id: int) -> dict[str, Any]:
        _no_evse_connector_on_16(self.evse_connector_id)
        return {"connectorId": self.connector_id, "type": self.type}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"operationalStatus": self.type}
        if self.connector_id:
            payload["evse"] = _evse(self.connector_id, self.evse_connector_id)
        elif self.evse_connector_id is not None:
            raise CommandParameterError("evse_connector_id", "needs a connector_id")
        return payload


class GetConfiguration(CommandParameters):
    action, permission = "GetConfiguration", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Read configuration keys (on 1.6 stations all of them when no key is given)."
    ocpp_action_16, ocpp_action_201 = "GetConfiguration", "GetVariables"

    keys: list[ConfigKey] = Field(default_factory=list, max_length=50)

    def payload_16(self, request_id: int) -> dict[str, Any]:
        return {"key": list(self.keys)} if self.keys else {}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        if not self.keys:
            raise CommandParameterError("keys", "OCPP 2.0.1 stations are asked for named variables only")
        data = []
        for key in self.keys:
            component, variable = variable_of(key)
            data.append({"component": {"name": component}, "variable": {"name": variable}})
        return {"getVariableData": data}

    def outcome(self, version: OcppVersion, response: dict[str, Any]) -> Outcome:
        if version == "1.6":
            # Only unknown keys in the answer: the station has none of what was asked for.
            known, unknown = response.get("configurationKey"), response.get("unknownKey")
            return "rejected" if unknown and not known else "accepted"
        results = response.get("getVariableResult") or []
        return "accepted" if any(r.get("attributeStatus") == "Accepted" for r in results) else "rejected"


class ChangeConfiguration(CommandParameters):
    action, permission = "ChangeConfiguration", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Set one configuration key (2.0.1: SetVariables)."
    ocpp_action_16, ocpp_action_201 = "ChangeConfiguration", "SetVariables"
    accepted_16 = frozenset({"Accepted", "RebootRequired"})

    key: ConfigKey
    value: Annotated[Text, Field(max_length=500)]

    def payload_16(self, request_id: int) -> dict[str, Any]:
        return {"key": self.key, "value": self.value}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        component, variable = variable_of(self.key)
        return {"setVariableData": [
            {"component": {"name": component}, "variable": {"name": variable}, "attributeValue": self.value}
        ]}  # fmt: skip

    def outcome(self, version: OcppVersion, response: dict[str, Any]) -> Outcome:
        if version == "1.6":
            return super().outcome(version, response)
        results = response.get("setVariableResult") or []
        ok = {"Accepted", "RebootRequired"}
        return "accepted" if results and all(r.get("attributeStatus") in ok for r in results) else "rejected"


class TriggerMessage(CommandParameters):
    action, permission = "TriggerMessage", Permission.SIMPLE_REMOTE_ACTIONS
    summary = "Ask the station to send a message now (status, meter values, heartbeat …)."
    ocpp_action_16 = ocpp_action_201 = "TriggerMessage"

    requested_message: RequestedMessage = Field(
        description="A message of the station's OCPP version; DiagnosticsStatusNotification and "
        "LogStatusNotification stand for each other."
    )
    connector_id: ConnectorId | None = None

    def payload_16(self, request_id: int) -> dict[str, Any]:
        message = TRIGGER_201_TO_16.get(self.requested_message, self.requested_message)
        if message not in TRIGGERS_16:
            raise CommandParameterError("requested_message", "is not a message of OCPP 1.6")
        payload: dict[str, Any] = {"requestedMessage": message}
        if self.connector_id is not None:
            payload["connectorId"] = self.connector_id
        return payload

    def payload_201(self, request_id: int) -> dict[str, Any]:
        message = TRIGGER_16_TO_201.get(self.requested_message, self.requested_message)
        if message not in TRIGGERS_201:
            raise CommandParameterError("requested_message", "is not a message of OCPP 2.0.1")
        payload: dict[str, Any] = {"requestedMessage": message}
        if self.connector_id is not None:
            payload["evse"] = {"id": self.connector_id}
        return payload


class GetDiagnostics(CommandParameters):
    action, permission = "GetDiagnostics", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Have the station upload its diagnostics log to a URL (2.0.1: GetLog)."
    ocpp_action_16, ocpp_action_201 = "GetDiagnostics", "GetLog"
    accepted_201 = frozenset({"Accepted", "AcceptedCanceled"})

    location: RemoteLocation
    start_time: AwareDatetime | None = Field(None, description="Oldest log entries to include.")
    stop_time: AwareDatetime | None = Field(None, description="Newest log entries to include.")
    retries: Retries | None = None
    retry_interval: RetryInterval | None = None

    @model_validator(mode="after")
    def _window(self) -> GetDiagnostics:
        if self.start_time and self.stop_time and self.start_time >= self.stop_time:
            raise ValueError("start_time must be before stop_time")
        return self

    def payload_16(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"location": self.location}
        if self.start_time:
            payload["startTime"] = _utc_text(self.start_time)
        if self.stop_time:
            payload["stopTime"] = _utc_text(self.stop_time)
        if self.retries is not None:
            payload["retries"] = self.retries
        if self.retry_interval is not None:
            payload["retryInterval"] = self.retry_interval
        return payload

    def payload_201(self, request_id: int) -> dict[str, Any]:
        log: dict[str, Any] = {"remoteLocation": self.location}
        if self.start_time:
            log["oldestTimestamp"] = _utc_text(self.start_time)
        if self.stop_time:
            log["latestTimestamp"] = _utc_text(self.stop_time)
        payload: dict[str, Any] = {"logType": "DiagnosticsLog", "requestId": request_id, "log": log}
        if self.retries is not None:
            payload["retries"] = self.retries
        if self.retry_interval is not None:
            payload["retryInterval"] = self.retry_interval
        return payload

    def outcome(self, version: OcppVersion, response: dict[str, Any]) -> Outcome:
        # A 1.6 station has no way to refuse: it answers with the file name, or none when it has
        # no diagnostics to upload.
        return "accepted" if version == "1.6" else super().outcome(version, response)


class UpdateFirmware(CommandParameters):
    action, permission = "UpdateFirmware", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Have the station download and install firmware from a URL."
    ocpp_action_16 = ocpp_action_201 = "UpdateFirmware"
    accepted_201 = frozenset({"Accepted", "AcceptedCanceled"})

    location: RemoteLocation
    retrieve_date: AwareDatetime | None = Field(None, description="When to download; now if omitted.")
    retries: Retries | None = None
    retry_interval: RetryInterval | None = None

    def _retrieve(self) -> str:
        return _utc_text(self.retrieve_date or datetime.now(UTC))

    def payload_16(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {"location": self.location, "retrieveDate": self._retrieve()}
        if self.retries is not None:
            payload["retries"] = self.retries
        if self.retry_interval is not None:
            payload["retryInterval"] = self.retry_interval
        return payload

    def payload_201(self, request_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "requestId": request_id,
            "firmware": {"location": self.location, "retrieveDateTime": self._retrieve()},
        }
        if self.retries is not None:
            payload["retries"] = self.retries
        if self.retry_interval is not None:
            payload["retryInterval"] = self.retry_interval
        return payload

    def outcome(self, version: OcppVersion, response: dict[str, Any]) -> Outcome:
        # 1.6 answers UpdateFirmware with an empty payload: receiving it is the acceptance.
        return "accepted" if version == "1.6" else super().outcome(version, response)


class ClearCache(CommandParameters):
    action, permission = "ClearCache", Permission.ADVANCED_REMOTE_ACTIONS
    summary = "Empty the station's authorisation cache."
    ocpp_action_16 = ocpp_action_201 = "ClearCache"

    def payload_16(self, request_id: int) -> dict[str, Any]:
        return {}

    def payload_201(self, request_id: int) -> dict[str, Any]:
        return {}


Action = Literal[
    "RemoteStartTransaction", "RemoteStopTransaction", "Reset", "UnlockConnector", "TriggerMessage",
    "ChangeAvailability", "GetConfiguration", "ChangeConfiguration", "GetDiagnostics", "UpdateFirmware", "ClearCache",
]  # fmt: skip
COMMANDS: dict[str, type[CommandParameters]] = {
    model.action: model
    for model in (
        RemoteStartTransaction, RemoteStopTransaction, Reset, UnlockConnector, TriggerMessage,
        ChangeAvailability, GetConfiguration, ChangeConfiguration, GetDiagnostics, UpdateFirmware, ClearCache,
    )
}  # fmt: skip
ACTIONS = tuple(COMMANDS)


# --- using the catalogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class OcppCall:
    """What goes to the station: the OCPP action and its payload in OCPP's camelCase."""

    version: OcppVersion
    action: str
    payload: dict[str, Any]


def parse_parameters(action: str, raw_json: str | bytes) -> CommandParameters:
    """The action's parameters from their JSON text (strict JSON types).

    Raises KeyError for an unknown action and pydantic's ValidationError for invalid parameters.
    """
    return COMMANDS[action].model_validate_json(raw_json)


def request_id_for(command_id: str) -> int:
    """The OCPP requestId / remoteStartId of a command: 31 bits of its id (never 0), so a station's
    later status notification carrying it leads back to the command."""
    return (uuid.UUID(command_id).int >> 97) or 1


def check_payload(version: OcppVersion, action: str, payload: dict[str, Any]) -> None:
    """Refuse a payload the station would refuse as malformed: raises InvalidOcppPayload."""
    try:
        _validate_payload(Call(str(uuid.uuid4()), action, payload), version)
    except OCPPError as exc:
        # The cause names the payload's values (an id tag, a URL with credentials): only the kind.
        raise InvalidOcppPayload(f"{action} for OCPP {version} fails its schema: {type(exc).__name__}") from None


def build(parameters: CommandParameters, version: OcppVersion, request_id: int) -> OcppCall:
    """The OCPP call for a station of `version`, checked against the version's schema.

    Raises CommandParameterError when the parameters do not fit the version, and
    InvalidOcppPayload (a bug) when the result fails the schema.
    """
    payload = parameters.payload_16(request_id) if version == "1.6" else parameters.payload_201(request_id)
    call = OcppCall(version, parameters.ocpp_action(version), payload)
    check_payload(version, call.action, call.payload)
    return call


def redact_url(value: str) -> str:
    """The URL without its user and password, which must not be stored or shown."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    if "@" not in parts.netloc:
        return value
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{REDACTED}@{host}"))


def stored_parameters(parameters: CommandParameters) -> dict[str, Any]:
    """The parameters as they may be stored and shown: URLs without credentials."""
    stored = parameters.model_dump(mode="json", exclude_none=True)
    return {name: redact_url(value) if isinstance(value, str) and "://" in value else value
            for name, value in stored.items()}


def parameters_schema(action: str) -> dict[str, Any]:
    """The JSON schema of an action's parameters, for a client to build its form from."""
    model = COMMANDS[action]
    return {**model.model_json_schema(), "description": model.summary}


__all__ = [
    "ACTIONS", "COMMANDS", "OCPP_VERSIONS", "Action", "CommandParameterError", "CommandParameters",
    "InvalidOcppPayload", "OcppCall", "OcppVersion", "Outcome", "build", "check_payload", "parameters_schema",
    "parse_parameters", "redact_url", "request_id_for", "stored_parameters", "variable_of",
]  # fmt: skip
