"""The console's life: sign in (or start the demo), open a workspace, and on sign-out or an
ended session go back to signing in; on quit, close everything and stop the demo's children."""

from __future__ import annotations

import asyncio
import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem, ServerUnreachable, describe
from ema_desktop.backend.vault import RefreshTokenVault
from ema_desktop.cache.database import StoreError
from ema_desktop.cache.hygiene import DEFAULT_MAX_AGE_DAYS
from ema_desktop.data.local_data import LocalData, StoreState
from ema_desktop.models.labels import QT_TRANSLATE_NOOP
from ema_desktop.options import DEFAULT_SERVER_URL, ConsoleOptions
from ema_desktop.paths import data_dir
from ema_desktop.views import theme
from ema_desktop.views.questions import ask
from ema_desktop.views.sign_in import SignInDialog
from ema_desktop.workspace import Workspace

log = logging.getLogger(__name__)

NO_KEYRING_NOTICE = QT_TRANSLATE_NOOP(
    "Console",
    "No OS keyring is available: your sign-in is kept in memory only, so you will sign in again next time.",
)
"""Told once when the refresh token cannot be kept (in English; shown in the operator's language)."""
SESSION_ENDED_NOTICE = QT_TRANSLATE_NOOP("Console", "Your session has ended. Sign in again.")
MEMORY_STORE_NOTICE = QT_TRANSLATE_NOOP(
    "Console",
    "No OS keyring is available: local data is kept in memory only and discarded when the console closes.",
)


MAX_AGE_SETTING = "local_data/max_age_days"
"""QSettings key: local history unchanged this many days, and not pinned, is purged (default 30)."""


def _max_age_days() -> int:
    try:
        days = int(str(QSettings().value(MAX_AGE_SETTING, DEFAULT_MAX_AGE_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_MAX_AGE_DAYS
    return days if days >= 1 else DEFAULT_MAX_AGE_DAYS


class Console(QObject):
    """Runs the console until the operator quits; `run()` returns the process exit status."""

    def __init__(self, app: QApplication, options: ConsoleOptions) -> None:
        super().__init__()
        self.app = app
        # The console decides when to quit: between sign-out and the next sign-in no window is open.
        app.setQuitOnLastWindowClosed(False)
        self.options = options
        self.vault = RefreshTokenVault()
        self.workspace: Workspace | None = None
        self._keyring_notice_shown = False
        self._opened_offline: LocalData | None = None

    async def run(self) -> int:
        if self.options.demo:
            return await self._run_demo()
        notice = ""
        while True:
            client = await self._sign_in(notice)
            if client is None:
                return 0
            how = await self._work(client)
            await client.aclose()
            if how == "closed":
                return 0
            notice = QCoreApplication.translate("Console", SESSION_ENDED_NOTICE) if how == "session_ended" else ""

    # ------------------------------------------------------------------ demo
    async def _run_demo(self) -> int:
        from ema_desktop.demo import DemoEnvironment, DemoError

        splash = QLabel(QCoreApplication.translate("Console", "Starting the EMA demo…"))
        splash.setWindowTitle(QCoreApplication.translate("Console", "EMA Console"))
        splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splash.setMinimumSize(420, 120)
        splash.setStyleSheet(f"font-size: 12pt; color: {theme.TEXT}; background: {theme.BASE}; padding: 24px;")
        splash.show()
        demo = DemoEnvironment(stations=self.options.demo_stations, on_progress=splash.setText)
        try:
            try:
                session = await demo.start()
            except DemoError as exc:
                log.error("demo failed to start: %s", exc)
                print(f"ema-desktop: {exc}")
                return 1
            client = BackendClient(session.server_url, vault=self.vault,
                                   on_session_ended=self._on_client_session_ended)
            try:
                await client.sign_in(session.username, session.password)
                splash.close()
                return await self._work_demo(client)
            finally:
                await client.aclose()
        finally:
            splash.close()
            splash.deleteLater()
            await demo.stop()

    async def _work_demo(self, client: BackendClient) -> int:
        if self.options.snapshot_dir is None:
            await self._work(client)
            return 0
        from ema_desktop.snapshot import SnapshotTimeout, take_snapshots

        local = await self._open_local(client, None)
        workspace = Workspace(client, local)
        self.workspace = workspace
        try:
            await workspace.open()
            saved = await take_snapshots(workspace, self.options.snapshot_dir, self.options.snapshot_timeout)
            print("\n".join(str(p) for p in saved))
            return 0
        except SnapshotTimeout as exc:
            print(f"ema-desktop: snapshot failed: {exc}")
            return 1
        finally:
            await workspace.close()
            if local is not None:
                await local.wipe()
            self.workspace = None

    # ------------------------------------------------------------------ signing in
    def _on_client_session_ended(self) -> None:
        if self.workspace is not None:
            self.workspace.session_ended()

    async def _sign_in(self, notice: str) -> BackendClient | None:
        settings = QSettings()
        server = self.options.server_url or str(settings.value("sign_in/server", DEFAULT_SERVER_URL))
        username = str(settings.value("sign_in/username", ""))
        if username and not notice:
            client = BackendClient(server, vault=self.vault, on_session_ended=self._on_client_session_ended)
            try:
                if await client.resume(username) is not None:
                    return client
            except ServerUnreachable as exc:
                # A field laptop away from the network: work from the local data if there is some.
                if await self._start_offline(client, username):
                    return client
                notice = describe(exc)
            except Exception as exc:  # fall back to the dialog, with the reason
                notice = describe(exc)
            await client.aclose()
        return await self._sign_in_dialog(server, username, notice)

    async def _sign_in_dialog(self, server: str, username: str, notice: str) -> BackendClient | None:
        loop = asyncio.get_running_loop()
        result: asyncio.Future[BackendClient | None] = loop.create_future()
        dialog = SignInDialog(server, username, notice)
        attempts: set[asyncio.Task[None]] = set()

        async def attempt(server_url: str, name: str, password: str, code: str) -> None:
            client = BackendClient(server_url, vault=self.vault, on_session_ended=self._on_client_session_ended)
            try:
                await client.sign_in(name, password, code or None)
            except ApiProblem as exc:
                await client.aclose()
                if exc.code == "totp_required":
                    dialog.ask_for_code(str(exc))
                else:
                    dialog.show_error(str(exc))
                return
            except Exception as exc:
                await client.aclose()
                dialog.show_error(describe(exc))
                return
            settings = QSettings()
            settings.setValue("sign_in/server", server_url)
            settings.setValue("sign_in/username", name)
            if not result.done():
                result.set_result(client)
            dialog.accept()

        def on_requested(server_url: str, name: str, password: str, code: str) -> None:
            task = asyncio.ensure_future(attempt(server_url, name, password, code))
            attempts.add(task)
            task.add_done_callback(attempts.discard)

        def on_finished(_code: int) -> None:
            if not result.done():
                result.set_result(None)

        dialog.sign_in_requested.connect(on_requested)
        dialog.finished.connect(on_finished)
        dialog.open()
        try:
            return await result
        finally:
            for task in attempts:
                task.cancel()
            dialog.deleteLater()

    async def _start_offline(self, client: BackendClient, username: str) -> bool:
        """Open the last operator's local data without the server; False when there is none to use."""
        local = LocalData(client, await asyncio.to_thread(data_dir), username, _max_age_days())
        try:
            if await local.open() is not StoreState.OPEN or not local.first_sync_done:
                await local.close()
                return False
            operator = await local.remembered_operator()
            if operator is None or not await client.resume_offline(username, operator):
                await local.close()
                return False
        except StoreError:
            await local.close()
            return False
        log.info("starting offline from the local store")
        self._opened_offline = local
        return True

    async def _open_local(self, client: BackendClient, parent: QWidget | None) -> LocalData | None:
        """The operator's local store, opened; None when the operator chose to work without it."""
        local, self._opened_offline = self._opened_offline, None
        if local is not None:
            return local
        assert client.operator is not None
        local = LocalData(client, await asyncio.to_thread(data_dir), client.operator.username, _max_age_days())
        try:
            state: StoreState | None = await local.open()
            if state is StoreState.UNREADABLE:
                state = await self._store_unreadable(local, parent)
                if state is None or state is StoreState.UNREADABLE:
                    await local.close()
                    return None
            await local.remember_operator(client.operator)
            if await local.wipe_pending():
                # The last session was revoked with unsent work: send it, then start afresh.
                await local.send_now()
                if not sum((await local.outbox_counts()).values()):
                    await local.wipe()
                    local = LocalData(client, local.data_dir, client.operator.username, local.max_age_days)
                    await local.open()
                    await local.remember_operator(client.operator)
        except StoreError as exc:
            log.error("local store unusable: %s", exc)
            await local.close()
            return None
        return local

    async def _store_unreadable(self, local: LocalData, parent: QWidget | None) -> StoreState | None:
        choice = await ask(
            parent, self.tr("Local data cannot be opened"),
            self.tr("The local data on this computer cannot be opened: its key is missing from the "
                    "keyring or does not match."),
            [("reset", self.tr("Start with fresh local data")),
             ("without", self.tr("Work online only"))],
            informative=self.tr("Starting afresh downloads your data again. The old file is kept aside, not "
                                "deleted, because it may hold changes that never reached the server."),
            warning=True, default="reset",
        )
        if choice != "reset":
            return None
        kept = await local.set_aside_unreadable()
        if kept is not None:
            log.warning("unreadable local store set aside as %s", kept.name)
        return await local.open()

    async def _end_local(self, local: LocalData, how: str, parent: QWidget | None) -> None:
        """Close the store; on sign-out the operator may delete it (told what unsent work that loses)."""
        if self.options.demo:
            await local.wipe()  # the demo's server and data are gone with it
            return
        if how == "session_ended" and local.client.session_revoked:
            await self._end_revoked(local, parent)
            return
        if how != "sign_out" or not local.state.persistent:
            await local.close()
            return
        await local.send_now()
        unsent = sum((await local.outbox_counts()).values())
        informative = self.tr("Keeping it lets you work offline after your next sign-in. It stays "
                              "encrypted with a key in your keyring.")
        delete_label = self.tr("Delete local data")
        if unsent:
            informative = self.tr("%n change(s) made here have not reached the server yet; deleting "
                                  "the local data discards them.", "", unsent)
            delete_label = self.tr("Delete, discarding %n change(s)", "", unsent)
        choice = await ask(parent, self.tr("Sign out"),
                           self.tr("Keep the local data on this computer?"),
                           [("keep", self.tr("Keep local data")), ("delete", delete_label)],
                           informative=informative, warning=bool(unsent), default="keep")
        if choice == "delete":
            await local.wipe()
        else:
            await local.close()

    async def _end_revoked(self, local: LocalData, parent: QWidget | None) -> None:
        """The server ended the session: the local data goes, but never unsent work silently."""
        unsent = sum((await local.outbox_counts()).values())
        if not unsent or not local.state.persistent:
            await local.wipe()
            return
        choice = await ask(
            parent, self.tr("Session ended by the server"),
            self.tr("Your session was ended on the server, so the local data on this computer will be "
                    "deleted. %n change(s) made here have not reached the server yet.", "", unsent),
            [("export", self.tr("Export them to a file, then delete")),
             ("keep", self.tr("Keep them to send after I sign in again"))],
            informative=self.tr("An exported file is not encrypted: store it safely and hand it to "
                                "someone who can enter the changes."),
            warning=True, default="keep",
        )
        if choice == "export":
            from pathlib import Path

            from ema_desktop.views.questions import choose_save_file

            chosen = await choose_save_file(parent, self.tr("Export unsent changes"),
                                            "ema-unsent-changes.json", self.tr("JSON files (*.json)"))
            if chosen:
                await local.export_outbox(Path(chosen))
                await local.wipe()
                return
        await local.keep_until_sent()
        await local.close()

    # ------------------------------------------------------------------ working
    async def _work(self, client: BackendClient) -> str:
        """Open the workspace and wait until it ends; how it ended."""
        local = await self._open_local(client, None)
        workspace = Workspace(client, local)
        self.workspace = workspace
        ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_finished(how: str) -> None:
            if not ended.done():
                ended.set_result(how)

        workspace.finished.connect(on_finished)
        how = "closed"
        try:
            await workspace.open()
            # What start-up made lives as long as the window: full collections on the GUI thread
            # need not walk it again and again (one took 86 ms during a first sync).
            gc.freeze()
            if self.vault.uses_keyring is False and not self._keyring_notice_shown:
                self._keyring_notice_shown = True
                notice = MEMORY_STORE_NOTICE if local is not None else NO_KEYRING_NOTICE
                workspace.window.show_message(QCoreApplication.translate("Console", notice), error=False)
            how = await ended
            if local is not None:
                await self._end_local(local, how, workspace.window)
                local = None
            if how == "sign_out":
                try:
                    await client.sign_out()
                except Exception as exc:
                    log.warning("sign-out could not reach the server: %s", type(exc).__name__)
            return how
        finally:
            await workspace.close()
            if local is not None:
                await local.close()
            self.workspace = None
