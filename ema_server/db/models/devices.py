"""Sites, devices and their connectors, status history, charging sessions and telemetry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, Timestamps, new_id, utcnow, version_column

DEVICE_KINDS = ("charging_station", "wallbox", "router", "modem", "sim", "meter")
CHARGER_KINDS = ("charging_station", "wallbox")
# OCPP 1.6 ChargePointStatus values plus the server's own view of connectivity.
DEVICE_STATUSES = (
    "Available", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing",
    "Reserved", "Unavailable", "Faulted", "Online", "Offline",
)  # fmt: skip
MEASURANDS = ("energy", "power", "current", "voltage", "soc", "temperature")
MEASURAND_UNITS = {"energy": "kWh", "power": "kW", "current": "A", "voltage": "V", "soc": "%", "temperature": "°C"}


class Site(Timestamps, Base):
    __tablename__ = "sites"
    __entity__ = "site"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class Device(Timestamps, Base):
    __tablename__ = "devices"
    __entity__ = "device"
    __change_scope__ = "general"
    __secret_columns__ = frozenset({"ocpp_password_hash"})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    vendor: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    firmware: Mapped[str | None] = mapped_column(String(64))
    ocpp_identity: Mapped[str | None] = mapped_column(String(64), unique=True)
    ocpp_version: Mapped[str | None] = mapped_column(String(8))  # 1.6 | 2.0.1
    ocpp_password_hash: Mapped[str | None] = mapped_column(String(200))
    iccid: Mapped[str | None] = mapped_column(String(22))
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    """Copied from the site so the map and filters need no join."""
    status: Mapped[str] = mapped_column(String(16), default="Offline", index=True)
    """The station at a glance: Offline when not connected, else Faulted when the station or any
    connector is, else what the station reports for itself (see ``ema_server.station_status``)."""
    error_code: Mapped[str | None] = mapped_column(String(32))
    station_status: Mapped[str | None] = mapped_column(String(16))
    """What the station last reported for connector 0 (itself), whether or not it is connected."""
    station_error_code: Mapped[str | None] = mapped_column(String(32))
    last_seen_at: Mapped[datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class Connector(Timestamps, Base):
    __tablename__ = "connectors"
    __entity__ = "connector"
    __change_scope__ = "general"
    __table_args__ = (UniqueConstraint("device_id", "connector_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    connector_no: Mapped[int]
    standard: Mapped[str] = mapped_column(String(16))  # Type2|CCS2|CHAdeMO
    max_power_kw: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="Available")
    error_code: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class DeviceStatusChange(Base):
    """Status history: one row per real change of a device's or connector's status."""

    __tablename__ = "device_status_changes"
    __table_args__ = (Index("ix_device_status_changes_device_at", "device_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    connector_no: Mapped[int] = mapped_column(default=0)
    """0 is the station itself, as in OCPP."""
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(32))
    info: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ChargingSession(Timestamps, Base):
    """An OCPP transaction."""

    __tablename__ = "charging_sessions"
    __entity__ = "charging_session"
    __change_scope__ = "general"
    __table_args__ = (
        Index("ix_charging_sessions_device_started", "device_id", "started_at"),
        # The watchdog looks for open sessions fleet-wide; stations stop them by transaction.
        Index("ix_charging_sessions_stopped", "stopped_at"),
        Index("ix_charging_sessions_device_transaction", "device_id", "transaction_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    connector_no: Mapped[int]
    transaction_id: Mapped[int | None]
    id_tag: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
    meter_start_wh: Mapped[int] = mapped_column(default=0)
    meter_stop_wh: Mapped[int | None]
    energy_kwh: Mapped[float | None] = mapped_column(Float)
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    transaction_ref: Mapped[str | None] = mapped_column(String(36))
    """OCPP 2.0.1: the station's own transaction id (a string); 1.6 uses transaction_id."""
    auto_closed_reason: Mapped[str | None] = mapped_column(String(32))
    """Set when the server closed the session itself: station_rebooted, station_silent,
    stop_never_received, connector_reused."""
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class TelemetrySeries(Base):
    """One measured quantity of one device (connector, phase): samples point at it by a small id."""

    __tablename__ = "telemetry_series"
    __table_args__ = (UniqueConstraint("device_id", "connector_no", "measurand", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    connector_no: Mapped[int] = mapped_column(default=0)
    measurand: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str] = mapped_column(String(4), default="")
    """'' for the whole device, L1/L2/L3 per phase."""
    unit: Mapped[str] = mapped_column(String(8))


class TelemetrySample(Base):
    __tablename__ = "telemetry_samples"
    __table_args__ = {"sqlite_with_rowid": False}  # the (series, time) key is the row: half the size

    series_id: Mapped[int] = mapped_column(ForeignKey("telemetry_series.id", ondelete="CASCADE"),
                                           primary_key=True)
    ts_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Unix time in milliseconds: integer buckets are the same arithmetic on every database."""
    value: Mapped[float] = mapped_column(Float)


class TelemetryMinute(Base):
    """Minimum and maximum sample of one series in one minute, so a chart of a month reads tens of
    thousands of rows instead of millions; ``ema_server.telemetry`` keeps it in step with the samples.

    The extremes are real samples with their own timestamps (earliest among equal values), so a
    chart drawn from minutes still shows samples that were measured, never averages.
    """

    __tablename__ = "telemetry_rollups_1m"
    __table_args__ = {"sqlite_with_rowid": False}  # as for the samples: the key is the row

    series_id: Mapped[int] = mapped_column(ForeignKey("telemetry_series.id", ondelete="CASCADE"),
                                           primary_key=True)
    minute_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Start of the minute: ts_ms floored to a multiple of 60,000."""
    count: Mapped[int]
    min_value: Mapped[float] = mapped_column(Float)
    min_ts_ms: Mapped[int] = mapped_column(BigInteger)
    max_value: Mapped[float] = mapped_column(Float)
    max_ts_ms: Mapped[int] = mapped_column(BigInteger)
