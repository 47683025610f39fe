"""Killing the real console process at random moments, over and over, and checking what it left.

The console (`python -m ema_desktop --server URL`) runs as a child process with its own home,
XDG folders, temporary folder and a file keyring (tests/desktop/file_keyring.py) the test reads
too; it signs in silently with a refresh token the harness puts there. Between the console and
the server sits a TCP relay that notes every HTTP request line the console sends, so a kill can
be aimed at "the 5th page of the change feed" or "the 3rd outbox write" whatever the machine's
speed, plus a random delay of about one such step (seeded random, every round logged).

After every kill the store is checked as the console will find it: the store files are copied
aside (so the console's next start recovers the real ones itself) and the copy is opened with
`LocalStore`: integrity and quick checks, the cursor, every record against the server's change
feed, and every operator write in the outbox against what the server holds.

Used by tests/desktop/test_crash_recovery.py (CI) and bench/crash.py (`make bench`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import struct
import sys
import time
import unicodedata
import uuid
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import sqlcipher3  # type: ignore[import-untyped]
from sqlalchemy import Connection

from ema_desktop.backend.vault import SERVICE
from ema_desktop.cache import hygiene, outbox
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.keys import KEY_SERVICE, store_file
from tests.desktop.file_keyring import FILE_ENV, read_secrets, write_secrets

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]
USERNAME = "demo.admin"
KEYRING_BACKEND = "tests.desktop.file_keyring.FileKeyring"
# platformdirs on Linux: user_data_dir and user_log_dir of ("ema-desktop", "SECTRON").
APP_DIR = "ema-desktop"
# How long anything the console should do on its own may take on a loaded machine.
STEP_TIMEOUT = 120.0
_REQUEST_LINE = re.compile(rb"(GET|POST|PATCH|PUT|DELETE) (/api/\S*) HTTP/1\.1\r\n")
_WRITE_PATH = re.compile(r"^/api/v1/(tickets|customers|privacy-requests)/")
# Ticket and privacy-request states in which the writes below are accepted.
_OPEN_TICKET_STATES = ("new", "open", "in_progress", "waiting_customer")
_OPEN_PRIVACY_STATES = ("received", "identity_verification", "in_progress", "extended")


class CrashCheckFailed(AssertionError):
    """What the console left behind is wrong; the message ends with the round log and output tails."""


@dataclass(frozen=True)
class SeenRequest:
    at: float
    """Loop time."""
    method: str
    path: str

    @property
    def is_changes(self) -> bool:
        return self.method == "GET" and self.path.startswith("/api/v1/changes")

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PATCH") and _WRITE_PATH.match(self.path) is not None


# ---------------------------------------------------------------------------------------- server
class ServerProcess:
    """`ema-server serve` on a free loopback port over an SQLite file, as a child process."""

    def __init__(self, db_path: Path, log: Path) -> None:
        self.db_path = db_path
        self.log = log
        self.url = ""
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> str:
        env = {**os.environ, "EMA_DB_URL": f"sqlite+aiosqlite:///{self.db_path}"}
        with self.log.open("ab") as errors:
            # An hour between heartbeats: the watchdog leaves the data set's stations alone.
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "ema_server", "serve", "--port", "0", "--heartbeat-interval", "3600",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=errors, env=env,
            )  # fmt: skip
        assert self._process.stdout is not None
        async with asyncio.timeout(STEP_TIMEOUT):
            line = (await self._process.stdout.readline()).decode(errors="replace").strip()
        if "listening on" not in line:
            await self.stop()
            raise RuntimeError(f"ema-server did not start ({line!r}):\n{tail(self.log)}")
        self.url = line.rsplit(" ", 1)[1]
        return self.url

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            if process is not None:
                await process.wait()
            return
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(30):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


class ServerData:
    """Read-only questions to the server's SQLite file (it is in WAL mode: readers never block it)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        try:
            return list(connection.execute(sql, params).fetchall())
        finally:
            connection.close()

    async def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return await asyncio.to_thread(self._query, sql, params)

    async def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = await self.query(sql, params)
        return rows[0][0] if rows else None

    async def latest(self) -> int:
        return int(await self.scalar("SELECT coalesce(max(seq), 0) FROM change_log"))

    async def records_at(self, cursor: int | None) -> dict[tuple[str, str], tuple[int | None, str]]:
        """The records the change feed holds up to `cursor` (None: now) for the harness's operator
        (an administrator: every scope but "withheld", the tombstones only roles without the privacy
        permission read), each as its latest change made it: (entity, id) -> (version, data as JSON text)."""
        limit = cursor if cursor is not None else 2**62
        rows = await self.query(
            "SELECT entity, entity_id, version, data FROM (SELECT entity, entity_id, version, data, op, row_number() "
            "OVER (PARTITION BY entity, entity_id ORDER BY seq DESC) AS n FROM change_log "
            "WHERE seq <= ? AND scope != 'withheld') WHERE n = 1 AND op = 'upsert'", (limit,),
        )
        return {(str(e), str(i)): (None if v is None else int(v), str(d)) for e, i, v, d in rows}

    async def refresh_token_usable(self, token: str) -> tuple[bool, bool]:
        """(usable, used): a refresh token the server would take, and whether it was used already."""
        rows = await self.query(
            "SELECT t.used_at, s.revoked_at FROM auth_tokens t JOIN auth_sessions s ON s.id = t.session_id "
            "WHERE t.token_hash = ? AND t.kind = 'refresh'", (hashlib.sha256(token.encode()).hexdigest(),),
        )
        if not rows:
            return False, False
        used_at, revoked_at = rows[0]
        return used_at is None and revoked_at is None, used_at is not None


# ---------------------------------------------------------------------------------------- relay
class SniffingRelay:
    """A TCP relay from a loopback port to the server that notes the request lines going through."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.requests: list[SeenRequest] = []
        self.url = ""
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()
        self._new_request = asyncio.Event()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in list(self._pumps):
            task.cancel()
        if self._pumps:
            await asyncio.gather(*self._pumps, return_exceptions=True)

    def _note(self, method: str, path: str) -> None:
        self.requests.append(SeenRequest(asyncio.get_running_loop().time(), method, path))
        self._new_request.set()
        self._new_request = asyncio.Event()

    async def wait(self, matches: Callable[[SeenRequest], bool], nth: int, since: int) -> SeenRequest:
        """The `nth` request from index `since` on that `matches`, once it is sent."""
        while True:
            found = [r for r in self.requests[since:] if matches(r)]
            if len(found) >= nth:
                return found[nth - 1]
            await self._new_request.wait()

    def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(self._relay(reader, writer))
        self._pumps.add(task)
        task.add_done_callback(self._pumps.discard)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        try:
            await asyncio.gather(self._pump(reader, up_writer, sniff=True), self._pump(up_reader, writer, sniff=False))
        finally:
            for w in (writer, up_writer):
                w.close()
                with contextlib.suppress(Exception):
                    await w.wait_closed()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, sniff: bool) -> None:
        pending = b""
        try:
            while data := await reader.read(65536):
                if sniff:
                    # A request line may arrive split over two reads: keep an unmatched tail.
                    pending += data
                    end = 0
                    for match in _REQUEST_LINE.finditer(pending):
                        self._note(match.group(1).decode(), match.group(2).decode(errors="replace"))
                        end = match.end()
                    pending = pending[end:][-4096:]
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            # The other direction ends too: a killed console's connections are gone.
            with contextlib.suppress(Exception):
                writer.close()


# ---------------------------------------------------------------------------------------- the console
class ConsoleRun:
    """One console process."""

    def __init__(self, number: int, process: asyncio.subprocess.Process, started: float, output: Path,
                 first_request: int, explain: Callable[[str], str] = str) -> None:
        self.number = number
        self._explain = explain
        self.process = process
        self.started = started
        self.output = output
        self.first_request = first_request
        """Index of the first relay request that can be this run's."""
        self._exit: asyncio.Task[int] = asyncio.ensure_future(process.wait())

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the process has used so far; 0 once it is gone."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self._exit

    async def terminate(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(60):
                return await asyncio.shield(self._exit)
        except TimeoutError:
            await self.kill()
            raise CrashCheckFailed(self._explain(f"console run {self.number} did not stop within 60 s of SIGTERM")) \
                from None

    async def unless_exited(self, awaitable: Awaitable[T], what: str, timeout: float = STEP_TIMEOUT) -> T:
        """Await `awaitable`, failing if the console ends by itself first or it takes too long."""
        task = asyncio.ensure_future(awaitable)
        try:
            done, _ = await asyncio.wait({task, self._exit}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                return task.result()
            if self._exit in done:
                raise CrashCheckFailed(self._explain(f"console run {self.number} exited by itself (status "
                                                     f"{self._exit.result()}) while waiting for {what}"))
            raise CrashCheckFailed(self._explain(f"console run {self.number}: waited {timeout:.0f} s for {what} "
                                                 "in vain"))
        finally:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


# ---------------------------------------------------------------------------------------- rounds
@dataclass
class RoundResult:
    number: int
    phase: str
    """"sync" or "replay"."""
    trigger: str
    killed_after: float
    """Seconds from the launch to the kill."""
    during: str
    """Where the kill landed: "startup", "sync", "replay" or "after"."""
    cursor: int | None = None
    records: int = 0
    outbox_left: int = 0
    in_flight: int = 0
    """Writes the console had sent whose answer it had not recorded (left "sending")."""
    applied_unrecorded: int = 0
    """Of those, the ones the server had applied: the resend must not apply them again."""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time the console used in this round."""
    first_sync_done: bool = False


@dataclass
class PlannedWrite:
    """An operator write put into the outbox, and how to count it on the server."""

    seq: int
    kind: str
    label: str
    sql: str
    params: tuple[Any, ...]
    new_value: Any = None


@dataclass
class StoreView:
    """What a store copy held after a round."""

    integrity: str
    quick: str
    state: dict[str, str]
    counts: dict[str, int]
    duplicates: int
    outbox: dict[int, tuple[str, str | None]]
    """seq -> (state, last_error)."""
    search_rows: int
    search_dirty: int
    sample: list[tuple[str, str, int | None, Any]]
    keys: set[tuple[str, str]]

    @property
    def cursor(self) -> int | None:
        raw = self.state.get("cursor")
        return int(raw) if raw is not None and raw.isdigit() else None

    @property
    def first_sync_done(self) -> bool:
        return self.state.get("first_sync_done") == "1"


@dataclass
class CrashStats:
    rounds: list[RoundResult] = field(default_factory=list)
    sign_ins_lost: int = 0
    """Launches whose refresh token was already used: a kill between the server rotating it and
    the keyring keeping the new one."""
    writes: int = 0
    delivered_once: int = 0

    def count(self, phase: str, during: str) -> int:
        return sum(1 for r in self.rounds if r.phase == phase and r.during == during)


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return f"    ({path.name}: nothing)"
    return "\n".join("    " + line for line in text) or f"    ({path.name}: empty)"


def small_png(marker: bytes) -> bytes:
    """A valid 2x2 PNG whose bytes are unique to `marker` (in a text chunk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xcc\x22\x22" * 2 + b"\x00" + b"\x22\x22\xcc" * 2)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Comment\x00" + marker)
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def ascii_folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class CrashHarness:
    """The console, its folders and keyring, the relay in front of the server, and the rounds."""

    def __init__(self, workdir: Path, server_url: str, server_db: Path, *, password: str, seed: int,
                 log: Callable[[str], None] | None = None) -> None:
        self.workdir = workdir
        self.server_url = server_url.rstrip("/")
        self.server = ServerData(server_db)
        self.password = password
        self.rng = random.Random(seed)
        self.seed = seed
        self._print = log or (lambda line: None)
        self.root = workdir / "console"
        self.runs_dir = workdir / "runs"
        self.scratch = workdir / "scratch"
        self.round_log = workdir / "rounds.log"
        self.relay: SniffingRelay | None = None
        self.url = ""
        self.stats = CrashStats()
        self.writes: list[PlannedWrite] = []
        self.run: ConsoleRun | None = None
        self._runs = 0
        self._startup: list[float] = []
        self._page_gaps: list[float] = []
        self._sync_tails: list[float] = []
        self._synced_at: str | None = None
        """When the store last caught up, as the last check found it."""
        """From the last page of a first sync to its end (search text rebuilt, caught up)."""
        self._write_gaps: list[float] = []
        self._used_targets: set[str] = set()
        self._pending: set[int] = set()
        """Outbox seqs of planned writes not known to be delivered."""
        self._write_number = 0
        self._baseline_entry_rowid = 0
        self._baseline_change_seq = 0

    # ------------------------------------------------------------------ setting up
    async def start(self) -> None:
        for folder in (self.root, self.runs_dir, self.scratch):
            folder.mkdir(parents=True, exist_ok=True)
        for name in self._env_dirs():
            (self.root / name).mkdir(exist_ok=True)
        host, port = httpx.URL(self.server_url).host, httpx.URL(self.server_url).port
        assert port is not None
        self.relay = SniffingRelay(host, port)
        self.url = await self.relay.start()
        # The console's QSettings (organisation SECTRON, application ema-desktop: see ema_desktop/app.py):
        # the last operator, so it signs in silently with the keyring's refresh token.
        settings = self.root / "xdg_config_home" / "SECTRON" / "ema-desktop.conf"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(f"[sign_in]\nserver={self.url}\nusername={USERNAME}\n", encoding="utf-8")
        self.log(f"crash harness: seed {self.seed}, server {self.server_url} behind relay {self.url}")

    async def stop(self) -> None:
        if self.run is not None:
            await self.run.kill()
            self.run = None
        if self.relay is not None:
            await self.relay.stop()
            self.relay = None

    @staticmethod
    def _env_dirs() -> tuple[str, ...]:
        return ("home", "xdg_data_home", "xdg_config_home", "xdg_cache_home", "xdg_state_home", "tmp")

    @property
    def keyring_file(self) -> Path:
        return self.workdir / "keyring.json"

    @property
    def account(self) -> str:
        return f"{USERNAME}@{self.url}"

    @property
    def store_path(self) -> Path:
        return store_file(self.root / "xdg_data_home" / APP_DIR, self.url, USERNAME)

    @property
    def log_dir(self) -> Path:
        return self.root / "xdg_state_home" / APP_DIR / "log"

    @property
    def console_log(self) -> Path:
        return self.log_dir / "ema-desktop.log"

    def child_dirs(self) -> list[Path]:
        """Every folder the console may write to: its home, XDG folders and temporary folder."""
        return [self.root / name for name in self._env_dirs()]

    def log(self, line: str) -> None:
        with self.round_log.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        self._print(line)

    def explain(self, message: str) -> str:
        """`message` with what a reader needs to see why: the last rounds and the console's output."""
        parts = [message, f"rounds (seed {self.seed}):", tail(self.round_log, 12)]
        if self.run is not None:
            parts += [f"console run {self.run.number} output:", tail(self.run.output)]
        parts += ["console log:", tail(self.console_log)]
        return "\n".join(parts)

    def fail(self, message: str) -> CrashCheckFailed:
        return CrashCheckFailed(self.explain(message))

    # ------------------------------------------------------------------ keyring and launching
    def _secrets(self) -> dict[tuple[str, str], str]:
        return read_secrets(self.keyring_file)

    def store_key(self) -> str | None:
        return self._secrets().get((KEY_SERVICE, self.account))

    async def _ensure_sign_in(self) -> None:
        """A refresh token the server takes, in the keyring: the one the console left if it still works."""
        token = self._secrets().get((SERVICE, self.account))
        if token is not None:
            usable, used = await self.server.refresh_token_usable(token)
            if usable:
                return
            if used:
                self.stats.sign_ins_lost += 1
                self.log("  the refresh token in the keyring was already used: the kill fell between the server "
                         "rotating it and the keyring keeping the new one; signing in again")
        await self.sign_in()

    async def sign_in(self) -> str:
        """Sign in as the operator and keep the refresh token in the console's keyring; returns it."""
        async with httpx.AsyncClient(base_url=self.server_url, timeout=30) as http:
            response = await http.post("/api/v1/auth/login", json={"username": USERNAME, "password": self.password})
            response.raise_for_status()
        token = str(response.json()["refresh_token"])
        secrets = self._secrets()
        secrets[(SERVICE, self.account)] = token
        write_secrets(self.keyring_file, secrets)
        return token

    async def launch(self, *, sign_in: bool = True) -> ConsoleRun:
        """Start the console; `sign_in`: first make sure the keyring holds a refresh token the server takes."""
        assert self.relay is not None and self.run is None
        if sign_in:
            await self._ensure_sign_in()
        self._runs += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EMA_", "XDG_", "PYTEST_"))}
        env.update({
            "HOME": str(self.root / "home"), "TMPDIR": str(self.root / "tmp"),
            "XDG_DATA_HOME": str(self.root / "xdg_data_home"), "XDG_CONFIG_HOME": str(self.root / "xdg_config_home"),
            "XDG_CACHE_HOME": str(self.root / "xdg_cache_home"), "XDG_STATE_HOME": str(self.root / "xdg_state_home"),
            "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": KEYRING_BACKEND,
            FILE_ENV: str(self.keyring_file),
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        })  # fmt: skip
        output = self.runs_dir / f"run-{self._runs:04d}.out"
        first_request = len(self.relay.requests)
        with output.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "ema_desktop", "--server", self.url, stdin=asyncio.subprocess.DEVNULL,
                stdout=out, stderr=asyncio.subprocess.STDOUT, env=env, cwd=str(REPO_ROOT),
            )  # fmt: skip
        self.run = ConsoleRun(self._runs, process, asyncio.get_running_loop().time(), output, first_request,
                              self.explain)
        return self.run

    def relay_requests(self, run: ConsoleRun) -> list[SeenRequest]:
        """The HTTP requests a run has sent so far."""
        assert self.relay is not None
        return self.relay.requests[run.first_request:]

    def _requests(self, run: ConsoleRun, kind: Callable[[SeenRequest], bool]) -> list[SeenRequest]:
        assert self.relay is not None
        return [r for r in self.relay.requests[run.first_request:] if kind(r)]

    async def peek_state(self) -> dict[str, str]:
        """The store's sync state, read while the console runs: a read-only reader of a WAL database
        never blocks its writer. Empty when there is no store (or it cannot be read yet)."""
        key, path = self.store_key(), self.store_path
        if key is None or not path.exists():
            return {}
        try:
            return await asyncio.to_thread(_peek_state, path, key)
        except sqlcipher3.Error:
            return {}

    async def caught_up(self, run: ConsoleRun) -> None:
        """Wait until `run` has completed its first sync (or, on a synced store, a pull)."""
        async def done() -> None:
            while True:
                state = await self.peek_state()
                if state.get("first_sync_done") == "1" and state.get("synced_at") != self._synced_at:
                    return
                await asyncio.sleep(0.05)

        await run.unless_exited(done(), "the end of the sync", timeout=STEP_TIMEOUT * 2)
        pages = self._requests(run, lambda r: r.is_changes)
        if pages:
            self._sync_tails.append(asyncio.get_running_loop().time() - pages[-1].at)

    def _learn(self, run: ConsoleRun) -> None:
        """Timing of this machine: launch to the first page, between pages, between writes."""
        pages = self._requests(run, lambda r: r.is_changes)
        if pages:
            self._startup.append(pages[0].at - run.started)
        self._page_gaps += [b.at - a.at for a, b in itertools.pairwise(pages)][:20]
        writes = self._requests(run, lambda r: r.is_write)
        self._write_gaps += [b.at - a.at for a, b in itertools.pairwise(writes)][:20]

    @staticmethod
    def _typical(values: list[float], default: float) -> float:
        recent = sorted(values[-30:])
        return recent[len(recent) // 2] if recent else default

    async def kill(self) -> None:
        """SIGKILL the running console, if one runs."""
        if self.run is not None:
            await self._kill(self.run)

    async def _kill(self, run: ConsoleRun) -> tuple[float, float]:
        """SIGKILL: (seconds since the launch, CPU seconds the console used)."""
        cpu = run.cpu_seconds()
        await run.kill()
        killed_after = asyncio.get_running_loop().time() - run.started
        self._learn(run)
        self.run = None
        return killed_after, cpu

    # ------------------------------------------------------------------ the store as the console left it
    @contextlib.asynccontextmanager
    async def opened_store(self, *, copy: bool) -> AsyncIterator[LocalStore | None]:
        """The store opened with its key from the keyring; `copy`: a copy of its files, so the real
        ones stay exactly as the killed console left them. None when there is no store yet."""
        path = self.store_path
        if not path.exists():
            yield None
            return
        key = self.store_key()
        if key is None:
            raise self.fail("the store file exists but its key is not in the keyring")
        if copy:
            target = self.scratch / path.name
            for suffix in ("", "-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            for suffix in ("", "-wal"):
                source = path.with_name(path.name + suffix)
                if source.exists():
                    await asyncio.to_thread(shutil.copyfile, source, target.with_name(target.name + suffix))
            path = target
        store = LocalStore(path, key)
        try:
            try:
                await store.open()
            except Exception as exc:
                raise self.fail(f"the store does not open: {exc!r}") from exc
            yield store
        finally:
            await store.close()
            if copy:
                for suffix in ("", "-wal", "-shm"):
                    path.with_name(path.name + suffix).unlink(missing_ok=True)

    async def inspect_store(self) -> StoreView | None:
        async with self.opened_store(copy=True) as store:
            if store is None:
                return None
            view: StoreView = await store.call(_inspect, random.Random(self.rng.random()))
        self._synced_at = view.state.get("synced_at")
        if view.integrity != "ok" or view.quick != "ok":
            raise self.fail(f"store damaged: integrity_check {view.integrity!r}, quick_check {view.quick!r}")
        if view.duplicates:
            raise self.fail(f"{view.duplicates} records stored twice")
        if "cursor" in view.state and view.cursor is None:
            raise self.fail(f"the stored cursor is not a number: {view.state.get('cursor')!r}")
        return view

    async def _check_against_server(self, view: StoreView, *, exact: bool) -> None:
        """The store holds the change feed up to its cursor: every record, as the feed has it, but
        what store hygiene purges (old closed history). `exact`: nothing else (no outbox answers
        stored ahead of the cursor) and the sampled records equal the feed's."""
        cursor = view.cursor or 0
        feed = await self.server.records_at(cursor)
        stored = view.keys
        extra = stored - feed.keys()
        if extra:
            later = await self.server.records_at(None) if not exact else {}
            unknown = sorted(k for k in extra if k not in later)
            if unknown:
                raise self.fail(f"{len(unknown)} stored records the feed never had up to cursor {cursor}"
                                f"{'' if exact else ' or since'}, e.g. {unknown[:3]}")
        missing = feed.keys() - stored
        not_purged = sorted(k for k in missing if not _purgeable(k, feed, stored))
        if not_purged:
            raise self.fail(f"{len(not_purged)} records of the feed up to cursor {cursor} are missing from the store "
                            f"(hygiene purges none of them), e.g. {not_purged[:3]}; "
                            f"missing per entity {dict(Counter(e for e, _ in not_purged))}")
        for entity, record_id, version, data in view.sample:
            published = feed.get((entity, record_id))
            if exact and (published is None or (version, data) != (published[0], json.loads(published[1]))):
                raise self.fail(f"{entity} {record_id} differs from the feed up to cursor {cursor}:\n"
                                f"  store {version} {data}\n  feed  {published}")
            if not exact and published is not None and (version or 0) < (published[0] or 0):
                raise self.fail(f"{entity} {record_id} is stored at version {version}, older than the feed's "
                                f"{published[0]} up to cursor {cursor}")
        customers = sum(1 for e, _ in stored if e == "customer")
        # (An outbox answer marks its customer's search text dirty until the next pull rebuilds it.)
        if exact and view.first_sync_done and (view.search_dirty or view.search_rows != customers):
            raise self.fail(f"first sync done but customer search has {view.search_rows} rows for {customers} "
                            f"customers ({view.search_dirty} dirty)")

    # ------------------------------------------------------------------ sync rounds
    async def forget_store(self) -> None:
        """Start a series afresh: no store file and no key, as on a new computer."""
        assert self.run is None
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.store_path.with_name(self.store_path.name + suffix).unlink(missing_ok=True)
        secrets = self._secrets()
        secrets.pop((KEY_SERVICE, self.account), None)
        write_secrets(self.keyring_file, secrets)
        self._synced_at = None

    async def sync_round(self, cursor: int) -> RoundResult:
        """Launch, SIGKILL at a random moment of the first sync, check the store; `cursor` is the
        stored one before (0 for none)."""
        latest = await self.server.latest()
        pages_left = max(1, math.ceil((latest - cursor) / 1000))
        roll = self.rng.random()
        started = time.perf_counter()
        run = await self.launch()
        if roll < 0.05:
            trigger = await self._kill_at_sign_in(run)
        elif roll < 0.15 and self._startup:
            delay = self.rng.uniform(0.1, 1.0) * self._typical(self._startup, 3.0)
            trigger = f"{delay:.2f} s after launch"
            await run.unless_exited(asyncio.sleep(delay), "the kill time")
        elif roll < 0.92:
            page = self.rng.randint(1, pages_left)
            delay = self.rng.uniform(0, 1.2) * self._typical(self._page_gaps, 0.3)
            if page == pages_left:
                # The last page is followed by the search text of every customer and the "caught up" mark.
                delay = self.rng.uniform(0, 1.2) * (self._typical(self._page_gaps, 0.3)
                                                    + self._typical(self._sync_tails, 1.0))
            trigger = f"page {page}/{pages_left} + {delay:.2f} s"
            assert self.relay is not None
            await run.unless_exited(self.relay.wait(lambda r: r.is_changes, page, run.first_request),
                                    f"change-feed page {page}")
            await asyncio.sleep(delay)
        else:
            delay = self.rng.uniform(0, 0.5)
            trigger = f"sync finished + {delay:.2f} s"
            await self.caught_up(run)
            await asyncio.sleep(delay)
        pages_seen = len(self._requests(run, lambda r: r.is_changes))
        killed_after, cpu = await self._kill(run)
        view = await self.inspect_store()
        during = "after" if view is not None and view.first_sync_done else ("sync" if pages_seen else "startup")
        result = RoundResult(len(self.stats.rounds) + 1, "sync", trigger, killed_after, during, cpu_seconds=cpu)
        if view is not None:
            await self._check_against_server(view, exact=True)
            result.cursor, result.records = view.cursor, sum(view.counts.values())
            result.first_sync_done = view.first_sync_done
        result.seconds = time.perf_counter() - started
        self._record(result, f"cursor {result.cursor}/{latest}, {result.records} records"
                             + (", first sync done" if view is not None and view.first_sync_done else ""))
        return result

    async def sync_rounds(self, rounds: int) -> None:
        """`rounds` kills during first syncs, starting afresh whenever a first sync completed."""
        cursor = 0
        await self.forget_store()
        for _ in range(rounds):
            result = await self.sync_round(cursor)
            if result.first_sync_done:
                self.log("  first sync complete and equal to the feed: next series starts with no store")
                await self.forget_store()
                cursor = 0
            else:
                cursor = result.cursor or 0

    async def finish_sync(self) -> StoreView:
        """Let the console complete its sync, stop it with SIGTERM, and check the store equals the feed."""
        started = time.perf_counter()
        run = await self.launch()
        await self.caught_up(run)
        status = await run.terminate()
        self._learn(run)
        self.run = None
        view = await self.inspect_store()
        if view is None or not view.first_sync_done:
            raise self.fail("the console finished its sync but the store says it did not")
        await self._check_against_server(view, exact=True)
        self.log(f"finish sync: {sum(view.counts.values())} records at cursor {view.cursor} equal to the feed, "
                 f"console exit status {status} ({time.perf_counter() - started:.1f} s)")
        return view

    # ------------------------------------------------------------------ replay rounds
    async def begin_writes(self) -> None:
        """Remember where the server stands, to count each write's effect from here on."""
        self._baseline_entry_rowid = int(await self.server.scalar("SELECT coalesce(max(rowid), 0) FROM ticket_entries"))
        self._baseline_change_seq = await self.server.latest()

    async def add_writes(self, count: int, kinds: list[str] | None = None) -> list[PlannedWrite]:
        """Put `count` operator writes into the outbox (the console is not running): comments,
        and now and then a state change, a contact change, a privacy note or a photo."""
        assert self.run is None
        added: list[PlannedWrite] = []
        async with self.opened_store(copy=False) as store:
            if store is None:
                raise self.fail("no store to put writes into")
            for i in range(count):
                kind = kinds[i] if kinds and i < len(kinds) else self.rng.choices(
                    ["comment", "state", "contact", "note", "photo"], weights=[6, 1, 1, 1, 1])[0]
                planned = await self._plan(store, kind)
                if planned is not None:
                    added.append(planned)
        self.writes += added
        self._pending |= {w.seq for w in added}
        self.stats.writes = len(self.writes)
        self.log(f"  + {len(added)} writes in the outbox: {', '.join(w.label for w in added)}")
        return added

    async def _plan(self, store: LocalStore, kind: str) -> PlannedWrite | None:
        self._write_number += 1
        n = self._write_number
        marker = f"{uuid.uuid4().hex[:10]}"
        if kind in ("comment", "photo", "state"):
            states = ("open",) if kind == "state" else _OPEN_TICKET_STATES
            target = await store.call(_pick, "ticket", states, sorted(self._used_targets) if kind == "state" else [],
                                      self.rng.random())
            if target is None:
                return None
            ticket_id, version, _data = target
            if kind == "comment":
                body = f"Crash test {n}: technik ověřil konektor č. {n} [{marker}]"
                entry = await store.call(outbox.enqueue, outbox.ticket_comment(ticket_id, body, public=n % 3 == 0))
                return PlannedWrite(entry.seq, kind, f"comment {n}",
                                    "SELECT count(*) FROM ticket_entries WHERE ticket_id = ? AND body = ?",
                                    (ticket_id, body))
            if kind == "photo":
                name = f"crash-{n}-{marker}.png"
                entry = await store.call(outbox.enqueue,
                                         outbox.ticket_attachment(ticket_id, name, small_png(marker.encode())))
                return PlannedWrite(entry.seq, kind, f"photo {n}",
                                    "SELECT count(*) FROM attachments WHERE ticket_id = ? AND filename = ?",
                                    (ticket_id, name))
            self._used_targets.add(ticket_id)
            entry = await store.call(outbox.enqueue, outbox.ticket_update(ticket_id, version, {"state": "in_progress"}))
            return PlannedWrite(entry.seq, kind, f"state change {n}",
                                "SELECT count(*) FROM ticket_entries WHERE ticket_id = ? AND kind = 'change' "
                                "AND field = 'state' AND new_value = 'in_progress' AND rowid > ?",
                                (ticket_id, self._baseline_entry_rowid))
        if kind == "contact":
            target = await store.call(_pick, "contact", None, sorted(self._used_targets), self.rng.random())
            if target is None:
                return None
            contact_id, version, data = target
            self._used_targets.add(contact_id)
            phone = f"+420777{n % 1000:03d}{self.rng.randint(100, 999)}"
            entry = await store.call(outbox.enqueue, outbox.contact_update(str(data["customer_id"]), contact_id,
                                                                           version, {"phone": phone}))
            return PlannedWrite(entry.seq, kind, f"contact change {n}",
                                "SELECT count(*) FROM change_log WHERE entity = 'contact' AND entity_id = ? "
                                "AND op = 'upsert' AND seq > ?", (contact_id, self._baseline_change_seq), phone)
        target = await store.call(_pick, "privacy_request", _OPEN_PRIVACY_STATES, [], self.rng.random())
        if target is None:
            return None
        request_id = target[0]
        note = f"Crash test {n}: ověření totožnosti telefonicky [{marker}]"
        entry = await store.call(outbox.enqueue, outbox.privacy_request_note(request_id, note))
        return PlannedWrite(entry.seq, "note", f"privacy note {n}",
                            "SELECT count(*) FROM privacy_request_entries WHERE request_id = ? AND body = ?",
                            (request_id, note))

    async def delivered(self, write: PlannedWrite) -> int:
        return int(await self.server.scalar(write.sql, write.params))

    async def _check_writes(self, view: StoreView | None) -> tuple[int, int, int]:
        """Every write is on the server at most once, and exactly once when it has left the outbox.
        Returns (writes left in the outbox, left "sending", of those already applied on the server)."""
        left = in_flight = applied_unrecorded = 0
        outbox_now = view.outbox if view is not None else {}
        self._pending = {w.seq for w in self.writes if w.seq in outbox_now}
        for write in self.writes:
            count = await self.delivered(write)
            stored = outbox_now.get(write.seq)
            if count > 1:
                raise self.fail(f"{write.label} is on the server {count} times")
            if stored is None and count != 1:
                raise self.fail(f"{write.label} left the outbox but is not on the server: lost")
            if stored is not None:
                state, error = stored
                if state not in ("pending", "sending"):
                    raise self.fail(f"{write.label} is {state} in the outbox: {error}")
                left += 1
                if state == "sending":
                    in_flight += 1
                    applied_unrecorded += count
        return left, in_flight, applied_unrecorded

    async def replay_round(self) -> RoundResult:
        """Launch with writes in the outbox, SIGKILL while it sends them, check every write."""
        if not self._pending:
            await self.add_writes(self.rng.randint(2, 5))
        pending = len(self._pending)
        roll = self.rng.random()
        started = time.perf_counter()
        run = await self.launch()
        assert self.relay is not None
        if roll < 0.04:
            trigger = await self._kill_at_sign_in(run)
        elif roll < 0.1 and self._startup:
            delay = self.rng.uniform(0.1, 1.0) * self._typical(self._startup, 3.0)
            trigger = f"{delay:.2f} s after launch"
            await run.unless_exited(asyncio.sleep(delay), "the kill time")
        elif roll < 0.9 or not pending:
            nth = self.rng.randint(1, max(1, pending))
            delay = self.rng.uniform(0, 1.5) * self._typical(self._write_gaps, 0.1)
            trigger = f"write {nth}/{pending} + {delay:.3f} s"
            await run.unless_exited(self.relay.wait(lambda r: r.is_write, nth, run.first_request), f"write {nth}")
            await asyncio.sleep(delay)
        else:
            delay = self.rng.uniform(0, 0.5)
            trigger = f"all sent + {delay:.2f} s"
            await self._replayed(run, pending)
            await asyncio.sleep(delay)
        writes_seen = len(self._requests(run, lambda r: r.is_write))
        killed_after, cpu = await self._kill(run)
        view = await self.inspect_store()
        if view is None:
            raise self.fail("the store is gone")
        await self._check_against_server(view, exact=False)
        left, in_flight, applied_unrecorded = await self._check_writes(view)
        during = "replay" if writes_seen and (left or trigger.startswith("write")) else (
            "startup" if not writes_seen else "after")
        result = RoundResult(len(self.stats.rounds) + 1, "replay", trigger, killed_after, during, view.cursor,
                             sum(view.counts.values()), left, in_flight, applied_unrecorded, cpu_seconds=cpu)
        result.seconds = time.perf_counter() - started
        self._record(result, f"{writes_seen} writes sent, {left} of {len(self.writes)} left in the outbox"
                             + (f", {in_flight} sending ({applied_unrecorded} already applied)" if in_flight else ""))
        return result

    async def _kill_at_sign_in(self, run: ConsoleRun) -> str:
        """Aim at the silent sign-in: the refresh request, and a moment after (its answer, the keyring)."""
        assert self.relay is not None
        delay = self.rng.uniform(0, 0.15)
        await run.unless_exited(self.relay.wait(lambda r: r.path == "/api/v1/auth/refresh", 1, run.first_request),
                                "the sign-in")
        await asyncio.sleep(delay)
        return f"sign-in + {delay:.3f} s"

    async def _replayed(self, run: ConsoleRun, pending: int) -> None:
        """Wait until this run has sent the `pending` writes, all are on the server, and a pull
        followed the last send (the console pulls once a replay has recorded its answers)."""
        assert self.relay is not None
        if pending:
            last = await run.unless_exited(self.relay.wait(lambda r: r.is_write, pending, run.first_request),
                                           f"{pending} writes sent")
            await run.unless_exited(self._all_delivered(), "every write on the server")
            await run.unless_exited(self.relay.wait(lambda r: r.is_changes and r.at > last.at, 1, run.first_request),
                                    "the pull after the replay")
        else:
            await run.unless_exited(self.relay.wait(lambda r: r.is_changes, 1, run.first_request), "the first pull")

    async def _all_delivered(self) -> None:
        while True:
            counts = [await self.delivered(w) for w in self.writes]
            if all(c >= 1 for c in counts):
                return
            await asyncio.sleep(0.1)

    async def finish_replay(self) -> StoreView:
        """Let the console send everything; stop it (SIGTERM) and check each write is on the server
        once and the outbox is empty. A write whose answer the stop cut off is sent by a next run."""
        left: dict[int, tuple[str, str | None]] = {}
        for attempt in range(1, 4):
            run = await self.launch()
            await self._replayed(run, len(self._pending))
            await asyncio.sleep(0.5)
            status = await run.terminate()
            self._learn(run)
            self.run = None
            view = await self.inspect_store()
            if view is None:
                raise self.fail("the store is gone")
            await self._check_against_server(view, exact=False)
            unsent, _, _ = await self._check_writes(view)
            self.log(f"finish replay, run {attempt}: exit status {status}, {unsent} writes left in the outbox")
            if not unsent and not view.outbox:
                self.stats.delivered_once = len(self.writes)
                return view
            left = view.outbox
        raise self.fail(f"the outbox still holds {left} after three runs")

    async def final_values(self) -> list[str]:
        """Contact changes whose last value is not the one on the server (each contact changed once)."""
        wrong = []
        for write in self.writes:
            if write.kind == "contact":
                phone = await self.server.scalar("SELECT phone FROM contacts WHERE id = ?", (write.params[0],))
                if phone != write.new_value:
                    wrong.append(f"{write.label}: server has {phone!r}, operator set {write.new_value!r}")
        return wrong

    def _record(self, result: RoundResult, detail: str) -> None:
        self.stats.rounds.append(result)
        self.log(f"round {result.number:3d} {result.phase:6s} kill at {result.trigger:26s} "
                 f"({result.killed_after:5.2f} s, during {result.during}): {detail} "
                 f"[{result.seconds:.1f} s, console CPU {result.cpu_seconds:.1f} s]")

    # ------------------------------------------------------------------ plaintext
    def plaintext_findings(self, needles: list[str]) -> list[str]:
        """Files under the console's folders (store, WAL, logs, temporary and cache files, settings)
        and its output that contain one of `needles` as UTF-8 bytes: "file: needle"."""
        files = [p for folder in self.child_dirs() for p in folder.rglob("*") if p.is_file()]
        files += sorted(self.runs_dir.glob("*.out"))
        return find_in_files(files, needles)


def find_in_files(files: list[Path], needles: list[str]) -> list[str]:
    found = []
    encoded = [(n, n.encode("utf-8")) for n in needles if n]
    for path in files:
        data = path.read_bytes()
        found += [f"{path}: {text!r}" for text, raw in encoded if raw in data]
    return found


# ---------------------------------------------------------------------------------------- on the store's thread
def _inspect(connection: Connection, rng: random.Random) -> StoreView:
    integrity = str(connection.exec_driver_sql("PRAGMA integrity_check").scalar())
    quick = str(connection.exec_driver_sql("PRAGMA quick_check").scalar())
    state = {str(k): str(v) for k, v in connection.exec_driver_sql("SELECT key, value FROM sync_state").all()}
    counts = {str(e): int(n) for e, n in connection.exec_driver_sql(
        "SELECT entity, count(*) FROM record GROUP BY entity").all()}
    duplicates = int(connection.exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM record GROUP BY entity, id HAVING count(*) > 1)").scalar() or 0)
    box = {int(seq): (str(s), err) for seq, s, err in connection.exec_driver_sql(
        "SELECT seq, state, last_error FROM outbox").all()}
    search_rows = int(connection.exec_driver_sql("SELECT count(*) FROM customer_search").scalar() or 0)
    search_dirty = int(connection.exec_driver_sql("SELECT count(*) FROM search_dirty").scalar() or 0)
    keys = [(str(e), str(i)) for e, i in connection.exec_driver_sql("SELECT entity, id FROM record").all()]
    sample = []
    for entity, record_id in rng.sample(keys, min(25, len(keys))):
        version, data = connection.exec_driver_sql(
            "SELECT version, data FROM record WHERE entity = ? AND id = ?", (entity, record_id)).one()
        sample.append((str(entity), str(record_id), None if version is None else int(version), json.loads(data)))
    connection.commit()
    return StoreView(integrity, quick, state, counts, duplicates, box, search_rows, search_dirty, sample, set(keys))


# What store hygiene (ema_desktop/cache/hygiene.py) may purge: history last changed more than
# HYGIENE_DAYS ago (a day of slack for when it ran), with its entries.
HYGIENE_DAYS = hygiene.DEFAULT_MAX_AGE_DAYS - 1
_FINISHED = {"ticket": ("resolved", "closed"), "privacy_request": ("completed", "refused")}
_OWNER = {"ticket_entry": ("ticket", "ticket_id"), "attachment": ("ticket", "ticket_id"),
          "privacy_request_entry": ("privacy_request", "request_id")}
_LAST_CHANGE = {"ticket": ("updated_at", "closed_at", "resolved_at"), "privacy_request": ("updated_at", "closed_at"),
                "charging_session": ("updated_at", "stopped_at")}


def _purgeable(key: tuple[str, str], feed: dict[tuple[str, str], tuple[int | None, str]],
               stored: set[tuple[str, str]]) -> bool:
    """Whether store hygiene may have purged this record of the feed."""
    entity, _ = key
    data = json.loads(feed[key][1])
    if entity in _OWNER:
        owner, field_name = _OWNER[entity]
        owner_key = (owner, str(data.get(field_name)))
        return owner_key not in stored and owner_key in feed and _purgeable(owner_key, feed, stored)
    if entity not in _LAST_CHANGE:
        return False  # master data and open work are never purged
    if entity in _FINISHED and data.get("state") not in _FINISHED[entity]:
        return False
    if entity == "charging_session" and data.get("stopped_at") is None:
        return False
    moment = next((data[name] for name in _LAST_CHANGE[entity] if data.get(name)), None)
    if moment is None:
        return False
    changed = datetime.fromisoformat(str(moment).replace("Z", "+00:00"))
    return changed < datetime.now(UTC) - timedelta(days=HYGIENE_DAYS)


def _peek_state(path: Path, key: str) -> dict[str, str]:
    connection = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        connection.execute(f"PRAGMA key = \"x'{key}'\"")
        rows = connection.execute(
            "SELECT key, value FROM sync_state WHERE key IN ('cursor', 'first_sync_done', 'synced_at')").fetchall()
        return {str(k): str(v) for k, v in rows}
    finally:
        connection.close()


def _pick(connection: Connection, entity: str, states: tuple[str, ...] | None, exclude: list[str],
          roll: float) -> tuple[str, int, dict[str, Any]] | None:
    """A stored record of `entity` (in one of `states`), not in `exclude`: (id, version, data)."""
    sql = "SELECT id, version, data FROM record WHERE entity = ?"
    params: list[Any] = [entity]
    if states:
        sql += f" AND json_extract(data, '$.state') IN ({', '.join('?' * len(states))})"
        params += list(states)
    rows = [r for r in connection.exec_driver_sql(sql + " ORDER BY id", tuple(params)).all() if r[0] not in exclude]
    connection.commit()
    if not rows:
        return None
    record_id, version, data = rows[int(roll * len(rows))]
    return str(record_id), int(version), json.loads(data)


def summary(stats: CrashStats) -> Iterator[str]:
    """Lines for a report: rounds and where the kills landed."""
    by = Counter((r.phase, r.during) for r in stats.rounds)
    yield (f"{len(stats.rounds)} rounds: sync {sum(n for (p, _), n in by.items() if p == 'sync')} "
           f"(startup {by[('sync', 'startup')]}, during sync {by[('sync', 'sync')]}, after {by[('sync', 'after')]}), "
           f"replay {sum(n for (p, _), n in by.items() if p == 'replay')} (startup {by[('replay', 'startup')]}, "
           f"during replay {by[('replay', 'replay')]}, after {by[('replay', 'after')]})")
    if stats.rounds:
        yield (f"per round: {sum(r.seconds for r in stats.rounds) / len(stats.rounds):.1f} s, console CPU "
               f"{sum(r.cpu_seconds for r in stats.rounds) / len(stats.rounds):.1f} s")
    yield (f"writes {stats.writes}, delivered exactly once {stats.delivered_once}; kills leaving a write sent but "
           f"unrecorded {sum(1 for r in stats.rounds if r.in_flight)}, of which the server had applied "
           f"{sum(1 for r in stats.rounds if r.applied_unrecorded)}; sign-ins lost to a kill {stats.sign_ins_lost}")
