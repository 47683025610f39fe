"""The console's command line: `ema-desktop [--server URL] [--demo [--stations N]] [--snapshot DIR]`."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ema_desktop import __version__

SERVER_URL_ENV = "EMA_SERVER_URL"
DEFAULT_SERVER_URL = "http://127.0.0.1:8765"


@dataclass(frozen=True)
class ConsoleOptions:
    """What the operator asked for on the command line (or the environment)."""

    server_url: str | None
    demo: bool
    demo_stations: int
    snapshot_dir: Path | None
    snapshot_timeout: float


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ema-desktop",
        description="EMA operator console: customers, stations live, tickets and privacy requests.",
    )
    p.add_argument("--version", action="version", version=f"ema-desktop {__version__}")
    p.add_argument(
        "--server",
        metavar="URL",
        help=f"the ema-server to sign in to (default ${SERVER_URL_ENV}, else the last one used, "
        f"else {DEFAULT_SERVER_URL})",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="start a private ema-server with fresh demo data and a simulated fleet, and sign in as the demo "
        "administrator; both stop when the console closes",
    )
    p.add_argument("--stations", type=_positive_int, default=30, metavar="N",
                   help="simulated stations in demo mode (default %(default)s)")
    p.add_argument(
        "--snapshot",
        type=Path,
        metavar="DIR",
        help="with --demo: wait until every pane shows data, save one PNG per pane into DIR and exit",
    )
    p.add_argument("--snapshot-timeout", type=float, default=180.0, metavar="SECONDS",
                   help="give up on --snapshot after this long (default %(default)s)")
    return p


def parse(argv: Sequence[str] | None = None) -> ConsoleOptions:
    p = parser()
    args = p.parse_args(argv)
    if args.snapshot is not None and not args.demo:
        p.error("--snapshot needs --demo")
    return ConsoleOptions(
        server_url=args.server or os.environ.get(SERVER_URL_ENV) or None,
        demo=args.demo,
        demo_stations=args.stations,
        snapshot_dir=args.snapshot,
        snapshot_timeout=args.snapshot_timeout,
    )
