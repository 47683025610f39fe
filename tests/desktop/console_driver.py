"""Driving the whole console in a test as an operator would: a Console running on the test's
event loop, its sign-in dialog filled in, its questions answered by clicking their buttons."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication, QMessageBox

from ema_desktop.console import Console
from ema_desktop.options import ConsoleOptions
from ema_desktop.views.sign_in import SignInDialog
from ema_desktop.workspace import Workspace
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.waiting import until


def options_for(url: str) -> ConsoleOptions:
    return ConsoleOptions(server_url=url, demo=False, demo_stations=30, snapshot_dir=None, snapshot_timeout=60)


def question() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            return widget
    return None


async def answer(label: str) -> str:
    """Click the button labelled `label` of the question the console asks; returns the question."""
    await until(lambda: question() is not None, what="the question")
    box = question()
    assert box is not None
    text = box.text()
    button = next(b for b in box.buttons() if b.text() == label)
    button.click()
    return text


def sign_in_dialog() -> SignInDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SignInDialog) and widget.isVisible():
            return widget
    return None


class RunningConsole:
    def __init__(self, url: str) -> None:
        self.console = Console(QApplication.instance(), options_for(url))  # type: ignore[arg-type]
        self.task: asyncio.Task[int] = asyncio.ensure_future(self.console.run())

    @property
    def workspace(self) -> Workspace:
        assert self.console.workspace is not None
        return self.console.workspace

    async def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> Workspace:
        await until(lambda: sign_in_dialog() is not None, what="the sign-in dialog")
        dialog = sign_in_dialog()
        assert dialog is not None
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.buttons.accepted.emit()
        return await self.opened()

    async def opened(self) -> Workspace:
        await until(lambda: self.console.workspace is not None and self.console.workspace.window.isVisible(),
                    what="the main window")
        return self.workspace

    async def quit(self) -> int:
        if self.console.workspace is not None:
            self.console.workspace.window.close()
        dialog = sign_in_dialog()
        if dialog is not None:
            dialog.reject()
        return await asyncio.wait_for(self.task, 20)


