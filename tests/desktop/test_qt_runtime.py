"""The Qt binding the console is pinned to keeps Python's reference counts straight.

PySide6 6.12.0 returned True and None to Python without owning a reference; on Python 3.11
every signal emission and many setters then wore `True`/`None` down until the interpreter
aborted ("bool_dealloc"), minutes into live streaming. The check runs in a child process,
because the failure is an abort, not an exception.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import PySide6

PROBE = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])

    class Emitter(QObject):
        text = Signal(str)
        flag = Signal(bool)

    emitter = Emitter()
    emitter.text.connect(lambda _v: None)
    emitter.flag.connect(lambda _v: None)
    label, timer = QLabel(), QTimer()
    before = [sys.getrefcount(o) for o in (True, False, None)]
    for _ in range(20000):
        emitter.text.emit("x")
        emitter.flag.emit(True)
        label.setText("y")
        timer.start(10)
        timer.stop()
    after = [sys.getrefcount(o) for o in (True, False, None)]
    print(*(a - b for a, b in zip(after, before)))
    """
)


def test_signals_and_setters_do_not_wear_down_true_false_and_none() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"PySide6 {PySide6.__version__} aborted: {done.stderr[-500:]}"
    deltas = [int(d) for d in done.stdout.split()]
    # Unrelated allocations move a count by one or two; the binding bug lost one per call (tens of thousands).
    assert all(d > -1000 for d in deltas), f"references lost on PySide6 {PySide6.__version__}: {deltas}"


# A nested Qt event loop started from a coroutine (processEvents(), a modal exec(), a static
# QFileDialog/QMessageBox getter) runs inside qasync's own timer event. Under load this left
# qasync's timers registered but never firing again: the loop sat idle in exec() with callbacks
# due, and the test run hung until CI's time ran out. Only the loop itself may process events.
NESTED_EVENT_LOOP = re.compile(
    r"processEvents\(|\.exec_?\(\)|QFileDialog\.get\w+\(|QMessageBox\.(question|warning|information|critical)\("
    r"|QInputDialog\.get\w+\("
)
# The loop's own last pass; the benchmark's bare PySide6 window, which runs Qt's loop without asyncio.
LOOP_OWNERS = {Path("ema_desktop/event_loop.py"), Path("bench/console_probe.py")}


def test_no_code_spins_a_nested_qt_event_loop() -> None:
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("ema_desktop", "tests", "bench")
        for path in sorted((root / folder).rglob("*.py"))
        if path.relative_to(root) not in LOOP_OWNERS and path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NESTED_EVENT_LOOP.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []
