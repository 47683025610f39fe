"""Charging sessions from OCPP transactions, for the OCPP endpoint's version-specific handlers.

A 1.6 station starts a transaction and the server hands out its integer id (unique per
station); a 2.0.1 station names its transactions itself (a string, kept as `transaction_ref`).
Stations resend transaction messages they got no answer to, after a reconnect, so starting and
stopping are idempotent: a repeat finds the session it already made or stopped.

A session is never left open forever. The server closes it itself, saying why in
`auto_closed_reason`, when the connector starts another transaction (connector_reused), when
the station boots again (station_rebooted), when nothing has been heard of it for a while
(station_silent) and when it is a week old (stop_never_received). It then takes the stop
reading from the last energy register sample of that connector, when telemetry has one, so the
energy charged is still known. A stop that arrives after all (a station that was offline sends
its queued StopTransaction) fills in the station's own values and keeps the reason the server
had closed it for.

Sessions are published as `session.started` and `session.stopped` events with ids, times and
energy, never the id tag: an RFID tag identifies a person.

Every function runs in the caller's transaction and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.events import publish
from ema_server.db.models import ChargingSession, Device, TelemetrySample, TelemetrySeries
from ema_server.db.models.base import json_value
from ema_server.db.tracking import take_ordering_lock
from ema_server.id_tags import ID_TAG_MAX, find_card
from ema_server.telemetry import from_ms, to_ms

CONNECTOR_REUSED: Final = "connector_reused"
STATION_REBOOTED: Final = "station_rebooted"
STATION_SILENT: Final = "station_silent"
STOP_NEVER_RECEIVED: Final = "stop_never_received"
AUTO_CLOSED_REASONS: Final = (CONNECTOR_REUSED, STATION_REBOOTED, STATION_SILENT, STOP_NEVER_RECEIVED)

SESSION_MAX_AGE: Final = timedelta(days=7)
"""No real charging session lasts a week: one this old lost its stop."""
STOP_REASON_MAX: Final = 32
_DEVICES_PER_STATEMENT: Final = 500


# --- finding ------------------------------------------------------------------------------------


def _stored_tag(id_tag: str | None) -> str | None:
    # A 2.0.1 id token can be longer than a card's tag (an eMAID, up to 36 characters); cut, it
    # would name another tag, so it is not stored at all.
    if not id_tag or len(id_tag) > ID_TAG_MAX:
        return None
    return id_tag


async def session_for_transaction(
    session: AsyncSession, device: Device, transaction_id: int | None = None, transaction_ref: str | None = None
) -> ChargingSession | None:
    """The session of a station's transaction: by the station's own id (2.0.1) when given, else by
    the id the server assigned (1.6); None when neither is given or nothing matches."""
    query = select(ChargingSession).where(ChargingSession.device_id == device.id)
    if transaction_ref is not None:
        query = query.where(ChargingSession.transaction_ref == transaction_ref)
    elif transaction_id is not None:
        query = query.where(ChargingSession.transaction_id == transaction_id)
    else:
        return None
    query = query.order_by(ChargingSession.started_at.desc(), ChargingSession.id).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def _repeated_start(
    session: AsyncSession, device: Device, connector_no: int, id_tag: str | None, started_at: datetime,
    transaction_ref: str | None,
) -> ChargingSession | None:
    if transaction_ref is not None:
        return await session_for_transaction(session, device, transaction_ref=transaction_ref)
    # A 1.6 station resending an unanswered StartTransaction sends the same connector, tag and
    # timestamp; it cannot send the transaction id it never received.
    query = select(ChargingSession).where(
        ChargingSession.device_id == device.id,
        ChargingSession.connector_no == connector_no,
        ChargingSession.started_at == started_at,
        ChargingSession.transaction_ref.is_(None),
        ChargingSession.id_tag.is_(None) if id_tag is None else ChargingSession.id_tag == id_tag,
    )
    return (await session.execute(query.order_by(ChargingSession.id).limit(1))).scalar_one_or_none()


async def _open_sessions(
    session: AsyncSession, device: Device, connector_no: int | None = None
) -> list[ChargingSession]:
    query = select(ChargingSession).where(ChargingSession.device_id == device.id, ChargingSession.stopped_at.is_(None))
    if connector_no is not None:
        query = query.where(ChargingSession.connector_no == connector_no)
    return list((await session.execute(query.order_by(ChargingSession.started_at, ChargingSession.id))).scalars())


# --- events -------------------------------------------------------------------------------------


def _event(charging: ChargingSession) -> dict[str, Any]:
    # Ids, times and meter readings only: the id tag identifies a person.
    return {
        "id": charging.id, "device_id": charging.device_id, "customer_id": charging.customer_id,
        "connector_no": charging.connector_no, "transaction_id": charging.transaction_id,
        "transaction_ref": charging.transaction_ref, "started_at": json_value(charging.started_at),
        "stopped_at": json_value(charging.stopped_at), "meter_start_wh": charging.meter_start_wh,
        "meter_stop_wh": charging.meter_stop_wh, "energy_kwh": charging.energy_kwh,
        "stop_reason": charging.stop_reason, "auto_closed_reason": charging.auto_closed_reason,
        "version": charging.version,
    }  # fmt: skip


async def _publish(session: AsyncSession, type_: str, charging: ChargingSession) -> None:
    await session.flush()  # the event carries the version the change feed will show
    publish(session, type_, _event(charging))


def _energy_kwh(meter_start_wh: int, meter_stop_wh: int | None) -> float | None:
    # A register that went backwards (meter replaced, reset, or a station bug) says nothing about
    # the energy charged: unknown rather than negative.
    if meter_stop_wh is None or meter_stop_wh < meter_start_wh:
        return None
    return (meter_stop_wh - meter_start_wh) / 1000


# --- starting and stopping ----------------------------------------------------------------------


async def _next_transaction_id(session: AsyncSession, device: Device) -> int:
    # Under the ordering lock (held to commit; PostgreSQL) no other transaction can read the same
    # highest id for this station before this one's session is committed.
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    highest = await session.execute(
        select(func.max(ChargingSession.transaction_id)).where(ChargingSession.device_id == device.id)
    )
    return int(highest.scalar() or 0) + 1


async def start_session(
    session: AsyncSession,
    device: Device,
    connector_no: int,
    id_tag: str | None,
    meter_start_wh: int,
    started_at: datetime,
    transaction_ref: str | None = None,
) -> ChargingSession:
    """Record a transaction the station started; returns its session.

    Without `transaction_ref` (OCPP 1.6) the session gets the next integer `transaction_id` of
    this station, which the handler sends back. With it (2.0.1) `transaction_id` stays None. The
    customer is the owner of the active card carrying the tag, else the station's customer. A
    session still open on the connector is closed first (connector_reused). A repeat of a start
    already recorded returns that session and changes nothing.
    """
    if started_at.tzinfo is None:
        raise ValueError("naive datetime: session times must carry a time zone")
    tag = _stored_tag(id_tag)
    repeated = await _repeated_start(session, device, connector_no, tag, started_at, transaction_ref)
    if repeated is not None:
        return repeated
    for left_open in await _open_sessions(session, device, connector_no):
        await _auto_close(session, left_open, CONNECTOR_REUSED, started_at)
    card = await find_card(session, id_tag)
    charging = ChargingSession(
        device_id=device.id,
        customer_id=card.customer_id if card is not None and card.active else device.customer_id,
        connector_no=connector_no,
        transaction_id=None if transaction_ref is not None else await _next_transaction_id(session, device),
        transaction_ref=transaction_ref,
        id_tag=tag,
        started_at=started_at,
        meter_start_wh=meter_start_wh,
    )
    session.add(charging)
    await _publish(session, "session.started", charging)
    return charging


async def stop_session(
    session: AsyncSession,
    device: Device,
    *,
    transaction_id: int | None = None,
    transaction_ref: str | None = None,
    meter_stop_wh: int | None,
    stopped_at: datetime,
    reason: str | None,
) -> ChargingSession | None:
    """Record the stop of a transaction; None when the station names one the server does not know
    (the handler answers the station all the same).

    The energy is (stop - start) / 1000 kWh, None when the register went backwards or no stop
    reading was sent. A repeat of a stop already recorded changes nothing. A session the server
    had closed itself takes the station's values, keeping `auto_closed_reason`.
    """
    if stopped_at.tzinfo is None:
        raise ValueError("naive datetime: session times must carry a time zone")
    charging = await session_for_transaction(session, device, transaction_id, transaction_ref)
    if charging is None:
        return None
    if charging.stopped_at is not None and charging.auto_closed_reason is None:
        return charging
    charging.stopped_at = stopped_at
    charging.meter_stop_wh = meter_stop_wh
    charging.energy_kwh = _energy_kwh(charging.meter_start_wh, meter_stop_wh)
    charging.stop_reason = reason[:STOP_REASON_MAX] if reason else None
    await _publish(session, "session.stopped", charging)
    return charging


async def attach_id_tag(session: AsyncSession, charging: ChargingSession, id_tag: str) -> bool:
    """A tag presented after the transaction started (2.0.1: a TransactionEvent Updated whose
    trigger is Authorized, when the cable went in first): store it and charge the session to the
    card's customer. Whether the session changed; a session that has a tag keeps it."""
    tag = _stored_tag(id_tag)
    if tag is None or charging.id_tag is not None:
        return False
    charging.id_tag = tag
    card = await find_card(session, tag)
    if card is not None and card.active:
        charging.customer_id = card.customer_id
    await session.flush()
    return True


# --- closing what the station did not -----------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    at: datetime
    meter_wh: int


async def _last_energy_reading(
    session: AsyncSession, charging: ChargingSession, until: datetime
) -> _Reading | None:
    """The connector's last energy register sample after the session started, up to `until`."""
    series_id = (
        select(TelemetrySeries.id)
        .where(
            TelemetrySeries.device_id == charging.device_id,
            TelemetrySeries.connector_no == charging.connector_no,
            TelemetrySeries.measurand == "energy",
            TelemetrySeries.phase == "",
        )
        .scalar_subquery()
    )
    s = TelemetrySample
    row = (
        await session.execute(
            select(s.ts_ms, s.value)
            .where(s.series_id == series_id, s.ts_ms > to_ms(charging.started_at), s.ts_ms <= to_ms(until))
            .order_by(s.ts_ms.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return _Reading(from_ms(int(row[0])), round(float(row[1]) * 1000))  # series are in kWh


async def _auto_close(session: AsyncSession, charging: ChargingSession, reason: str, at: datetime) -> None:
    reading = await _last_energy_reading(session, charging, at)
    if reading is not None:
        charging.stopped_at, charging.meter_stop_wh = reading.at, reading.meter_wh
    else:
        # `at` is the server's time and started_at the station's; a station clock running ahead
        # must not make the session end before it began.
        charging.stopped_at, charging.meter_stop_wh = max(at, charging.started_at), None
    charging.energy_kwh = _energy_kwh(charging.meter_start_wh, charging.meter_stop_wh)
    charging.stop_reason = None
    charging.auto_closed_reason = reason
    await _publish(session, "session.stopped", charging)


async def close_open_sessions(session: AsyncSession, device: Device, reason: str, at: datetime) -> int:
    """Close every open session of a station with `reason` (e.g. station_rebooted when it boots
    again: its transactions ended with the reboot); how many were closed."""
    if reason not in AUTO_CLOSED_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    left_open = await _open_sessions(session, device)
    for charging in left_open:
        await _auto_close(session, charging, reason, at)
    return len(left_open)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


async def _last_samples(session: AsyncSession, keys: set[tuple[str, int]]) -> dict[tuple[str, int], datetime]:
    """The time of the newest sample of any series per (device, connector)."""
    s = TelemetrySample
    # One backward index step per series (its key is (series_id, ts_ms)), where max() over a join
    # might read every sample of the series.
    newest = (
        select(s.ts_ms).where(s.series_id == TelemetrySeries.id).order_by(s.ts_ms.desc()).limit(1)
        .correlate(TelemetrySeries).scalar_subquery()
    )  # fmt: skip
    out: dict[tuple[str, int], datetime] = {}
    for chunk in _chunks(sorted({device_id for device_id, _ in keys}), _DEVICES_PER_STATEMENT):
        rows = await session.execute(
            select(TelemetrySeries.device_id, TelemetrySeries.connector_no, newest).where(
                TelemetrySeries.device_id.in_(chunk)
            )
        )
        for device_id, connector_no, ts_ms in rows:
            key = (device_id, connector_no)
            if ts_ms is not None and key in keys:
                at = from_ms(int(ts_ms))
                out[key] = max(out.get(key, at), at)
    return out


async def close_silent_sessions(session: AsyncSession, now: datetime, limit: timedelta) -> int:
    """Close the open sessions nothing has been heard of for `limit`, and those a week old.

    A session is silent (station_silent) when its station has not been seen for `limit`, or
    when neither its start nor any telemetry of its connector is more recent than that. A
    session started more than a week ago is closed whatever was heard (stop_never_received).
    Returns how many were closed. A handful of queries for the whole fleet: only sessions open
    longer than `limit`, or of stations unseen that long, are looked at closely.
    """
    cutoff = now - limit
    too_old = now - SESSION_MAX_AGE
    candidates = (
        await session.execute(
            select(ChargingSession, Device.last_seen_at)
            .join(Device, Device.id == ChargingSession.device_id)
            .where(
                ChargingSession.stopped_at.is_(None),
                or_(
                    ChargingSession.started_at < cutoff,
                    Device.last_seen_at.is_(None),
                    Device.last_seen_at < cutoff,
                ),
            )
            .order_by(ChargingSession.started_at, ChargingSession.id)
        )
    ).all()
    closing: list[tuple[ChargingSession, str]] = []
    to_check: list[ChargingSession] = []
    for charging, last_seen_at in candidates:
        if charging.started_at < too_old:
            closing.append((charging, STOP_NEVER_RECEIVED))
        elif last_seen_at is None or last_seen_at < cutoff:
            closing.append((charging, STATION_SILENT))
        else:
            to_check.append(charging)
    if to_check:
        last_samples = await _last_samples(session, {(c.device_id, c.connector_no) for c in to_check})
        for charging in to_check:
            heard = last_samples.get((charging.device_id, charging.connector_no))
            if max(charging.started_at, heard or charging.started_at) < cutoff:
                closing.append((charging, STATION_SILENT))
    for charging, reason in closing:
        await _auto_close(session, charging, reason, now)
    return len(closing)

