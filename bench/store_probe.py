"""The console's local store measured from the inside (run by bench/store.py, one process per step).

`first-sync`: the console's stack as an operator has it — a QApplication (offscreen), a shown
main window, the console's event loop (`ConsoleEventLoop`) — with a 5 ms QTimer heartbeat
measuring the gaps between its beats: first for a few seconds in the idle window (the baseline),
then while the console's `Synchroniser.pull` brings the whole change feed into a new encrypted
store on disk. So that a long gap can be explained, the probe notes when the pull was waiting for
a page over HTTP, when the store's thread was busy and with what, and when Python's garbage
collector ran on the GUI thread; and for every gap, from the kernel's schedstat, how long the GUI
thread ran, waited for a CPU and slept (with its timer overdue, Qt does not sleep: asleep is
waiting for the GIL). The worst gaps are reported with all that. `--explain` adds a sampler of
where every thread's Python code is while the heartbeat is late (a diagnosis; it perturbs a little).

`pull`: one more pull into that store (the changes made since), then one with nothing new.

`search`: the queries given as a JSON list on standard input, each through
`ema_desktop.cache.reads.search_customers` on the store's thread, timed as the console awaits it.

The store key comes in the environment (`EMA_BENCH_STORE_KEY`, 64 hex digits), not on the
command line. Prints one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEY_ENV = "EMA_BENCH_STORE_KEY"
BEAT_MS = 5
# Gaps longer than this are kept with what overlapped them (the worst few are printed).
NOTED_GAP_MS = 20.0
WORST = 8

T = TypeVar("T")


class _SchedStat:
    """A thread's time on a CPU and waiting in the run queue (seconds), from the kernel's
    schedstat (the calling thread's by default); a gap the GUI thread spent neither running nor
    queued it slept (for the GIL)."""

    def __init__(self, native_id: int | None = None) -> None:
        thread = native_id if native_id is not None else threading.get_native_id()
        try:
            self._fd: int | None = os.open(f"/proc/self/task/{thread}/schedstat", os.O_RDONLY)
        except OSError:
            self._fd = None

    def read(self) -> tuple[float, float]:
        if self._fd is None:
            return (0.0, 0.0)
        ran, queued, _ = os.pread(self._fd, 128, 0).split()
        return (int(ran) / 1e9, int(queued) / 1e9)


@dataclass(frozen=True)
class Gap:
    """A heartbeat gap over NOTED_GAP_MS, with what the GUI thread and the store's thread did in
    it (seconds on a CPU, seconds waiting for one)."""

    start: float
    end: float
    ran: float
    queued: float
    store_ran: float
    store_queued: float

    @property
    def slept(self) -> float:
        return max(0.0, self.end - self.start - self.ran - self.queued)


class Timeline:
    """Intervals of what the pull was doing, and the heartbeat's gaps, on one perf_counter clock."""

    def __init__(self) -> None:
        self.phases: list[tuple[float, float, str]] = []
        self.gaps: list[float] = []
        self.long_gaps: list[Gap] = []
        self._last = time.perf_counter()
        self._gc_started = 0.0
        self._schedstat = _SchedStat()
        self._sched = self._schedstat.read()
        self._store_schedstat: _SchedStat | None = None
        self._store_sched = (0.0, 0.0)

    def watch_store_thread(self) -> None:
        """Read the store's worker thread's schedstat too (call once that thread exists)."""
        for thread in threading.enumerate():
            if thread.name.startswith("ema-store") and thread.native_id is not None:
                self._store_schedstat = _SchedStat(thread.native_id)
                self._store_sched = self._store_schedstat.read()

    def restart(self) -> None:
        self.gaps, self.long_gaps = [], []
        self._last, self._sched = time.perf_counter(), self._schedstat.read()

    @property
    def last_beat(self) -> float:
        return self._last

    def beat(self) -> None:
        now = time.perf_counter()
        sched = self._schedstat.read()
        store = self._store_schedstat.read() if self._store_schedstat is not None else (0.0, 0.0)
        gap = now - self._last
        self.gaps.append(gap)
        if gap * 1000 >= NOTED_GAP_MS:
            self.long_gaps.append(Gap(self._last, now, sched[0] - self._sched[0], sched[1] - self._sched[1],
                                      store[0] - self._store_sched[0], store[1] - self._store_sched[1]))
        self._last, self._sched, self._store_sched = now, sched, store

    async def phase(self, name: str, work: Awaitable[T]) -> T:
        started = time.perf_counter()
        try:
            return await work
        finally:
            self.phases.append((started, time.perf_counter(), name))

    def on_gc(self, stage: str, info: dict[str, Any]) -> None:
        # Collections run on whichever thread allocates; only the GUI thread's stall the window.
        if not _on_main_thread():
            return
        if stage == "start":
            self._gc_started = time.perf_counter()
        elif self._gc_started:
            ended = time.perf_counter()
            if (ended - self._gc_started) * 1000 >= 1.0:
                self.phases.append((self._gc_started, ended, f"gc gen{info.get('generation')} on the GUI thread"))
            self._gc_started = 0.0

    def totals(self) -> dict[str, float]:
        """Seconds spent in each noted phase (store calls and HTTP waits do not overlap in a pull)."""
        spent: dict[str, float] = {}
        for start, end, name in self.phases:
            spent[name] = spent.get(name, 0.0) + end - start
        return dict(sorted(spent.items(), key=lambda item: -item[1]))

    def attribution(self) -> dict[str, float]:
        """Over the gaps longer than NOTED_GAP_MS: the most the GUI thread spent in one of them
        running, waiting for a CPU, and asleep (neither: waiting for the GIL, as an overdue timer
        leaves Qt nothing else to sleep on)."""
        gaps = self.long_gaps or [Gap(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)]
        return {"gui_ran_max_ms": max(g.ran for g in gaps) * 1000,
                "gui_waited_for_cpu_max_ms": max(g.queued for g in gaps) * 1000,
                "gui_slept_max_ms": max(g.slept for g in gaps) * 1000, "long_gaps": float(len(self.long_gaps))}

    def worst(self, origin: float) -> list[dict[str, Any]]:
        """The longest gaps, each with when it began (s after `origin`) and what overlapped it."""
        ranked = sorted(self.long_gaps, key=lambda g: g.end - g.start, reverse=True)[:WORST]
        out = []
        for gap in ranked:
            overlapping = sorted({name for s, e, name in self.phases if s < gap.end and e > gap.start})
            out.append({"at_s": round(max(0.0, gap.start - origin), 2),
                        "gap_ms": round((gap.end - gap.start) * 1000, 1),
                        "during": overlapping, "gui_ran_ms": round(gap.ran * 1000, 1),
                        "gui_waited_for_cpu_ms": round(gap.queued * 1000, 1),
                        "store_ran_ms": round(gap.store_ran * 1000, 1),
                        "store_waited_for_cpu_ms": round(gap.store_queued * 1000, 1)})
        return out


class StallSampler:
    """`--explain`: a thread that, whenever the heartbeat is late, notes where every other thread's
    Python code is (innermost frame, and the innermost frame in ema_desktop), counted per place.

    Where the GUI thread is shows work on it; when it is inside the Qt event loop the kernel's
    view is added: runnable (on a CPU or waiting for one) or asleep (in a futex: the GIL). The
    sampler needs the GIL too, so a C call that holds it throughout is seen only where it lets go.
    """

    LATE_MS = 30.0

    def __init__(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self.counts: dict[str, int] = {}
        self.samples = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(0.01):
            if (time.perf_counter() - self._timeline.last_beat) * 1000 < self.LATE_MS:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            self.samples += 1
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                if _idle(frame):
                    continue
                main = ident == threading.main_thread().ident
                name = "GUI thread" if main else names.get(ident, "?")
                place = f"{name}: {_where(frame)}"
                if main and place.endswith("waiting in the Qt event loop"):
                    place += _kernel_wait(threading.main_thread().native_id)
                self.counts[place] = self.counts.get(place, 0) + 1

    def top(self, n: int = 12) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda item: -item[1])[:n]


def _kernel_wait(native_id: int | None) -> str:
    """What the kernel says a thread is doing: runnable (on or waiting for a CPU), or asleep and
    where (a futex: waiting for the GIL, as no other lock is taken there; epoll: Qt idle)."""
    try:
        stat = Path(f"/proc/self/task/{native_id}/stat").read_text()
        wchan = Path(f"/proc/self/task/{native_id}/wchan").read_text().strip()
    except OSError:
        return ""
    state = stat.rsplit(")", 1)[1].split()[0]
    if state == "R":
        return " (runnable: on a CPU or waiting for one)"
    return f" (asleep in {'futex: the GIL' if 'futex' in wchan else wchan or 'the kernel'})"


def _idle(frame: Any) -> bool:
    """A worker thread waiting for work (an idle pool thread, this sampler's peers)."""
    code = frame.f_code
    filename, name = str(code.co_filename), str(code.co_name)
    return (filename.endswith("threading.py") and name == "wait") or (
        filename.endswith("concurrent/futures/thread.py") and name == "_worker")


def _where(frame: Any) -> str:
    """The innermost frame, and the innermost one in ema_desktop if that is another."""
    inner = frame
    ours = None
    while frame is not None:
        if ours is None and "/ema_desktop/" in frame.f_code.co_filename:
            ours = frame
        frame = frame.f_back
    if "qasync" in inner.f_code.co_filename and inner.f_code.co_name in ("run_forever", "exec"):
        return "waiting in the Qt event loop"

    def short(f: Any) -> str:
        path = f.f_code.co_filename
        parts = path.split("/")
        tail = "/".join(parts[-2:]) if "site-packages" in path or "python3" in path else "/".join(
            parts[parts.index("ema_desktop"):] if "ema_desktop" in parts else parts[-2:])
        return f"{tail}:{f.f_lineno} {f.f_code.co_name}"

    return short(inner) if ours is None or ours is inner else f"{short(inner)} <- {short(ours)}"


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _gap_figures(gaps: list[float], prefix: str = "") -> dict[str, float]:
    ordered = sorted(gaps) or [0.0]
    return {
        f"{prefix}max_gap_ms": ordered[-1] * 1000,
        f"{prefix}p99_gap_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
        f"{prefix}beats": float(len(gaps)),
    }


def _quiet_keyring() -> None:
    """No OS keyring in a benchmark: the client keeps its refresh token in memory."""
    import keyring
    from keyring.backends.null import Keyring

    # The null keyring stores nothing (priority below zero), so the vault keeps the token in memory.
    keyring.set_keyring(Keyring())  # type: ignore[no-untyped-call]


def first_sync(args: argparse.Namespace, key: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from ema_desktop.backend.client import BackendClient
    from ema_desktop.cache.changes import AppliedPage, get_state
    from ema_desktop.cache.database import LocalStore
    from ema_desktop.cache.sync import Synchroniser, SyncProgress
    from ema_desktop.event_loop import ConsoleEventLoop

    _quiet_keyring()
    app = QApplication(["probe"])
    window = QMainWindow()
    status = QLabel("Local data: not synchronised yet")
    window.setCentralWidget(status)
    window.resize(1600, 1000)
    window.show()
    timeline = Timeline()
    result: dict[str, Any] = {"beat_ms": BEAT_MS}

    async def run() -> None:
        heartbeat = QTimer()
        heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
        heartbeat.setInterval(BEAT_MS)
        heartbeat.timeout.connect(timeline.beat)
        heartbeat.start()
        await asyncio.sleep(args.idle_seconds)
        result.update(_gap_figures(timeline.gaps, "idle_"))
        result.update({f"idle_{name}": value for name, value in timeline.attribution().items()})

        client = BackendClient(args.server)
        await client.sign_in(args.user, args.password)
        store = LocalStore(Path(args.store), key)
        # What the pull waits on, noted for explaining stalls; the calls themselves are the console's.
        fetch: Callable[[str, int], Awaitable[bytes]] = client.changes_page
        call = store.call

        async def changes_page(since: str, limit: int) -> bytes:
            return await timeline.phase("waiting for a page over HTTP", fetch(since, limit))

        async def store_call(fn: Callable[..., T], *call_args: Any) -> T:
            return await timeline.phase(f"store thread: {getattr(fn, '__name__', 'call')}", call(fn, *call_args))

        client.changes_page = changes_page  # type: ignore[method-assign]
        store.call = store_call  # type: ignore[method-assign]

        progress_seen = [0, 0]

        def on_page(page: AppliedPage, progress: SyncProgress) -> None:
            progress_seen[0] = progress.records
            progress_seen[1] += 1
            # As the console's status bar does: one short text update per page.
            share = f" ({progress.fraction:.0%})" if progress.fraction is not None else ""
            status.setText(f"Synchronising local data: {progress.records:,} records{share}")

        gc.callbacks.append(timeline.on_gc)
        sampler = StallSampler(timeline) if args.explain else None
        timeline.restart()
        origin = time.perf_counter()
        if sampler is not None:
            sampler.start()
        try:
            await timeline.phase("store thread: open (creates the file)", store.open())
            timeline.watch_store_thread()
            started = time.perf_counter()
            try:
                # --stop-after: a diagnostic run over the first part of the feed only.
                async with asyncio.timeout(args.stop_after):
                    synced = await Synchroniser(store, client).pull(on_page)
                result["records"], result["pages"] = synced.records, synced.pages
            except TimeoutError:
                result["records"], result["pages"], result["stopped"] = progress_seen[0], progress_seen[1], True
            result["seconds"] = time.perf_counter() - started
            result["cursor"] = await call(lambda c: get_state(c, "cursor") or "0")
        finally:
            await store.close()
            if sampler is not None:
                sampler.stop()
            gc.callbacks.remove(timeline.on_gc)
            heartbeat.stop()
            await client.aclose()
        result.update(_gap_figures(timeline.gaps))
        result["worst_gaps"] = timeline.worst(origin)
        result.update(timeline.attribution())
        result["phase_seconds"] = timeline.totals()
        if sampler is not None:
            result["late_samples"] = sampler.samples
            result["where_when_late"] = sampler.top()

    with asyncio.Runner(loop_factory=lambda: ConsoleEventLoop(app)) as runner:
        runner.run(run())
    window.close()
    return result


async def pull(args: argparse.Namespace, key: str) -> dict[str, Any]:
    from ema_desktop.backend.client import BackendClient
    from ema_desktop.cache.database import LocalStore
    from ema_desktop.cache.sync import Synchroniser

    _quiet_keyring()
    client = BackendClient(args.server)
    store = LocalStore(Path(args.store), key)
    try:
        await client.sign_in(args.user, args.password)
        await store.open()
        synchroniser = Synchroniser(store, client)
        fetch = client.changes_page
        waited = [0.0]

        async def changes_page(since: str, limit: int) -> bytes:
            asked = time.perf_counter()
            try:
                return await fetch(since, limit)
            finally:
                waited[0] += time.perf_counter() - asked

        client.changes_page = changes_page  # type: ignore[method-assign]
        started = time.perf_counter()
        synced = await synchroniser.pull()
        seconds = time.perf_counter() - started
        http_seconds = waited[0]
        started = time.perf_counter()
        nothing = await synchroniser.pull()
        empty_seconds = time.perf_counter() - started
    finally:
        await store.close()
        await client.aclose()
    return {"records": synced.records, "pages": synced.pages, "seconds": seconds, "http_seconds": http_seconds,
            "empty_records": nothing.records, "empty_seconds": empty_seconds}


async def search(args: argparse.Namespace, key: str) -> dict[str, Any]:
    from ema_desktop.cache.database import LocalStore
    from ema_desktop.cache.reads import search_customers

    queries: list[str] = json.loads(sys.stdin.read())
    store = LocalStore(Path(args.store), key)
    seconds: list[float] = []
    empty = 0
    await store.open()
    try:
        customers = (await store.call(search_customers, "", 1)).total
        for query in queries:
            started = time.perf_counter()
            page = await store.call(search_customers, query, args.limit)
            seconds.append(time.perf_counter() - started)
            empty += not page.items
    finally:
        await store.close()
    return {"seconds": seconds, "empty": empty, "customers": customers}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.store_probe")
    modes = parser.add_subparsers(dest="mode", required=True)
    for mode in ("first-sync", "pull"):
        sub = modes.add_parser(mode)
        sub.add_argument("--server", required=True, help="the server's URL (without /api/v1)")
        sub.add_argument("--user", required=True)
        sub.add_argument("--password", required=True)
        sub.add_argument("--store", required=True, help="the store file")
    syncing = modes.choices["first-sync"]
    syncing.add_argument("--idle-seconds", type=float, default=5.0)
    syncing.add_argument("--explain", action="store_true",
                         help="sample where every thread is whenever the heartbeat is late (perturbs a little)")
    syncing.add_argument("--stop-after", type=float, default=None, metavar="SECONDS",
                         help="stop the pull after this long (diagnosis of the first part of the feed)")
    searching = modes.add_parser("search")
    searching.add_argument("--store", required=True)
    searching.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    key = os.environ.get(KEY_ENV, "")
    if len(key) != 64:
        parser.error(f"{KEY_ENV} must hold the store key (64 hex digits)")
    if args.mode == "first-sync":
        result = first_sync(args, key)
    else:
        result = asyncio.run(pull(args, key) if args.mode == "pull" else search(args, key))
    print(json.dumps(result), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
