"""A console process measured from the inside (run by bench/console.py, one measurement per process).

`start`: cold start to the first pane painted with data — from the moment the parent spawned
this process (its wall-clock time passed in) to the first paint of the customers pane after
its rows arrived. `start --bare`: the same for a bare PySide6 main window (the baseline).
`stall`: a 10 ms QTimer heartbeat's gaps while the signed-in console receives the fleet's live
events and the panes update (`--bare`: the heartbeat in an idle window, the baseline).
Prints one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _bare_start(t0: float) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(["probe"])
    window = QMainWindow()
    label = QLabel("EMA")
    window.setCentralWidget(label)
    result: dict[str, float] = {}

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "seconds" not in result:
                result["seconds"] = time.time() - t0
                QTimer.singleShot(0, app.quit)
            return False

    painted = Painted()
    label.installEventFilter(painted)
    window.resize(1600, 1000)
    window.show()
    app.exec()
    return result


def _console(args: argparse.Namespace, t0: float) -> dict[str, float]:
    import asyncio

    import keyring
    from keyring.backend import KeyringBackend
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from ema_desktop.backend.client import BackendClient
    from ema_desktop.event_loop import ConsoleEventLoop
    from ema_desktop.views.theme import apply_theme
    from ema_desktop.workspace import Workspace

    class NoKeyring(KeyringBackend):
        priority = 0  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    keyring.set_keyring(NoKeyring())
    app = QApplication(["probe"])
    app.setQuitOnLastWindowClosed(False)  # as the console: closing the workspace must not stop the loop
    apply_theme(app)
    result: dict[str, float] = {}

    async def run() -> None:
        client = BackendClient(args.server)
        await client.sign_in(args.user, args.password)
        workspace = Workspace(client)
        pane = workspace.customers_pane
        assert pane is not None
        first_paint = asyncio.get_running_loop().create_future()

        class Painted(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and pane.has_data() and not first_paint.done():
                    first_paint.set_result(time.time() - t0)
                return False

        painted = Painted()
        for child in [pane, *pane.findChildren(QObject)]:
            child.installEventFilter(painted)
        opening = asyncio.ensure_future(workspace.open())
        result["seconds"] = await first_paint
        await opening
        if args.mode == "stall":
            result.update(await _heartbeat(workspace, args.seconds))
        await workspace.close()
        await client.aclose()

    async def _heartbeat(workspace: Workspace, seconds: float) -> dict[str, float]:
        charging = [d for d, dev in workspace.devices.items()
                    if (pin := workspace.stations.pin(d)) is not None and pin.status == "Charging"]
        if charging:
            workspace.show_station(charging[0])
        events = {"n": 0}
        workspace.data.telemetry_received.connect(lambda *_: events.__setitem__("n", events["n"] + 1))
        workspace.data.station_status_changed.connect(lambda *_: events.__setitem__("n", events["n"] + 1))
        return await _measure_gaps(seconds, events)

    with asyncio.Runner(loop_factory=lambda: ConsoleEventLoop(app)) as runner:
        runner.run(run())
    return result


async def _measure_gaps(seconds: float, events: dict[str, int] | None = None) -> dict[str, float]:
    import asyncio

    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    timer.start()
    await asyncio.sleep(seconds)
    timer.stop()
    ordered = sorted(gaps)
    return {
        "max_gap_ms": ordered[-1] * 1000,
        "p99_gap_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
        "beats": float(len(gaps)),
        "events": float(events["n"]) if events else 0.0,
    }


def _bare_stall(seconds: float) -> dict[str, float]:
    import asyncio

    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from ema_desktop.event_loop import ConsoleEventLoop

    app = QApplication(["probe"])
    window = QMainWindow()
    window.setCentralWidget(QLabel("idle"))
    window.show()
    with asyncio.Runner(loop_factory=lambda: ConsoleEventLoop(app)) as runner:
        return runner.run(_measure_gaps(seconds))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.console_probe")
    parser.add_argument("mode", choices=["start", "stall"])
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--t0", type=float, required=True, help="wall-clock time the parent spawned us")
    parser.add_argument("--server", default="")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if args.bare:
        result = _bare_start(args.t0) if args.mode == "start" else _bare_stall(args.seconds)
    else:
        result = _console(args, args.t0)
    print(json.dumps(result), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
