"""What the OCPP endpoint keeps besides device state: every frame in and out per station, stations
that knocked without being registered, and the remote commands operators sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, new_id, utcnow
from ema_server.db.models.logs import SEQUENCE

FRAME_DIRECTIONS = ("in", "out")
COMMAND_OUTCOMES = ("accepted", "rejected", "error", "timeout", "offline")


class OcppFrame(Base):
    """One OCPP-J frame as it went over the wire, kept for the frame retention period (30 days by
    default) so a technician can read back what a station really said."""

    __tablename__ = "ocpp_frames"
    __table_args__ = (
        Index("ix_ocpp_frames_device_at", "device_id", "at"),
        Index("ix_ocpp_frames_at", "at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    message_type: Mapped[int | None]
    """2 call, 3 result, 4 error; None for a frame that was not OCPP-J at all."""
    unique_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str | None] = mapped_column(String(64))
    """For results and errors, the action of the call they answer, so filtering by action finds both."""
    frame: Mapped[str] = mapped_column(Text)
    """The text as sent or received (cut at the frame size limit)."""


class UnknownStation(Base):
    """A station identity that tried to connect without being registered: listed for the
    administrator, who can register it in one step."""

    __tablename__ = "unknown_stations"

    identity: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    first_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_address: Mapped[str | None] = mapped_column(String(64))
    subprotocols: Mapped[str | None] = mapped_column(String(64))
    """What the station offered (ocpp1.6, ocpp2.0.1), so the version is known when registering."""
    boot_info: Mapped[str | None] = mapped_column(Text)
    """JSON of the last BootNotification (vendor, model, serial, firmware) when the server let the
    station boot in quarantine; None when it was refused before the upgrade."""


class RemoteCommand(Base):
    """An operator's command to a station and what came of it."""

    __tablename__ = "remote_commands"
    __table_args__ = (Index("ix_remote_commands_device_at", "device_id", "requested_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    operator_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(48))
    """As the operator asked for it (e.g. Reset); the OCPP action sent may differ by version."""
    ocpp_action: Mapped[str] = mapped_column(String(48))
    ocpp_version: Mapped[str] = mapped_column(String(8))
    """The version the station spoke when the command was sent."""
    parameters: Mapped[str] = mapped_column(Text, default="{}")
    outcome: Mapped[str] = mapped_column(String(10))  # see COMMAND_OUTCOMES
    response: Mapped[str | None] = mapped_column(Text)
    """The station's answer as JSON, or the CALLERROR code and description."""
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
