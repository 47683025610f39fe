"""The status bar's permanent parts: the live link's state and the signed-in operator with their role."""

from __future__ import annotations

from datetime import datetime

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
        self._data_as_of: str | None = None
        self._unreachable = False
        self.set_state("connecting")

    @property
    def state(self) -> str:
        return "offline" if self._unreachable and self._state != "stopped" else self._state

    def text(self) -> str:
        return self._text.text()

    def set_data_as_of(self, moment: datetime | None) -> None:
        """When the local data last caught up with the server: said while offline."""
        self._data_as_of = None if moment is None else _local_time(moment)
        self._show()

    def set_reachable(self, reachable: bool) -> None:
        """What the last sync or send found: unreachable means offline, whatever the live link's
        retries are doing, until the link is back online."""
        self._unreachable = not reachable
        self._show()

    def set_state(self, state: str) -> None:
        if state == "online":
            self._unreachable = False
        if state == self._state:
            return
        self._state = state
        self._show()
        label = _STATE_LABELS.label(state)
        since = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.setToolTip(self.tr("Live updates: {state} since {since}").format(state=label, since=since))

    def _show(self) -> None:
        state = "offline" if self._unreachable and self._state != "stopped" else self._state
        colour, label = _STATE_COLOURS.get(state, "#8a94a3"), _STATE_LABELS.label(state)
        if state == "offline" and self._data_as_of:
            label = self.tr("Offline — data as of {time}").format(time=self._data_as_of)
        self._dot.setStyleSheet(f"background: {colour}; border-radius: 5px;")
        self._text.setText(label)


def _local_time(moment: datetime) -> str:
    """"14:32" today, "25. 11. 14:32" on another day (local time)."""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return f"{local.day}. {local.month}. {local.strftime('%H:%M')}"


class OperatorBadge(QLabel):
    """"Jana Nováková · Technician" at the right end of the status bar."""

    def __init__(self, display_name: str, roles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        role_text = ", ".join(ROLE_LABELS.label(r) for r in roles)
        self.setText(f"{display_name} · {role_text}")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setStyleSheet(f"color: {theme.MUTED};")
