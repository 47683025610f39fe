"""The status bar's permanent parts: the live link's state and the signed-in operator with their role."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.views import theme

ROLE_LABELS = LabelTable("OperatorRole", {
    "hotline": QT_TRANSLATE_NOOP("OperatorRole", "Hotline"),
    "technician": QT_TRANSLATE_NOOP("OperatorRole", "Technician"),
    "privacy_officer": QT_TRANSLATE_NOOP("OperatorRole", "Privacy officer"),
    "admin": QT_TRANSLATE_NOOP("OperatorRole", "Administrator"),
})

_STATE_COLOURS = {"connecting": "#8a94a3", "online": theme.OK, "reconnecting": theme.WARNING,
                  "offline": theme.DANGER, "stopped": "#8a94a3"}
_STATE_LABELS = LabelTable("ConnectionState", {
    "connecting": QT_TRANSLATE_NOOP("ConnectionState", "Connecting…"),
    "online": QT_TRANSLATE_NOOP("ConnectionState", "Online"),
    "reconnecting": QT_TRANSLATE_NOOP("ConnectionState", "Reconnecting…"),
    "offline": QT_TRANSLATE_NOOP("ConnectionState", "Offline"),
    "stopped": QT_TRANSLATE_NOOP("ConnectionState", "Signed out"),
})


class ConnectionIndicator(QWidget):
    """A coloured dot and a word: Online, Reconnecting…, Offline — since when, in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self._dot = QLabel()
        self._dot.setFixedSize(10, 10)
        self._text = QLabel()
        layout.addWidget(self._dot)
        layout.addWidget(self._text)
        self._state = ""
        self.set_state("connecting")

    @property
    def state(self) -> str:
        return self._state

    def text(self) -> str:
        return self._text.text()

    def set_state(self, state: str) -> None:
        if state == self._state:
            return
        self._state = state
        colour, label = _STATE_COLOURS.get(state, "#8a94a3"), _STATE_LABELS.label(state)
        self._dot.setStyleSheet(f"background: {colour}; border-radius: 5px;")
        self._text.setText(label)
        since = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.setToolTip(self.tr("Live updates: {state} since {since}").format(state=label, since=since))


class OperatorBadge(QLabel):
    """"Jana Nováková · Technician" at the right end of the status bar."""

    def __init__(self, display_name: str, roles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        role_text = ", ".join(ROLE_LABELS.label(r) for r in roles)
        self.setText(f"{display_name} · {role_text}")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setStyleSheet(f"color: {theme.MUTED};")
