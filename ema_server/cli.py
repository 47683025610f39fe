"""`ema-server`: serve the API, migrate, seed demo data, create operators, register charging
stations, verify the audit trail, run retention."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import signal
import socket
import sys
from collections.abc import Sequence
from datetime import timedelta
from types import FrameType
from typing import Any

from ema_server import __version__
from ema_server.db.engine import DB_URL_ENV, Database, resolve_db_url
from ema_server.domain.permissions import Role
from ema_server.ocpp.settings import OcppSettings

log = logging.getLogger("ema_server")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ema-server", description="EMA backend for the operator console.")
    parser.add_argument("--version", action="version", version=f"ema-server {__version__}")
    parser.add_argument(
        "--db", help=f"database URL (sqlite+aiosqlite:///… or postgresql+asyncpg://…); default ${DB_URL_ENV} "
        "or an SQLite file in the platform data directory"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="apply pending migrations and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port (printed at start)")
    ocpp = serve.add_argument_group("OCPP endpoint (stations connect to ws://HOST:PORT/ocpp/IDENTITY)")
    ocpp.add_argument("--heartbeat-interval", type=_positive_int, default=300, metavar="SECONDS",
                      help="heartbeat interval given to stations (default 300)")
    ocpp.add_argument("--command-timeout", type=_positive_int, default=30, metavar="SECONDS",
                      help="how long an operator's command waits for the station (default 30)")
    ocpp.add_argument("--frame-retention-days", type=_positive_int, default=30, metavar="DAYS",
                      help="how long every OCPP frame is kept (default 30)")
    ocpp.add_argument("--offline-ticket-minutes", type=_positive_int, default=30, metavar="MINUTES",
                      help="a station offline this long gets a ticket (default 30)")
    ocpp.add_argument("--unknown-stations", choices=["refuse", "quarantine"], default="refuse",
                      help="refuse unregistered stations before the upgrade (default), or let them boot "
                      "to record their boot information, answer Rejected and disconnect")

    sub.add_parser("migrate", help="apply pending migrations")

    seed = sub.add_parser("seed", help="fill the database with demo data")
    seed.add_argument("--demo", choices=["small", "large"], required=True)
    seed.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    seed.add_argument("--fresh", action="store_true", help="delete an existing SQLite database file first")

    create = sub.add_parser("create-operator", help="create a staff account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, action="append", choices=[r.value for r in Role],
                        help="may be given more than once")
    create.add_argument("--display-name")
    create.add_argument("--email")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--totp", action="store_true", help="enable TOTP and print the secret once")

    station = sub.add_parser("add-station", help="register a charging station for the OCPP endpoint; prints its "
                             "device id")  # fmt: skip
    station.add_argument("--identity", required=True, help="OCPP identity: 1 to 48 of A-Z a-z 0-9 * - _ = : + | @ .")
    station.add_argument("--customer", required=True, help="the owner's customer number (or id)")
    station.add_argument("--password-stdin", action="store_true",
                         help="read the station password (16 to 40 printable ASCII characters) from standard input")
    station.add_argument("--vendor", default="Unknown", help="default Unknown")
    station.add_argument("--model", default="Unknown", help="default Unknown")
    station.add_argument("--serial", help="serial number; default the identity")
    station.add_argument("--firmware")
    station.add_argument("--kind", choices=["charging_station", "wallbox"], default="charging_station")
    station.add_argument("--site", help="id of one of the customer's sites (gives the device its region)")
    station.add_argument("--connectors", type=int, default=1, help="number of connectors (default 1)")
    station.add_argument("--connector-standard", choices=["Type2", "CCS2", "CHAdeMO"], default="Type2")
    station.add_argument("--max-power-kw", type=float, default=22.0, help="per connector (default 22)")
    station.add_argument("--ocpp-version", choices=["1.6", "2.0.1"],
                         help="when known; the endpoint records what the station negotiates anyway")

    audit = sub.add_parser("audit", help="audit trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the hash chain; exits 1 and names the first bad record")

    erasure = sub.add_parser("erasure", help="executed erasures (GDPR Art. 17)")
    erasure_sub = erasure.add_subparsers(dest="erasure_command", required=True)
    replay = erasure_sub.add_parser("replay", help="after a database restore, apply every erasure in the ledger "
                                    "again; refuses a tampered ledger (exit 1)")  # fmt: skip
    replay.add_argument("--ledger", help="the ledger file (default $EMA_ERASURE_LEDGER or erasure-ledger.jsonl in "
                        "the data directory)")  # fmt: skip
    replay.add_argument("--dry-run", action="store_true", help="say what would be erased again; change nothing")
    replay.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    retention = sub.add_parser("retention", help="retention of personal data (policy section 18)")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    retention_run = retention_sub.add_parser("run", help="delete or anonymise what outlived its retention period "
                                             "(skipping legal holds) and print the summary per category")  # fmt: skip
    retention_run.add_argument("--dry-run", action="store_true", help="count what would expire; change nothing")
    retention_run.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    for p in (serve, seed, create, station, audit):
        p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    audit_sub.choices["verify"].add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub.choices["migrate"].add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic announces every plugin it loads; only the migrations it runs are worth a line.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    url = resolve_db_url(args.db)
    try:
        if args.command == "serve":
            return _serve(url, args.host, args.port, _ocpp_settings(args))
        if args.command == "migrate":
            return asyncio.run(_migrate(url))
        if args.command == "seed":
            return asyncio.run(_seed(url, args.demo, args.seed, args.fresh))
        if args.command == "create-operator":
            return _create_operator(url, args)
        if args.command == "add-station":
            return _add_station(url, args)
        if args.command == "audit":
            return asyncio.run(_audit_verify(url))
        if args.command == "erasure":
            return asyncio.run(_erasure_replay(url, args.ledger, args.dry_run))
        if args.command == "retention":
            return asyncio.run(_retention_run(url, args.dry_run))
    except KeyboardInterrupt:
        return 130
    return 2


async def _migrate(url: str) -> int:
    from ema_server.db.migrate import upgrade

    db = Database(url)
    try:
        await upgrade(db.engine)
    finally:
        await db.dispose()
    print("database is at the newest schema")
    return 0


async def _seed(url: str, size: str, seed: int, fresh: bool) -> int:
    from ema_server.db.migrate import upgrade
    from ema_server.seed.demo import seed_demo

    if fresh:
        _delete_sqlite_file(url)
    db = Database(url)
    try:
        await upgrade(db.engine)
        try:
            summary = await seed_demo(db, size, seed)
        except ValueError as exc:  # demo data already there, an unknown size, a refused demo password
            print(str(exc), file=sys.stderr)
            return 1
    finally:
        await db.dispose()
    print("seeded: " + ", ".join(f"{count} {name}" for name, count in summary.items()))
    return 0


def _delete_sqlite_file(url: str) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise SystemExit("--fresh only works with an SQLite database file")
    for suffix in ("", "-wal", "-shm"):
        Path(parsed.database + suffix).unlink(missing_ok=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SystemExit("no terminal to ask for the password: use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def _create_operator(url: str, args: argparse.Namespace) -> int:
    from ema_server.operators import OperatorExists, create_operator
    from ema_server.security import password_problem

    password = _read_password(args.password_stdin)
    if problem := password_problem(password):
        print(f"password {problem}", file=sys.stderr)
        return 2

    async def _run() -> int:
        db = Database(url)
        try:
            from ema_server.db.migrate import upgrade

            await upgrade(db.engine)
            async with db.sessions() as session:
                try:
                    operator, totp_secret = await create_operator(
                        session, username=args.username, roles=args.role, password=password,
                        display_name=args.display_name, email=args.email, with_totp=args.totp,
                    )
                except OperatorExists:
                    print(f"operator {args.username!r} already exists", file=sys.stderr)
                    return 1
                except ValueError as exc:
                    print(str(exc), file=sys.stderr)
                    return 2
                await session.commit()
        finally:
            await db.dispose()
        print(f"created operator {operator.username} ({', '.join(operator.role_names)})")
        if totp_secret:
            print(f"TOTP secret (enter it in the authenticator app now, it is not shown again): {totp_secret}")
        return 0

    return asyncio.run(_run())


# Fields of a registration error as the options that set them.
_STATION_OPTIONS = {
    "ocpp_identity": "--identity", "customer": "--customer", "password": "password", "vendor": "--vendor",
    "model": "--model", "serial": "--serial", "firmware": "--firmware", "kind": "--kind", "site_id": "--site",
    "connectors": "--connectors", "ocpp_version": "--ocpp-version",
}  # fmt: skip


def _add_station(url: str, args: argparse.Namespace) -> int:
    from ema_server.db.audit import append_audit
    from ema_server.station_registration import (
        ConnectorSpec,
        NewStation,
        StationRegistrationError,
        register_station,
    )

    connectors = [ConnectorSpec(n, args.connector_standard, args.max_power_kw) for n in range(1, args.connectors + 1)]
    station = NewStation(
        customer=args.customer, ocpp_identity=args.identity, password=_read_password(args.password_stdin),
        vendor=args.vendor, model=args.model, serial=args.serial or args.identity, kind=args.kind,
        site_id=args.site, firmware=args.firmware, ocpp_version=args.ocpp_version, connectors=connectors,
    )  # fmt: skip

    async def _run() -> int:
        db = Database(url)
        try:
            from ema_server.db.migrate import upgrade

            await upgrade(db.engine)
            async with db.sessions() as session:
                try:
                    device = await register_station(session, station)
                except StationRegistrationError as exc:
                    option = _STATION_OPTIONS.get(exc.field, exc.field)
                    print(f"{option}: {exc.message} ({exc.code})", file=sys.stderr)
                    return 1
                await append_audit(session, action="device.register", operator_username="cli", entity="device",
                                   entity_id=device.id, detail={"customer_id": device.customer_id,
                                                                "site_id": device.site_id, "via": "cli",
                                                                "connectors": len(connectors)})  # fmt: skip
                await session.commit()
        finally:
            await db.dispose()
        print(device.id)
        return 0

    return asyncio.run(_run())


async def _erasure_replay(url: str, ledger_file: str | None, dry_run: bool) -> int:
    from pathlib import Path

    from ema_server.privacy.erasure import replay_ledger
    from ema_server.privacy.erasure_ledger import ErasureLedger, LedgerTampered

    ledger = ErasureLedger(Path(ledger_file) if ledger_file else None)
    db = Database(url)
    try:
        summary = await replay_ledger(db, ledger, dry_run=dry_run)
    except LedgerTampered as exc:
        print(f"erasure ledger {ledger.path} TAMPERED at {exc}; nothing was replayed", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    verb = "would erase again" if dry_run else "erased again"
    print(f"erasure ledger {ledger.path}: {summary.verified} entries verified, {summary.entries} erasures to apply; "
          f"{summary.reapplied_entries} had records back, {verb}:")
    for key, count in sorted(summary.counts.items()) or [("nothing", 0)]:
        print(f"  {key}: {count}" if count else "  nothing: every erasure is still in effect")
    return 0


async def _audit_verify(url: str) -> int:
    from ema_server.db.audit import verify_chain

    db = Database(url)
    try:
        async with db.sessions() as session:
            result = await verify_chain(session)
    finally:
        await db.dispose()
    if result.ok:
        print(f"audit trail intact: {result.checked} records verified")
        return 0
    where = f"record {result.first_bad_seq}" if result.first_bad_seq else "audit trail"
    print(f"audit trail TAMPERED: {where}: {result.problem} ({result.checked} records before it are intact)")
    return 1


async def _retention_run(url: str, dry_run: bool) -> int:
    from ema_server.db.migrate import upgrade
    from ema_server.privacy.retention import RetentionRunning, run_retention, summary_lines

    db = Database(url)
    try:
        await upgrade(db.engine)
        run = await run_retention(db, dry_run=dry_run, trigger="cli")
    except RetentionRunning as exc:
        print(f"{exc}: try again when it has finished", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(f"retention run {run.id}{' (dry run: nothing changed)' if dry_run else ''}")
    summary: dict[str, Any] = dict(run.summary)
    for line in summary_lines(summary) or ["nothing has expired"]:
        print(f"  {line}")
    details: dict[str, Any] = summary.get("details", {})
    if not dry_run:
        print(f"  kept records erased: {details.get('kept_records')}; access packages expired: "
              f"{details.get('packages_expired')}")
    print(f"  skipped under legal hold: {summary.get('skipped_legal_hold', 0)}")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _ocpp_settings(args: argparse.Namespace) -> OcppSettings:
    return OcppSettings(
        heartbeat_interval=args.heartbeat_interval, command_timeout=float(args.command_timeout),
        frame_retention=timedelta(days=args.frame_retention_days),
        offline_ticket_after=timedelta(minutes=args.offline_ticket_minutes), unknown_stations=args.unknown_stations,
    )


def _serve(url: str, host: str, port: int, ocpp: OcppSettings) -> int:
    import uvicorn
    from fastapi import FastAPI

    from ema_server.api.events import close_event_streams
    from ema_server.app import create_app
    from ema_server.db.migrate import upgrade

    class _StoppableServer(uvicorn.Server):
        """Shuts down gracefully on SIGINT/SIGTERM and then exits 0 instead of re-raising the
        signal: a supervisor asked it to stop, and stopping worked."""

        def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
            super().__init__(config)
            self.ema_app = app

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            self.should_exit = True

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # uvicorn waits for open connections before the lifespan ends; event streams and
            # station connections never end by themselves, so end them first.
            close_event_streams(self.ema_app)
            await self.ema_app.state.ocpp.close_connections()
            await super().shutdown(sockets)

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        print(f"cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    sock.listen(2048)  # a fleet reconnecting after a restart arrives all at once
    sock.set_inheritable(True)

    async def _run() -> None:
        db = Database(url)
        try:
            await upgrade(db.engine)
            app = create_app(db, ocpp=ocpp)
            config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                    timeout_graceful_shutdown=15, ws_max_size=ocpp.max_frame_bytes)
            server = _StoppableServer(config, app)
            bound_host, bound_port = sock.getsockname()[:2]
            shown = f"[{bound_host}]" if family == socket.AF_INET6 else bound_host
            print(f"EMA server listening on http://{shown}:{bound_port}", flush=True)
            await server.serve(sockets=[sock])
        finally:
            await db.dispose()

    asyncio.run(_run())
    print("EMA server stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
