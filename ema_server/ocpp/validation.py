"""OCPP schema validation, fast for the valid messages that are nearly all of them.

The `ocpp` package validates with the pure-Python `jsonschema`: about 0.8 ms for one MeterValues,
more than the rest of handling it. A compiled validator (`jsonschema_rs`) checks the same schema in
microseconds; only a message it refuses goes through the package's validation, which raises the
OCPP error (FormationViolation, TypeConstraintViolation …) the CALLERROR needs, so the codes stay
exactly the package's.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import ocpp
from ocpp.messages import Call, CallResult, _validate_payload

_SCHEMAS = Path(ocpp.__file__).parent
# 1.6 schemas whose decimals the package parses specially: left to it.
_DECIMAL_16 = {(2, "SetChargingProfile"), (2, "RemoteStartTransaction"), (3, "GetCompositeSchedule")}


@cache
def _compiled(kind: int, action: str, version: str) -> Any:
    if version == "1.6" and (kind, action) in _DECIMAL_16:
        return None
    name = action + ("Response" if kind == 3 else ("Request" if version != "1.6" else ""))
    path = _SCHEMAS / ("v" + version.replace(".", "")) / "schemas" / f"{name}.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False)


def validate(message: Call | CallResult, version: str) -> None:
    """Raise the `ocpp` package's OCPPError when the payload does not satisfy the schema."""
    validator = _compiled(message.message_type_id, message.action, version)
    if validator is not None and validator.is_valid(message.payload):
        return
    _validate_payload(message, version)
