"""The status bar's local-data part: the first download's progress with a Cancel, and the writes
that wait for the server ("2 changes waiting to be sent", "1 conflict to resolve")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ema_desktop.views import theme


class SyncStatus(QWidget):
    """Sync progress and unsent work, each shown only while there is something to say.

    Signals:
        cancel_requested(): the operator stopped the running download.
        outbox_requested(): the operator clicked the unsent-work label (to review conflicts and refusals).
    """

    cancel_requested = Signal()
    outbox_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self._progress_text = QLabel()
        self._bar = QProgressBar()
        self._bar.setFixedWidth(120)
        self._bar.setMaximumHeight(14)
        self._bar.setTextVisible(False)
        self._cancel = QToolButton()
        self._cancel.setText(self.tr("Cancel"))
        self._cancel.setAutoRaise(True)
        self._cancel.clicked.connect(self.cancel_requested)
        self._outbox = QToolButton()
        self._outbox.setAutoRaise(True)
        self._outbox.setCursor(Qt.CursorShape.PointingHandCursor)
        self._outbox.clicked.connect(self.outbox_requested)
        for widget in (self._progress_text, self._bar, self._cancel, self._outbox):
            layout.addWidget(widget)
            widget.hide()

    # ------------------------------------------------------------------ sync
    def show_progress(self, records: int, fraction: float, first_sync: bool) -> None:
        """A pull is storing records; only a long one (the first) is worth a progress bar."""
        if not first_sync:
            return
        if fraction >= 0:
            self._bar.setRange(0, 1000)
            self._bar.setValue(int(fraction * 1000))
            text = self.tr("Downloading data for offline use… {percent} %").format(percent=int(fraction * 100))
        else:
            self._bar.setRange(0, 0)
            text = self.tr("Downloading data for offline use… {count} records").format(count=f"{records:,}")
        self._progress_text.setText(text)
        for widget in (self._progress_text, self._bar, self._cancel):
            widget.show()

    def hide_progress(self) -> None:
        for widget in (self._progress_text, self._bar, self._cancel):
            widget.hide()

    def progress_text(self) -> str:
        return self._progress_text.text() if self._progress_text.isVisible() else ""

    # ------------------------------------------------------------------ outbox
    def show_outbox(self, counts: dict[str, int]) -> None:
        conflicts = counts.get("conflict", 0)
        refused = counts.get("failed", 0)
        waiting = counts.get("pending", 0) + counts.get("sending", 0)
        parts: list[str] = []
        colour = theme.WARNING
        if conflicts:
            parts.append(self.tr("%n conflict(s) to resolve", "", conflicts))
            colour = theme.DANGER
        if refused:
            parts.append(self.tr("%n change(s) refused", "", refused))
            colour = theme.DANGER
        if waiting:
            parts.append(self.tr("%n change(s) waiting to be sent", "", waiting))
        if not parts:
            self._outbox.hide()
            return
        self._outbox.setText(" · ".join(parts))
        self._outbox.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self._outbox.setToolTip(self.tr("Changes made here that the server does not have yet. Click to review."))
        self._outbox.show()

    def outbox_text(self) -> str:
        return self._outbox.text() if self._outbox.isVisible() else ""
