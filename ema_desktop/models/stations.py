"""The stations the device map shows: one pin per device with its coordinates and live status.

Someone else feeds `StationMapModel` (from the server's device list and the event stream); the
device map and anything else that wants "where is each station and how is it" read it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable

STATUS_LABELS = LabelTable("StationStatus", {
    "Faulted": QT_TRANSLATE_NOOP("StationStatus", "Faulted"),
    "Unavailable": QT_TRANSLATE_NOOP("StationStatus", "Unavailable"),
    "Offline": QT_TRANSLATE_NOOP("StationStatus", "Offline"),
    "Charging": QT_TRANSLATE_NOOP("StationStatus", "Charging"),
    "SuspendedEV": QT_TRANSLATE_NOOP("StationStatus", "SuspendedEV"),
    "SuspendedEVSE": QT_TRANSLATE_NOOP("StationStatus", "SuspendedEVSE"),
    "Preparing": QT_TRANSLATE_NOOP("StationStatus", "Preparing"),
    "Finishing": QT_TRANSLATE_NOOP("StationStatus", "Finishing"),
    "Reserved": QT_TRANSLATE_NOOP("StationStatus", "Reserved"),
    "Available": QT_TRANSLATE_NOOP("StationStatus", "Available"),
    "Online": QT_TRANSLATE_NOOP("StationStatus", "Online"),
})
"""A device's status as the operator reads it. In English that is the word the station (OCPP) or
the server reports, so lists and tooltips read the same as the station's own log; translations
say it in words."""

DEVICE_KIND_LABELS = LabelTable("DeviceKind", {
    "charging_station": QT_TRANSLATE_NOOP("DeviceKind", "Charging station"),
    "wallbox": QT_TRANSLATE_NOOP("DeviceKind", "Wallbox"),
    "router": QT_TRANSLATE_NOOP("DeviceKind", "Router"),
    "modem": QT_TRANSLATE_NOOP("DeviceKind", "Modem"),
    "sim": QT_TRANSLATE_NOOP("DeviceKind", "SIM"),
    "meter": QT_TRANSLATE_NOOP("DeviceKind", "Meter"),
})


def status_label(status: str) -> str:
    """"Faulted" ("Porucha" in Czech); a status the console does not know as reported."""
    return STATUS_LABELS.label(status)


def device_kind_label(kind: str) -> str:
    """"Charging station" for charging_station; an unknown kind as the server spells it."""
    return DEVICE_KIND_LABELS.label(kind)


@dataclass(frozen=True)
class StationPin:
    """One device on the map."""

    device_id: str
    label: str  # OCPP identity or serial
    customer_name: str | None
    kind: str  # "charging_station", "wallbox", "router", ...
    latitude: float
    longitude: float
    status: str  # OCPP status, "Offline", "Online" or anything else the server reports
    error_code: str | None
    region: str | None

    @property
    def tooltip(self) -> str:
        """What an operator sees when hovering the pin."""
        lines = [self.label]
        if self.customer_name:
            lines.append(self.customer_name)
        status = status_label(self.status)
        if self.error_code and self.error_code != "NoError":
            status = f"{status} — {self.error_code}"  # OCPP error codes stay as the station reports them
        lines.append(QCoreApplication.translate("StationPin", "Status: {status}").format(status=status))
        return "\n".join(lines)


# Colours chosen to read on the light basemap and to be told apart at marker size: red for the
# one state that needs action, amber for "out of service", grey for "no contact", blues for a
# session in progress (lighter when suspended), teals for a plug-in before or after charging,
# green for "ready". Every marker also gets a dark outline, so the light ones stay visible.
STATUS_COLOURS: dict[str, str] = {
    "Faulted": "#d93025",
    "Unavailable": "#f29900",
    "Offline": "#80868b",
    "Charging": "#1a73e8",
    "SuspendedEV": "#8ab4f8",
    "SuspendedEVSE": "#8ab4f8",
    "Preparing": "#12a4b4",
    "Finishing": "#7fcdd5",
    "Reserved": "#9334e6",
    "Available": "#1e8e3e",
    "Online": "#34a853",
}
UNKNOWN_STATUS_COLOUR = "#c5b9a6"  # a neutral sand, distinct from Offline grey

# The order statuses are listed in (legend, counts): what needs attention first.
STATUS_ORDER: tuple[str, ...] = tuple(STATUS_COLOURS)


def status_colour(status: str) -> QColor:
    """The marker colour for a status; a neutral colour for one the console does not know."""
    return QColor(STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR))


class StationMapModel(QAbstractListModel):
    """Stations with coordinates and live status, one row per device, in insertion order.

    Roles (on top of DisplayRole = label, ToolTipRole = tooltip text, DecorationRole = status
    colour): DeviceIdRole, PinRole (the StationPin), StatusRole, ErrorCodeRole, CustomerRole,
    KindRole, RegionRole.

    Signals: only the standard model signals — modelReset after `set_stations`, rowsInserted
    when `upsert` adds a device, dataChanged for the one row `upsert`/`update_status` changed.
    """

    DeviceIdRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 1
    PinRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 2
    StatusRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 3
    ErrorCodeRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 4
    CustomerRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 5
    KindRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 6
    RegionRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 7

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pins: list[StationPin] = []
        self._rows: dict[str, int] = {}
        # Kept up to date on every change so the legend can ask for counts on each status
        # update without walking thousands of pins.
        self._counts: Counter[str] = Counter()

    # --- reading ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._pins)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._pins):
            return None
        pin = self._pins[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return pin.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return pin.tooltip
        if role == Qt.ItemDataRole.DecorationRole:
            return status_colour(pin.status)
        if role == self.DeviceIdRole:
            return pin.device_id
        if role == self.PinRole:
            return pin
        if role == self.StatusRole:
            return pin.status
        if role == self.ErrorCodeRole:
            return pin.error_code
        if role == self.CustomerRole:
            return pin.customer_name
        if role == self.KindRole:
            return pin.kind
        if role == self.RegionRole:
            return pin.region
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(
            {
                self.DeviceIdRole: QByteArray(b"deviceId"),
                self.PinRole: QByteArray(b"pin"),
                self.StatusRole: QByteArray(b"status"),
                self.ErrorCodeRole: QByteArray(b"errorCode"),
                self.CustomerRole: QByteArray(b"customerName"),
                self.KindRole: QByteArray(b"kind"),
                self.RegionRole: QByteArray(b"region"),
            }
        )
        return names

    def pin(self, device_id: str) -> StationPin | None:
        row = self._rows.get(device_id)
        return None if row is None else self._pins[row]

    def pins(self) -> list[StationPin]:
        """All pins in row order (a copy)."""
        return list(self._pins)

    def row_of(self, device_id: str) -> int | None:
        return self._rows.get(device_id)

    def status_counts(self) -> dict[str, int]:
        """How many devices are in each status (statuses with no device are left out)."""
        return {status: n for status, n in self._counts.items() if n > 0}

    # --- changing --------------------------------------------------------------------------

    def set_stations(self, pins: Sequence[StationPin]) -> None:
        """Replace every pin (a later pin with the same device id wins)."""
        self.beginResetModel()
        unique: dict[str, StationPin] = {}
        for pin in pins:
            unique[pin.device_id] = pin
        self._pins = list(unique.values())
        self._rows = {pin.device_id: row for row, pin in enumerate(self._pins)}
        self._counts = Counter(pin.status for pin in self._pins)
        self.endResetModel()

    def upsert(self, pin: StationPin) -> None:
        """Add a device, or replace the pin of one already shown."""
        row = self._rows.get(pin.device_id)
        if row is None:
            row = len(self._pins)
            self.beginInsertRows(QModelIndex(), row, row)
            self._pins.append(pin)
            self._rows[pin.device_id] = row
            self._counts[pin.status] += 1
            self.endInsertRows()
            return
        old = self._pins[row]
        if old == pin:
            return
        self._replace(row, pin)

    def update_status(self, device_id: str, status: str, error_code: str | None) -> bool:
        """Record a device's new status; False (and nothing changes) for a device not on the map."""
        row = self._rows.get(device_id)
        if row is None:
            return False
        old = self._pins[row]
        if old.status != status or old.error_code != error_code:
            self._replace(row, replace(old, status=status, error_code=error_code))
        return True

    def _replace(self, row: int, pin: StationPin) -> None:
        old = self._pins[row]
        self._pins[row] = pin
        self._counts[old.status] -= 1
        self._counts[pin.status] += 1
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [])
