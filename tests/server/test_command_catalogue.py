"""The operator command catalogue without HTTP: every action builds a payload the OCPP schemas of
both versions accept, the 2.0.1 equivalents are mapped as documented, parameters are checked
strictly, and station answers are read as accepted or rejected."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import ocpp
import pytest
from jsonschema import Draft4Validator, FormatChecker
from pydantic import ValidationError

from ema_server.domain.permissions import Permission
from ema_server.ocpp.commands import (
    ACTIONS,
    COMMANDS,
    OCPP_VERSIONS,
    TRIGGERS_16,
    TRIGGERS_201,
    Action,
    CommandParameterError,
    InvalidOcppPayload,
    build,
    check_payload,
    parse_parameters,
    request_id_for,
    stored_parameters,
    variable_of,
)

SCHEMAS = Path(ocpp.__file__).parent

# Every action with every parameter it takes, and with the fewest it needs.
FULL: dict[str, dict[str, Any]] = {
    "RemoteStartTransaction": {"id_tag": "04A1B2C3D4E5F6", "connector_id": 2},
    "RemoteStopTransaction": {"transaction_id": 4711},
    "Reset": {"type": "Soft"},
    "UnlockConnector": {"connector_id": 1},
    "TriggerMessage": {"requested_message": "StatusNotification", "connector_id": 1},
    "ChangeAvailability": {"type": "Inoperative", "connector_id": 2},
    "GetConfiguration": {"keys": ["HeartbeatInterval", "MeterValueSampleInterval"]},
    "ChangeConfiguration": {"key": "HeartbeatInterval", "value": "120"},
    "GetDiagnostics": {"location": "ftp://logs.example.cz/upload/", "start_time": "2025-03-01T00:00:00+01:00",
                       "stop_time": "2025-03-02T00:00:00Z", "retries": 3, "retry_interval": 60},
    "UpdateFirmware": {"location": "https://fw.example.cz/terra-1.2.bin", "retrieve_date": "2025-03-01T02:00:00Z",
                       "retries": 2, "retry_interval": 300},
    "ClearCache": {},
}
MINIMAL: dict[str, dict[str, Any]] = {
    "RemoteStartTransaction": {"id_tag": "A"},
    "RemoteStopTransaction": {"transaction_id": "17"},
    "Reset": {"type": "Hard"},
    "UnlockConnector": {"connector_id": 1},
    "TriggerMessage": {"requested_message": "Heartbeat"},
    "ChangeAvailability": {"type": "Operative"},
    "GetConfiguration": {"keys": ["HeartbeatInterval"]},
    "ChangeConfiguration": {"key": "Vendor.Thing", "value": ""},
    "GetDiagnostics": {"location": "http://10.0.0.5/diag"},
    "UpdateFirmware": {"location": "ftps://fw.example.cz/f.bin"},
    "ClearCache": {},
}

# What a station answers when it does what it is asked, per OCPP version and action.
ACCEPTING: dict[str, dict[str, dict[str, Any]]] = {
    "1.6": {
        "RemoteStartTransaction": {"status": "Accepted"},
        "RemoteStopTransaction": {"status": "Accepted"},
        "Reset": {"status": "Accepted"},
        "UnlockConnector": {"status": "Unlocked"},
        "TriggerMessage": {"status": "Accepted"},
        "ChangeAvailability": {"status": "Accepted"},
        "GetConfiguration": {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]},
        "ChangeConfiguration": {"status": "Accepted"},
        "GetDiagnostics": {"fileName": "diag-2025-03-01.zip"},
        "UpdateFirmware": {},
        "ClearCache": {"status": "Accepted"},
    },
    "2.0.1": {
        "RequestStartTransaction": {"status": "Accepted"},
        "RequestStopTransaction": {"status": "Accepted"},
        "Reset": {"status": "Accepted"},
        "UnlockConnector": {"status": "Unlocked"},
        "TriggerMessage": {"status": "Accepted"},
        "ChangeAvailability": {"status": "Accepted"},
        "GetVariables": {"getVariableResult": [{"attributeStatus": "Accepted", "attributeValue": "300",
                                                "component": {"name": "OCPPCommCtrlr"},
                                                "variable": {"name": "HeartbeatInterval"}}]},
        "SetVariables": {"setVariableResult": [{"attributeStatus": "Accepted", "component": {"name": "OCPPCommCtrlr"},
                                                "variable": {"name": "HeartbeatInterval"}}]},
        "GetLog": {"status": "Accepted", "filename": "diag.zip"},
        "UpdateFirmware": {"status": "Accepted"},
        "ClearCache": {"status": "Accepted"},
    },
}


def schema_validator(version: str, ocpp_action: str, response: bool = False) -> Draft4Validator:
    """The ocpp package's JSON schema, read independently of the code under test."""
    if version == "1.6":
        path = SCHEMAS / "v16" / "schemas" / f"{ocpp_action}{'Response' if response else ''}.json"
    else:
        path = SCHEMAS / "v201" / "schemas" / f"{ocpp_action}{'Response' if response else 'Request'}.json"
    return Draft4Validator(json.loads(path.read_text(encoding="utf-8-sig")), format_checker=FormatChecker())


def built(action: str, parameters: dict[str, Any], version: str, request_id: int = 99) -> tuple[str, dict[str, Any]]:
    call = build(parse_parameters(action, json.dumps(parameters)), version, request_id)  # type: ignore[arg-type]
    return call.action, call.payload


@pytest.mark.parametrize("version", OCPP_VERSIONS)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_builds_a_payload_the_ocpp_schema_accepts(action: str, version: str) -> None:
    for parameters in (FULL[action], MINIMAL[action]):
        ocpp_action, payload = built(action, parameters, version)
        errors = [e.message for e in schema_validator(version, ocpp_action).iter_errors(payload)]
        assert errors == [], f"{action} {version} {parameters}"
        accepting = ACCEPTING[version][ocpp_action]
        assert schema_validator(version, ocpp_action, response=True).is_valid(accepting)
        assert parse_parameters(action, json.dumps(parameters)).outcome(version, accepting) == "accepted"  # type: ignore[arg-type]


def test_the_action_literal_and_the_catalogue_name_the_same_actions() -> None:
    assert set(get_args(Action)) == set(COMMANDS) and len(ACTIONS) == 11


def test_trigger_and_enum_copies_match_the_ocpp_schemas() -> None:
    v16 = schema_validator("1.6", "TriggerMessage").schema["properties"]["requestedMessage"]["enum"]
    v201 = schema_validator("2.0.1", "TriggerMessage").schema["definitions"]["MessageTriggerEnumType"]["enum"]
    assert tuple(v16) == TRIGGERS_16 and tuple(v201) == TRIGGERS_201
    assert set(COMMANDS["TriggerMessage"].model_json_schema()["properties"]["requested_message"]["enum"]) == (
        set(v16) | set(v201)
    )
    reset = schema_validator("1.6", "Reset").schema["properties"]["type"]["enum"]
    availability = schema_validator("1.6", "ChangeAvailability").schema["properties"]["type"]["enum"]
    assert set(COMMANDS["Reset"].model_json_schema()["properties"]["type"]["enum"]) == set(reset)
    assert set(COMMANDS["ChangeAvailability"].model_json_schema()["properties"]["type"]["enum"]) == set(availability)


def test_simple_and_advanced_actions_need_the_permissions_brief_section_5_names() -> None:
    simple = {a for a, m in COMMANDS.items() if m.permission == Permission.SIMPLE_REMOTE_ACTIONS}
    advanced = {a for a, m in COMMANDS.items() if m.permission == Permission.ADVANCED_REMOTE_ACTIONS}
    assert simple == {"Reset", "UnlockConnector", "TriggerMessage", "RemoteStartTransaction", "RemoteStopTransaction"}
    assert advanced == {"ChangeAvailability", "GetConfiguration", "ChangeConfiguration", "GetDiagnostics",
                        "UpdateFirmware", "ClearCache"}


def test_ocpp_1_6_payloads_are_the_actions_themselves() -> None:
    assert built("RemoteStartTransaction", FULL["RemoteStartTransaction"], "1.6") == (
        "RemoteStartTransaction", {"idTag": "04A1B2C3D4E5F6", "connectorId": 2})
    assert built("RemoteStopTransaction", {"transaction_id": "17"}, "1.6") == (
        "RemoteStopTransaction", {"transactionId": 17})
    assert built("ChangeAvailability", {"type": "Operative"}, "1.6") == (
        "ChangeAvailability", {"connectorId": 0, "type": "Operative"})
    assert built("GetConfiguration", {}, "1.6") == ("GetConfiguration", {})
    assert built("GetDiagnostics", FULL["GetDiagnostics"], "1.6") == ("GetDiagnostics", {
        "location": "ftp://logs.example.cz/upload/", "startTime": "2025-02-28T23:00:00Z",
        "stopTime": "2025-03-02T00:00:00Z", "retries": 3, "retryInterval": 60})
    assert built("UpdateFirmware", FULL["UpdateFirmware"], "1.6") == ("UpdateFirmware", {
        "location": "https://fw.example.cz/terra-1.2.bin", "retrieveDate": "2025-03-01T02:00:00Z",
        "retries": 2, "retryInterval": 300})


def test_ocpp_2_0_1_equivalents_are_built_as_documented() -> None:
    assert built("RemoteStartTransaction", FULL["RemoteStartTransaction"], "2.0.1", 4242) == (
        "RequestStartTransaction",
        {"idToken": {"idToken": "04A1B2C3D4E5F6", "type": "ISO14443"}, "remoteStartId": 4242, "evseId": 2})
    assert built("RemoteStopTransaction", {"transaction_id": 4711}, "2.0.1") == (
        "RequestStopTransaction", {"transactionId": "4711"})
    assert built("Reset", {"type": "Hard"}, "2.0.1") == ("Reset", {"type": "Immediate"})
    assert built("Reset", {"type": "Soft", "connector_id": 2}, "2.0.1") == ("Reset", {"type": "OnIdle", "evseId": 2})
    assert built("UnlockConnector", {"connector_id": 2}, "2.0.1") == (
        "UnlockConnector", {"evseId": 2, "connectorId": 1})
    assert built("UnlockConnector", {"connector_id": 2, "evse_connector_id": 3}, "2.0.1")[1] == {
        "evseId": 2, "connectorId": 3}
    assert built("ChangeAvailability", {"type": "Inoperative"}, "2.0.1") == (
        "ChangeAvailability", {"operationalStatus": "Inoperative"})
    assert built("ChangeAvailability", {"type": "Operative", "connector_id": 2}, "2.0.1")[1] == {
        "operationalStatus": "Operative", "evse": {"id": 2}}
    assert built("GetConfiguration", {"keys": ["HeartbeatInterval", "MeterValueSampleInterval", "Vendor.Fan",
                                               "LedBrightness"]}, "2.0.1") == ("GetVariables", {"getVariableData": [
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
        {"component": {"name": "SampledDataCtrlr"}, "variable": {"name": "TxUpdatedInterval"}},
        {"component": {"name": "Vendor"}, "variable": {"name": "Fan"}},
        {"component": {"name": "ChargingStation"}, "variable": {"name": "LedBrightness"}},
    ]})  # fmt: skip
    assert built("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"}, "2.0.1") == (
        "SetVariables", {"setVariableData": [{"component": {"name": "OCPPCommCtrlr"},
                                              "variable": {"name": "HeartbeatInterval"}, "attributeValue": "60"}]})
    assert built("TriggerMessage", {"requested_message": "DiagnosticsStatusNotification", "connector_id": 1},
                 "2.0.1") == ("TriggerMessage", {"requestedMessage": "LogStatusNotification", "evse": {"id": 1}})
    assert built("TriggerMessage", {"requested_message": "LogStatusNotification"}, "1.6") == (
        "TriggerMessage", {"requestedMessage": "DiagnosticsStatusNotification"})
    assert built("GetDiagnostics", {"location": "ftp://h.example/up"}, "2.0.1", 7) == (
        "GetLog", {"logType": "DiagnosticsLog", "requestId": 7, "log": {"remoteLocation": "ftp://h.example/up"}})
    assert built("UpdateFirmware", FULL["UpdateFirmware"], "2.0.1", 8) == ("UpdateFirmware", {
        "requestId": 8, "firmware": {"location": "https://fw.example.cz/terra-1.2.bin",
                                     "retrieveDateTime": "2025-03-01T02:00:00Z"}, "retries": 2, "retryInterval": 300})
    assert built("ClearCache", {}, "2.0.1") == ("ClearCache", {})


def test_firmware_without_a_retrieve_date_is_fetched_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    _, payload = built("UpdateFirmware", {"location": "https://fw.example.cz/f.bin"}, "1.6")
    assert before <= datetime.fromisoformat(payload["retrieveDate"]) <= datetime.now(UTC)


@pytest.mark.parametrize(("action", "parameters", "version", "field"), [
    ("Reset", {"type": "Hard", "connector_id": 1}, "1.6", "connector_id"),
    ("UnlockConnector", {"connector_id": 1, "evse_connector_id": 2}, "1.6", "evse_connector_id"),
    ("TriggerMessage", {"requested_message": "TransactionEvent"}, "1.6", "requested_message"),
    ("GetConfiguration", {}, "2.0.1", "keys"),
    ("GetConfiguration", {"keys": ["Broken."]}, "2.0.1", "key"),
    ("RemoteStopTransaction", {"transaction_id": "a1b2-c3"}, "1.6", "transaction_id"),
    ("ChangeAvailability", {"type": "Operative", "evse_connector_id": 1}, "2.0.1", "evse_connector_id"),
])  # fmt: skip
def test_parameters_a_version_cannot_carry_are_refused_naming_the_field(
    action: str, parameters: dict[str, Any], version: str, field: str
) -> None:
    with pytest.raises(CommandParameterError) as raised:
        built(action, parameters, version)
    assert raised.value.field == field


@pytest.mark.parametrize(("action", "parameters", "field"), [
    ("Reset", {"type": "hard"}, "type"),
    ("Reset", {"type": "Hard", "evse": 1}, "evse"),
    ("Reset", {}, "type"),
    ("UnlockConnector", {"connector_id": 0}, "connector_id"),
    ("UnlockConnector", {"connector_id": "1"}, "connector_id"),
    ("UnlockConnector", {"connector_id": 1.5}, "connector_id"),
    ("UnlockConnector", {"connector_id": True}, "connector_id"),
    ("ChangeAvailability", {"type": "Operative", "connector_id": -1}, "connector_id"),
    ("ChangeAvailability", {"type": "Available"}, "type"),
    ("RemoteStartTransaction", {"id_tag": "X" * 21}, "id_tag"),
    ("RemoteStartTransaction", {"id_tag": ""}, "id_tag"),
    ("RemoteStartTransaction", {"id_tag": "AB\x00CD"}, "id_tag"),
    ("RemoteStopTransaction", {"transaction_id": "X" * 37}, "transaction_id"),
    ("RemoteStopTransaction", {"transaction_id": True}, "transaction_id"),
    ("RemoteStopTransaction", {"transaction_id": 17.0}, "transaction_id"),
    ("RemoteStopTransaction", {"transaction_id": -1}, "transaction_id"),
    ("GetConfiguration", {"keys": ["K" * 51]}, "keys.0"),
    ("GetConfiguration", {"keys": "HeartbeatInterval"}, "keys"),
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "v" * 501}, "value"),
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": 60}, "value"),
    ("TriggerMessage", {"requested_message": "Authorize"}, "requested_message"),
    ("GetDiagnostics", {"location": "file:///etc/passwd"}, "location"),
    ("GetDiagnostics", {"location": "/upload/here"}, "location"),
    ("GetDiagnostics", {"location": "ftp://host.example/a b"}, "location"),
    ("GetDiagnostics", {"location": "https://" + "h" * 510}, "location"),
    ("GetDiagnostics", {"location": "ftp://h.example/", "start_time": "2025-03-01T00:00:00"}, "start_time"),
    ("GetDiagnostics", {"location": "ftp://h.example/", "retries": -1}, "retries"),
    ("GetDiagnostics", {"location": "ftp://h.example/", "start_time": "2025-03-02T00:00:00Z",
                        "stop_time": "2025-03-01T00:00:00Z"}, ""),
    ("UpdateFirmware", {"location": "mailto:fw@example.cz"}, "location"),
    ("UpdateFirmware", {"location": "https://fw.example/f.bin", "retrieve_date": "tomorrow"}, "retrieve_date"),
    ("ClearCache", {"now": True}, "now"),
])  # fmt: skip
def test_invalid_parameters_are_refused_naming_the_field(action: str, parameters: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_parameters(action, json.dumps(parameters))
    assert field in {".".join(str(p) for p in e["loc"]) for e in raised.value.errors()}


@pytest.mark.parametrize(("action", "version", "response", "outcome"), [
    ("Reset", "1.6", {"status": "Rejected"}, "rejected"),
    ("Reset", "2.0.1", {"status": "Scheduled"}, "accepted"),
    ("UnlockConnector", "1.6", {"status": "UnlockFailed"}, "rejected"),
    ("UnlockConnector", "1.6", {"status": "NotSupported"}, "rejected"),
    ("UnlockConnector", "2.0.1", {"status": "OngoingAuthorizedTransaction"}, "rejected"),
    ("ChangeAvailability", "1.6", {"status": "Scheduled"}, "accepted"),
    ("ChangeConfiguration", "1.6", {"status": "RebootRequired"}, "accepted"),
    ("ChangeConfiguration", "1.6", {"status": "NotSupported"}, "rejected"),
    ("ChangeConfiguration", "2.0.1", {"setVariableResult": [{"attributeStatus": "UnknownVariable",
                                                            "component": {"name": "C"}, "variable": {"name": "V"}}]},
     "rejected"),
    ("ChangeConfiguration", "2.0.1", {"setVariableResult": [{"attributeStatus": "RebootRequired",
                                                            "component": {"name": "C"}, "variable": {"name": "V"}}]},
     "accepted"),
    ("GetConfiguration", "1.6", {"unknownKey": ["HeartbeatInterval"]}, "rejected"),
    ("GetConfiguration", "1.6", {"configurationKey": [{"key": "A", "readonly": True}], "unknownKey": ["B"]},
     "accepted"),
    ("GetConfiguration", "2.0.1", {"getVariableResult": [{"attributeStatus": "UnknownComponent",
                                                         "component": {"name": "C"}, "variable": {"name": "V"}}]},
     "rejected"),
    ("TriggerMessage", "1.6", {"status": "NotImplemented"}, "rejected"),
    ("RemoteStartTransaction", "2.0.1", {"status": "Rejected", "statusInfo": {"reasonCode": "NoCable"}}, "rejected"),
    ("GetDiagnostics", "1.6", {}, "accepted"),
    ("GetDiagnostics", "2.0.1", {"status": "Rejected"}, "rejected"),
    ("UpdateFirmware", "2.0.1", {"status": "InvalidCertificate"}, "rejected"),
    ("ClearCache", "2.0.1", {"status": "Rejected"}, "rejected"),
])  # fmt: skip
def test_station_answers_are_read_as_accepted_or_rejected(
    action: str, version: str, response: dict[str, Any], outcome: str
) -> None:
    parameters = parse_parameters(action, json.dumps(FULL[action]))
    ocpp_action = parameters.ocpp_action(version)  # type: ignore[arg-type]
    assert schema_validator(version, ocpp_action, response=True).is_valid(response), "a real answer"
    assert parameters.outcome(version, response) == outcome  # type: ignore[arg-type]


def test_a_payload_that_fails_the_schema_is_refused_before_it_could_be_sent() -> None:
    with pytest.raises(InvalidOcppPayload) as raised:
        check_payload("1.6", "RemoteStartTransaction", {"idTag": "SECRET-TAG-0000000001"})
    assert "SECRET" not in str(raised.value)
    with pytest.raises(InvalidOcppPayload):
        check_payload("2.0.1", "Reset", {"type": "Hard"})


def test_stored_parameters_keep_no_credentials_of_urls() -> None:
    parameters = parse_parameters("GetDiagnostics", json.dumps(
        {"location": "ftp://diag:s3cr3t@logs.example.cz:2121/up/", "retries": 1}))
    stored = stored_parameters(parameters)
    assert stored == {"location": "ftp://***@logs.example.cz:2121/up/", "retries": 1}
    assert "s3cr3t" not in json.dumps(stored)
    # What is sent still carries them: the station needs them to upload.
    assert build(parameters, "1.6", 1).payload["location"] == "ftp://diag:s3cr3t@logs.example.cz:2121/up/"


def test_request_ids_are_positive_31_bit_numbers_derived_from_the_command() -> None:
    ids = {request_id_for(f"{n:08x}-9a53-4b0e-8a4a-2b8f6f0e0c11") for n in (0, 1, 2**31, 2**32 - 1)}
    assert all(1 <= i < 2**31 for i in ids)
    assert request_id_for("6f1c1a2e-9a53-4b0e-8a4a-2b8f6f0e0c11") == request_id_for(
        "6f1c1a2e-9a53-4b0e-8a4a-2b8f6f0e0c11")


def test_well_known_16_keys_map_to_201_variables() -> None:
    assert variable_of("HeartbeatInterval") == ("OCPPCommCtrlr", "HeartbeatInterval")
    assert variable_of("MeterValueSampleInterval") == ("SampledDataCtrlr", "TxUpdatedInterval")
    assert variable_of("SecurityCtrlr.BasicAuthPassword") == ("SecurityCtrlr", "BasicAuthPassword")
