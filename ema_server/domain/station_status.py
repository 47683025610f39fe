"""The status of a station at a glance, rolled up from what it reports for itself (connector 0)
and for each connector, and whether it is connected.

Operators filter the fleet and colour the map by this one value, so a station with one faulted
connector must show as Faulted even when the station itself says Available.
"""

from __future__ import annotations

from collections.abc import Sequence

IN_USE = ("Charging", "SuspendedEVSE", "SuspendedEV")
BUSY = ("Preparing", "Finishing", "Reserved")


def rolled_up_status(
    online: bool,
    station: tuple[str | None, str | None],
    connectors: Sequence[tuple[int, str, str | None]],
) -> tuple[str, str | None]:
    """(status, error_code) of a station.

    `station` is what it last reported for connector 0 (status, error code), `connectors` is
    (connector_no, status, error code) per connector. In order: Offline when not connected;
    Faulted when the station or any connector is (the station's error code first, else the
    lowest faulted connector's); Unavailable when the station or every connector is; Charging
    when any connector is in use; else the busiest connector state; else what the station
    says of itself, or Available.
    """
    if not online:
        return "Offline", None
    station_status, station_error = station
    if station_status == "Faulted":
        return "Faulted", station_error
    for _, status, error in sorted(connectors):
        if status == "Faulted":
            return "Faulted", error
    statuses = [status for _, status, _ in connectors]
    if station_status == "Unavailable" or (statuses and all(s == "Unavailable" for s in statuses)):
        return "Unavailable", None
    for wanted in (*IN_USE, *BUSY):
        if wanted in statuses:
            return ("Charging" if wanted in IN_USE else wanted), None
    return station_status or "Available", None
