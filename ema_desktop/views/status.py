"""The status bar's permanent parts: the live link's state and the signed-in operator with their role."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ema_desktop.views import theme

ROLE_LABELS = {"hotline": "Hotline", "technician": "Technician", "privacy_officer": "Privacy officer",
               "admin": "Administrator"}

_STATES = {
    "connecting": ("#8a94a3", "Connecting…"),
    "online": (theme.OK, "Online"),
    "reconnecting": (theme.WARNING, "Reconnecting…"),
    "offline": (theme.DANGER, "Offline"),
    "stopped": ("#8a94a3", "Signed out"),
}


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
        colour, label = _STATES.get(state, ("#8a94a3", state))
        self._dot.setStyleSheet(f"background: {colour}; border-radius: 5px;")
        self._text.setText(self.tr(label))
        since = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.setToolTip(self.tr("Live updates: {state} since {since}").format(state=self.tr(label), since=since))


class OperatorBadge(QLabel):
    """"Jana Nováková · Technician" at the right end of the status bar."""

    def __init__(self, display_name: str, roles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        role_text = ", ".join(self.tr(ROLE_LABELS.get(r, r)) for r in roles)
        self.setText(f"{display_name} · {role_text}")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setStyleSheet(f"color: {theme.MUTED};")
