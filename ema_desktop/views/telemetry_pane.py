"""The live telemetry pane: the selected station's power and energy, streaming, with pyqtgraph.

Two stacked charts share the time axis (local time): power per connector on top, energy
delivered in the window per connector below (what the lines mean: ema_desktop.models.telemetry).
A header carries the station, its total power now as a big number, the energy delivered in the
window and the window selector; a legend row names each connector with its colour and its
latest readings.

Repaints are coalesced: the model may report a point per connector every second, or a burst
of them when a station flushes buffered readings, but the charts are redrawn at most four
times a second, and once a second while idle so the window slides with the clock. The timer
that does this is a child of the pane, stops while the pane is hidden and dies with it.

The charts are styled per widget (background, axis pens, per-curve antialiasing);
`pg.setConfigOptions` is never called, so other pyqtgraph widgets of the console keep theirs.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.labels import QT_TRANSLATE_NOOP
from ema_desktop.models.telemetry import (
    ENERGY,
    HISTORY_MAX_POINTS,
    POWER,
    StationTelemetry,
    TelemetryLine,
    window_label,
    with_gaps,
)

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "TelemetryPane", "Select a station on the map or in a customer's detail to see its power and energy live.")
"""What the pane says while no station is selected (in English; shown in the operator's language)."""

# Light theme matching Qt's Fusion light palette.
BACKGROUND = "#ffffff"
AXIS = "#8a9099"
TEXT = "#3c4048"
MUTED = "#6b717b"
BORDER = "#d5d9df"
# Connector colours: distinct, readable on white, and safe for the common colour-vision
# deficiencies (Okabe-Ito order, darkened). Connector n takes CONNECTOR_COLOURS[(n - 1) % len].
CONNECTOR_COLOURS = ("#0b6fc2", "#e07000", "#138a5e", "#b0457f", "#6a51a3", "#8c6d1f")
STATION_COLOUR = "#4d5561"
_PHASE_STYLES = {"": Qt.PenStyle.SolidLine, "L1": Qt.PenStyle.SolidLine, "L2": Qt.PenStyle.DashLine,
                 "L3": Qt.PenStyle.DotLine}

REFRESH_MS = 250
"""Coalescing delay: at most four repaints a second however fast points arrive."""
SLIDE_MS = 1000
"""While nothing arrives, the window still slides with the clock once a second."""
NO_READING = "\u2013"  # an en dash where a number will be
STALE_AFTER_S = 120.0
"""An older latest power is labelled with its time instead of "now"."""
_MIN_GAP_S = 20 * 60.0
"""An idle station may report only every 15 minutes; a longer silence is drawn as a gap."""
_SYMBOLS_BELOW = 40
"""A series this short is drawn with a marker on each point (one point draws no line)."""
_ANTIALIAS_UP_TO = 3000
"""Longer series are drawn without antialiasing: Qt strokes a wide antialiased line through
thousands of noisy points in seconds, not milliseconds (a day of one-second readings)."""


def curve_colour(connector_no: int) -> str:
    return STATION_COLOUR if connector_no == 0 else CONNECTOR_COLOURS[(connector_no - 1) % len(CONNECTOR_COLOURS)]


def format_power(kw: float) -> str:
    return f"{kw:.0f} kW" if abs(kw) >= 100 else f"{kw:.1f} kW"


def format_energy(kwh: float) -> str:
    return f"{kwh:,.0f} kWh".replace(",", "\u202f") if abs(kwh) >= 1000 else f"{kwh:.1f} kWh"


def _local_time(epoch_s: float, seconds: bool = False) -> str:
    return datetime.fromtimestamp(epoch_s).strftime("%H:%M:%S" if seconds else "%H:%M")


class _ElidedLabel(QLabel):
    """A one-line label that ends in "…" when its text does not fit; the whole text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        if text != self._full_text:
            self._full_text = text
            self.setToolTip(text)
            self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight, self.width()))


class _Readout(QWidget):
    """A caption over a big number: "POWER NOW / 7.4 kW"."""

    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet(f"color: {MUTED};")
        caption_font = self.caption.font()
        caption_font.setPointSizeF(caption_font.pointSizeF() * 0.85)
        self.caption.setFont(caption_font)
        self.value = QLabel(NO_READING)
        self.value.setObjectName(f"{name}-value")
        value_font = self.value.font()
        value_font.setPointSizeF(value_font.pointSizeF() * 1.9)
        value_font.setWeight(QFont.Weight.DemiBold)
        self.value.setFont(value_font)
        self.value.setStyleSheet(f"color: {TEXT};")
        for label in (self.caption, self.value):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            layout.addWidget(label)


class _Chart(pg.PlotWidget):  # type: ignore[misc]
    """A chart that says when the mouse leaves it, so the hover readout can go (a subclass rather
    than an event filter: PySide may call a Python event filter while the pane is being destroyed).

    Signals:
        mouse_left(): the mouse pointer left the chart.
    """

    mouse_left = Signal()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.mouse_left.emit()


class TelemetryPane(QWidget):
    """Power and energy of the station selected in the console, live.

    Shows what `telemetry` holds and forwards the operator's choice of window to it. Which
    station is shown is decided elsewhere (map, customer detail) through
    :meth:`StationTelemetry.show_station`.

    Signals: none.
    """

    def __init__(self, telemetry: StationTelemetry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._telemetry = telemetry
        self._error = ""
        self._shown_device: str | None = None
        self._curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        self._legend_chips: dict[str, QLabel] = {}
        # Tasks this pane started (window changes); a plain set, so cancelling them when the
        # pane is destroyed needs no reference to the dying pane.
        self._tasks = OwnedTasks(self)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setObjectName("telemetry-refresh")
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor(BACKGROUND))
        self.setPalette(palette)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        self._header = self._build_header()
        layout.addWidget(self._header)
        self._banner = QLabel()
        self._banner.setObjectName("telemetry-error")
        self._banner.setWordWrap(True)
        self._banner.setStyleSheet(
            "QLabel { background: #fdf3e1; color: #7a4a00; border: 1px solid #f0d6a8; border-radius: 3px;"
            " padding: 4px 8px; }"
        )
        self._banner.hide()
        layout.addWidget(self._banner)

        self._body = QStackedWidget()
        self._empty = self._build_empty_state()
        self._message = self._centred_label("")
        self._charts = self._build_charts()
        for page in (self._empty, self._message, self._charts):
            self._body.addWidget(page)
        layout.addWidget(self._body, 1)

        telemetry.changed.connect(self._on_telemetry_changed)
        telemetry.failed.connect(self._on_telemetry_failed)
        telemetry.loading_changed.connect(self._on_telemetry_loading_changed)
        self._refresh()

    # --- what tests and the console read ------------------------------------------------------

    def has_data(self) -> bool:
        """A station is shown and at least one point is plotted."""
        return self._telemetry.device_id is not None and self.plotted_point_count() > 0

    def plotted_point_count(self) -> int:
        """Points actually in the plot curves (gap markers not counted)."""
        count = 0
        for curve in self._curves.values():
            if curve.isVisible():
                _, y = curve.getOriginalDataset()
                if y is not None:
                    count += int(np.count_nonzero(np.isfinite(y)))
        return count

    def shown_text(self) -> str:
        """The texts the operator reads in the pane now (header, message, banner), one per line."""
        page = self._body.currentWidget()
        labels: list[QWidget] = page.findChildren(QLabel) if page is self._empty else []
        if page is self._message:
            labels.append(self._message)
        if not self._header.isHidden():
            labels += [self._title, self._status, self._power.caption, self._power.value, self._energy.caption,
                       self._energy.value]
        if not self._banner.isHidden():
            labels.append(self._banner)
        return "\n".join(label.text() for label in labels if isinstance(label, QLabel) and label.text())

    # --- construction ------------------------------------------------------------------------

    def _centred_label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {MUTED}; padding: 24px;")
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        return label

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(1)
        heading = QLabel(self.tr("No station selected"))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        heading.setFont(font)
        heading.setStyleSheet(f"color: {TEXT};")
        column.addWidget(heading)
        self._empty_text = self._centred_label(QCoreApplication.translate("TelemetryPane", EMPTY_TEXT))
        self._empty_text.setStyleSheet(f"color: {MUTED}; padding: 4px 24px;")
        column.addWidget(self._empty_text)
        column.addStretch(1)
        return page

    def _build_header(self) -> QWidget:
        header = QWidget()
        row = QHBoxLayout(header)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)

        names = QVBoxLayout()
        names.setSpacing(2)
        self._title = _ElidedLabel()
        self._title.setObjectName("telemetry-title")
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(title_font)
        self._title.setStyleSheet(f"color: {TEXT};")
        self._status = QLabel()
        self._status.setStyleSheet(f"color: {MUTED};")
        names.addWidget(self._title)
        names.addWidget(self._status)
        names.addStretch(1)
        row.addLayout(names, 1)

        self._power = _Readout(self.tr("Power now"), "telemetry-power")
        self._energy = _Readout(self.tr("Energy, last {window}").format(window=window_label(self._telemetry.window)),
                                "telemetry-energy")
        row.addWidget(self._power)
        row.addWidget(self._energy)
        row.addWidget(self._build_window_selector(), 0, Qt.AlignmentFlag.AlignVCenter)
        return header

    def _build_window_selector(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("telemetry-window")
        frame.setStyleSheet(
            f"QFrame#telemetry-window {{ border: 1px solid {BORDER}; border-radius: 4px; background: #f6f7f9; }}"
            f"QToolButton {{ border: none; border-radius: 3px; padding: 3px 10px; color: {TEXT};"
            " background: transparent; }"
            "QToolButton:hover:!checked { background: #e8ecf2; }"
            "QToolButton:checked { background: #0b6fc2; color: white; }"
        )
        row = QHBoxLayout(frame)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(2)
        self._window_buttons = QButtonGroup(self)
        self._window_buttons.setExclusive(True)
        for index, window in enumerate(StationTelemetry.WINDOWS):
            button = QToolButton()
            button.setText(window_label(window))
            button.setCheckable(True)
            button.setToolTip(self.tr("Show the last {window}").format(window=window_label(window)))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self._window_buttons.addButton(button, index)
            row.addWidget(button)
        self._window_buttons.idClicked.connect(self._on_window_buttons_clicked)
        return frame

    def _build_charts(self) -> QWidget:
        charts = QWidget()
        column = QVBoxLayout(charts)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self._legend = QHBoxLayout()
        self._legend.setContentsMargins(62, 0, 0, 4)
        self._legend.setSpacing(22)
        self._legend.addStretch(1)
        column.addLayout(self._legend)
        self._power_plot = self._plot(self.tr("Power (kW)"), time_labels=False)
        self._power_plot.setObjectName("telemetry-power-chart")
        self._energy_plot = self._plot(self.tr("Energy delivered (kWh)"), time_labels=True)
        self._energy_plot.setObjectName("telemetry-energy-chart")
        self._energy_plot.setXLink(self._power_plot)
        column.addWidget(self._power_plot, 3)
        column.addWidget(self._energy_plot, 2)
        # Hover readout: a vertical line through both charts and the readings at that time.
        self._hover_lines: list[pg.InfiniteLine] = []
        for plot in (self._power_plot, self._energy_plot):
            hover_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(AXIS, style=Qt.PenStyle.DashLine))
            hover_line.hide()
            plot.addItem(hover_line, ignoreBounds=True)
            self._hover_lines.append(hover_line)
            plot.mouse_left.connect(self._hide_hover)
        self._hover_label = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 235), border=pg.mkPen(BORDER))
        self._hover_label.setZValue(10)
        self._hover_label.hide()
        self._power_plot.addItem(self._hover_label, ignoreBounds=True)
        self._power_plot.scene().sigMouseMoved.connect(self._on_power_plot_mouse_moved)
        self._energy_plot.scene().sigMouseMoved.connect(self._on_energy_plot_mouse_moved)
        return charts

    def _plot(self, label: str, time_labels: bool) -> _Chart:
        widget = _Chart(background=BACKGROUND, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        widget.setMinimumHeight(90)
        item = widget.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setClipToView(True)
        # "peak" keeps each pixel column's minimum and maximum: a one-sample spike stays visible.
        item.setDownsampling(auto=True, mode="peak")
        item.showGrid(x=True, y=True, alpha=0.12)
        item.getViewBox().setBorder(pg.mkPen(BORDER))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(AXIS))
            axis.setTextPen(pg.mkPen(TEXT))
            axis.setTickFont(font)
        left = item.getAxis("left")
        left.setWidth(62)  # both charts the same, so their time axes line up
        left.setLabel(label, color=MUTED)
        left.label.setFont(font)
        left.enableAutoSIPrefix(False)  # "(x0.001)" next to a kWh axis only confuses
        if not time_labels:
            item.getAxis("bottom").setStyle(showValues=False)
            item.getAxis("bottom").setHeight(4)
        return widget

    # --- slots -------------------------------------------------------------------------------

    def _on_telemetry_changed(self) -> None:
        if self._telemetry.device_id != self._shown_device:
            self._error = ""
            self._shown_device = self._telemetry.device_id
            self._refresh()  # a new station: no old one's readings under the new title, not even briefly
        else:
            self._schedule(REFRESH_MS)

    def _on_telemetry_failed(self, message: str) -> None:
        self._error = message
        self._schedule(0)

    def _on_telemetry_loading_changed(self, loading: bool) -> None:
        if loading:
            self._error = ""
        self._schedule(0)

    def _on_window_buttons_clicked(self, index: int) -> None:
        window = StationTelemetry.WINDOWS[index]
        if window != self._telemetry.window:
            self._start(self._telemetry.set_window(window))

    def _on_refresh_timer_timeout(self) -> None:
        self._refresh()

    def _on_power_plot_mouse_moved(self, scene_pos: QPointF) -> None:
        self._hover(self._power_plot, scene_pos)

    def _on_energy_plot_mouse_moved(self, scene_pos: QPointF) -> None:
        self._hover(self._energy_plot, scene_pos)

    # --- drawing -----------------------------------------------------------------------------

    def _schedule(self, delay_ms: int) -> None:
        if not self.isVisible():
            return  # showEvent repaints; a hidden pane runs no timer at all
        timer = self._refresh_timer
        if not timer.isActive() or timer.remainingTime() > delay_ms:
            timer.start(delay_ms)

    def _refresh(self) -> None:
        telemetry = self._telemetry
        if telemetry.device_id is not None and self.isVisible():
            self._refresh_timer.start(SLIDE_MS)
        else:
            self._refresh_timer.stop()
        self._refresh_window_buttons()
        if telemetry.device_id is None:
            self._header.hide()
            self._banner.hide()
            self._body.setCurrentWidget(self._empty)
            self._clear_curves()
            return
        self._header.show()
        self._refresh_header()
        self._refresh_charts()
        has_points = telemetry.point_count() > 0
        if has_points:
            self._body.setCurrentWidget(self._charts)
            self._banner.setText(f"⚠ {self._error}")
            self._banner.setVisible(bool(self._error))
            return
        self._banner.hide()
        if telemetry.loading:
            self._message.setText(self.tr("Loading power and energy of {station}…").format(station=telemetry.title))
        elif self._error:
            self._message.setText(self.tr("Telemetry could not be loaded.") + f"\n{self._error}")
        else:
            self._message.setText(self.tr("{station} reported no power or energy in the last {window}.").format(
                station=telemetry.title, window=window_label(telemetry.window)))
        self._body.setCurrentWidget(self._message)

    def _refresh_window_buttons(self) -> None:
        try:
            index = StationTelemetry.WINDOWS.index(self._telemetry.window)
        except ValueError:
            return
        button = self._window_buttons.button(index)
        if not button.isChecked():
            button.setChecked(True)

    def _refresh_header(self) -> None:
        telemetry = self._telemetry
        self._title.set_full_text(telemetry.title)
        self._status.setText(self.tr("Loading…") if telemetry.loading else self.tr("Live power and energy"))
        power, power_at = telemetry.latest(POWER), telemetry.latest_at(POWER)
        self._power.value.setText(NO_READING if power is None else format_power(power))
        stale = power_at is not None and time.time() - power_at > STALE_AFTER_S
        self._power.caption.setText(self.tr("Power at {time}").format(time=_local_time(power_at)) if stale and power_at
                                    else self.tr("Power now"))
        delivered = telemetry.delivered_in_window()
        self._energy.caption.setText(self.tr("Energy, last {window}").format(window=window_label(telemetry.window)))
        self._energy.value.setText(NO_READING if delivered is None else format_energy(delivered))

    def _refresh_charts(self) -> None:
        telemetry = self._telemetry
        now = time.time()
        span = telemetry.window.total_seconds()
        # Wider than the server's reduction buckets, which may lie up to two buckets apart.
        max_gap = max(_MIN_GAP_S, 3 * span / (HISTORY_MAX_POINTS // 2))
        power_lines, energy_lines = telemetry.series(POWER), telemetry.delivered()
        seen: set[tuple[str, str]] = set()
        for plot, lines, measurand in ((self._power_plot, power_lines, POWER),
                                       (self._energy_plot, energy_lines, ENERGY)):
            top = 0.0
            bottom = 0.0
            for line in lines:
                seen.add((measurand, line.key))
                curve = self._curve(plot, measurand, line)
                times, values = with_gaps(line.times, line.values, max_gap)
                curve.setSymbol("o" if 0 < len(line.times) < _SYMBOLS_BELOW else None)
                curve.setData(times, values, antialias=len(times) <= _ANTIALIAS_UP_TO)
                curve.show()
                if len(line.values):
                    top = max(top, float(np.max(line.values)))
                    bottom = min(bottom, float(np.min(line.values)))
            top = max(top * 1.1, 1.0 if measurand == POWER else 0.5)
            # A little room below zero keeps the zero line off the frame and its tick label on.
            plot.setYRange(bottom * 1.1 - top * 0.03, top, padding=0)
        self._power_plot.setXRange(now - span, now + span * 0.01, padding=0)  # the energy chart is linked
        for key, curve in self._curves.items():
            if key not in seen:
                curve.hide()
        self._refresh_legend(power_lines, energy_lines)

    def _curve(self, plot: pg.PlotWidget, measurand: str, line: TelemetryLine) -> pg.PlotDataItem:
        curve = self._curves.get((measurand, line.key))
        if curve is None:
            colour = QColor(curve_colour(line.connector_no))
            pen = pg.mkPen(colour, width=2, style=_PHASE_STYLES.get(line.phase, Qt.PenStyle.DashDotLine))
            # No area fill: two connectors' areas overlap into a muddy colour of neither.
            curve = pg.PlotDataItem(
                pen=pen, connect="finite", name=line.key, symbolSize=5, symbolPen=pen,
                symbolBrush=colour,
            )
            plot.addItem(curve)
            self._curves[(measurand, line.key)] = curve
        return curve

    def _refresh_legend(self, power_lines: list[TelemetryLine], energy_lines: list[TelemetryLine]) -> None:
        power = {line.key: line for line in power_lines}
        energy = {line.key: line for line in energy_lines}
        registers = {line.key: line for line in self._telemetry.series(ENERGY)}
        keys = sorted(power.keys() | energy.keys(), key=lambda k: (power.get(k) or energy[k]).connector_no)
        for key in list(self._legend_chips):
            if key not in keys:
                chip = self._legend_chips.pop(key)
                self._legend.removeWidget(chip)
                chip.deleteLater()
        for position, key in enumerate(keys):
            line = power.get(key) or energy[key]
            chip = self._legend_chips.get(key) or QLabel()
            if key not in self._legend_chips:
                self._legend_chips[key] = chip
                chip.setTextFormat(Qt.TextFormat.RichText)
                self._legend.insertWidget(position, chip)
            readings = []
            if (p := power.get(key)) is not None and len(p.values):
                readings.append(format_power(float(p.values[-1])))
            if (e := energy.get(key)) is not None and len(e.values):
                readings.append(format_energy(float(e.values[-1])))
            text = (
                f'<span style="color:{curve_colour(line.connector_no)}; font-size:large;">&#9632;</span>'
                f'&nbsp;<span style="color:{TEXT};">{key}</span>'
                f'&nbsp;&nbsp;<span style="color:{MUTED};">{" · ".join(readings)}</span>'
            )
            if chip.text() != text:
                chip.setText(text)
            register = registers.get(key)
            if register is not None and len(register.values):
                chip.setToolTip(self.tr("Energy register {energy} at {time}").format(
                    energy=format_energy(float(register.values[-1])),
                    time=_local_time(float(register.times[-1]), seconds=True)))

    def _hover(self, plot: pg.PlotWidget, scene_pos: QPointF) -> None:
        view = plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos) or not self.has_data():
            self._hide_hover()
            return
        at = float(view.mapSceneToView(scene_pos).x())
        rows = [f'<b style="color:{TEXT};">{_local_time(at, seconds=True)}</b>']
        power = {line.key: line for line in self._telemetry.series(POWER)}
        energy = {line.key: line for line in self._telemetry.delivered()}
        for key in sorted(power.keys() | energy.keys(), key=lambda k: (power.get(k) or energy[k]).connector_no):
            readings = []
            if (p := _value_at(power.get(key), at)) is not None:
                readings.append(format_power(p))
            if (e := _value_at(energy.get(key), at)) is not None:
                readings.append(format_energy(e))
            if readings:
                colour = curve_colour((power.get(key) or energy[key]).connector_no)
                rows.append(f'<span style="color:{colour};">&#9632;</span> <span style="color:{TEXT};">{key}'
                            f'&nbsp;&nbsp;{" · ".join(readings)}</span>')
        self._hover_label.setHtml(f'<div style="font-size:small;">{"<br>".join(rows)}</div>')
        (x_min, x_max), (_, y_max) = self._power_plot.getPlotItem().getViewBox().viewRange()
        # Beside the cursor, on the side with room, at the top of the power chart.
        right_half = at > (x_min + x_max) / 2
        self._hover_label.setAnchor((1.0 if right_half else 0.0, 0.0))
        self._hover_label.setPos(at + (x_max - x_min) * (-0.006 if right_half else 0.006), y_max)
        self._hover_label.show()
        for hover_line in self._hover_lines:
            hover_line.setValue(at)
            hover_line.show()

    def _hide_hover(self) -> None:
        self._hover_label.hide()
        for hover_line in self._hover_lines:
            hover_line.hide()

    def _clear_curves(self) -> None:
        for (measurand, _), curve in self._curves.items():
            (self._power_plot if measurand == POWER else self._energy_plot).removeItem(curve)
        self._curves.clear()
        for chip in self._legend_chips.values():
            self._legend.removeWidget(chip)
            chip.deleteLater()
        self._legend_chips.clear()

    def _start(self, work: Coroutine[Any, Any, Any]) -> None:
        self._tasks.start(work)

    # --- Qt events ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule(0)

    def hideEvent(self, event: QHideEvent) -> None:
        # Nobody sees a hidden pane slide; it catches up as soon as it is shown again.
        self._refresh_timer.stop()
        super().hideEvent(event)


def _value_at(line: TelemetryLine | None, at: float) -> float | None:
    """The reading in force at `at`: the line's last point at or before it."""
    if line is None or len(line.times) == 0 or at < line.times[0]:
        return None
    return float(line.values[int(np.searchsorted(line.times, at, side="right")) - 1])
