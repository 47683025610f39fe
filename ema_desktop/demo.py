"""The demo environment behind `ema-desktop --demo`: a private ema-server on a fresh SQLite
database with demo data, and a simulated fleet of ema-sim stations connected to it.

The console never imports ema_server or ema_sim (they are independent programs, checked by
import-linter): it runs them as child processes, `python -m ema_server …` and `python -m ema_sim …`,
with the same environment, so the seed, the server and the simulator agree on the demo password
(`EMA_DEMO_PASSWORD`, or the public default).

No child outlives the console:

- `stop()` ends them in order (simulator first, so the server does not see a fleet reconnecting
  while it shuts down), with SIGTERM and, after a grace period, SIGKILL;
- `stop_now()` is the synchronous last resort for atexit and signal handlers; it is registered
  with atexit while the environment runs;
- every child starts in its own session (process group): a Ctrl+C in the terminal reaches only
  the console, which then stops the children in order, and a signal to the group also reaches
  anything a child started itself;
- on Linux every child asks the kernel for SIGKILL when its parent dies (`PR_SET_PDEATHSIG`), so
  even a console killed with SIGKILL leaves nothing running. The kernel sends it when the
  *thread* that forked the child ends, not the process: asyncio forks in the thread that runs the
  event loop, which in the console is the main thread, so the signal comes when the console ends.
  Do not start a DemoEnvironment on a loop in a short-lived worker thread.

What the children print is drained all the time (a full pipe would block them), logged at DEBUG
on the `ema_desktop.demo` logger, and the last lines of each are kept for error messages.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import httpx

__all__ = [
    "DEFAULT_DEMO_PASSWORD",
    "DEMO_PASSWORD_ENV",
    "DEMO_USERNAME",
    "DemoEnvironment",
    "DemoError",
    "DemoSession",
    "demo_password",
]

log = logging.getLogger("ema_desktop.demo")

DEMO_USERNAME: Final = "demo.admin"
DEMO_PASSWORD_ENV: Final = "EMA_DEMO_PASSWORD"  # noqa: S105 (the variable's name, not a password)
# Public on purpose (ema_server/seed/demo.py): it only ever guards a throwaway loopback demo.
DEFAULT_DEMO_PASSWORD: Final = "ema-demo-2026!"  # noqa: S105
DEMO_DATA_SET: Final = "small"

SEED_TIMEOUT_S: Final = 300.0
SERVER_START_TIMEOUT_S: Final = 60.0
SIMULATOR_START_TIMEOUT_S: Final = 30.0
STOP_TIMEOUT_S: Final = 10.0
OUTPUT_END_WAIT_S: Final = 2.0  # after a child exits, for the rest of its output to be read
TAIL_LINES: Final = 40
ERROR_TAIL_LINES: Final = 15

_LISTENING = re.compile(r"EMA server listening on (http://\S+)")
_SIM_STARTING = re.compile(r"ema-sim \S+ starting \d+ stations")
_SEED_PHASE = re.compile(r"demo \w+: (.+?) written in")

_PR_SET_PDEATHSIG: Final = 1  # from <linux/prctl.h>


def demo_password() -> str:
    """The demo accounts' password: `EMA_DEMO_PASSWORD` when set and not empty, else the public default
    (the same rule the seed and the simulator follow)."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


@dataclass(frozen=True)
class DemoSession:
    """A started demo: where its server is and how to sign in to it."""

    server_url: str
    username: str
    password: str
    database_path: Path


class DemoError(Exception):
    """The demo could not start; the message is for the person who asked for it."""


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGKILL when the console dies (Linux only).

    libc and its `prctl` are looked up here, in the parent: loading a library between fork and
    exec could deadlock on a lock another thread held at the fork.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        # The console may have died between the fork and the prctl: then no signal will come.
        if os.getppid() != parent:
            os._exit(1)

    return die_with_parent


class _Child:
    """One child program: its process, and the last lines it printed (for error messages)."""

    def __init__(self, label: str, process: asyncio.subprocess.Process,
                 on_line: Callable[[str], None] | None = None) -> None:
        self.label = label
        self.process = process
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._on_line = on_line
        self._readers = [
            asyncio.create_task(self._drain(stream), name=f"demo {label} output")
            for stream in (process.stdout, process.stderr)
            if stream is not None
        ]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        """Not yet reaped: it may still run."""
        return self.process.returncode is None

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        while True:
            try:
                raw = await stream.readline()
            except ValueError:  # a line longer than the reader's limit: skipped, the rest still read
                self.tail.append("[a very long line left out]")
                continue
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip()
            self.tail.append(line)
            log.debug("%s: %s", self.label, line)
            if self._on_line is not None:
                self._on_line(line)

    def send(self, sig: signal.Signals) -> None:
        """Signal its whole process group (it leads one: it started in its own session)."""
        if not self.alive:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    async def finish_reading(self) -> None:
        """Wait until its output is read to the end (it has exited), so the tail is complete."""
        if self._readers:
            _, pending = await asyncio.wait(self._readers, timeout=OUTPUT_END_WAIT_S)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def stop(self, grace: float) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds; returns once it is reaped."""
        if self.alive:
            self.send(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                log.warning("%s did not stop within %.0f s of SIGTERM; killing it", self.label, grace)
                self.send(signal.SIGKILL)
                await self.process.wait()
        await self.finish_reading()

    def how_it_ended(self) -> str:
        code = self.process.returncode
        if code is None:
            return "is still running"
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"

    def last_output(self) -> str:
        lines = list(self.tail)[-ERROR_TAIL_LINES:]
        return "\n".join(lines) if lines else "(it printed nothing)"


class DemoEnvironment:
    """A private ema-server with fresh demo data and a simulated fleet, for `ema-desktop --demo`.

    `start()` seeds the database, starts the server and waits until it answers HTTP, then starts the
    simulator; `stop()` ends both and removes the temporary folder. Progress for a splash screen
    or status bar goes to `on_progress` as short sentences.
    """

    def __init__(self, *, stations: int = 30, speed: float = 10.0, workdir: Path | None = None,
                 python: str = sys.executable, on_progress: Callable[[str], None] = lambda msg: None) -> None:
        self._stations = stations
        self._speed = speed
        self._workdir = workdir
        self._own_workdir: Path | None = None  # a temporary folder this environment made and removes
        self._python = python
        self._on_progress = on_progress
        self._children: dict[str, _Child] = {}
        self._session: DemoSession | None = None
        self._started = False
        self._stopping: asyncio.Task[None] | None = None
        self._stopped_now = False

    # --- public -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Started, not stopped, and both the server and the simulator still running."""
        if self._session is None or self._stopping is not None or self._stopped_now:
            return False
        return all(name in self._children and self._children[name].alive for name in ("server", "simulator"))

    @property
    def child_pids(self) -> tuple[int, ...]:
        """The process ids of the children not yet reaped (seed, server, simulator)."""
        return tuple(child.pid for child in self._children.values() if child.alive)

    async def start(self) -> DemoSession:
        """Seed, start the server and the simulator; the session to sign in with.

        Raises DemoError (after stopping whatever had started) when a child fails.
        """
        if self._started:
            raise RuntimeError("a DemoEnvironment starts only once")
        self._started = True
        atexit.register(self.stop_now)
        try:
            self._session = await self._start()
        except BaseException as exc:
            await self.stop()
            if isinstance(exc, DemoError | asyncio.CancelledError):
                raise
            if isinstance(exc, Exception):
                raise DemoError(f"The demo could not start: {exc}") from exc
            raise
        return self._session

    async def stop(self) -> None:
        """End the simulator, then the server (SIGTERM, SIGKILL after ~10 s each); remove the
        temporary folder. Safe to call more than once, and while `start()` is still running."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop(), name="demo stop")
        # Shielded: a caller that is cancelled while waiting must not cut the cleanup short.
        await asyncio.shield(self._stopping)

    def stop_now(self) -> None:
        """Kill every child still alive with SIGKILL and remove the temporary folder, without waiting.

        For atexit and signal handlers, when there is no event loop left to stop them in order.
        """
        self._stopped_now = True
        for child in self._children.values():
            child.send(signal.SIGKILL)
        if self._own_workdir is not None:
            shutil.rmtree(self._own_workdir, ignore_errors=True)
        atexit.unregister(self.stop_now)

    # --- starting -----------------------------------------------------------------------------

    async def _start(self) -> DemoSession:
        server_command = self._command("ema_server", "ema-server")
        sim_command = self._command("ema_sim", "ema-sim")
        workdir = self._prepare_workdir()
        database = workdir / "demo.db"
        db_url = f"sqlite+aiosqlite:///{database}"

        await self._seed(server_command, db_url)
        server_url = await self._start_server(server_command, db_url)
        await self._start_simulator(sim_command, server_url)
        self._progress("Demo ready")
        return DemoSession(server_url=server_url, username=DEMO_USERNAME, password=demo_password(),
                           database_path=database)

    def _command(self, module: str, program: str) -> list[str]:
        """How to run `module`: with the console's own Python, or in a bundle (where sys.executable
        is the console itself and the server is not included) the installed program."""
        if getattr(sys, "frozen", False) and self._python == sys.executable:
            found = shutil.which(program)
            if found is None:
                raise DemoError(
                    f"The demo needs the {program} program, which is not part of this console. "
                    "Install the ema-console package, or start the console from its Python environment."
                )
            return [found]
        return [self._python, "-m", module]

    def _prepare_workdir(self) -> Path:
        if self._workdir is not None:
            self._workdir.mkdir(parents=True, exist_ok=True)
            return self._workdir.resolve()
        self._own_workdir = Path(tempfile.mkdtemp(prefix="ema-desktop-demo-")).resolve()
        return self._own_workdir

    async def _seed(self, command: list[str], db_url: str) -> None:
        self._progress("Seeding demo data…")
        loop = asyncio.get_running_loop()
        began = loop.time()

        def on_line(line: str) -> None:
            if match := _SEED_PHASE.search(line):
                self._progress(f"Seeding demo data… {match.group(1)} written")

        seed = await self._spawn("seed", "seeding the demo data (ema-server seed)",
                                 [*command, "seed", "--demo", DEMO_DATA_SET, "--db", db_url, "--fresh"], on_line)
        try:
            await asyncio.wait_for(seed.process.wait(), SEED_TIMEOUT_S)
        except TimeoutError:
            raise DemoError(f"Seeding the demo data took longer than {SEED_TIMEOUT_S:.0f} s.") from None
        await seed.finish_reading()
        if seed.process.returncode != 0:
            raise self._failure(seed)
        elapsed = loop.time() - began
        log.info("demo data seeded in %.1f s", elapsed)
        self._progress(f"Demo data seeded in {elapsed:.1f} s")

    async def _start_server(self, command: list[str], db_url: str) -> str:
        self._progress("Starting the demo server…")
        listening: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_line(line: str) -> None:
            if not listening.done() and (match := _LISTENING.search(line)):
                listening.set_result(match.group(1))

        server = await self._spawn("server", "the demo server (ema-server)",
                                   [*command, "serve", "--db", db_url, "--host", "127.0.0.1", "--port", "0"], on_line)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SERVER_START_TIMEOUT_S
        url = await self._ready(server, listening, SERVER_START_TIMEOUT_S)
        await self._wait_until_answering(server, url, deadline)
        log.info("demo server at %s", url)
        return url

    async def _wait_until_answering(self, server: _Child, url: str, deadline: float) -> None:
        """Poll until the API answers; 401 from /auth/me means it is up."""
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(base_url=url, timeout=2.0) as client:
            while True:
                if not server.alive:
                    await server.finish_reading()
                    raise self._failure(server)
                try:
                    response = await client.get("/api/v1/auth/me")
                except httpx.TransportError:
                    response = None
                if response is not None and response.status_code < 500:
                    return
                if loop.time() > deadline:
                    raise DemoError(f"The demo server did not answer within {SERVER_START_TIMEOUT_S:.0f} s.")
                await asyncio.sleep(0.1)

    async def _start_simulator(self, command: list[str], server_url: str) -> None:
        self._progress(f"Starting {self._stations} simulated stations…")
        starting: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_line(line: str) -> None:
            # Printed once the options are accepted, before the first station connects.
            if not starting.done() and _SIM_STARTING.search(line):
                starting.set_result(line)

        ocpp_url = "ws" + server_url.removeprefix("http") + "/ocpp"
        simulator = await self._spawn("simulator", "the simulated stations (ema-sim)",
                                      [*command, "--server", ocpp_url, "--stations", str(self._stations),
                                       "--ocpp", "mixed", "--speed", f"{self._speed:g}"], on_line)  # fmt: skip
        await self._ready(simulator, starting, SIMULATOR_START_TIMEOUT_S)

    async def _spawn(self, name: str, label: str, command: list[str],
                     on_line: Callable[[str], None] | None = None) -> _Child:
        if self._stopping is not None or self._stopped_now:
            raise DemoError("The demo was stopped before it was ready.")
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"  # lines arrive when printed, for progress and error messages
        log.debug("starting %s: %s", label, " ".join(command))
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                start_new_session=True,
                preexec_fn=_die_with_parent_hook(),  # only prctl and getppid run in it
            )
        except OSError as exc:
            raise DemoError(f"The demo could not start {label}: {exc.strerror or exc} ({command[0]}).") from exc
        child = _Child(label, process, on_line)
        self._children[name] = child
        return child

    async def _ready(self, child: _Child, ready: asyncio.Future[str], within: float) -> str:
        """The result of `ready`, or DemoError when the child exits first or time runs out."""
        exited = asyncio.ensure_future(child.process.wait())
        waiting: set[asyncio.Future[Any]] = {ready, exited}
        try:
            await asyncio.wait(waiting, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        finally:
            exited.cancel()
        if ready.done():
            return ready.result()
        ready.cancel()
        if not child.alive:
            await child.finish_reading()
            raise self._failure(child)
        raise DemoError(f"The demo could not start {child.label} within {within:.0f} s.\n\n"
                        f"Its last output:\n{child.last_output()}")

    def _failure(self, child: _Child) -> DemoError:
        if self._stopping is not None or self._stopped_now:
            return DemoError("The demo was stopped before it was ready.")
        return DemoError(f"The demo could not start: {child.label} {child.how_it_ended()}.\n\n"
                         f"Its last output:\n{child.last_output()}")

    def _progress(self, message: str) -> None:
        try:
            self._on_progress(message)
        except Exception:  # a broken progress display must not break the demo
            log.exception("demo progress callback failed")

    # --- stopping -----------------------------------------------------------------------------

    async def _stop(self) -> None:
        for name in ("simulator", "server", "seed"):
            child = self._children.get(name)
            if child is not None:
                await child.stop(STOP_TIMEOUT_S)
        if self._own_workdir is not None:
            await asyncio.get_running_loop().run_in_executor(None, _remove_tree, self._own_workdir)
        atexit.unregister(self.stop_now)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
