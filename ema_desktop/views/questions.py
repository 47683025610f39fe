"""Asking the operator something without blocking the event loop: a dialog opened with `open()`
whose answer is awaited (a modal `exec()` inside a coroutine would nest event loops)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QMessageBox, QWidget

T = TypeVar("T")


async def _answer_of(dialog: QDialog, wire: Callable[[Callable[[T | None], None]], None]) -> T | None:
    """Open `dialog` and wait for the answer `wire` delivers; None when it closes without one."""
    answer: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()

    def deliver(value: T | None) -> None:
        if not answer.done():
            answer.set_result(value)

    wire(deliver)
    dialog.finished.connect(lambda _code: deliver(None))
    dialog.open()
    try:
        return await answer
    finally:
        dialog.close()
        dialog.deleteLater()


async def ask(parent: QWidget | None, title: str, text: str, choices: Sequence[tuple[str, str]],
              *, informative: str = "", warning: bool = False, default: str | None = None) -> str | None:
    """Show `text` with one button per (key, label) choice; the chosen key, None if dismissed."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    buttons: dict[QAbstractButton, str] = {}
    for key, label in choices:
        button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        buttons[button] = key
        if key == default:
            box.setDefaultButton(button)

    def wire(deliver: Callable[[str | None], None]) -> None:
        box.buttonClicked.connect(lambda button: deliver(buttons.get(button)))

    return await _answer_of(box, wire)


async def choose_save_file(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str | None:
    """A save-file dialog; the chosen path, None if cancelled."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilter(name_filter)
    dialog.selectFile(suggested)

    def wire(deliver: Callable[[str | None], None]) -> None:
        dialog.fileSelected.connect(lambda path: deliver(path or None))

    return await _answer_of(dialog, wire)
