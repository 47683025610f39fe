"""Console tests: real Qt widgets offscreen, on the qasync event loop the console itself runs on.

Async tests here run on a `qasync.QEventLoop`, so awaiting inside a test also processes Qt
events (timers fire, widgets repaint, signals are delivered) exactly as in the running console.
Wait for a condition with `until()` from tests.desktop.waiting, never with a sleep.
The OS keyring is the one edge of the world the tests cannot reach: an in-memory backend stands
in for it, fresh for every test.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt object exists

import asyncio
import gc
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import keyring
import pytest
import pytestqt.plugin
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from ema_desktop.backend.client import BackendClient
from ema_desktop.data.access import DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.event_loop import ConsoleEventLoop
from ema_desktop.translations import LANGUAGE_ENV, install_translator
from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.seed.demo import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, seed_demo
from tests.desktop.memory_keyring import MemoryKeyring
from tests.live_server import RunningServer


def _qt_loop() -> ConsoleEventLoop:
    app = QApplication.instance() or QApplication(["ema-desktop-tests"])
    return ConsoleEventLoop(app)


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], object]]:
    return {"qt": _qt_loop}


@pytest.fixture(autouse=True, scope="session")
def english_as_the_console_speaks_it(qapp: QApplication) -> None:
    """The tests read the console in English, whatever the machine's locale, with the English
    catalogue installed as the console installs it: it words the plurals ("1 change", "2 changes")."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LANGUAGE_ENV, "en")
        assert install_translator(qapp) == "en"


@pytest.fixture(autouse=True, scope="session")
def events_processed_only_inside_the_loop() -> Iterator[None]:
    """pytest-qt processes Qt events between test phases, while no asyncio loop runs: an asyncio
    callback of a live server or client delivered then fails ("no running event loop"). The
    console's tests process events only inside their qasync loop."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pytestqt.plugin, "_process_events", lambda: None)
        yield


@pytest.fixture(autouse=True)
def earlier_loops_collected() -> None:
    """Collect the event loops of earlier tests here, on the GUI thread.

    Each test's qasync loop owns a parentless QObject timer and sits in reference cycles, so it is
    freed by the cyclic garbage collector, which runs in whichever thread happens to allocate.
    A Qt timer freed on a worker thread (the local store's) leaves the GUI thread's timer list
    pointing at freed memory, and the next timer crashes the process.
    """
    gc.collect()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Window layout (QSettings) and platform data/config directories in the test's own folder."""
    home = tmp_path / "home"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    QCoreApplication.setOrganizationName("SECTRON-tests")
    QCoreApplication.setApplicationName("ema-desktop-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qsettings"))
    yield home


# --- a real server with the small demo data, and the console's data layer signed in to it -------



DEMO_PASSWORD = DEFAULT_DEMO_PASSWORD
DEMO_SEED = 5


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The small demo data set seeded once per test run; each test serves its own copy."""
    path = tmp_path_factory.mktemp("console-demo") / "demo.db"
    shutil.copy(sqlite_template, path)

    async def run() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await seed_demo(db, "small", DEMO_SEED)
        finally:
            await db.dispose()

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DEMO_PASSWORD_ENV, raising=False)
        asyncio.run(run())
    return path


@pytest.fixture
async def console_db(demo_database: Path, tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "server.db"
    shutil.copy(demo_database, path)
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def console_server(console_db: Database) -> AsyncIterator[RunningServer]:
    """ema-server with the demo data on a loopback port, in the test's (qasync) loop."""
    app = create_app(console_db, housekeeping=False)
    app.state.sse_heartbeat_seconds = 2.0
    server = RunningServer(app)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def backend(console_server: RunningServer) -> AsyncIterator[BackendClient]:
    """The console's client signed in as the demo administrator."""
    client = BackendClient(console_server.url, retry_delays=(0.05, 0.1))
    await client.sign_in("demo.admin", DEMO_PASSWORD)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def data_access(backend: BackendClient) -> AsyncIterator[DataAccess]:
    """The data-access layer over the signed-in client; its live stream is stopped afterwards."""
    data = DataAccess(backend)
    try:
        yield data
    finally:
        await data.stop_live()


@pytest.fixture
async def local_access(backend: BackendClient, tmp_path: Path) -> AsyncIterator[DataAccess]:
    """The data-access layer over the operator's encrypted store, after its first sync: reads come
    from the store and every write goes through the outbox, as in the console."""
    local = LocalData(backend, tmp_path / "local", "demo.admin")
    await local.open()
    assert await local.pull_now()
    data = DataAccess(backend, local)
    assert data.from_store
    try:
        yield data
    finally:
        await data.stop_live()
        await local.close()
