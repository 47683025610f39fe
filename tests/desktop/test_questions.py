"""Questions asked without blocking the event loop: the operator's click is the answer, closing the
box is no answer, and a chosen file name comes back as a path."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ema_desktop.views.questions import ask, choose_save_file
from tests.desktop.waiting import until


def _visible(kind: type) -> object | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


async def test_the_clicked_choice_is_the_answer_and_the_loop_keeps_running() -> None:
    ticks: list[int] = []

    async def tick() -> None:
        while True:
            ticks.append(1)
            await asyncio.sleep(0.01)

    ticker = asyncio.ensure_future(tick())
    question = asyncio.ensure_future(ask(None, "Sign out", "Keep the local data on this computer?",
                                         [("keep", "Keep local data"), ("delete", "Delete local data")]))
    try:
        await until(lambda: _visible(QMessageBox) is not None, what="the question")
        seen = len(ticks)
        await until(lambda: len(ticks) > seen + 3, what="the loop running while the question waits")
        box = _visible(QMessageBox)
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == "Delete local data").click()
        assert await question == "delete"
    finally:
        ticker.cancel()


async def test_closing_the_question_is_no_answer() -> None:
    question = asyncio.ensure_future(ask(None, "Title", "Text?", [("yes", "Yes")]))
    await until(lambda: _visible(QMessageBox) is not None, what="the question")
    box = _visible(QMessageBox)
    assert isinstance(box, QMessageBox)
    box.reject()
    assert await question is None


async def test_a_chosen_file_name_comes_back(tmp_path: Path) -> None:
    chosen = asyncio.ensure_future(choose_save_file(None, "Export unsent changes", "unsent.json",
                                                    "JSON files (*.json)"))
    await until(lambda: _visible(QFileDialog) is not None, what="the file dialog")
    dialog = _visible(QFileDialog)
    assert isinstance(dialog, QFileDialog)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(str(tmp_path / "unsent.json"))
    dialog.accept()
    assert await chosen == str(tmp_path / "unsent.json")
