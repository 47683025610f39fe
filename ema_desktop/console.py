"""The console's life: sign in (or start the demo), open a workspace, and on sign-out or an
ended session go back to signing in; on quit, close everything and stop the demo's children."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem, describe
from ema_desktop.backend.vault import RefreshTokenVault
from ema_desktop.models.labels import QT_TRANSLATE_NOOP
from ema_desktop.options import DEFAULT_SERVER_URL, ConsoleOptions
from ema_desktop.views import theme
from ema_desktop.views.sign_in import SignInDialog
from ema_desktop.workspace import Workspace

log = logging.getLogger(__name__)

NO_KEYRING_NOTICE = QT_TRANSLATE_NOOP(
    "Console",
    "No OS keyring is available: your sign-in is kept in memory only, so you will sign in again next time.",
)
"""Told once when the refresh token cannot be kept (in English; shown in the operator's language)."""
SESSION_ENDED_NOTICE = QT_TRANSLATE_NOOP("Console", "Your session has ended. Sign in again.")


class Console:
    """Runs the console until the operator quits; `run()` returns the process exit status."""

    def __init__(self, app: QApplication, options: ConsoleOptions) -> None:
        self.app = app
        # The console decides when to quit: between sign-out and the next sign-in no window is open.
        app.setQuitOnLastWindowClosed(False)
        self.options = options
        self.vault = RefreshTokenVault()
        self.workspace: Workspace | None = None
        self._keyring_notice_shown = False

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

        workspace = Workspace(client)
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
            except Exception as exc:  # unreachable server etc.: fall back to the dialog, with the reason
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

    # ------------------------------------------------------------------ working
    async def _work(self, client: BackendClient) -> str:
        """Open the workspace and wait until it ends; how it ended."""
        workspace = Workspace(client)
        self.workspace = workspace
        ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_finished(how: str) -> None:
            if not ended.done():
                ended.set_result(how)

        workspace.finished.connect(on_finished)
        try:
            await workspace.open()
            if self.vault.uses_keyring is False and not self._keyring_notice_shown:
                self._keyring_notice_shown = True
                workspace.window.show_message(QCoreApplication.translate("Console", NO_KEYRING_NOTICE), error=False)
            how = await ended
            if how == "sign_out":
                try:
                    await client.sign_out()
                except Exception as exc:
                    log.warning("sign-out could not reach the server: %s", type(exc).__name__)
            return how
        finally:
            await workspace.close()
            self.workspace = None
