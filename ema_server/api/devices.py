"""Devices API: the device list and map, one device with its connectors, site and customer,
its status history, charging sessions and telemetry for the live chart.

Devices of a customer whose data is restricted (Art. 18), and sessions charged by one, do not
exist for callers without privacy handling (ema_server.privacy.visibility)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime, Field
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import Caller, etag, requires
from ema_server.api.customers import ConnectorOut, SiteOut
from ema_server.api.problems import FieldInvalid, NotFound
from ema_server.api.schemas import Output
from ema_server.db.models import ChargingSession, Connector, Customer, Device, DeviceStatusChange, Site, utcnow
from ema_server.domain.permissions import Permission
from ema_server.domain.text import search_terms
from ema_server.privacy.visibility import Viewer as Reader
from ema_server.privacy.visibility import device_hidden, device_visible_condition, session_visible_condition
from ema_server.telemetry import from_ms, read_telemetry, to_ms

router = APIRouter(prefix="/devices", tags=["devices"])

Viewer = Annotated[Caller, Depends(requires(Permission.VIEW_CUSTOMERS))]

# Literal copies of the model's tuples, so OpenAPI lists the accepted values and a typo is a 422.
DeviceStatus = Literal[
    "Available", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing",
    "Reserved", "Unavailable", "Faulted", "Online", "Offline",
]  # fmt: skip
DeviceKind = Literal["charging_station", "wallbox", "router", "modem", "sim", "meter"]
Measurand = Literal["energy", "power", "current", "voltage", "soc", "temperature"]

DEFAULT_WINDOW = timedelta(hours=24)
MAX_WINDOW = timedelta(days=400)
MAX_OFFSET = 1_000_000_000
# PostgreSQL refuses NUL in text; it can be no part of a stored value, so it is a bad request.
NO_NUL = r"^[^\x00]*$"

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (default 50, at most 500).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
From = Annotated[
    AwareDatetime | None, Query(alias="from", description="Start (inclusive), ISO 8601 with a time zone offset.")
]
To = Annotated[AwareDatetime | None, Query(alias="to", description="End (exclusive), ISO 8601 with an offset.")]


# --- response models --------------------------------------------------------------------------


class DeviceOut(Output):
    id: str
    customer_id: str
    site_id: str | None
    kind: str
    vendor: str
    model: str
    serial: str
    firmware: str | None
    ocpp_identity: str | None
    ocpp_version: str | None
    status: str
    error_code: str | None
    region: str | None
    last_seen_at: datetime | None
    latitude: float | None = Field(description="Of the device's site, for the map; null without a site.")
    longitude: float | None
    version: int


class DevicePage(Output):
    items: list[DeviceOut]
    total: int
    limit: int
    offset: int


class CustomerSummaryOut(Output):
    id: str
    customer_number: str
    name: str
    company_name: str | None


class DeviceDetailOut(DeviceOut):
    iccid: str | None
    created_at: datetime
    updated_at: datetime
    connectors: list[ConnectorOut]
    site: SiteOut | None
    customer: CustomerSummaryOut | None


class StatusChangeOut(Output):
    id: int
    connector_no: int = Field(description="0 is the station itself, as in OCPP.")
    status: str
    error_code: str | None
    info: str | None
    at: datetime


class StatusChangePage(Output):
    items: list[StatusChangeOut]
    total: int
    limit: int
    offset: int


class ChargingSessionOut(Output):
    id: str
    customer_id: str | None
    connector_no: int
    transaction_id: int | None
    id_tag: str | None
    started_at: datetime
    stopped_at: datetime | None
    meter_start_wh: int
    meter_stop_wh: int | None
    energy_kwh: float | None
    stop_reason: str | None
    version: int


class ChargingSessionPage(Output):
    items: list[ChargingSessionOut]
    total: int
    limit: int
    offset: int


class SeriesOut(Output):
    measurand: str
    phase: str = Field(description="'' for the whole device, L1/L2/L3 per phase.")
    connector_no: int
    unit: str
    reduced: bool = Field(description="True when the window held more than max_points samples and each time "
                                      "bucket was reduced to its minimum and maximum sample.")
    points: list[tuple[int, float]] = Field(
        description="[epoch_ms, value] pairs in time order: Unix time in milliseconds (UTC) as an integer, "
        "and the value in `unit`. Reduced series keep real samples, never averages."
    )


class TelemetryOut(Output):
    device_id: str
    from_: datetime = Field(serialization_alias="from")
    to: datetime
    max_points: int
    series: list[SeriesOut]


# --- helpers ----------------------------------------------------------------------------------


def _utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise FieldInvalid(field, "is out of the supported range of times", "invalid_time") from None


def _window_filter(column: Any, start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    start, end = _utc(start, "from"), _utc(end, "to")
    if start is not None and end is not None and start >= end:
        raise FieldInvalid("from", "must be before 'to'", "invalid_time_range")
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return conditions


async def _device(session: AsyncSession, device_id: str, reader: Reader) -> Device:
    plausible = len(device_id) <= 36 and "\x00" not in device_id
    device = await session.get(Device, device_id) if plausible else None
    if device is None or await device_hidden(session, reader, device):
        raise NotFound("There is no device with this id.")
    return device


async def _count(session: AsyncSession, query: Select[Any]) -> int:
    return int((await session.execute(select(func.count()).select_from(query.order_by(None).subquery()))).scalar_one())


def _device_out(device: Device, site: Site | None) -> dict[str, Any]:
    record = device.to_record()
    record["latitude"] = site.latitude if site else None
    record["longitude"] = site.longitude if site else None
    return record


# --- endpoints --------------------------------------------------------------------------------


@router.get("", response_model=DevicePage, summary="List devices")
async def list_devices(
    caller: Viewer,
    status: Annotated[list[DeviceStatus] | None, Query(description="Repeatable: status=Faulted&status=Offline")] = None,
    kind: Annotated[list[DeviceKind] | None, Query(description="Repeatable.")] = None,
    region: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    customer_id: Annotated[str | None, Query(max_length=36, pattern=NO_NUL)] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="Words found in the serial, "
                                   "OCPP identity or model, ignoring case and accents.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DevicePage:
    """Devices with the coordinates of their site for the map, ordered by serial number."""
    conditions: list[ColumnElement[bool]] = [device_visible_condition(caller)]
    if status:
        conditions.append(Device.status.in_(status))
    if kind:
        conditions.append(Device.kind.in_(kind))
    if region:
        conditions.append(Device.region == region)
    if customer_id:
        conditions.append(Device.customer_id == customer_id)
    for term in search_terms(q or ""):
        # Serials, OCPP identities and models are ASCII in practice: lower() on the column
        # matches the folded term on both databases.
        conditions.append(
            or_(*(func.lower(column).contains(term, autoescape=True)
                  for column in (Device.serial, Device.ocpp_identity, Device.model)))
        )
    query = select(Device, Site).outerjoin(Site, Site.id == Device.site_id).where(*conditions)
    total = await _count(caller.session, select(Device.id).where(*conditions))
    rows = (await caller.session.execute(query.order_by(Device.serial, Device.id).limit(limit).offset(offset))).all()
    return DevicePage(
        items=[DeviceOut.model_validate(_device_out(device, site)) for device, site in rows],
        total=total, limit=limit, offset=offset,
    )


@router.get("/{device_id}", response_model=DeviceDetailOut, summary="One device",
            responses={404: {"description": "No such device"}})
async def get_device(device_id: str, caller: Viewer, response: Response) -> DeviceDetailOut:
    """The device with its connectors, site and a summary of its customer; sends an ETag.

    The customer's name is personal data, so the read is recorded in the audit trail as
    `customer.read`.
    """
    session = caller.session
    device = await _device(session, device_id, caller)
    site = await session.get(Site, device.site_id) if device.site_id else None
    connectors = (
        await session.execute(
            select(Connector).where(Connector.device_id == device.id).order_by(Connector.connector_no)
        )
    ).scalars().all()
    customer = await session.get(Customer, device.customer_id) if device.customer_id else None
    record = _device_out(device, site)
    record.update(
        connectors=[c.to_record() for c in connectors],
        site=site.to_record() if site else None,
        customer=CustomerSummaryOut.model_validate(customer) if customer else None,
    )
    out = DeviceDetailOut.model_validate(record)
    if customer is not None:
        await caller.audit("customer.read", "customer", customer.id, {"via": "device", "device_id": device.id},
                           subject_id=customer.id)
        await session.commit()
    response.headers["ETag"] = etag(device.version)
    return out


@router.get("/{device_id}/status-history", response_model=StatusChangePage, summary="Status history of a device")
async def status_history(
    device_id: str, caller: Viewer, from_: From = None, to: To = None, limit: Limit = 50, offset: Offset = 0
) -> StatusChangePage:
    """Real changes of the station's (connector 0) and its connectors' status, newest first."""
    device = await _device(caller.session, device_id, caller)
    query = select(DeviceStatusChange).where(
        DeviceStatusChange.device_id == device.id, *_window_filter(DeviceStatusChange.at, from_, to)
    )
    total = await _count(caller.session, query)
    rows = (
        await caller.session.execute(
            query.order_by(DeviceStatusChange.at.desc(), DeviceStatusChange.id.desc()).limit(limit).offset(offset)
        )
    ).scalars().all()
    return StatusChangePage(
        items=[StatusChangeOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{device_id}/sessions", response_model=ChargingSessionPage, summary="Charging sessions of a device")
async def charging_sessions(
    device_id: str, caller: Viewer, from_: From = None, to: To = None, limit: Limit = 50, offset: Offset = 0
) -> ChargingSessionPage:
    """Charging sessions (OCPP transactions) started in the window, newest first.

    A session names who charged (customer, RFID tag), so the customers shown are recorded in
    the audit trail as `customer.read`.
    """
    session = caller.session
    device = await _device(session, device_id, caller)
    query = select(ChargingSession).where(
        ChargingSession.device_id == device.id, *_window_filter(ChargingSession.started_at, from_, to),
        session_visible_condition(caller),
    )
    total = await _count(session, query)
    rows = (
        await session.execute(
            query.order_by(ChargingSession.started_at.desc(), ChargingSession.id.desc()).limit(limit).offset(offset)
        )
    ).scalars().all()
    page = ChargingSessionPage(
        items=[ChargingSessionOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )
    customers = sorted({r.customer_id for r in rows if r.customer_id})
    for customer_id in customers:
        await caller.audit("customer.read", "customer", customer_id, {"via": "device_sessions", "device_id": device.id},
                           subject_id=customer_id)
    if customers:
        await session.commit()
    return page


@router.get(
    "/{device_id}/telemetry",
    response_model=TelemetryOut,
    summary="Telemetry of a device for a chart",
    description=(
        "Series of the device in the window [from, to) (default: the last 24 hours), each at most "
        "`max_points` points long.\n\n"
        "**Points are `[epoch_ms, value]` pairs**: the timestamp is Unix time in milliseconds (UTC) as an "
        "integer, which is compact and what chart libraries take directly.\n\n"
        "A series with more samples than `max_points` in the window is reduced in the database "
        "(`reduced: true`): the window is cut into `max_points // 2` equal time buckets and each bucket "
        "keeps its minimum and its maximum sample with their real timestamps, so a single spike survives "
        "any zoom level. Otherwise every sample is returned (`reduced: false`).\n\n"
        "`from` must be before `to` and the window at most 400 days long (else 422 with the field)."
    ),
)
async def telemetry(
    device_id: str,
    caller: Viewer,
    measurand: Annotated[list[Measurand] | None, Query(description="Repeatable; default every measurand of the "
                                                                   "device.")] = None,
    from_: From = None,
    to: To = None,
    max_points: Annotated[int, Query(ge=2, le=10_000, description="Points per series at most.")] = 1000,
) -> TelemetryOut:
    device = await _device(caller.session, device_id, caller)
    end = _utc(to, "to") or utcnow()
    start = _utc(from_, "from")
    if start is None:
        try:
            start = end - DEFAULT_WINDOW
        except OverflowError:
            raise FieldInvalid("to", "is out of the supported range of times", "invalid_time") from None
    if start >= end:
        raise FieldInvalid("from", "must be before 'to'", "invalid_time_range")
    if end - start > MAX_WINDOW:
        raise FieldInvalid("from", "must be at most 400 days before 'to'", "time_range_too_long")
    start_ms, end_ms = to_ms(start), to_ms(end)
    series = await read_telemetry(caller.session, device.id, start_ms, end_ms, max_points, measurand)
    return TelemetryOut(
        device_id=device.id,
        from_=from_ms(start_ms),
        to=from_ms(end_ms),
        max_points=max_points,
        series=[
            SeriesOut(measurand=s.measurand, phase=s.phase, connector_no=s.connector_no, unit=s.unit,
                      reduced=s.reduced, points=s.points)
            for s in series
        ],
    )
