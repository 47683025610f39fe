"""The one status an operator sees for a station, rolled up from its parts."""

from __future__ import annotations

import pytest

from ema_server.domain.station_status import rolled_up_status


@pytest.mark.parametrize(
    ("online", "station", "connectors", "expected"),
    [
        (False, ("Faulted", "GroundFailure"), [(1, "Charging", None)], ("Offline", None)),
        (True, ("Faulted", "GroundFailure"), [(1, "Faulted", "ReaderFailure")], ("Faulted", "GroundFailure")),
        (True, ("Available", None), [(2, "Faulted", "HighTemperature"), (1, "Faulted", "ReaderFailure")],
         ("Faulted", "ReaderFailure")),
        (True, ("Unavailable", None), [(1, "Charging", None)], ("Unavailable", None)),
        (True, ("Available", None), [(1, "Unavailable", None), (2, "Unavailable", None)], ("Unavailable", None)),
        (True, ("Available", None), [(1, "Unavailable", None), (2, "SuspendedEV", None)], ("Charging", None)),
        (True, ("Available", None), [(1, "Available", None), (2, "Preparing", None)], ("Preparing", None)),
        (True, (None, None), [(1, "Available", None)], ("Available", None)),
        (True, (None, None), [], ("Available", None)),
    ],
    ids=["offline hides everything", "station fault first", "lowest faulted connector", "station unavailable",
         "all connectors unavailable", "one in use", "busy", "nothing special", "nothing reported"],
)
def test_rolled_up_status(online: bool, station: tuple[str | None, str | None],
                          connectors: list[tuple[int, str, str | None]], expected: tuple[str, str | None]) -> None:
    assert rolled_up_status(online, station, connectors) == expected
