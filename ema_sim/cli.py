"""``ema-sim``: run a fleet of simulated OCPP stations against an ema-server until Ctrl+C or SIGTERM.

    ema-sim --server ws://127.0.0.1:8765/ocpp --stations 50 --ocpp mixed --seed 7

Stations are the server's demo stations (CZ-SEC-00001 … with their demo passwords) unless
``--stations-file`` names a CSV of ``identity,password[,ocpp_version]``. A summary line goes to
stderr every 10 s; ``-v`` adds a log line per connection event and per OCPP frame.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import signal
import sys
import time
from collections.abc import Sequence
from typing import Final

import ocpp.messages

from ema_sim.credentials import StationSpec, VersionChoice, demo_stations, read_stations_file
from ema_sim.fleet import Fleet
from ema_sim.logs import FRAMES, LOG, WEBSOCKETS
from ema_sim.options import FleetOptions

__all__ = ["main"]

SUMMARY_EVERY_S: Final = 10.0


def _positive(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError("must be zero or a positive number")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ema-sim",
        description="Simulated OCPP 1.6 / 2.0.1 charging stations for ema-server.",
    )
    parser.add_argument(
        "--server",
        default="ws://127.0.0.1:8765/ocpp",
        help="OCPP endpoint; each station connects to <server>/<identity> (default %(default)s)",
    )
    parser.add_argument(
        "--stations", type=_count, help="how many stations (default: 10, or every row of --stations-file)"
    )
    parser.add_argument(
        "--ocpp",
        choices=("1.6", "2.0.1", "mixed"),
        default="1.6",
        help="protocol version; mixed is about 75%% 1.6 and 25%% 2.0.1, chosen by the seed",
    )
    parser.add_argument("--seed", type=int, default=0, help="same seed, same behaviour plan (default %(default)s)")
    parser.add_argument(
        "--fault-rate",
        type=_non_negative,
        default=0.05,
        help="faults per station-hour of simulated time (default %(default)s)",
    )
    parser.add_argument(
        "--session-rate",
        type=_non_negative,
        default=0.5,
        help="cars arriving per free connector-hour of simulated time (default %(default)s)",
    )
    parser.add_argument(
        "--meter-interval",
        type=_positive,
        default=10.0,
        help="seconds between meter values while charging (default %(default)s)",
    )
    parser.add_argument(
        "--idle-meter-interval",
        type=_non_negative,
        help="seconds between meter values of an idle connector (default: 10 meter intervals, max 900)",
    )
    parser.add_argument(
        "--heartbeat-interval",
        type=_non_negative,
        help="seconds between heartbeats (default: what the server's boot answer says)",
    )
    parser.add_argument(
        "--speed",
        type=_positive,
        default=1.0,
        help="simulated seconds per real second for cars and faults (default %(default)s)",
    )
    parser.add_argument(
        "--connect-rate",
        type=_positive,
        default=200.0,
        help="stations starting to connect per second at start-up (default %(default)s)",
    )
    parser.add_argument("--stations-file", help="CSV with the header identity,password[,ocpp_version]")
    parser.add_argument("--first", type=int, default=1, help="number of the first demo station (default %(default)s)")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip JSON-schema checks of OCPP messages (saves CPU in load tests)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log connection events and every OCPP frame")
    return parser  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    version: VersionChoice = args.ocpp
    try:
        options = FleetOptions(
            server_url=args.server,
            seed=args.seed,
            fault_rate=args.fault_rate,
            session_rate=args.session_rate,
            meter_interval=args.meter_interval,
            idle_meter_interval=args.idle_meter_interval,
            heartbeat_interval=args.heartbeat_interval,
            speed=args.speed,
            connect_rate=args.connect_rate,
            validate_messages=not args.no_validate,
        )
        specs = _stations(args, version)
    except (OSError, ValueError) as error:
        parser.error(str(error))
    _configure_logging(args.verbose)
    # Schema checks of tiny payloads cost less on the event loop than a hop to a worker thread
    # and back for every message; this process runs nothing else that validates.
    ocpp.messages.ASYNC_VALIDATION = False
    asyncio.run(_run(specs, options))
    return 0


def _stations(args: argparse.Namespace, version: VersionChoice) -> list[StationSpec]:
    if args.stations_file:
        # Read before the event loop starts: no blocking file I/O inside it.
        specs = read_stations_file(args.stations_file, ocpp=version, seed=args.seed)
        if args.stations is not None:
            if args.stations > len(specs):
                raise ValueError(f"--stations {args.stations}: the file lists only {len(specs)} stations")
            specs = specs[: args.stations]
        return specs
    if args.first < 1:
        raise ValueError("--first must be 1 or more")
    return demo_stations(10 if args.stations is None else args.stations, first=args.first, ocpp=version, seed=args.seed)


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    LOG.setLevel(logging.INFO if verbose else logging.WARNING)
    # Without -v the ocpp package's per-message warnings (a CALLERROR answer) would flood the
    # terminal for a fleet of thousands; they are counted and shown with -v.
    FRAMES.setLevel(logging.INFO if verbose else logging.ERROR)
    WEBSOCKETS.setLevel(logging.WARNING)


async def _run(specs: list[StationSpec], options: FleetOptions) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    versions = {v: sum(1 for s in specs if s.ocpp_version == v) for v in ("1.6", "2.0.1")}
    _say(f"starting {len(specs)} stations ({versions['1.6']} OCPP 1.6, {versions['2.0.1']} OCPP 2.0.1) "
         f"against {options.server_url}")  # fmt: skip
    try:
        async with Fleet(specs, options) as fleet:
            while not stop.is_set():
                try:
                    async with asyncio.timeout(SUMMARY_EVERY_S):
                        await stop.wait()
                except TimeoutError:
                    _say(fleet.stats().summary())
            _say(f"stopping: {fleet.stats().summary()}")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    _say("stopped")


def _say(line: str) -> None:
    print(f"ema-sim {time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
