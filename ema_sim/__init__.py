"""ema-sim: a fleet of simulated OCPP 1.6 / 2.0.1 charging stations that drive ema-server.

Each station connects over a real WebSocket to ``<server_url>/<identity>`` with subprotocol
``ocpp1.6`` or ``ocpp2.0.1`` and HTTP Basic credentials (OCPP security profile 1), boots,
heartbeats, reports its connectors, runs charging sessions with a realistic battery curve, sends
meter values (energy register, power, current and voltage per phase, state of charge,
temperature), raises and clears faults, answers every operator command as a real station would,
and reconnects with backoff when the server goes away.

Public API (everything else is internal and may change):

``Fleet(stations, options)``
    ``await fleet.start()`` / ``await fleet.stop()`` or ``async with Fleet(...) as fleet``;
    ``await fleet.wait_booted(count=None)`` waits until that many stations (default all) are
    connected and booted; ``fleet.stats()`` returns a `FleetStats` (connected, booted, charging,
    faulted, …); ``fleet.station(identity)`` gives one station's behaviour and state for
    inspection. ``stop`` leaves no task or socket behind.
``StationSpec(identity, password, ocpp_version="1.6", id_tags=())``
    One station; ``id_tags`` are the RFID cards the server authorises there (the simulated
    drivers present them). ``demo_stations(count, first=1, ocpp="1.6"|"2.0.1"|"mixed", seed=0)``
    gives the server's demo stations ``CZ-SEC-00001`` … with their demo passwords and cards;
    ``read_stations_file(path)`` reads ``identity,password[,ocpp_version[,id_tags]]`` CSV
    (blocking I/O: call it before the event loop starts or via ``asyncio.to_thread``).
``FleetOptions(server_url=…, seed=0, fault_rate=0.05, session_rate=0.5, meter_interval=10, …)``
    Rates and intervals; ``speed`` makes simulated time (cars, batteries, faults) pass faster than
    real time, so tests and demos see whole sessions in seconds. See ema_sim.options.
``fleet.station(identity).raise_fault(connector_id, error_code, duration_s=600)``
    Fault a connector on demand (Faulted with that error code, the running session ends, recovery
    after ``duration_s`` simulated seconds), for tests of fault handling.

The command line is ``ema-sim`` (ema_sim.cli). Example::

    async with Fleet(demo_stations(50, ocpp="mixed"), FleetOptions(server_url=url)) as fleet:
        await fleet.wait_booted()
        print(fleet.stats().summary())
"""

from ema_sim.credentials import StationSpec, demo_id_tag, demo_password, demo_stations, read_stations_file
from ema_sim.fleet import Fleet, FleetStats
from ema_sim.options import FleetOptions

__all__ = [
    "Fleet",
    "FleetOptions",
    "FleetStats",
    "StationSpec",
    "demo_id_tag",
    "demo_password",
    "demo_stations",
    "read_stations_file",
]
