"""Recording a station's status: what it reports for itself and its connectors, and whether it is
connected. Only real changes go into the status history and out as `device.status` events; the
device's own status is the roll-up of ``ema_server.domain.station_status``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.events import publish
from ema_server.db.models import Connector, Device, DeviceStatusChange, utcnow
from ema_server.db.models.base import json_value
from ema_server.db.models.devices import DEVICE_STATUSES
from ema_server.domain.station_status import rolled_up_status
from ema_server.telemetry import touch

# OCPP reports "NoError" for a healthy connector; storing it as no error makes "Available /
# NoError" and "Available / none" the same status, as they are.
NO_ERROR_CODES = frozenset({"", "NoError"})
ERROR_CODE_MAX = 32
INFO_MAX = 200
# Connectivity is recorded in the station's (connector 0) history next to what it reports.
ONLINE, OFFLINE = "Online", "Offline"


def _error_code(error_code: str | None) -> str | None:
    if error_code is None or error_code.strip() in NO_ERROR_CODES:
        return None
    return error_code.strip()[:ERROR_CODE_MAX]


async def _connectors(session: AsyncSession, device_id: str) -> list[Connector]:
    return list((await session.execute(select(Connector).where(Connector.device_id == device_id))).scalars())


async def _roll_up(session: AsyncSession, device: Device, online: bool) -> bool:
    """Set the device's status from its parts; whether it changed."""
    connectors = [(c.connector_no, c.status, c.error_code) for c in await _connectors(session, device.id)]
    status, error = rolled_up_status(online, (device.station_status, device.station_error_code), connectors)
    if (device.status, device.error_code) == (status, error):
        return False
    device.status, device.error_code = status, error
    return True


def _history(session: AsyncSession, device: Device, connector_no: int, status: str, error_code: str | None,
             info: str | None, at: datetime) -> None:
    session.add(DeviceStatusChange(device_id=device.id, connector_no=connector_no, status=status,
                                   error_code=error_code, info=info[:INFO_MAX] if info else None, at=at))


async def _publish(session: AsyncSession, device: Device, connector_no: int, status: str, error_code: str | None,
                   at: datetime) -> None:
    await session.flush()
    publish(
        session,
        "device.status",
        {
            "device_id": device.id, "connector_no": connector_no, "status": status, "error_code": error_code,
            "device_status": device.status, "device_error_code": device.error_code,
            "at": json_value(at), "version": device.version,
        },
    )


async def record_status(
    session: AsyncSession,
    device: Device,
    connector_no: int,
    status: str,
    error_code: str | None,
    info: str | None,
    at: datetime | None = None,
) -> bool:
    """Apply a status notification of a station (connector 0) or one of its connectors.

    Only a real change is stored in the history and published as `device.status`: a repeat of
    the current status and error code only marks the device as seen, so a station whose status
    flaps between two values stores each flip, never the repeats. A connector the station reports
    but nobody registered is created, so its status is visible. `at` is the station's time of
    the report (default now); `last_seen_at` is the server's time, since station clocks drift. A
    station that reports is connected, so the device's roll-up treats it as online. Returns
    whether the reported status changed. Runs in the caller's transaction.
    """
    if status not in DEVICE_STATUSES or status in (ONLINE, OFFLINE):
        raise ValueError(f"unknown status {status!r}")
    if connector_no < 0:
        raise ValueError("connector_no must not be negative")
    at = at or utcnow()
    if at.tzinfo is None:
        raise ValueError("naive datetime: status times must carry a time zone")
    code = _error_code(error_code)
    touch(device)
    if connector_no == 0:
        changed = (device.station_status, device.station_error_code) != (status, code)
        device.station_status, device.station_error_code = status, code
    else:
        connector = (
            await session.execute(
                select(Connector).where(Connector.device_id == device.id, Connector.connector_no == connector_no)
            )
        ).scalar_one_or_none()
        if connector is None:
            changed = True
            session.add(Connector(device_id=device.id, connector_no=connector_no, standard="Unknown",
                                  max_power_kw=0.0, status=status, error_code=code))
            await session.flush()
        else:
            changed = (connector.status, connector.error_code) != (status, code)
            connector.status, connector.error_code = status, code
    rolled = await _roll_up(session, device, online=True)
    if changed:
        _history(session, device, connector_no, status, code, info, at)
    if changed or rolled:
        await _publish(session, device, connector_no, status, code, at)
    return changed


async def mark_connected(session: AsyncSession, device: Device, ocpp_version: str, at: datetime | None = None) -> None:
    """The station opened its OCPP connection: Online in its history, and its roll-up recomputed."""
    at = at or utcnow()
    touch(device)
    if device.ocpp_version != ocpp_version:
        device.ocpp_version = ocpp_version
    _history(session, device, 0, ONLINE, None, f"connected (OCPP {ocpp_version})", at)
    await _roll_up(session, device, online=True)
    await _publish(session, device, 0, ONLINE, None, at)


async def mark_disconnected(session: AsyncSession, device: Device, reason: str, at: datetime | None = None) -> bool:
    """The station is gone (`reason` as in fault_triage.CONNECTIVITY_REASONS); whether it was online."""
    if device.status == OFFLINE:
        return False
    at = at or utcnow()
    _history(session, device, 0, OFFLINE, None, reason, at)
    await _roll_up(session, device, online=False)
    await _publish(session, device, 0, OFFLINE, None, at)
    return True
