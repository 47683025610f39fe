"""Tunable limits and periods of the OCPP endpoint, with the defaults a production server uses.

`ema-server serve` fills them from its options; tests shorten the periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

SUBPROTOCOLS = {"ocpp1.6": "1.6", "ocpp2.0.1": "2.0.1"}


@dataclass(frozen=True)
class OcppSettings:
    heartbeat_interval: int = 300
    """Seconds, sent to stations in the BootNotification answer."""
    missed_heartbeats: int = 3
    """A connected station that says nothing for this many heartbeat intervals is marked offline
    and its connection closed (it will reconnect)."""
    command_timeout: float = 30.0
    """Seconds an operator's command waits for the station's answer."""
    frame_retention: timedelta = timedelta(days=30)
    offline_ticket_after: timedelta = timedelta(minutes=30)
    """A station offline this long gets one "station offline" ticket."""
    session_silence_limit: timedelta = timedelta(hours=24)
    """An open charging session of a connected station that sends nothing about it for this long
    is closed by the server (stop_never_received)."""
    max_frame_bytes: int = 64 * 1024
    """Larger frames close the connection (1009): no OCPP message a station sends needs more."""
    flood_messages: int = 100
    flood_window_seconds: float = 10.0
    """More than flood_messages frames within flood_window_seconds closes the connection (1008)."""
    unknown_stations: Literal["refuse", "quarantine"] = "refuse"
    """refuse: an unregistered identity is refused before the upgrade (401). quarantine: it may
    connect and boot, is answered Rejected and disconnected, and its boot information is kept for
    registering it."""
    station_check_interval: float = 60.0
    """Seconds between the watchdog's rounds (missed heartbeats, silent sessions, offline tickets)."""
