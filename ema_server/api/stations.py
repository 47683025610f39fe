"""Stations API: registering charging stations for the OCPP endpoint and changing their passwords
(administrators), the stations that knocked without being registered, and reading back and
exporting the OCPP frames a station exchanged with the server (every role).

The frames of a station of a customer whose data is restricted (Art. 18) are neither read nor
exported by callers without privacy handling: the station is not found (404)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, Field, StringConstraints
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from ema_server.api.context import Caller, check_if_match, database, etag, idempotent, requires
from ema_server.api.devices import CustomerSummaryOut, DeviceDetailOut
from ema_server.api.problems import Conflict, FieldInvalid, NotFound, Problem, StaleVersion
from ema_server.api.schemas import Input, Limit, Offset, Output
from ema_server.db.events import publish
from ema_server.db.models import Connector, Customer, Device, Site, UnknownStation, utcnow
from ema_server.domain.permissions import Permission
from ema_server.ocpp.settings import SUBPROTOCOLS
from ema_server.ocpp_frames import FRAME_FIELDS, FrameFilter, StoredFrame, export_batches, list_frames
from ema_server.privacy.visibility import device_hidden
from ema_server.station_registration import (
    ConnectorSpec,
    NewStation,
    StationRegistrationError,
    change_station_password,
    register_station,
)

router = APIRouter(tags=["stations"])

Admin = Annotated[Caller, Depends(requires(Permission.ADMINISTER))]
Viewer = Annotated[Caller, Depends(requires(Permission.VIEW_CUSTOMERS))]

# Passwords are compared byte for byte by the station: never trimmed, so what is stored is what was sent.
Password = Annotated[str, StringConstraints(strip_whitespace=False), Field(min_length=1, max_length=1024)]
Text = Annotated[str, Field(min_length=1, max_length=64)]
# Identity characters and length are checked by the registration, which names them with a stable code.
Identity = Annotated[str, Field(min_length=1, max_length=200)]
OcppVersion = Literal["1.6", "2.0.1"]
ChargerKind = Literal["charging_station", "wallbox"]


# --- bodies -----------------------------------------------------------------------------------


class ConnectorIn(Input):
    connector_no: Annotated[int, Field(ge=1, le=99)]
    standard: Literal["Type2", "CCS2", "CHAdeMO"] = "Type2"
    max_power_kw: Annotated[float, Field(gt=0, le=1000)] = 22.0


class _StationFields(Input):
    customer: Annotated[str, Field(min_length=1, max_length=64,
                                   description="The owner's customer number (C1000001) or id.")]  # fmt: skip
    site_id: Annotated[str | None, Field(max_length=36, description="A site of that customer; the device's region "
                                                                     "comes from it.")] = None  # fmt: skip
    kind: ChargerKind = "charging_station"
    password: Password = Field(description="The station's OCPP password (security profile 1): 16 to 40 printable "
                                           "ASCII characters. Stored hashed, never returned.")  # fmt: skip
    connectors: Annotated[list[ConnectorIn] | None, Field(min_length=1, max_length=16, description="Default: one "
                                                          "Type2 connector of 22 kW.")] = None  # fmt: skip

    opaque_fields: ClassVar[frozenset[str]] = frozenset({"password"})


class StationIn(_StationFields):
    ocpp_identity: Identity = Field(description="1 to 48 characters of A-Z a-z 0-9 * - _ = : + | @ . — the last "
                                                "part of the URL the station connects to.")  # fmt: skip
    vendor: Text
    model: Text
    serial: Text
    firmware: Annotated[str | None, Field(max_length=64)] = None
    ocpp_version: OcppVersion | None = Field(default=None, description="Updated by the endpoint when the station "
                                                                      "connects.")  # fmt: skip


class UnknownStationRegistrationIn(_StationFields):
    """As for POST /devices; what is left out is taken from what the station told when it knocked."""

    vendor: Text | None = None
    model: Text | None = None
    serial: Text | None = None
    firmware: Annotated[str | None, Field(max_length=64)] = None
    ocpp_version: OcppVersion | None = None


class PasswordIn(Input):
    password: Password

    opaque_fields: ClassVar[frozenset[str]] = frozenset({"password"})


# --- answers ----------------------------------------------------------------------------------


class BootInfoOut(Output):
    vendor: str | None
    model: str | None
    serial: str | None
    firmware: str | None


class UnknownStationOut(Output):
    identity: str
    attempts: int
    first_attempt_at: datetime
    last_attempt_at: datetime
    last_address: str | None
    subprotocols: list[str] = Field(description="The WebSocket subprotocols the station offered, in its order.")
    ocpp_versions: list[str] = Field(description="The OCPP versions among them that the server speaks.")
    boot_info: BootInfoOut | None = Field(description="From the station's BootNotification when it was let boot in "
                                                      "quarantine; null when it was refused before that.")  # fmt: skip


class UnknownStationPage(Output):
    items: list[UnknownStationOut]
    total: int
    limit: int
    offset: int


class FrameOut(Output):
    id: int
    at: datetime
    direction: Literal["in", "out"]
    message_type: int | None = Field(description="2 call, 3 result, 4 error; null for a frame that was not OCPP-J.")
    unique_id: str | None
    action: str | None = Field(description="For results and errors, the action of the call they answer.")
    frame: str = Field(description="The text as it went over the wire (cut at the frame size limit).")


class FramePage(Output):
    items: list[FrameOut]
    total: int
    limit: int
    offset: int


# --- helpers ----------------------------------------------------------------------------------


def _problem(error: StationRegistrationError) -> Problem:
    item = {"field": error.field, "message": error.message, "code": error.code}
    if error.conflict:
        problem: Problem = Conflict(f"{error.field}: {error.message}", errors=[item])
        problem.code = error.code
        return problem
    invalid = FieldInvalid(error.field, error.message, error.code)
    invalid.errors = [item]
    return invalid


async def _device_or_404(session: AsyncSession, device_id: str) -> Device:
    device = await session.get(Device, device_id) if len(device_id) <= 36 else None
    if device is None:
        raise NotFound("There is no device with this id.")
    return device


async def _visible_device_or_404(caller: Caller, device_id: str) -> Device:
    device = await _device_or_404(caller.session, device_id)
    if await device_hidden(caller.session, caller, device):
        raise NotFound("There is no device with this id.")
    return device


async def _device_json(session: AsyncSession, device: Device) -> dict[str, Any]:
    """The device as GET /devices/{id} answers it."""
    site = await session.get(Site, device.site_id) if device.site_id else None
    in_order = select(Connector).where(Connector.device_id == device.id).order_by(Connector.connector_no)
    connectors = (await session.execute(in_order)).scalars().all()
    customer = await session.get(Customer, device.customer_id)
    record = device.to_record()
    record.update(
        latitude=site.latitude if site else None,
        longitude=site.longitude if site else None,
        connectors=[c.to_record() for c in connectors],
        site=site.to_record() if site else None,
        customer=CustomerSummaryOut.model_validate(customer) if customer else None,
    )
    return DeviceDetailOut.model_validate(record).model_dump(mode="json")


async def _register(caller: Caller, station: NewStation, via: str) -> tuple[int, Any, dict[str, str]]:
    session = caller.session
    try:
        device = await register_station(session, station)
    except StationRegistrationError as exc:
        raise _problem(exc) from None
    await caller.audit(
        "device.register", "device", device.id,
        {"customer_id": device.customer_id, "site_id": device.site_id, "via": via,
         "connectors": len(station.connectors or ()) or 1},
    )  # fmt: skip
    # The answer names the customer, as a read of the device would.
    await caller.audit("customer.read", "customer", device.customer_id,
                       {"via": "device.register", "device_id": device.id}, subject_id=device.customer_id)  # fmt: skip
    publish(session, "device.updated", {"id": device.id, "customer_id": device.customer_id, "version": device.version})
    body = await _device_json(session, device)
    location = str(caller.request.url_for("get_device", device_id=device.id))
    return 201, body, {"Location": location, "ETag": etag(device.version)}


def _connectors(connectors: list[ConnectorIn] | None) -> list[ConnectorSpec] | None:
    if connectors is None:
        return None
    return [ConnectorSpec(c.connector_no, c.standard, c.max_power_kw) for c in connectors]


def _subprotocols(text: str | None) -> list[str]:
    return [p for p in re.split(r"[\s,]+", text or "") if p]


def _ocpp_versions(subprotocols: list[str]) -> list[str]:
    return [SUBPROTOCOLS[p] for p in subprotocols if p in SUBPROTOCOLS]


def _first(data: dict[str, Any], *paths: tuple[str, ...]) -> str | None:
    for path in paths:
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:64]
    return None


def _boot_info(text: str | None) -> BootInfoOut | None:
    """The stored BootNotification, read leniently: plain keys, or the OCPP 1.6 or 2.0.1 payload."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return BootInfoOut(
        vendor=_first(data, ("vendor",), ("chargePointVendor",), ("chargingStation", "vendorName")),
        model=_first(data, ("model",), ("chargePointModel",), ("chargingStation", "model")),
        serial=_first(data, ("serial",), ("chargePointSerialNumber",), ("chargeBoxSerialNumber",),
                      ("chargingStation", "serialNumber")),
        firmware=_first(data, ("firmware",), ("firmwareVersion",), ("chargingStation", "firmwareVersion")),
    )  # fmt: skip


def _unknown_out(row: UnknownStation) -> UnknownStationOut:
    subprotocols = _subprotocols(row.subprotocols)
    return UnknownStationOut(
        identity=row.identity, attempts=row.attempts, first_attempt_at=row.first_attempt_at,
        last_attempt_at=row.last_attempt_at, last_address=row.last_address, subprotocols=subprotocols,
        ocpp_versions=_ocpp_versions(subprotocols), boot_info=_boot_info(row.boot_info),
    )  # fmt: skip


async def _unknown_or_404(session: AsyncSession, identity: str) -> UnknownStation:
    row = await session.get(UnknownStation, identity) if len(identity) <= 64 else None
    if row is None:
        raise NotFound("No unregistered station with this identity is waiting.")
    return row


def _utc(value: datetime | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise FieldInvalid(name, "is out of the supported range of times", "invalid_time") from None


def _frame_filter(
    device: Device, action: list[str] | None, direction: str | None, since: datetime | None, until: datetime | None
) -> FrameFilter:
    start, end = _utc(since, "since"), _utc(until, "until")
    if start is not None and end is not None and start >= end:
        raise FieldInvalid("since", "must be before 'until'", "invalid_time_range")
    return FrameFilter(device.id, tuple(action or ()), direction, start, end)


Actions = Annotated[list[Annotated[str, StringConstraints(max_length=64)]] | None,
                    Query(description="Repeatable: action=BootNotification&action=StatusNotification. Results "
                                      "and errors carry the action of the call they answer.")]  # fmt: skip
Direction = Annotated[Literal["in", "out"] | None, Query(description="in: from the station; out: to it.")]
Since = Annotated[AwareDatetime | None, Query(description="From (inclusive), ISO 8601 with an offset.")]
Until = Annotated[AwareDatetime | None, Query(description="To (exclusive), ISO 8601 with an offset.")]


# --- registration -----------------------------------------------------------------------------


@router.post("/devices", status_code=201, response_model=DeviceDetailOut, summary="Register a charging station",
             responses={409: {"description": "identity_taken or serial_taken"}})
async def register_device(body: StationIn, caller: Admin) -> Response:
    """Register a station so it can connect to the OCPP endpoint at `/ocpp/{ocpp_identity}` with HTTP
    Basic authentication (the identity and `password`). Answers the device as GET /devices/{id} does.

    Errors name the field with a stable code: `invalid_identity`, `invalid_station_password`,
    `unknown_customer`, `unknown_site`, `site_not_of_customer` (422); `identity_taken`,
    `serial_taken` (409). A waiting unknown station of the same identity is removed from that list.
    """
    station = NewStation(
        customer=body.customer, ocpp_identity=body.ocpp_identity, password=body.password, vendor=body.vendor,
        model=body.model, serial=body.serial, kind=body.kind, site_id=body.site_id, firmware=body.firmware,
        ocpp_version=body.ocpp_version, connectors=_connectors(body.connectors),
    )  # fmt: skip
    return await idempotent(caller, lambda: _register(caller, station, "api"))


@router.put("/devices/{device_id}/ocpp-password", status_code=204, summary="Change a station's OCPP password",
            responses={404: {"description": "No such device"}})
async def change_ocpp_password(device_id: str, body: PasswordIn, caller: Admin) -> Response:
    """Set a new password (16 to 40 printable ASCII characters) for the station; send `If-Match`
    with the device's version. Answers 204 with the device's new ETag.

    A station connected with the old password keeps its connection until it reconnects; from then
    on only the new password is accepted, so configure the station with it first.
    """
    session = caller.session
    device = await _device_or_404(session, device_id)
    check_if_match(caller.request, device.version)
    try:
        await change_station_password(session, device, body.password)
    except StationRegistrationError as exc:
        raise _problem(exc) from None
    except StaleDataError:
        # The endpoint updated the device (status, last seen) between our read and our write.
        await session.rollback()
        current = await session.get(Device, device_id, populate_existing=True)
        if current is None:
            raise NotFound("The device was deleted meanwhile.") from None
        raise StaleVersion(f"The device changed meanwhile; its version is {current.version}.",
                           headers={"ETag": etag(current.version)}) from None  # fmt: skip
    await caller.audit("device.ocpp_password", "device", device.id, {"fields": ["ocpp_password"]})
    publish(session, "device.updated", {"id": device.id, "customer_id": device.customer_id, "version": device.version})
    await session.commit()
    return Response(status_code=204, headers={"ETag": etag(device.version)})


# --- unknown stations -------------------------------------------------------------------------


@router.get("/ocpp/unknown-stations", response_model=UnknownStationPage, summary="Stations that are not registered")
async def list_unknown_stations(caller: Admin, limit: Limit = 50, offset: Offset = 0) -> UnknownStationPage:
    """Identities that tried to connect without being registered, the latest attempt first."""
    session = caller.session
    total = int((await session.execute(select(func.count()).select_from(UnknownStation))).scalar_one())
    rows = (
        await session.execute(
            select(UnknownStation)
            .order_by(UnknownStation.last_attempt_at.desc(), UnknownStation.identity)
            .limit(limit)
            .offset(offset)
        )
    ).scalars().all()
    return UnknownStationPage(items=[_unknown_out(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/ocpp/unknown-stations/{identity}/registration", status_code=201, response_model=DeviceDetailOut,
             summary="Register an unknown station in one step",
             responses={404: {"description": "No such unknown station"},
                        409: {"description": "identity_taken or serial_taken"}})  # fmt: skip
async def register_unknown_station(identity: str, body: UnknownStationRegistrationIn, caller: Admin) -> Response:
    """Register the waiting station as POST /devices does; vendor, model, serial, firmware and the
    OCPP version default to what the station told (its BootNotification, the first OCPP version it
    offered). The station leaves the list of unknown stations."""
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        row = await _unknown_or_404(session, identity)
        boot = _boot_info(row.boot_info)
        offered = _ocpp_versions(_subprotocols(row.subprotocols))
        missing = [name for name in ("vendor", "model", "serial")
                   if getattr(body, name) is None and (boot is None or getattr(boot, name) is None)]  # fmt: skip
        if missing:
            raise FieldInvalid(missing[0], "is required: the station did not tell it", "required")
        station = NewStation(
            customer=body.customer, ocpp_identity=row.identity, password=body.password,
            vendor=body.vendor or (boot.vendor if boot else None) or "",
            model=body.model or (boot.model if boot else None) or "",
            serial=body.serial or (boot.serial if boot else None) or "",
            kind=body.kind, site_id=body.site_id,
            firmware=body.firmware or (boot.firmware if boot else None),
            ocpp_version=body.ocpp_version or (offered[0] if offered else None),
            connectors=_connectors(body.connectors),
        )  # fmt: skip
        return await _register(caller, station, "unknown_station")

    return await idempotent(caller, produce)


@router.delete("/ocpp/unknown-stations/{identity}", status_code=204, summary="Dismiss an unknown station",
               responses={404: {"description": "No such unknown station"}})
async def dismiss_unknown_station(identity: str, caller: Admin) -> Response:
    """Remove the station from the list. It reappears if it tries to connect again."""
    session = caller.session
    row = await _unknown_or_404(session, identity)
    await session.delete(row)
    await caller.audit("unknown_station.dismiss", "unknown_station", row.identity, {"attempts": row.attempts})
    await session.commit()
    return Response(status_code=204)


# --- frames -----------------------------------------------------------------------------------


@router.get("/devices/{device_id}/ocpp-frames", response_model=FramePage, summary="OCPP frames of a station",
            responses={404: {"description": "No such device"}})
async def ocpp_frames(
    device_id: str, caller: Viewer, action: Actions = None, direction: Direction = None, since: Since = None,
    until: Until = None, limit: Limit = 50, offset: Offset = 0,
) -> FramePage:  # fmt: skip
    """Frames in and out, newest first, kept for the frame retention period (30 days by default).

    Frames can carry RFID tags of customers, so each read is recorded in the audit trail
    (`device.frames.read`).
    """
    session = caller.session
    device = await _visible_device_or_404(caller, device_id)
    where = _frame_filter(device, action, direction, since, until)
    total, frames = await list_frames(session, where, limit, offset)
    await caller.audit("device.frames.read", "device", device.id, {"filters": where.given(), "count": len(frames)})
    await session.commit()
    return FramePage(items=[FrameOut.model_validate(f) for f in frames], total=total, limit=limit, offset=offset)


_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._=+@-]")
_MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _jsonl(frames: list[StoredFrame]) -> str:
    return "".join(json.dumps(f.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n" for f in frames)


def _csv(frames: list[StoredFrame], header: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(FRAME_FIELDS)
    for frame in frames:
        writer.writerow("" if v is None else v for v in frame.to_json().values())
    return out.getvalue()


@router.get(
    "/devices/{device_id}/ocpp-frames/export",
    response_class=StreamingResponse,
    summary="Export OCPP frames of a station",
    responses={
        200: {"description": "JSON Lines (one frame object per line) or CSV with a header row",
              "content": {"application/x-ndjson": {}, "text/csv": {}}},
        404: {"description": "No such device"},
    },
)  # fmt: skip
async def export_ocpp_frames(
    device_id: str, caller: Viewer,
    export_format: Annotated[Literal["jsonl", "csv"], Query(alias="format")] = "jsonl",
    action: Actions = None, direction: Direction = None, since: Since = None, until: Until = None,
) -> StreamingResponse:  # fmt: skip
    """The matching frames oldest first, as a download named `<identity>-frames-<date>.<format>`.

    Streamed in batches, each read in its own short transaction; frames stored after the export
    began are left out. Recorded in the audit trail as `device.frames.export`.
    """
    session = caller.session
    device = await _visible_device_or_404(caller, device_id)
    where = _frame_filter(device, action, direction, since, until)
    await caller.audit("device.frames.export", "device", device.id, {"filters": where.given(), "format": export_format})
    name = _SAFE_FILENAME.sub("_", device.ocpp_identity or device.serial)
    filename = f"{name}-frames-{utcnow().date().isoformat()}.{export_format}"
    await session.commit()
    db = database(caller.request)

    async def body() -> AsyncIterator[str]:
        if export_format == "csv":
            yield _csv([], header=True)
        async for frames in export_batches(db, where):
            yield _jsonl(frames) if export_format == "jsonl" else _csv(frames, header=False)

    return StreamingResponse(body(), media_type=_MEDIA_TYPES[export_format],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip
