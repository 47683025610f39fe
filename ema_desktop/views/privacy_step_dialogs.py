"""The small dialogs of a privacy request's workflow steps: asking for proof of identity, recording
the identity check, extending, completing, refusing, and the restriction and recipient-notice
steps.

Each dialog collects the step's fields and keeps OK disabled until they are complete; on OK it
runs the step it was given (`submit`, a coroutine taking the dialog's values) and stays open,
busy, until the server answers: refused, the server's reason is shown in the dialog (for a
completion: what is still missing) and the officer may correct and try again; done, it closes.
Dialogs are opened with `open()` (never a modal `exec()`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.privacy_workflow import ANSWER_CHANNELS, IDENTITY_CHECKS, PrivacyRequestDetail
from ema_desktop.data.privacy_workflow import StepFailed
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import local_time_text
from ema_desktop.models.privacy import ANSWER_CHANNEL_LABELS, IDENTITY_CHECK_LABELS, RIGHT_LABELS
from ema_desktop.views import theme

Submit = Callable[[dict[str, Any]], Awaitable[Any]]


def text_box(placeholder: str, lines: int = 4) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def choice_box(labels: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for value, label in labels.items():
        box.addItem(label, value)
    return box


class StepDialog(QDialog):
    """A form for one step, OK enabled once `missing()` is None, the step run on OK.

    Subclasses add their rows to `form`, return their values from `values()` and say what is
    still missing from `missing()`; they call `refresh()` when a field changes.
    """

    def __init__(self, title: str, intro: str, ok_text: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._submit = submit
        self._tasks = OwnedTasks(self)
        self._running = False
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self.form)
        self.hint = QLabel()
        self.hint.setObjectName("step-hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setObjectName("step-error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet(f"color: {theme.DANGER}; background: #fdecea; border: 1px solid {theme.DANGER};"
                                 " border-radius: 3px; padding: 6px;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        self.ok_button: QPushButton = ok
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, Any]:
        return {}

    def missing(self) -> str | None:
        """What the officer still has to fill in, or None when the step may be sent."""
        return None

    def refresh(self) -> None:
        missing = self.missing()
        self.ok_button.setEnabled(missing is None and not self._running)
        self.hint.setText(missing or "")
        self.hint.setVisible(bool(missing))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def submit(self) -> None:
        """Run the step with the dialog's values (what OK does)."""
        if self._running or self.missing() is not None:
            return
        self._running = True
        self.show_error("")
        self.refresh()
        self.setCursor(Qt.CursorShape.BusyCursor)
        self._tasks.start(self._run(self.values()))

    async def _run(self, values: dict[str, Any]) -> None:
        try:
            await self._submit(values)
        except StepFailed as failure:
            self.show_error(str(failure))
            return
        finally:
            self._running = False
            self.unsetCursor()
            self.refresh()
        self.accept()

    def _on_buttons_accepted(self) -> None:
        self.submit()


class TextStepDialog(StepDialog):
    """A step that needs one text: how proof of identity is asked for, a reason, a justification."""

    def __init__(self, title: str, intro: str, caption: str, placeholder: str, ok_text: str, submit: Submit,
                 parent: QWidget | None = None, *, key: str = "text", max_length: int = 1000) -> None:
        super().__init__(title, intro, ok_text, submit, parent)
        self._key = key
        self._max = max_length
        self.text = text_box(placeholder)
        self.text.setObjectName(f"step-{key}")
        self.text.textChanged.connect(self._on_text_changed)
        self.form.addRow(caption, self.text)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {self._key: self.text.toPlainText().strip()}

    def missing(self) -> str | None:
        text = self.text.toPlainText().strip()
        if not text:
            return self.tr("Fill in the text to continue.")
        if len(text) > self._max:
            return self.tr("At most {n} characters.").format(n=self._max)
        return None

    def _on_text_changed(self) -> None:
        self.refresh()


class IdentityVerificationDialog(StepDialog):
    """Which check passed and what was compared (never a copy of a document)."""

    def __init__(self, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Identity verified"),
                         self.tr("Record how the subject's identity was checked. Do not keep copies of documents: "
                                 "write what was compared."), self.tr("Record check"), submit, parent)
        self.check = choice_box({c: IDENTITY_CHECK_LABELS.label(c) for c in IDENTITY_CHECKS})
        self.check.setObjectName("step-check")
        self.detail = text_box(self.tr("e.g. card ending 4411 and last session on 3 Nov confirmed"), 3)
        self.detail.setObjectName("step-detail")
        self.detail.textChanged.connect(self._on_detail_text_changed)
        self.form.addRow(self.tr("Check"), self.check)
        self.form.addRow(self.tr("What was compared"), self.detail)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"check": self.check.currentData(), "detail": self.detail.toPlainText().strip()}

    def missing(self) -> str | None:
        return None if self.detail.toPlainText().strip() else self.tr("Say what was compared.")

    def _on_detail_text_changed(self) -> None:
        self.refresh()


class ExtensionDialog(StepDialog):
    """Extend by one or two months: the reason, and when the subject was told (within the first month)."""

    def __init__(self, request: PrivacyRequestDetail, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Extend the deadline"),
                         self.tr("The deadline may be extended by up to two months when the request is complex or "
                                 "there are many (Art. 12(3)). The subject must be told why within the first month, "
                                 "by {date}.").format(date=local_time_text(request.extension_notice_due_at)),
                         self.tr("Extend"), submit, parent)
        self._notice_due = request.extension_notice_due_at
        self._received = request.received_at
        self._told_changed = False  # untouched, the subject was told now (the server's clock)
        self.reason = text_box(self.tr("Why the request needs more time"), 3)
        self.reason.setObjectName("step-reason")
        self.months = QSpinBox()
        self.months.setObjectName("step-months")
        self.months.setRange(1, 2)
        self.months.setValue(2)
        self.months.setSuffix(self.tr(" months"))
        self.told = QDateTimeEdit(QDateTime.currentDateTime())
        self.told.setObjectName("step-notified-at")
        self.told.setCalendarPopup(True)
        self.told.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(self.tr("Extend by"), self.months)
        self.form.addRow(self.tr("Subject told at"), self.told)
        self.reason.textChanged.connect(self._on_field_changed)
        self.told.dateTimeChanged.connect(self._on_told_changed)
        self.refresh()

    def _told_at(self) -> datetime:
        # The edit shows local time; seconds since the epoch carry no zone to get wrong.
        return datetime.fromtimestamp(self.told.dateTime().toSecsSinceEpoch(), UTC)

    def values(self) -> dict[str, Any]:
        # The edit shows minutes: untouched, "now" is the server's, not this minute's start
        # (which may lie before a request received a moment ago).
        return {"reason": self.reason.toPlainText().strip(), "months": self.months.value(),
                "notified_at": self._told_at() if self._told_changed else None}

    def missing(self) -> str | None:
        if not self.reason.toPlainText().strip():
            return self.tr("Give the reason for the extension.")
        if self._told_at() > datetime.now(UTC):
            return self.tr("The subject cannot have been told in the future.")
        if self._told_changed and self._told_at() < self._received.replace(second=0, microsecond=0):
            return self.tr("The subject cannot have been told before the request was received.")
        if self._told_at() > self._notice_due:
            return self.tr("Too late: the subject had to be told by {date}; the deadline cannot be extended.").format(
                date=local_time_text(self._notice_due))
        return None

    def _on_field_changed(self, *_: object) -> None:
        self.refresh()

    def _on_told_changed(self, _moment: QDateTime) -> None:
        self._told_changed = True
        self.refresh()


class CompletionDialog(StepDialog):
    """What was done, as told to the subject, and how the answer went out."""

    def __init__(self, request: PrivacyRequestDetail, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Complete {number}").format(number=request.number),
                         self.tr("{right} request: the answer to the subject. The server checks that what the law "
                                 "requires for this right is done.").format(right=RIGHT_LABELS.label(request.right)),
                         self.tr("Complete"), submit, parent)
        self.outcome = text_box(self.tr("What was done, as told to the subject"), 4)
        self.outcome.setObjectName("step-outcome")
        self.channel = choice_box({c: ANSWER_CHANNEL_LABELS.label(c) for c in ANSWER_CHANNELS})
        self.channel.setObjectName("step-channel")
        preferred = self.channel.findData(request.channel)
        if preferred >= 0:
            self.channel.setCurrentIndex(preferred)
        self.form.addRow(self.tr("Outcome"), self.outcome)
        self.form.addRow(self.tr("Answer sent by"), self.channel)
        self.outcome.textChanged.connect(self._on_outcome_text_changed)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"outcome": self.outcome.toPlainText().strip(), "answer_channel": self.channel.currentData()}

    def missing(self) -> str | None:
        return None if self.outcome.toPlainText().strip() else self.tr("Write the outcome.")

    def _on_outcome_text_changed(self) -> None:
        self.refresh()


class RefusalDialog(StepDialog):
    """Refusing needs the reason and the notice of the right to complain to ÚOOÚ (Art. 12(4))."""

    def __init__(self, request: PrivacyRequestDetail, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Refuse {number}").format(number=request.number),
                         self.tr("A refusal must give the subject the reason and tell them they may complain to the "
                                 "supervisory authority (ÚOOÚ) and seek a judicial remedy."),
                         self.tr("Refuse"), submit, parent)
        self.reason = text_box(self.tr("Why the request is refused"), 4)
        self.reason.setObjectName("step-reason")
        self.channel = choice_box({c: ANSWER_CHANNEL_LABELS.label(c) for c in ANSWER_CHANNELS})
        self.channel.setObjectName("step-channel")
        self.notice = QCheckBox(self.tr("The answer tells the subject they may complain to ÚOOÚ and go to court"))
        self.notice.setObjectName("step-authority-notice")
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(self.tr("Answer sent by"), self.channel)
        self.form.addRow(self.notice)  # the whole width: the sentence must be read in full
        self.setMinimumWidth(600)
        self.reason.textChanged.connect(self._on_field_changed)
        self.notice.toggled.connect(self._on_field_changed)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText().strip(), "authority_notice": self.notice.isChecked(),
                "answer_channel": self.channel.currentData()}

    def missing(self) -> str | None:
        if not self.reason.toPlainText().strip():
            return self.tr("Give the reason for the refusal.")
        if not self.notice.isChecked():
            return self.tr("A refusal must tell the subject of the right to complain to ÚOOÚ (Art. 12(4)).")
        return None

    def _on_field_changed(self, *_: object) -> None:
        self.refresh()


class ChannelStepDialog(StepDialog):
    """A step that records how the subject was told (the restriction's lift notice)."""

    def __init__(self, title: str, intro: str, ok_text: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(title, intro, ok_text, submit, parent)
        self.channel = choice_box({c: ANSWER_CHANNEL_LABELS.label(c) for c in ANSWER_CHANNELS})
        self.channel.setObjectName("step-channel")
        self.form.addRow(self.tr("Told by"), self.channel)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"channel": self.channel.currentData()}
