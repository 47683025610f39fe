"""Erasing a data subject from the console: the confirmation the officer types before the server
erases (the customer number or full name, as in the plan: the button stays disabled until it
matches), and the erasure report with the letters to the subject (Czech and English), each
savable to a file.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.privacy_workflow import Erasure, ErasurePlan
from ema_desktop.backend.problems import describe
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import local_time_text
from ema_desktop.models.privacy import BASIS_LABELS
from ema_desktop.views import theme
from ema_desktop.views.privacy_step_dialogs import StepDialog, Submit
from ema_desktop.views.questions import choose_save_file

translate = QCoreApplication.translate


class ErasureConfirmDialog(StepDialog):
    """The last check before an erasure: what happens, and the customer typed to confirm."""

    def __init__(self, plan: ErasurePlan, submit: Submit, parent: QWidget | None = None) -> None:
        customer = plan.customer
        name = customer.name if customer else ""
        number = (customer.customer_number if customer else None) or ""
        counts: Counter[str] = Counter()
        for item in plan.items:
            counts[item.action] += item.count
        super().__init__(
            self.tr("Execute erasure"),
            self.tr("This erases {name} ({number}) for good: {deleted} records are deleted and {anonymised} "
                    "anonymised; {kept} are kept, restricted, until their legal basis ends. It cannot be undone.")
            .format(name=name, number=number or "—", deleted=counts["delete"], anonymised=counts["anonymise"],
                    kept=counts["keep"]),
            self.tr("Erase"), submit, parent)
        self.intro.setStyleSheet(f"color: {theme.DANGER}; font-weight: 600;")
        self._accepted = {value for value in (name.strip(), number.strip()) if value}
        self.confirmation = QLineEdit()
        self.confirmation.setObjectName("erasure-confirmation")
        self.confirmation.setPlaceholderText(self.tr("The customer number or the full name"))
        self.confirmation.textChanged.connect(self._on_confirmation_text_changed)
        self.form.addRow(self.tr("Type to confirm"), self.confirmation)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"confirm_customer": self.confirmation.text().strip()}

    def missing(self) -> str | None:
        if self.confirmation.text().strip() not in self._accepted:
            return self.tr("Type the customer number or the full name exactly as shown above.")
        return None

    def _on_confirmation_text_changed(self, _text: str) -> None:
        self.refresh()




def report_text(erasure: Erasure) -> str:
    """The erasure report as plain text: what was erased, anonymised, kept until when and why."""
    report = erasure.report
    lines = [translate("ErasureReport", "Erasure report"), "",
             translate("ErasureReport", "Executed: {time}").format(time=local_time_text(erasure.executed_at)), ""]

    def named(item: Any) -> str:
        if isinstance(item, dict):
            label = item.get("label_en") or item.get("category") or ""
            count = item.get("count")
            return f"{label}: {count}" if count is not None else str(label)
        return str(item)

    for title, items in ((translate("ErasureReport", "Erased"), report.erased),
                         (translate("ErasureReport", "Anonymised"), report.anonymised)):
        lines.append(title)
        lines += [f"  • {named(item)}" for item in items] or ["  —"]
        lines.append("")
    lines.append(translate("ErasureReport", "Kept"))
    for kept in report.kept:
        until = kept.keep_until.isoformat() if kept.keep_until else "—"
        basis = BASIS_LABELS.label(kept.basis) if kept.basis else "—"
        reference = f" ({kept.legal_reference})" if kept.legal_reference else ""
        lines.append(f"  • {kept.label_en}: {kept.count} — {basis}{reference}, "
                     + translate("ErasureReport", "until {date}").format(date=until))
    if not report.kept:
        lines.append("  —")
    lines.append("")
    lines.append(translate("ErasureReport", "Recipients notified"))
    lines += [f"  • {named(item) if not isinstance(item, dict) else item.get('name', named(item))}"
              for item in report.recipients] or ["  —"]
    lines.append("")
    verification = erasure.verification
    lines.append(translate("ErasureReport", "Verification: the subject's identifiers no longer resolve.")
                 if verification.ok
                 else translate("ErasureReport", "Verification FAILED: some identifiers still resolve."))
    still, gone = translate("ErasureReport", "still resolves"), translate("ErasureReport", "gone")
    lines += [f"  • {check.identifier_kind}: " + (still if check.resolves else gone) for check in verification.checks]
    return "\n".join(lines)


class ErasureReportDialog(QDialog):
    """The report and the two letters, each on its own tab, each savable to a text file."""

    def __init__(self, erasure: Erasure, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erasure report · {number}").format(number=number))
        self.resize(760, 620)
        self._number = number
        self._tasks = OwnedTasks(self)
        layout = QVBoxLayout(self)
        self.verdict = QLabel()
        self.verdict.setObjectName("erasure-verdict")
        self.verdict.setWordWrap(True)
        ok = erasure.verification.ok
        self.verdict.setText(self.tr("Erased on {time}. The subject's identifiers no longer resolve.").format(
            time=local_time_text(erasure.executed_at)) if ok else
            self.tr("Erased on {time}, but the verification found identifiers that still resolve: tell IT.").format(
                time=local_time_text(erasure.executed_at)))
        self.verdict.setStyleSheet(f"color: {theme.OK if ok else theme.DANGER}; font-weight: 600;")
        layout.addWidget(self.verdict)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("erasure-tabs")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.texts: dict[str, QPlainTextEdit] = {}
        for key, title, text in (("report", self.tr("Report"), report_text(erasure)),
                                 ("letter_cs", self.tr("Letter (Czech)"), erasure.letter_cs),
                                 ("letter_en", self.tr("Letter (English)"), erasure.letter_en)):
            view = QPlainTextEdit(text)
            view.setObjectName(f"erasure-{key}")
            view.setReadOnly(True)
            if key == "report":
                view.setFont(mono)
            self.tabs.addTab(view, title)
            self.texts[key] = view
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("erasure-save-status")
        self.status.setWordWrap(True)
        self.status.hide()
        bottom = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.setObjectName("erasure-save")
        self.save_button.setToolTip(self.tr("Save the text of the tab shown to a file"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.status, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    def current_key(self) -> str:
        return list(self.texts)[self.tabs.currentIndex()]

    async def save_to(self, path: str) -> None:
        """Write the shown tab's text to `path` (off the GUI thread)."""
        text = self.texts[self.current_key()].toPlainText()
        try:
            await asyncio.get_running_loop().run_in_executor(None, lambda: Path(path).write_text(text, "utf-8"))
        except OSError as exc:
            self._show_status(describe(exc), error=True)
            return
        self._show_status(self.tr("Saved to {path}.").format(path=path), error=False)

    def _show_status(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {theme.DANGER if error else theme.MUTED};")
        self.status.show()

    async def _save(self) -> None:
        key = self.current_key()
        path = await choose_save_file(self, self.tr("Save"), f"{self._number}-{key.replace('_', '-')}.txt",
                                      self.tr("Text files (*.txt)"))
        if path:
            await self.save_to(path)

    def _on_save_button_clicked(self) -> None:
        self._tasks.start(self._save())

