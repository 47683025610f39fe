"""The selected station's power and energy for the live telemetry pane: history plus live events.

What a technician sees, and why:

* **Power, one line per connector** ("Connector 1", "Connector 2"; a connector-0 series, the
  station's own meter, is "Station"). Stations report active power per connector with no phase
  (the simulator and the demo data both do), so one line per connector answers the question a
  technician asks first: *which* outlet is drawing what. Should a station report power per
  phase, each phase is its own line ("Connector 1 L2"). The big number is the station's total
  right now: the latest power of every connector summed (phase lines summed when a connector has
  no phase-less total; the station meter is counted only when no connector reports, so nothing
  is counted twice). :meth:`StationTelemetry.latest_at` tells whether "right now" is stale.
* **Energy delivered in the window, per connector.** Stations report energy as a lifetime
  register (e.g. 12 345.6 kWh); two registers of very different size on one axis would be two
  flat lines. :meth:`StationTelemetry.delivered` turns each register into "kWh delivered since
  the window began" — flat while idle, rising while charging, its slope the power — which makes
  "the car draws power but the meter does not count" (or the reverse) visible at a glance. A
  register that drops (meter replaced, register reset) adds nothing rather than a negative
  delivery. The raw registers stay available from :meth:`StationTelemetry.series`.

Points arrive by the thousand: a station reports every few seconds per connector, for hours.
Each series is a :class:`_Buffer`, a numpy array pair with a moving start: appending is
amortised O(1), dropping old points only moves the start (the dead head is reclaimed when it
outgrows the live part), and the pane reads zero-copy, read-only views.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QCoreApplication, QObject, Signal

FloatArray = NDArray[np.float64]

POWER = "power"
ENERGY = "energy"
MEASURANDS: tuple[str, ...] = (POWER, ENERGY)
# Enough for a chart about a thousand pixels wide: the server keeps each bucket's minimum and
# maximum, so spikes survive the reduction.
HISTORY_MAX_POINTS = 1200
_INITIAL_CAPACITY = 64


class TelemetryLoader(Protocol):
    """Reads a device's telemetry history (the server's TelemetryOut JSON, unchanged)."""

    async def station_telemetry(
        self, device_id: str, measurands: Sequence[str], since: datetime, until: datetime, max_points: int
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class TelemetryLine:
    """One series of the selected station as the chart draws it.

    `times` (epoch seconds) and `values` (in `unit`) are read-only numpy arrays of equal length,
    in time order. They are snapshots: later points do not change them.
    """

    key: str
    """The label the operator reads: "Connector 1", "Connector 1 L2", "Station"."""
    unit: str
    times: FloatArray
    values: FloatArray
    connector_no: int
    phase: str


class _Buffer:
    """Time-ordered (time, value) points of one series, unique by time."""

    __slots__ = ("_end", "_start", "_times", "_values", "unit")

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._times: FloatArray = np.empty(_INITIAL_CAPACITY)
        self._values: FloatArray = np.empty(_INITIAL_CAPACITY)
        self._start = 0
        self._end = 0

    def __len__(self) -> int:
        return self._end - self._start

    def view(self) -> tuple[FloatArray, FloatArray]:
        times = self._times[self._start : self._end]
        values = self._values[self._start : self._end]
        times.flags.writeable = False
        values.flags.writeable = False
        return times, values

    def last(self) -> tuple[float, float] | None:
        if self._end == self._start:
            return None
        return float(self._times[self._end - 1]), float(self._values[self._end - 1])

    def add(self, at: float, value: float) -> bool:
        """Add one point; False when a point of that time is already there."""
        if self._end > self._start and at <= self._times[self._end - 1]:
            # Late or repeated: a station flushing readings buffered while it was offline.
            times, values = self.view()
            index = int(np.searchsorted(times, at))
            if times[index] == at:
                return False
            self._replace(np.insert(times, index, at), np.insert(values, index, value))
            return True
        if self._end == len(self._times):
            self._reallocate(len(self) + 1)
        self._times[self._end] = at
        self._values[self._end] = value
        self._end += 1
        return True

    def merge(self, times: FloatArray, values: FloatArray) -> None:
        """Merge a batch of points (any order); points whose time is already held are ignored."""
        if len(times) == 0:
            return
        held_times, held_values = self.view()
        # Held points first: a stable sort keeps them ahead of a loaded point of the same time.
        all_times = np.concatenate((held_times, times))
        all_values = np.concatenate((held_values, values))
        order = np.argsort(all_times, kind="stable")
        all_times, all_values = all_times[order], all_values[order]
        keep = np.ones(len(all_times), dtype=bool)
        keep[1:] = all_times[1:] != all_times[:-1]
        self._replace(all_times[keep], all_values[keep])

    def trim_before(self, at: float) -> None:
        times = self._times[self._start : self._end]
        self._start += int(np.searchsorted(times, at))
        if self._start == self._end:
            self._start = self._end = 0
        elif self._start > len(self):
            self._reallocate(len(self))

    def _reallocate(self, needed: int) -> None:
        # A fresh array, never an in-place move: views handed out earlier must not change.
        capacity = max(_INITIAL_CAPACITY, 2 * needed)
        times, values = np.empty(capacity), np.empty(capacity)
        count = len(self)
        times[:count] = self._times[self._start : self._end]
        values[:count] = self._values[self._start : self._end]
        self._times, self._values, self._start, self._end = times, values, 0, count

    def _replace(self, times: FloatArray, values: FloatArray) -> None:
        count = len(times)
        capacity = max(_INITIAL_CAPACITY, 2 * count)
        self._times, self._values = np.empty(capacity), np.empty(capacity)
        self._times[:count] = times
        self._values[:count] = values
        self._start, self._end = 0, count


_SeriesKey = tuple[str, int, str]  # measurand, connector_no, phase


def line_label(connector_no: int, phase: str) -> str:
    if connector_no == 0:
        name = QCoreApplication.translate("TelemetryLabels", "Station")
    else:
        name = QCoreApplication.translate("TelemetryLabels", "Connector {no}").format(no=connector_no)
    return f"{name} {phase}" if phase else name


def _points(raw: Any) -> tuple[FloatArray, FloatArray]:
    """[[epoch_ms, value], ...] as (epoch seconds, values), dropping points that are not numbers."""
    try:
        array = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        array = np.asarray(
            [p for p in raw if isinstance(p, Sequence) and len(p) == 2 and all(_is_number(x) for x in p)],
            dtype=np.float64,
        )
    if array.ndim != 2 or array.shape[1] != 2:
        return np.empty(0), np.empty(0)
    array = array[np.isfinite(array).all(axis=1)]
    return array[:, 0] / 1000.0, array[:, 1]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _series_key(entry: Mapping[str, Any]) -> _SeriesKey | None:
    measurand, connector_no, phase = entry.get("measurand"), entry.get("connector_no", 0), entry.get("phase") or ""
    if measurand not in MEASURANDS or not isinstance(connector_no, int) or not isinstance(phase, str):
        return None
    return measurand, connector_no, phase


class StationTelemetry(QObject):
    """The selected station's power and energy series, from history plus live events.

    The window slides with the wall clock: points older than `now - window` are dropped as live
    points arrive. Every load is numbered; a load that finishes after the operator moved on (to
    another station or another window) is thrown away.

    Signals:
        changed: the series changed (new station, history loaded, live points, window).
        failed: loading the history failed; the message is for the operator.
        loading_changed: a history load started (True) or the last one ended (False).
    """

    changed = Signal()
    failed = Signal(str)
    loading_changed = Signal(bool)

    WINDOWS: tuple[timedelta, ...] = (
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=6),
        timedelta(hours=24),
    )
    DEFAULT_WINDOW = timedelta(hours=1)

    def __init__(self, loader: TelemetryLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._device_id: str | None = None
        self._title = ""
        self._window = self.DEFAULT_WINDOW
        self._buffers: dict[_SeriesKey, _Buffer] = {}
        self._generation = 0
        self._loading = False

    # --- what the pane reads ---------------------------------------------------------------

    @property
    def device_id(self) -> str | None:
        return self._device_id

    @property
    def title(self) -> str:
        return self._title

    @property
    def window(self) -> timedelta:
        return self._window

    @property
    def loading(self) -> bool:
        return self._loading

    def series(self, measurand: str) -> list[TelemetryLine]:
        """The lines of `measurand` the station has reported, by connector then phase.

        A series the server knows but with no point in the window is included (empty), so the
        legend shows the connector.
        """
        lines = []
        for (name, connector_no, phase), buffer in sorted(self._buffers.items()):
            if name == measurand:
                times, values = buffer.view()
                lines.append(TelemetryLine(line_label(connector_no, phase), buffer.unit, times, values,
                                           connector_no, phase))
        return lines

    def latest(self, measurand: str) -> float | None:
        """The station's total now: the latest value of every connector summed (see module doc)."""
        lasts = [last for last in (b.last() for b in self._summed(measurand)) if last is not None]
        return sum(value for _, value in lasts) if lasts else None

    def latest_at(self, measurand: str) -> float | None:
        """Epoch seconds of the newest point behind :meth:`latest`."""
        lasts = [last for last in (b.last() for b in self._summed(measurand)) if last is not None]
        return max(at for at, _ in lasts) if lasts else None

    def delivered(self) -> list[TelemetryLine]:
        """Energy delivered since the window began, per energy line (kWh, starts at 0)."""
        return [
            TelemetryLine(line.key, line.unit, line.times, delivered_since_start(line.values),
                          line.connector_no, line.phase)
            for line in self.series(ENERGY)
        ]

    def delivered_in_window(self) -> float | None:
        """The station's energy delivered in the window (kWh), or None with no energy points."""
        totals = [
            float(delivered_since_start(buffer.view()[1])[-1]) for buffer in self._summed(ENERGY) if len(buffer)
        ]
        return sum(totals) if totals else None

    def point_count(self) -> int:
        return sum(len(buffer) for buffer in self._buffers.values())

    # --- what the console calls ------------------------------------------------------------

    async def show_station(self, device_id: str, title: str) -> None:
        """Show `device_id`: clear, load the history of the current window, then keep live points."""
        self._device_id, self._title = device_id, title
        self._buffers.clear()
        self.changed.emit()
        await self._load()

    def clear(self) -> None:
        """Show no station (the operator deselected it); a load in flight is thrown away."""
        self._generation += 1
        self._device_id, self._title = None, ""
        self._buffers.clear()
        self._set_loading(False)
        self.changed.emit()

    async def set_window(self, window: timedelta) -> None:
        """Show the last `window` of the station, reloading its history at that resolution."""
        self._window = window
        self._trim()
        self.changed.emit()
        if self._device_id is not None:
            await self._load()

    def add_live(self, device_id: str, series: Sequence[Mapping[str, Any]]) -> None:
        """Points of a `telemetry` event; ignored unless `device_id` is the station shown."""
        if device_id != self._device_id:
            return
        oldest = time.time() - self._window.total_seconds()
        added = False
        for entry in series:
            if not isinstance(entry, Mapping) or (key := _series_key(entry)) is None:
                continue
            buffer = self._buffer(key, entry.get("unit"))
            times, values = _points(entry.get("points", ()))
            for at, value in zip(times.tolist(), values.tolist(), strict=True):
                if at >= oldest:
                    added = buffer.add(at, value) or added
        if added:
            self._trim()
            self.changed.emit()

    # --- internals ---------------------------------------------------------------------------

    async def _load(self) -> None:
        self._generation += 1
        generation, device_id, window = self._generation, self._device_id, self._window
        assert device_id is not None
        self._set_loading(True)
        until = datetime.now(UTC)
        try:
            out = await self._loader.station_telemetry(device_id, MEASURANDS, until - window, until,
                                                       HISTORY_MAX_POINTS)
        except Exception as exc:  # the loader's errors carry a message for a person
            if generation == self._generation:
                self._set_loading(False)
                self.failed.emit(str(exc) or QCoreApplication.translate(
                    "TelemetryLabels", "The station's telemetry could not be loaded."))
            return
        except BaseException:
            if generation == self._generation:
                self._set_loading(False)
            raise
        if generation != self._generation:
            return  # the operator has moved on; this answer is for a view no longer shown
        self._set_loading(False)
        entries = out.get("series", []) if isinstance(out, Mapping) else []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and (key := _series_key(entry)) is not None:
                self._buffer(key, entry.get("unit")).merge(*_points(entry.get("points", ())))
        self._trim()
        self.changed.emit()

    def _buffer(self, key: _SeriesKey, unit: Any) -> _Buffer:
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = _Buffer(unit if isinstance(unit, str) and unit else _UNITS[key[0]])
        return buffer

    def _trim(self) -> None:
        oldest = time.time() - self._window.total_seconds()
        for buffer in self._buffers.values():
            buffer.trim_before(oldest)

    def _summed(self, measurand: str) -> list[_Buffer]:
        """The buffers whose latest values add up to the station's total (see module doc)."""
        by_connector: dict[int, dict[str, _Buffer]] = {}
        for (name, connector_no, phase), buffer in self._buffers.items():
            if name == measurand and len(buffer):
                by_connector.setdefault(connector_no, {})[phase] = buffer
        if any(connector_no > 0 for connector_no in by_connector):
            by_connector.pop(0, None)
        summed: list[_Buffer] = []
        for phases in by_connector.values():
            summed.extend([phases[""]] if "" in phases else phases.values())
        return summed

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)


_UNITS = {POWER: "kW", ENERGY: "kWh"}


def delivered_since_start(register: FloatArray) -> FloatArray:
    """A cumulative energy register as energy delivered since its first point; drops add nothing."""
    if len(register) == 0:
        return np.empty(0)
    steps = np.diff(register)
    delivered = np.empty(len(register))
    delivered[0] = 0.0
    np.cumsum(np.maximum(steps, 0.0), out=delivered[1:])
    return delivered


def with_gaps(times: FloatArray, values: FloatArray, max_gap: float) -> tuple[FloatArray, FloatArray]:
    """The points with a NaN wherever two are more than `max_gap` seconds apart.

    A station that was offline for twenty minutes must show a gap, not a straight line pretending
    it reported all along; a chart drawing with ``connect="finite"`` breaks the line at a NaN.
    """
    if len(times) < 2:
        return times, values
    breaks = np.flatnonzero(np.diff(times) > max_gap) + 1
    if len(breaks) == 0:
        return times, values
    gap_times = (times[breaks - 1] + times[breaks]) / 2
    return np.insert(times, breaks, gap_times), np.insert(values, breaks, math.nan)


def window_label(window: timedelta) -> str:
    """ "15 min", "1 h", "24 h": how the window selector names a window."""
    minutes = int(window.total_seconds() // 60)
    if minutes % 60 == 0:
        return QCoreApplication.translate("TelemetryLabels", "{n} h").format(n=minutes // 60)
    return QCoreApplication.translate("TelemetryLabels", "{n} min").format(n=minutes)
