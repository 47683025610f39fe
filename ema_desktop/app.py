"""Entry point of ema-desktop: the QApplication, the qasync event loop and the console's wiring."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import signal
import sys
from collections.abc import Sequence
from types import TracebackType

from ema_desktop import options as console_options
from ema_desktop.paths import log_dir

log = logging.getLogger("ema_desktop")


def _configure_logging() -> None:
    """A rotating log file in the platform log directory. Messages carry ids and error types, never
    personal data or secrets (the client and models log nothing else)."""
    handler = logging.handlers.RotatingFileHandler(log_dir() / "ema-desktop.log", maxBytes=2_000_000,
                                                   backupCount=3, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console until its window closes; the exit status for the shell."""
    opts = console_options.parse(argv)  # --version and --help exit here, before any Qt is loaded
    _configure_logging()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ema_desktop.console import Console
    from ema_desktop.event_loop import ConsoleEventLoop
    from ema_desktop.translations import install_translator
    from ema_desktop.views.theme import apply_theme

    app = QApplication.instance() or QApplication(["ema-desktop", *(argv if argv is not None else sys.argv[1:])])
    assert isinstance(app, QApplication)
    app.setOrganizationName("SECTRON")
    app.setApplicationName("ema-desktop")
    app.setApplicationDisplayName("EMA Console")
    apply_theme(app)
    install_translator(app)

    console = Console(app, opts)

    def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        # An error in a slot: log it, tell the operator in one line, keep the console running.
        log.error("unhandled error", exc_info=(kind, exc, tb))
        workspace = console.workspace
        if workspace is not None:
            from ema_desktop.backend.problems import describe

            workspace.window.show_message(describe(exc))

    sys.excepthook = _excepthook

    async def _run() -> int:
        main_task = asyncio.current_task()
        assert main_task is not None

        def _on_signal(_signum: int, _frame: object) -> None:
            main_task.get_loop().call_soon_threadsafe(main_task.cancel)

        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
        # Python runs signal handlers only between bytecodes: a cheap timer lets it look while Qt waits.
        wake = QTimer()
        wake.start(250)
        wake.timeout.connect(lambda: None)
        try:
            return await console.run()
        except asyncio.CancelledError:
            log.info("interrupted")
            return 130
        finally:
            wake.stop()

    with asyncio.Runner(loop_factory=lambda: ConsoleEventLoop(app)) as runner:
        return runner.run(_run())


if __name__ == "__main__":
    sys.exit(main())
