"""The device map pane: stations over the basemap of Czechia, live colours, selection, zoom and names.

Stations sit at real Czech coordinates; what is checked is what an operator sees on screen
(pixel colours under the markers, names shown, the legend's numbers) and what the map tells
the rest of the console (station_selected).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView, QLabel, QToolButton
from pytestqt.qtbot import QtBot

from ema_desktop.geo.basemap import PROJECTION
from ema_desktop.models.stations import STATUS_COLOURS, StationMapModel, StationPin, status_colour
from ema_desktop.views.device_map import LAND, WATER, DeviceMapView
from tests.desktop.waiting import until

# The offscreen platform plugin warns whenever a shown top-level window has size constraints

def pin(device_id: str, lat: float, lon: float, status: str = "Available", **extra: str) -> StationPin:
    return StationPin(
        device_id=device_id,
        label=extra.get("label", f"CZ-SEC-{device_id}"),
        customer_name=extra.get("customer_name", "Město Ostrava"),
        kind="charging_station",
        latitude=lat,
        longitude=lon,
        status=status,
        error_code=extra.get("error_code"),
        region=None,
    )


STATIONS = [
    pin("praha", 50.08, 14.42, "Charging"),
    pin("brno", 49.19, 16.61, "Available"),
    pin("ostrava", 49.83, 18.29, "Offline"),
]


@pytest.fixture
def model() -> StationMapModel:
    m = StationMapModel()
    m.set_stations(STATIONS)
    return m


async def shown_map(qtbot: QtBot, model: StationMapModel) -> DeviceMapView:
    view = DeviceMapView(model)
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    await view.load_basemap()
    return view


@pytest.fixture
async def device_map(qtbot: QtBot, model: StationMapModel) -> AsyncIterator[DeviceMapView]:
    view = await shown_map(qtbot, model)
    await until(view.has_data, what="basemap and stations drawn")
    yield view


def screen(view: DeviceMapView) -> QImage:
    return view.grab().toImage()


def pixel(view: DeviceMapView, device_id: str) -> QColor:
    pos = view.marker_position(device_id)
    assert pos is not None
    return screen(view).pixelColor(pos)


def where(view: DeviceMapView, lat: float, lon: float) -> QPoint:
    canvas = view.findChild(QGraphicsView)
    assert canvas is not None
    return canvas.mapFromScene(QPointF(*PROJECTION.project(lon, lat)))


async def test_every_station_is_drawn_at_its_place_in_its_status_colour(device_map: DeviceMapView) -> None:
    for station in STATIONS:
        assert device_map.colour_of(station.device_id) == status_colour(station.status)
        assert pixel(device_map, station.device_id) == status_colour(station.status)
    praha, brno, ostrava = (device_map.marker_position(s.device_id) for s in STATIONS)
    assert praha is not None and brno is not None and ostrava is not None
    assert praha.x() < brno.x() < ostrava.x()
    assert brno.y() > praha.y()
    assert device_map.rect().contains(praha) and device_map.rect().contains(ostrava)


async def test_a_fault_turns_the_station_red_at_once(device_map: DeviceMapView, model: StationMapModel) -> None:
    assert model.update_status("ostrava", "Faulted", "GroundFailure")
    faulted = QColor(STATUS_COLOURS["Faulted"])
    assert device_map.colour_of("ostrava") == faulted
    await until(lambda: pixel(device_map, "ostrava") == faulted, what="the marker to turn red on screen")
    assert device_map.colour_of("praha") == status_colour("Charging")  # the others stay as they were
    assert model.pin("ostrava") is not None
    assert "GroundFailure" in model.pin("ostrava").tooltip  # type: ignore[union-attr]


async def test_status_of_an_unknown_device_changes_nothing(device_map: DeviceMapView, model: StationMapModel) -> None:
    assert not model.update_status("nowhere", "Faulted", "GroundFailure")
    assert device_map.colour_of("nowhere") is None
    assert device_map.legend_count("Faulted") == "0"


async def test_clicking_a_marker_selects_its_station(device_map: DeviceMapView) -> None:
    pos = device_map.marker_position("brno")
    assert pos is not None
    emitted: list[str] = []
    device_map.station_selected.connect(emitted.append)
    QTest.mouseClick(device_map.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    assert emitted == ["brno"]
    assert device_map.selected_station() == "brno"
    # a ring now surrounds the marker: just outside the dot the pixels are no longer land
    ring = screen(device_map).pixelColor(pos + QPoint(8, 0))
    assert ring != LAND


async def test_a_click_a_few_pixels_off_still_hits_the_marker(device_map: DeviceMapView) -> None:
    pos = device_map.marker_position("praha")
    assert pos is not None
    emitted: list[str] = []
    device_map.station_selected.connect(emitted.append)
    offset = pos + QPoint(5, 3)
    QTest.mouseClick(device_map.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, offset)
    assert emitted == ["praha"]


async def test_clicking_empty_land_selects_nothing(device_map: DeviceMapView) -> None:
    emitted: list[str] = []
    device_map.station_selected.connect(emitted.append)
    QTest.mouseClick(
        device_map.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where(device_map, 49.5, 13.0)
    )
    await until(lambda: True)
    assert emitted == []
    assert device_map.selected_station() is None


async def test_selecting_from_elsewhere_rings_and_centres_the_station_silently(device_map: DeviceMapView) -> None:
    emitted: list[str] = []
    device_map.station_selected.connect(emitted.append)
    device_map.select_station("ostrava")
    assert device_map.selected_station() == "ostrava"
    pos = device_map.marker_position("ostrava")
    assert pos is not None
    centre = device_map.viewport().rect().center()
    assert abs(pos.x() - centre.x()) <= 2 and abs(pos.y() - centre.y()) <= 2
    assert device_map.zoom_level() >= 4  # close enough to see which street, not which country
    assert emitted == []


async def test_region_names_at_country_view_and_district_names_when_zoomed_in(device_map: DeviceMapView) -> None:
    shown = device_map.visible_labels()
    assert "Moravskoslezský kraj" in shown and "Jihomoravský kraj" in shown
    assert len(shown) >= 10
    assert "Ostrava-město" not in shown and "Frýdek-Místek" not in shown

    device_map.select_station("ostrava")  # centre on Ostrava, zoomed in
    device_map.zoom_by(4 / device_map.zoom_level())
    zoomed = device_map.visible_labels()
    assert {"Ostrava-město", "Karviná", "Frýdek-Místek"} <= set(zoomed)
    assert "Moravskoslezský kraj" not in zoomed

    device_map.fit_country()
    assert device_map.zoom_level() == pytest.approx(1.0)
    assert "Ostrava-město" not in device_map.visible_labels()


async def test_names_never_hide_under_the_legend_or_buttons(device_map: DeviceMapView) -> None:
    overlays = [w.geometry() for w in device_map.findChildren(QLabel) if w.objectName() == "map-attribution"]
    overlays += [b.parentWidget().geometry() for b in device_map.findChildren(QToolButton)]  # type: ignore[union-attr]
    canvas = device_map.findChild(QGraphicsView)
    assert canvas is not None
    for zoom in (1.0, 3.0, 6.0):
        device_map.fit_country()
        device_map.zoom_by(zoom)
        for item in canvas.scene().items():
            if item.isVisible() and item.zValue() == 10.0:  # the labels' layer
                rect = canvas.mapFromScene(item.pos())
                assert not any(o.contains(rect) for o in overlays)


async def test_legend_counts_stations_per_status_live(device_map: DeviceMapView, model: StationMapModel) -> None:
    await until(lambda: device_map.legend_count("total") == "3", what="legend total")
    assert device_map.legend_count("Charging") == "1"
    assert device_map.legend_count("Offline") == "1"
    assert device_map.legend_count("Faulted") == "0"

    model.update_status("ostrava", "Faulted", "GroundFailure")
    model.upsert(pin("plzen", 49.75, 13.38, "Unavailable"))
    model.upsert(pin("olomouc", 49.59, 17.25, "Rebooting"))  # a status the console does not know
    await until(lambda: device_map.legend_count("Faulted") == "1", what="legend to count the fault")
    assert device_map.legend_count("Offline") == "0"
    assert device_map.legend_count("Unavailable") == "1"
    assert device_map.legend_count("other") == "1"
    assert device_map.legend_count("total") == "5"
    assert device_map.colour_of("olomouc") == status_colour("Rebooting")  # drawn, in the neutral colour
    assert model.status_counts() == {"Charging": 1, "Available": 1, "Faulted": 1, "Unavailable": 1, "Rebooting": 1}


async def test_the_wheel_zooms_around_the_cursor(device_map: DeviceMapView) -> None:
    before = device_map.marker_position("brno")
    where_before_praha = device_map.marker_position("praha")
    assert before is not None and where_before_praha is not None
    event = QWheelEvent(
        QPointF(before),
        QPointF(device_map.viewport().mapToGlobal(before)),
        QPoint(0, 0),
        QPoint(0, 360),  # three notches towards the screen
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(device_map.viewport(), event)
    assert device_map.zoom_level() > 1.9
    after = device_map.marker_position("brno")
    assert after is not None
    assert abs(after.x() - before.x()) <= 2 and abs(after.y() - before.y()) <= 2  # Brno stayed under the cursor
    praha = device_map.marker_position("praha")
    assert praha is not None
    # everything else moved away from the cursor: Praha is now about twice as far from Brno
    assert (praha - after).manhattanLength() > 1.8 * (where_before_praha - before).manhattanLength()


async def test_dragging_pans_the_map_without_selecting(device_map: DeviceMapView) -> None:
    emitted: list[str] = []
    device_map.station_selected.connect(emitted.append)
    start = device_map.marker_position("praha")
    assert start is not None
    viewport = device_map.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 11):
        QTest.mouseMove(viewport, start + QPoint(12 * step, 5 * step))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(120, 50))
    moved = device_map.marker_position("praha")
    assert moved is not None
    assert abs(moved.x() - (start.x() + 120)) <= 2 and abs(moved.y() - (start.y() + 50)) <= 2
    assert emitted == []


async def test_buttons_and_keys_zoom_and_fit_the_country(device_map: DeviceMapView) -> None:
    buttons = {b.toolTip(): b for b in device_map.findChildren(QToolButton)}
    zoom_in = next(b for tip, b in buttons.items() if tip.startswith("Zoom in"))
    zoom_out = next(b for tip, b in buttons.items() if tip.startswith("Zoom out"))
    fit = next(b for tip, b in buttons.items() if "Czechia" in tip)
    zoom_in.click()
    assert device_map.zoom_level() == pytest.approx(2.0)
    zoom_out.click()
    assert device_map.zoom_level() == pytest.approx(1.0)

    canvas = device_map.findChild(QGraphicsView)
    assert canvas is not None
    QTest.keyClick(canvas, Qt.Key.Key_Plus)
    assert device_map.zoom_level() > 1.5
    QTest.keyClick(canvas, Qt.Key.Key_Minus)
    QTest.keyClick(canvas, Qt.Key.Key_Minus)
    assert device_map.zoom_level() < 1.0
    zoom_in.click()
    zoom_in.click()
    fit.click()
    assert device_map.zoom_level() == pytest.approx(1.0)
    QTest.mouseDClick(
        device_map.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where(device_map, 49.8, 15.5)
    )
    assert device_map.zoom_level() == pytest.approx(2.0)
    QTest.keyClick(canvas, Qt.Key.Key_0)
    assert device_map.zoom_level() == pytest.approx(1.0)


async def test_basemap_shows_before_any_station_arrives(qtbot: QtBot) -> None:
    view = await shown_map(qtbot, StationMapModel())
    assert not view.has_data()
    image = screen(view)
    assert image.pixelColor(where(view, 49.6, 15.3)) == LAND  # Vysočina: land
    assert image.pixelColor(QPoint(500, 640)) == WATER  # south of the border, under the legend-free edge
    assert view.legend_count("total") == "0"


async def test_attribution_is_always_in_the_bottom_right_corner(device_map: DeviceMapView) -> None:
    label = next(w for w in device_map.findChildren(QLabel) if w.objectName() == "map-attribution")
    assert "ČÚZK" in label.text() and "CC BY 4.0" in label.text() and "MIT" in label.text()
    for zoom in (1.0, 8.0):
        device_map.zoom_by(zoom)
        assert label.isVisible()
        assert label.geometry().bottomRight() == device_map.rect().bottomRight()
    device_map.resize(700, 500)
    await until(lambda: label.geometry().bottomRight() == device_map.rect().bottomRight(), what="attribution to follow")


async def test_resizing_keeps_the_whole_country_in_view_until_the_operator_zooms(device_map: DeviceMapView) -> None:
    device_map.resize(600, 420)
    await until(lambda: device_map.viewport().width() == 600, what="resize")
    for station in STATIONS:
        pos = device_map.marker_position(station.device_id)
        assert pos is not None and device_map.viewport().rect().contains(pos)
    assert device_map.zoom_level() == pytest.approx(1.0)


async def test_two_thousand_stations_and_one_status_change_repaints_one_marker(qtbot: QtBot) -> None:
    pins = [
        pin(f"s{i}", 48.8 + (i % 40) * 0.05, 12.5 + (i // 40) * 0.11, "Available" if i % 3 else "Charging")
        for i in range(2000)
    ]
    model = StationMapModel()
    view = await shown_map(qtbot, model)
    model.set_stations(pins)
    assert view.has_data()
    canvas = view.findChild(QGraphicsView)
    assert canvas is not None
    scene = canvas.scene()
    await until(lambda: view.legend_count("total") == "2\u202f000", what="legend total")
    screen(view)  # paint once so only what changes afterwards is repainted

    repainted: list[list[QRectF]] = []
    scene.changed.connect(repainted.append)
    assert model.update_status("s1234", "Faulted", "OverCurrentFailure")
    await until(lambda: repainted, what="the change to be repainted")
    regions = [r for batch in repainted for r in batch]
    assert regions
    for region in regions:  # only around the one marker, not the map
        assert region.width() < 50 and region.height() < 50
    assert view.colour_of("s1234") == QColor(STATUS_COLOURS["Faulted"])
    assert view.colour_of("s1235") == status_colour(pins[1235].status)


async def test_stations_without_coordinates_are_counted_but_not_drawn(
    device_map: DeviceMapView, model: StationMapModel
) -> None:
    model.upsert(pin("nowhere", 0.0, 0.0, "Available"))
    model.upsert(pin("nan", float("nan"), 15.0, "Available"))
    await until(lambda: device_map.legend_count("total") == "5", what="legend total")
    assert device_map.colour_of("nowhere") is None and device_map.colour_of("nan") is None


async def test_tooltip_tells_label_customer_status_and_error(model: StationMapModel) -> None:
    model.update_status("ostrava", "Faulted", "GroundFailure")
    tip = model.data(model.index(model.row_of("ostrava") or 0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "CZ-SEC-ostrava\nMěsto Ostrava\nStatus: Faulted — GroundFailure"


def test_model_signals_one_row_per_status_change(qtbot: QtBot) -> None:
    model = StationMapModel()
    model.set_stations(STATIONS)
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, roles: changes.append((top.row(), bottom.row())))
    assert model.update_status("brno", "Charging", None)
    assert model.update_status("brno", "Charging", None)  # no change, no signal
    assert changes == [(1, 1)]
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(first))
    model.upsert(pin("zlin", 49.22, 17.67))
    model.upsert(pin("zlin", 49.22, 17.67, "Reserved"))  # same device: replaced, not added
    assert inserted == [3]
    assert model.rowCount() == 4
    assert changes[-1] == (3, 3)
    assert model.pin("zlin").status == "Reserved"  # type: ignore[union-attr]
    assert model.data(model.index(3, 0), StationMapModel.DeviceIdRole) == "zlin"
    assert model.data(model.index(3, 0), StationMapModel.PinRole) == model.pin("zlin")


def test_unknown_status_gets_a_neutral_colour_and_known_ones_are_distinct() -> None:
    assert status_colour("SomethingNew") == status_colour("")
    assert status_colour("SomethingNew").name() not in STATUS_COLOURS.values()
    core = ["Faulted", "Unavailable", "Offline", "Charging", "Available", "Preparing", "Reserved"]
    assert len({STATUS_COLOURS[s] for s in core}) == len(core)
    assert QColor(STATUS_COLOURS["Faulted"]).hueF() < 0.05  # red
    assert QColor(STATUS_COLOURS["Offline"]).saturationF() < 0.1  # grey


async def test_zoomed_in_the_map_says_which_district_and_region_is_in_the_middle(device_map: DeviceMapView) -> None:
    assert device_map.location_text() is None  # the country view needs no caption
    device_map.select_station("ostrava")
    assert device_map.location_text() == "Ostrava-město · Moravskoslezský kraj"
    device_map.fit_country()
    assert device_map.location_text() is None


async def test_closing_the_pane_while_the_basemap_loads_is_harmless(qtbot: QtBot, model: StationMapModel) -> None:
    view = DeviceMapView(model)
    qtbot.addWidget(view)
    loading = asyncio.ensure_future(view.load_basemap())
    view.close()
    view.deleteLater()
    await until(lambda: not shiboken6.isValid(view), what="the pane to be deleted")
    await loading  # returns quietly instead of drawing into a deleted widget


async def test_the_basemap_is_loaded_once(device_map: DeviceMapView) -> None:
    await device_map.load_basemap()  # a second call is a no-op
    canvas = device_map.findChild(QGraphicsView)
    assert canvas is not None
    labels = [item for item in canvas.scene().items() if item.zValue() == 10.0]
    assert len(labels) == 14 + 77
