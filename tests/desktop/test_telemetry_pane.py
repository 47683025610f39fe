"""The live telemetry pane: the selected station's power and energy, from history and live events.

The loader here hands back canned TelemetryOut documents (the server's JSON, as the pane's input);
talking to a real server is the data layer's business and tested there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from ema_desktop.models.telemetry import StationTelemetry, delivered_since_start, with_gaps
from ema_desktop.views.telemetry_pane import CONNECTOR_COLOURS, EMPTY_TEXT, TelemetryPane
from tests.desktop.waiting import until

# The offscreen platform plugin warns whenever a shown top-level window has size constraints
MINUTE_MS = 60_000


def now_ms() -> int:
    return int(time.time() * 1000)


def series(measurand: str, connector_no: int, points: list[list[float]], phase: str = "") -> dict[str, Any]:
    unit = {"power": "kW", "energy": "kWh"}[measurand]
    return {"measurand": measurand, "phase": phase, "connector_no": connector_no, "unit": unit, "reduced": False,
            "points": points}


def charging_history(end_ms: int, kw: float = 7.4, minutes: int = 30) -> list[dict[str, Any]]:
    """A connector charging at `kw` for the last `minutes`, a sample a minute, register rising."""
    times = [end_ms - (minutes - i) * MINUTE_MS for i in range(minutes)]
    register = 1200.0
    energy = []
    for t in times:
        energy.append([t, round(register, 3)])
        register += kw / 60
    return [series("power", 1, [[t, kw] for t in times]), series("energy", 1, energy)]


class CannedLoader:
    """Answers with a canned TelemetryOut per station; a station's answer can be held back or fail."""

    def __init__(self) -> None:
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.held: dict[str, asyncio.Event] = {}
        self.errors: dict[str, Exception] = {}
        self.calls: list[tuple[str, tuple[str, ...], datetime, datetime, int]] = []

    async def station_telemetry(
        self, device_id: str, measurands: Sequence[str], since: datetime, until: datetime, max_points: int
    ) -> dict[str, Any]:
        self.calls.append((device_id, tuple(measurands), since, until, max_points))
        if device_id in self.held:
            await self.held[device_id].wait()
        if device_id in self.errors:
            raise self.errors[device_id]
        return {"device_id": device_id, "from": since.isoformat(), "to": until.isoformat(),
                "max_points": max_points, "series": self.history.get(device_id, [])}


@pytest.fixture
def loader() -> CannedLoader:
    return CannedLoader()


@pytest.fixture
def telemetry(loader: CannedLoader) -> StationTelemetry:
    return StationTelemetry(loader)


@pytest.fixture
def pane(qtbot: QtBot, telemetry: StationTelemetry) -> TelemetryPane:
    widget = TelemetryPane(telemetry)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget


def power_readout(pane: TelemetryPane) -> str:
    """The big "power now" number in the header."""
    label = pane.findChild(QLabel, "telemetry-power-value")
    assert label is not None
    return label.text()


def refresh_timer(pane: TelemetryPane) -> QTimer:
    timer = pane.findChild(QTimer, "telemetry-refresh")
    assert timer is not None
    return timer


async def test_pane_without_a_station_invites_the_operator_to_pick_one(pane: TelemetryPane) -> None:
    assert EMPTY_TEXT in pane.shown_text()
    assert not pane.has_data()
    assert pane.plotted_point_count() == 0


async def test_history_is_plotted_with_the_station_name_and_its_power_now(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms(), kw=7.4)

    await telemetry.show_station("st-1", "Wallbox Poruba · CZ-00417")
    await until(pane.has_data, what="the history plotted")

    assert pane.plotted_point_count() == 60  # 30 power and 30 energy readings
    assert "Wallbox Poruba · CZ-00417" in pane.shown_text()
    assert power_readout(pane) == "7.4 kW"
    assert EMPTY_TEXT not in pane.shown_text()
    device_id, measurands, since, until_, _ = loader.calls[-1]
    assert (device_id, set(measurands)) == ("st-1", {"power", "energy"})
    assert until_ - since == telemetry.window


async def test_live_points_extend_the_chart_and_change_the_readout(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    end = now_ms()
    loader.history["st-1"] = charging_history(end, kw=7.4)
    await telemetry.show_station("st-1", "Wallbox")
    await until(lambda: pane.plotted_point_count() == 60)

    telemetry.add_live("st-1", [series("power", 1, [[end + 1000, 11.0]]),
                                series("energy", 1, [[end + 1000, 1204.0]])])
    telemetry.add_live("st-1", [series("power", 1, [[end + 1000, 11.0]])])  # the same reading again

    await until(lambda: pane.plotted_point_count() == 62, what="the live points plotted")
    await until(lambda: power_readout(pane) == "11.0 kW", what="the readout to follow")


async def test_live_points_of_another_station_are_ignored(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms(), kw=7.4)
    await telemetry.show_station("st-1", "Wallbox")
    await until(lambda: pane.plotted_point_count() == 60)
    changes: list[None] = []
    telemetry.changed.connect(lambda: changes.append(None))

    telemetry.add_live("st-2", [series("power", 1, [[now_ms(), 22.0]])])
    await asyncio.sleep(0.4)  # longer than a repaint takes to come

    assert changes == []
    assert pane.plotted_point_count() == 60
    assert power_readout(pane) == "7.4 kW"


async def test_points_older_than_the_window_are_dropped(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    end = now_ms()
    # The history of the last hour: one reading 50 minutes ago, one 5 minutes ago.
    loader.history["st-1"] = [series("power", 1, [[end - 50 * MINUTE_MS, 3.0], [end - 5 * MINUTE_MS, 4.0]])]
    await telemetry.show_station("st-1", "Wallbox")
    await until(lambda: pane.plotted_point_count() == 2)

    telemetry.add_live("st-1", [series("power", 1, [[end - 2 * 3600_000, 9.0]])])  # two hours old: too late
    assert telemetry.point_count() == 2

    loader.history["st-1"] = [series("power", 1, [[end - 5 * MINUTE_MS, 4.0]])]
    await telemetry.set_window(timedelta(minutes=15))

    assert telemetry.point_count() == 1  # the reading 50 minutes ago is outside the last 15 minutes
    await until(lambda: pane.plotted_point_count() == 1, what="the old reading to leave the chart")
    assert [line.values.tolist() for line in telemetry.series("power")] == [[4.0]]


async def test_window_buttons_reload_the_chosen_window(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms())
    await telemetry.show_station("st-1", "Wallbox")
    buttons = {b.text(): b for b in pane.findChildren(QToolButton)}
    assert set(buttons) == {"15 min", "1 h", "6 h", "24 h"}
    assert buttons["1 h"].isChecked()

    buttons["6 h"].click()

    await until(lambda: telemetry.window == timedelta(hours=6) and not telemetry.loading)
    _, _, since, until_, _ = loader.calls[-1]
    assert until_ - since == timedelta(hours=6)
    await until(lambda: "Energy, last 6 h" in pane.shown_text())


async def test_a_slow_load_of_the_previous_station_does_not_replace_the_current_one(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-a"] = [series("power", 1, [[now_ms(), 22.0]])]
    loader.history["st-b"] = charging_history(now_ms(), kw=3.7)
    loader.held["st-a"] = asyncio.Event()
    load_a = asyncio.ensure_future(telemetry.show_station("st-a", "Station A"))
    await until(lambda: len(loader.calls) == 1)

    await telemetry.show_station("st-b", "Station B")
    loader.held["st-a"].set()
    await load_a

    await until(lambda: pane.plotted_point_count() == 60)
    assert telemetry.device_id == "st-b"
    assert "Station B" in pane.shown_text() and "Station A" not in pane.shown_text()
    assert power_readout(pane) == "3.7 kW"
    assert not telemetry.loading


async def test_loading_shows_until_the_history_arrives(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms())
    loader.held["st-1"] = asyncio.Event()
    load = asyncio.ensure_future(telemetry.show_station("st-1", "Wallbox"))

    await until(lambda: "Loading power and energy of Wallbox…" in pane.shown_text())
    loader.held["st-1"].set()
    await load
    await until(lambda: pane.has_data() and "Loading" not in pane.shown_text())


async def test_a_failed_load_tells_the_operator_why(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.errors["st-1"] = ConnectionError("The server cannot be reached. Check the network connection.")
    messages: list[str] = []
    telemetry.failed.connect(messages.append)

    await telemetry.show_station("st-1", "Wallbox")  # no exception escapes

    assert messages == ["The server cannot be reached. Check the network connection."]
    await until(lambda: "The server cannot be reached" in pane.shown_text())
    assert "Traceback" not in pane.shown_text()
    assert not telemetry.loading


async def test_a_failed_reload_keeps_the_chart_and_shows_the_message(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms())
    await telemetry.show_station("st-1", "Wallbox")
    await until(lambda: pane.plotted_point_count() == 60)
    loader.errors["st-1"] = RuntimeError("You are signed out; sign in again.")

    await telemetry.set_window(timedelta(minutes=15))

    await until(lambda: "You are signed out; sign in again." in pane.shown_text())
    assert pane.has_data()  # what is still inside the shorter window stays on screen


async def test_the_chart_is_painted_in_the_connector_colours(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    end = now_ms()
    loader.history["st-1"] = [
        *charging_history(end, kw=11.0),
        series("power", 2, [[end - (30 - i) * MINUTE_MS, 7.4] for i in range(30)]),
    ]
    await telemetry.show_station("st-1", "Wallbox")
    await until(pane.has_data)

    image = pane.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    plot = pane.findChild(QWidget, "telemetry-power-chart")
    assert plot is not None
    top_left = plot.mapTo(pane, QPoint(0, 0))
    region = image.copy(top_left.x(), top_left.y(), plot.width(), plot.height())
    pixels = np.frombuffer(region.constBits(), dtype=np.uint8).reshape(region.height(), region.bytesPerLine() // 4, 4)
    rgb = pixels[:, : region.width(), 2::-1].astype(int)  # BGRA in memory

    def coloured(colour: str) -> int:
        wanted = QColor(colour)
        distance = np.abs(rgb - np.array([wanted.red(), wanted.green(), wanted.blue()])).sum(axis=2)
        return int(np.count_nonzero(distance < 40))

    assert coloured(CONNECTOR_COLOURS[0]) > 100, "connector 1's power line is not painted"
    assert coloured(CONNECTOR_COLOURS[1]) > 100, "connector 2's power line is not painted"


async def test_the_refresh_timer_stops_when_the_pane_closes(
    pane: TelemetryPane, telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    loader.history["st-1"] = charging_history(now_ms())
    await telemetry.show_station("st-1", "Wallbox")
    timer = refresh_timer(pane)
    await until(timer.isActive, what="the window to slide while shown")

    pane.close()

    assert not timer.isActive()
    telemetry.add_live("st-1", [series("power", 1, [[now_ms(), 5.0]])])  # nobody sees it: no repaint
    assert not timer.isActive()


async def test_the_refresh_timer_dies_with_the_pane(qtbot: QtBot, telemetry: StationTelemetry,
                                                    loader: CannedLoader) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    pane = TelemetryPane(telemetry, window)
    window.show()
    loader.history["st-1"] = charging_history(now_ms())
    await telemetry.show_station("st-1", "Wallbox")
    timer = refresh_timer(pane)
    await until(timer.isActive)

    pane.deleteLater()
    del pane

    await until(lambda: not shiboken6.isValid(timer), what="the timer to be deleted with the pane")
    telemetry.add_live("st-1", [series("power", 1, [[now_ms(), 5.0]])])  # nobody left to repaint: no error
    await asyncio.sleep(0.3)


# --- the model without a window ---------------------------------------------------------------


async def test_power_now_is_the_sum_of_the_connectors_latest_readings(
    telemetry: StationTelemetry, loader: CannedLoader
) -> None:
    end = now_ms()
    loader.history["st-1"] = [
        series("power", 0, [[end - 1000, 18.0]]),  # the station's own meter: not counted twice
        series("power", 1, [[end - 3000, 2.0], [end - 2000, 11.0]]),
        series("power", 2, [[end - 2000, 7.4]]),
    ]
    await telemetry.show_station("st-1", "Wallbox")

    assert telemetry.latest("power") == pytest.approx(18.4)
    assert [line.key for line in telemetry.series("power")] == ["Station", "Connector 1", "Connector 2"]
    assert telemetry.latest("energy") is None


async def test_late_and_repeated_live_points_keep_time_order(telemetry: StationTelemetry,
                                                            loader: CannedLoader) -> None:
    end = now_ms()
    await telemetry.show_station("st-1", "Wallbox")
    telemetry.add_live("st-1", [series("power", 1, [[end - 1000, 1.0], [end, 3.0]])])
    telemetry.add_live("st-1", [series("power", 1, [[end - 500, 2.0], [end - 1000, 9.0]])])  # late, repeated

    (line,) = telemetry.series("power")
    assert line.values.tolist() == [1.0, 2.0, 3.0]
    assert np.all(np.diff(line.times) > 0)


async def test_energy_in_the_window_comes_from_the_register(telemetry: StationTelemetry,
                                                            loader: CannedLoader) -> None:
    end = now_ms()
    loader.history["st-1"] = [
        series("energy", 1, [[end - 3000, 1000.0], [end - 2000, 1002.5], [end - 1000, 1004.0]]),
        series("energy", 2, [[end - 3000, 50.0], [end - 2000, 0.0], [end - 1000, 1.5]]),  # register reset
    ]
    await telemetry.show_station("st-1", "Wallbox")

    assert telemetry.delivered_in_window() == pytest.approx(4.0 + 1.5)
    assert [line.values.tolist() for line in telemetry.delivered()] == [[0.0, 2.5, 4.0], [0.0, 0.0, 1.5]]


async def test_many_live_points_stay_cheap_to_keep(telemetry: StationTelemetry) -> None:
    await telemetry.show_station("st-1", "Wallbox")  # no history
    start = time.time() - 3000
    began = time.perf_counter()
    for i in range(3000):
        at_ms = int((start + i) * 1000)
        telemetry.add_live("st-1", [series("power", 1, [[at_ms, 5.0]]), series("power", 2, [[at_ms, 7.0]])])
    elapsed = time.perf_counter() - began

    assert telemetry.point_count() == 6000
    assert elapsed < 2.0, f"3000 live events took {elapsed:.2f} s"


def test_a_silence_is_drawn_as_a_gap() -> None:
    times = np.array([0.0, 60.0, 120.0, 3000.0, 3060.0])
    values = np.ones(5)

    gapped_times, gapped_values = with_gaps(times, values, max_gap=600.0)

    assert np.isnan(gapped_values).sum() == 1
    assert np.all(np.diff(gapped_times) > 0)
    assert delivered_since_start(np.array([5.0, 6.0, 6.0, 2.0, 3.0])).tolist() == [0.0, 1.0, 1.0, 1.0, 2.0]
