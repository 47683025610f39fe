"""Asking the operator a question without blocking the event loop: a message box opened with
`open()` whose answer is awaited (a modal `exec()` inside a coroutine would nest event loops)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget


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
    answer: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def on_clicked(button: QAbstractButton) -> None:
        if not answer.done():
            answer.set_result(buttons.get(button))

    def on_finished(_code: int) -> None:
        if not answer.done():
            answer.set_result(None)

    box.buttonClicked.connect(on_clicked)
    box.finished.connect(on_finished)
    box.open()
    try:
        return await answer
    finally:
        box.close()
        box.deleteLater()


async def choose_save_file(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str | None:
    """A save-file dialog (opened, not exec'd); the chosen path, None if cancelled."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilter(name_filter)
    dialog.selectFile(suggested)
    answer: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def on_selected(path: str) -> None:
        if not answer.done():
            answer.set_result(path or None)

    def on_finished(_code: int) -> None:
        if not answer.done():
            answer.set_result(None)

    dialog.fileSelected.connect(on_selected)
    dialog.finished.connect(on_finished)
    dialog.open()
    try:
        return await answer
    finally:
        dialog.close()
        dialog.deleteLater()
