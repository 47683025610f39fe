"""The DEVICE MAP pane: every station at its coordinates over an offline basemap of Czechia.

Markers are coloured by status and follow the `StationMapModel` live (one marker repainted per
status change). The operator zooms with the wheel (around the cursor), the +/- buttons or keys,
pans by dragging, and clicks a marker to select its station. Region names show at the country
view, district names once zoomed in; a legend counts stations per status, a scale bar and the
basemap attribution sit in the corners.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.geo.basemap import (
    ATTRIBUTION,
    PROJECTION,
    Area,
    Basemap,
    Polygon,
    Polyline,
    load_basemap,
    point_in_polygon,
)
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.stations import STATUS_ORDER, StationMapModel, StationPin, status_colour, status_label

log = logging.getLogger(__name__)

# --- look ---------------------------------------------------------------------------------------
WATER = QColor("#e2e8ee")  # everything outside Czechia: pale blue-grey, reads as "not land"
LAND = QColor("#f8f7f3")
LAND_SHADOW = QColor("#cdd6df")  # a drop shadow under the country
DISTRICT_EDGE = QColor("#d6d1c8")
REGION_EDGE = QColor("#a8a296")
BORDER = QColor("#59626d")
REGION_LABEL = QColor("#6b7078")
DISTRICT_LABEL = QColor("#4b5058")
HALO = QColor(255, 255, 255, 215)
MARKER_OUTLINE = QColor(32, 36, 42, 200)
SELECTION = QColor("#0b57d0")
_MARKER_PEN = QPen(MARKER_OUTLINE, 1.0)

MARKER_RADIUS = 4.5  # px on screen, at every zoom
FAULT_RADIUS = 6.0  # faults larger so they stand out among thousands of markers
HIT_TOLERANCE = 8  # px around the cursor that still counts as a click on a marker

# Stacking (z values; the basemap is the view's background): labels < markers, and among
# markers what needs attention on top.
Z_LABELS = 10.0
Z_MARKER = {"Faulted": 24.0, "Unavailable": 22.0, "Offline": 21.0}
Z_MARKER_DEFAULT = 20.0
Z_SELECTED = 30.0

# Zoom, relative to the scale at which the whole country fits the view.
MIN_ZOOM, MAX_ZOOM = 0.75, 40.0
DISTRICT_ZOOM = 2.5  # from here on district names replace region names
SELECT_ZOOM = 4.0  # select_station() zooms in to at least this, so the station is findable
WHEEL_STEP = 1.25
FIT_MARGIN = 1.05

# Czechia's extent, so the view can fit the country before the basemap has been read.
CZECHIA_LON_LAT = ((12.09, 48.55), (18.86, 51.06))


def _projected_bounds() -> QRectF:
    (x1, y1), (x2, y2) = (PROJECTION.project(*p) for p in CZECHIA_LON_LAT)
    return QRectF(QPointF(min(x1, x2), min(y1, y2)), QPointF(max(x1, x2), max(y1, y2)))


# --- graphics items ------------------------------------------------------------------------


class _StationMarker(QGraphicsEllipseItem):
    """A station: a filled circle of constant on-screen size, with a ring when selected.

    A plain ellipse item on purpose: Qt paints and indexes it in C++, so thousands of markers
    cost no Python calls per frame.
    """

    def __init__(self, pin: StationPin) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPen(_MARKER_PEN)
        self.device_id = pin.device_id
        self.radius = 0.0
        self.selected = False
        self._status_z = Z_MARKER_DEFAULT
        self._ring: _SelectionRing | None = None
        self.set_pin(pin)

    @property
    def colour(self) -> QColor:
        return self.brush().color()

    def set_pin(self, pin: StationPin) -> None:
        radius = FAULT_RADIUS if pin.status == "Faulted" else MARKER_RADIUS
        if radius != self.radius:
            self.radius = radius
            self.setRect(QRectF(-radius, -radius, 2 * radius, 2 * radius))
            if self._ring is not None:
                self._ring.set_radius(radius)
        colour = status_colour(pin.status)
        if colour != self.colour:
            self.setBrush(colour)
        position = QPointF(*PROJECTION.project(pin.longitude, pin.latitude))
        if position != self.pos():
            self.setPos(position)
        self.setToolTip(pin.tooltip)
        self._status_z = Z_MARKER.get(pin.status, Z_MARKER_DEFAULT)
        self.setZValue(Z_SELECTED if self.selected else self._status_z)

    def set_selected(self, selected: bool) -> None:
        if selected == self.selected:
            return
        self.selected = selected
        self.setZValue(Z_SELECTED if selected else self._status_z)
        if selected:
            self._ring = _SelectionRing(self)
            self._ring.set_radius(self.radius)
        elif self._ring is not None:
            ring, self._ring = self._ring, None
            scene = ring.scene()
            if scene is not None:
                scene.removeItem(ring)  # also detaches it from this marker


class _SelectionRing(QGraphicsItem):
    """The ring around the selected station's marker (a child of that marker)."""

    def __init__(self, marker: _StationMarker) -> None:
        super().__init__(marker)
        self._radius = 0.0

    def set_radius(self, marker_radius: float) -> None:
        self.prepareGeometryChange()
        self._radius = marker_radius + 3.5

    def boundingRect(self) -> QRectF:
        r = self._radius + 3
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 235), 4.5))  # halo so the ring reads on any fill
        painter.drawEllipse(QPointF(0, 0), self._radius, self._radius)
        painter.setPen(QPen(SELECTION, 2.0))
        painter.drawEllipse(QPointF(0, 0), self._radius, self._radius)


class _AreaLabel(QGraphicsItem):
    """A region or district name at constant screen size, with a light halo for legibility."""

    def __init__(self, area: Area, text: str, font: QFont, colour: QColor) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.area = area
        self.name = area.name
        self.setPos(QPointF(*area.label_point))
        self.setZValue(Z_LABELS)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # text is drawn once
        self._colour = colour
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(text)
        path = QPainterPath()
        path.addText(QPointF(-width / 2, metrics.ascent() / 2 - metrics.descent() / 2), font, text)
        self._text = path
        stroker = QPainterPathStroker()
        stroker.setWidth(3.0)
        stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self._halo = stroker.createStroke(path)
        self._rect = self._halo.boundingRect().adjusted(-1, -1, 1, 1)

    def screen_rect(self, view: QGraphicsView) -> QRectF:
        """Where the label would be drawn in `view`'s viewport."""
        centre = view.mapFromScene(self.pos())
        return self._rect.translated(QPointF(centre))

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(HALO)
        painter.drawPath(self._halo)
        painter.setBrush(self._colour)
        painter.drawPath(self._text)


def _polygons_path(polygons: Iterable[Polygon]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in polygons:
        for ring in polygon:
            path.moveTo(*ring[0])
            for point in ring[1:]:
                path.lineTo(*point)
            path.closeSubpath()
    return path


def _lines_path(lines: Iterable[Polyline]) -> QPainterPath:
    path = QPainterPath()
    for line in lines:
        path.moveTo(*line[0])
        for point in line[1:]:
            path.lineTo(*point)
    return path


def _cosmetic_pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)  # width in screen pixels whatever the zoom
    # Bevel joins look the same as round ones at these widths and stroke several times faster.
    pen.setJoinStyle(Qt.PenJoinStyle.BevelJoin)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


class _BasemapCache:
    """The basemap rendered once for the current zoom, a margin larger than the viewport.

    Stroking the country border costs tens of milliseconds at country scale, far too much to
    redo for every mouse move of a pan. Panning only shifts this picture; it is rendered again
    when the zoom changes, the viewport grows, or the view pans past the margin.
    """

    MARGIN = 0.3  # of the viewport size, on each side

    def __init__(self) -> None:
        self._pixmap: QPixmap | None = None
        self._valid = False
        self._transform = QTransform()  # scene -> viewport when rendered
        self._origin = QPoint()  # where the picture's top-left was in the viewport then

    def clear(self) -> None:
        self._pixmap = None
        self._valid = False

    def pixmap_for(self, view: _MapCanvas) -> tuple[QPixmap, QPoint]:
        """The cached picture and where its top-left goes in the viewport."""
        current = view.viewportTransform()
        viewport = view.viewport().rect()
        if self._pixmap is not None and self._valid and self._same_scale(current):
            # Pans move the view by whole pixels, so the shift is an exact integer offset.
            shift = QPoint(round(current.dx() - self._transform.dx()), round(current.dy() - self._transform.dy()))
            offset = self._origin + shift
            covered = QRect(offset, self._pixmap.deviceIndependentSize().toSize())
            if covered.contains(viewport):
                return self._pixmap, offset
        self._render(view, current, viewport)
        assert self._pixmap is not None
        return self._pixmap, self._origin

    def _same_scale(self, current: QTransform) -> bool:
        return math.isclose(current.m11(), self._transform.m11(), rel_tol=1e-9) and math.isclose(
            current.m22(), self._transform.m22(), rel_tol=1e-9
        )

    def _margin(self, viewport: QRect) -> QPoint:
        return QPoint(round(viewport.width() * self.MARGIN), round(viewport.height() * self.MARGIN))

    def _render(self, view: _MapCanvas, current: QTransform, viewport: QRect) -> None:
        margin = self._margin(viewport)
        size = viewport.size() + QSize(2 * margin.x(), 2 * margin.y())
        ratio = view.devicePixelRatioF()
        physical = QSize(round(size.width() * ratio), round(size.height() * ratio))
        pixmap = self._pixmap
        if pixmap is None or pixmap.size() != physical or pixmap.devicePixelRatio() != ratio:
            pixmap = QPixmap(physical)  # reused across zoom steps: allocating is half the cost
            pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(WATER)
        self._transform = current * QTransform.fromTranslate(margin.x(), margin.y())
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self._transform)
        for layer in view.basemap_layers:
            painter.setPen(layer.pen)
            painter.setBrush(layer.brush)
            if layer.offset:
                painter.save()
                painter.setTransform(self._transform * QTransform.fromTranslate(*layer.offset))
                painter.drawPath(layer.path)
                painter.restore()
            else:
                painter.drawPath(layer.path)
        painter.end()
        # The transform that maps scene to *viewport* at render time, for the pan offset.
        self._transform = current
        self._origin = QPoint(-margin.x(), -margin.y())
        self._pixmap = pixmap
        self._valid = True


class _BasemapLayer:
    """One drawn layer of the basemap: a path with a stroke, a fill, or both."""

    def __init__(
        self,
        path: QPainterPath,
        pen: QPen | None = None,
        fill: QColor | None = None,
        offset: tuple[float, float] | None = None,
    ) -> None:
        self.path = path
        self.offset = offset  # in screen pixels, for a drop shadow
        self.pen = pen if pen is not None else QPen(Qt.PenStyle.NoPen)
        self.brush = QBrush(fill) if fill is not None else QBrush(Qt.BrushStyle.NoBrush)


# --- the canvas ----------------------------------------------------------------------------


class _MapCanvas(QGraphicsView):
    """The zoomable, pannable view of the map scene; turns mouse and keys into map gestures.

    Signals:
        marker_clicked: the operator clicked a station marker (its device id).
        view_changed: the visible part of the map changed (zoom, pan or resize).
    """

    marker_clicked = Signal(str)
    view_changed = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(WATER)
        self.basemap_layers: list[_BasemapLayer] = []
        self._basemap_cache = _BasemapCache()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self.fit_scale = 1.0
        self.country = _projected_bounds()
        # Until the operator zooms or pans, a resize keeps the whole country in view.
        self.user_moved = False
        self._press_pos: QPoint | None = None
        self._last_pos = QPoint()
        self._dragging = False
        self.horizontalScrollBar().valueChanged.connect(self._on_scroll_changed)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_changed)

    # zoom ---------------------------------------------------------------------------------

    def zoom(self) -> float:
        """Current scale relative to the country fit (1.0 = whole of Czechia)."""
        return self.transform().m11() / self.fit_scale

    def zoom_at(self, factor: float, anchor: QPoint) -> None:
        """Scale by `factor` keeping the map point under `anchor` (viewport px) where it is."""
        self.user_moved = True
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom() * factor))
        factor = target / self.zoom()
        if abs(factor - 1.0) < 1e-9:
            return
        before = self.mapToScene(anchor)
        self.scale(factor, factor)
        after = self.mapFromScene(before)
        self._scroll_by(after.x() - anchor.x(), after.y() - anchor.y())
        self.view_changed.emit()

    def fit_country(self) -> None:
        """Show the whole country, centred, with a small margin."""
        self._update_fit_scale()
        self.resetTransform()
        self.scale(self.fit_scale, self.fit_scale)
        self.centerOn(self.country.center())
        self.user_moved = False
        self.view_changed.emit()

    def set_basemap(self, layers: list[_BasemapLayer]) -> None:
        self.basemap_layers = layers
        self._basemap_cache.clear()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        if not self.basemap_layers or self.viewport().rect().isEmpty():
            painter.fillRect(rect, WATER)
            return
        pixmap, offset = self._basemap_cache.pixmap_for(self)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(offset, pixmap)
        painter.restore()

    def _update_fit_scale(self) -> None:
        viewport, c = self.viewport().rect(), self.country
        if not viewport.isEmpty() and not c.isEmpty():
            self.fit_scale = min(
                viewport.width() / (c.width() * FIT_MARGIN), viewport.height() / (c.height() * FIT_MARGIN)
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.user_moved:
            self._update_fit_scale()  # zoom levels stay relative to what fits now
            self.view_changed.emit()
        else:
            self.fit_country()

    def _scroll_by(self, dx: float, dy: float) -> None:
        self.user_moved = True
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(dx))
        v.setValue(v.value() + round(dy))

    def _on_scroll_changed(self, _value: int) -> None:
        self.view_changed.emit()

    # markers under the cursor -------------------------------------------------------------

    def marker_at(self, pos: QPoint) -> _StationMarker | None:
        """The marker nearest to `pos` within a few pixels; faults win ties (they are on top)."""
        area = QRect(pos.x() - HIT_TOLERANCE, pos.y() - HIT_TOLERANCE, 2 * HIT_TOLERANCE, 2 * HIT_TOLERANCE)
        best: tuple[float, float, _StationMarker] | None = None
        for item in self.items(area):
            if not isinstance(item, _StationMarker):
                continue
            centre = self.mapFromScene(item.pos())
            distance = math.hypot(centre.x() - pos.x(), centre.y() - pos.y())
            if distance > HIT_TOLERANCE + item.radius:
                continue
            key = (distance, -item.zValue())
            if best is None or key < best[:2]:
                best = (key[0], key[1], item)
        return None if best is None else best[2]

    # mouse and keys -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._press_pos = event.position().toPoint()
        self._last_pos = self._press_pos
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press_pos).manhattanLength() > 3:
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                delta = pos - self._last_pos
                self._scroll_by(-delta.x(), -delta.y())
            self._last_pos = pos
            event.accept()
            return
        over_marker = self.marker_at(pos) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over_marker else Qt.CursorShape.OpenHandCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            super().mouseReleaseEvent(event)
            return
        if not self._dragging:
            marker = self.marker_at(event.position().toPoint())
            if marker is not None:
                self.marker_clicked.emit(marker.device_id)
        self._press_pos = None
        self._dragging = False
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.zoom_at(2.0, event.position().toPoint())
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120  # fractions from touchpads zoom smoothly
        if steps:
            self.zoom_at(WHEEL_STEP**steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        centre = self.viewport().rect().center()
        step_x, step_y = self.viewport().width() / 6, self.viewport().height() / 6
        if key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit_country()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_at(WHEEL_STEP * 1.6, centre)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_at(1 / (WHEEL_STEP * 1.6), centre)
        elif key == Qt.Key.Key_Left:
            self._scroll_by(-step_x, 0)
        elif key == Qt.Key.Key_Right:
            self._scroll_by(step_x, 0)
        elif key == Qt.Key.Key_Up:
            self._scroll_by(0, -step_y)
        elif key == Qt.Key.Key_Down:
            self._scroll_by(0, step_y)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


# --- overlays --------------------------------------------------------------------------------

_OVERLAY_STYLE = """
QFrame#map-overlay { background: rgba(255, 255, 255, 235); border: 1px solid #cfd5dc; border-radius: 4px; }
QFrame#map-overlay QLabel { background: transparent; color: #3c4043; }
QLabel#legend-title { font-weight: 600; color: #202124; }
QLabel#map-location { background: rgba(255, 255, 255, 225); color: #3c4043; padding: 2px 8px;
                      border: 1px solid #cfd5dc; border-radius: 10px; }
QLabel#map-attribution { background: rgba(255, 255, 255, 200); color: #6b7078; padding: 1px 5px;
                         border-top-left-radius: 3px; }
QToolButton#map-zoom { background: transparent; border: none; padding: 0; }
QToolButton#map-zoom:hover { background: #eef1f4; }
QToolButton#map-zoom:pressed { background: #dde3e9; }
QFrame#map-zoom-separator { background: #e0e4e8; max-height: 1px; min-height: 1px; border: none; }
"""


def _glyph_icon(kind: str, size: int = 24) -> QIcon:
    """Plus, minus and "fit" drawn as crisp vector glyphs (no reliance on font coverage)."""
    pixmap = QPixmap(size * 2, size * 2)  # @2x so it stays crisp on HiDPI
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(2.0)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#3c4043"), 1.8)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    c, a = size / 2, size * 0.27
    if kind in ("plus", "minus"):
        painter.drawLine(QPointF(c - a, c), QPointF(c + a, c))
        if kind == "plus":
            painter.drawLine(QPointF(c, c - a), QPointF(c, c + a))
    else:  # four corner brackets: "show the whole country"
        b = a * 0.55
        for sx in (-1, 1):
            for sy in (-1, 1):
                corner = QPointF(c + sx * a, c + sy * a)
                painter.drawLine(corner, QPointF(corner.x() - sx * b, corner.y()))
                painter.drawLine(corner, QPointF(corner.x(), corner.y() - sy * b))
    painter.end()
    return QIcon(pixmap)


class _ZoomControls(QFrame):
    """Zoom in, zoom out and "fit Czechia" buttons stacked in the map's top-right corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("map-overlay")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        self.zoom_in = self._button("plus", self.tr("Zoom in (+)"))
        self.zoom_out = self._button("minus", self.tr("Zoom out (-)"))
        self.fit = self._button("fit", self.tr("Show all of Czechia (0)"))
        for i, button in enumerate((self.zoom_in, self.zoom_out, self.fit)):
            if i:
                separator = QFrame(self)
                separator.setObjectName("map-zoom-separator")
                layout.addWidget(separator)
            layout.addWidget(button)
        self.adjustSize()

    def _button(self, glyph: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("map-zoom")
        button.setIcon(_glyph_icon(glyph))
        button.setIconSize(QSize(24, 24))
        button.setFixedSize(30, 30)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(glyph != "fit")
        return button


def _dot(colour: QColor, radius: float = 5.0) -> QPixmap:
    size = int(2 * radius + 2)
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(2.0)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(MARKER_OUTLINE, 1.0))
    painter.setBrush(colour)
    painter.drawEllipse(QPointF(size / 2, size / 2), radius, radius)
    painter.end()
    return pixmap


class _Legend(QFrame):
    """Status colours with how many stations are in each, in the map's top-left corner."""

    # Always listed so the operator sees "Faulted 0" rather than wondering; others when present.
    ALWAYS = ("Faulted", "Unavailable", "Offline", "Charging", "Available")
    # The legend has room for words where lists show the status as reported.
    NAMES = LabelTable("DeviceMapLegend", {
        "SuspendedEV": QT_TRANSLATE_NOOP("DeviceMapLegend", "Suspended by EV"),
        "SuspendedEVSE": QT_TRANSLATE_NOOP("DeviceMapLegend", "Suspended by station"),
        "other": QT_TRANSLATE_NOOP("DeviceMapLegend", "Other"),
    })

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("map-overlay")
        grid = QGridLayout(self)
        grid.setContentsMargins(9, 6, 10, 7)
        grid.setHorizontalSpacing(7)
        grid.setVerticalSpacing(1)
        title = QLabel(self.tr("Stations"), self)
        title.setObjectName("legend-title")
        self._total = QLabel("0", self)
        self._total.setObjectName("legend-count-total")
        self._total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(self._total, 0, 2)
        # One row per status, made once and shown or hidden: rebuilding widgets on every status
        # change would flicker and cost far more than a text update.
        self._rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for row, key in enumerate((*STATUS_ORDER, "other"), start=1):
            dot = QLabel(self)
            dot.setPixmap(_dot(status_colour(key if key != "other" else "")))
            name = QLabel(self.NAMES.label(key) if key in self.NAMES else status_label(key), self)
            count = QLabel(self)
            count.setObjectName(f"legend-count-{key}")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setMinimumWidth(round(QFontMetricsF(count.font()).horizontalAdvance("0000")) + 2)
            grid.addWidget(dot, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(count, row, 2)
            self._rows[key] = (dot, name, count)
        self.show_counts({})

    def show_counts(self, counts: dict[str, int]) -> None:
        shown = dict.fromkeys(self.ALWAYS, 0)
        for status, n in counts.items():
            key = status if status in self._rows else "other"
            shown[key] = shown.get(key, 0) + n
        self._total.setText(_thousands(sum(counts.values())))
        for key, (dot, name, count) in self._rows.items():
            visible = key in shown
            for widget in (dot, name, count):
                widget.setVisible(visible)
            if visible:
                n = shown[key]
                count.setText(_thousands(n))
                # zero rows greyed: present for orientation, not competing for attention
                style = "" if n else "color: #9aa0a6;"
                name.setStyleSheet(style)
                count.setStyleSheet(style)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.adjustSize()

    def count_text(self, status: str) -> str | None:
        """The count shown for `status` ("other" for unknown ones, "total" for all); None if its
        row is hidden."""
        if status == "total":
            return self._total.text()
        row = self._rows.get(status)
        if row is None or row[2].isHidden():
            return None
        return row[2].text()


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # thin space, as Czech and SI write thousands


class _ScaleBar(QWidget):
    """A ground-distance bar (1, 2 or 5 times a power of ten km) for the latitude at the centre of the view."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._km = 0.0
        self._pixels = 0.0
        self.setFixedSize(140, 24)

    def set_scale(self, px_per_km: float) -> None:
        if px_per_km <= 0:
            return
        target = 100 / px_per_km  # aim for a bar at most ~100 px long
        magnitude = 10 ** math.floor(math.log10(target))
        km = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target) if target >= magnitude else magnitude
        self._km, self._pixels = km, km * px_per_km
        self.update()

    def label(self) -> str:
        return f"{self._km:g} km" if self._km >= 1 else f"{self._km * 1000:g} m"

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._pixels:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x0, y = 6.0, self.height() - 6.0
        x1 = x0 + self._pixels
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        text_rect = QRectF(x0, 0, 130, y - 3)
        # halo under bar and text so they read over borders and markers
        halo = QPen(QColor(255, 255, 255, 220), 4.0)
        painter.setPen(halo)
        painter.drawPolyline([QPointF(x0, y - 5), QPointF(x0, y), QPointF(x1, y), QPointF(x1, y - 5)])
        text_path = QPainterPath()
        metrics = QFontMetricsF(font)
        text_path.addText(QPointF(x0 + 2, text_rect.bottom() - metrics.descent()), font, self.label())
        painter.strokePath(text_path, QPen(QColor(255, 255, 255, 220), 3.0))
        painter.fillPath(text_path, QColor("#3c4043"))
        painter.setPen(QPen(QColor("#3c4043"), 1.5))
        painter.drawPolyline([QPointF(x0, y - 5), QPointF(x0, y), QPointF(x1, y), QPointF(x1, y - 5)])
        painter.end()


# --- the pane --------------------------------------------------------------------------------


class DeviceMapView(QWidget):
    """The device map pane over a `StationMapModel`.

    Call `await load_basemap()` once after creating it; stations can arrive before or after.

    Signals:
        station_selected: the operator clicked a station's marker (its device id). Not emitted
            by `select_station`, which other panes call to show a station chosen elsewhere.
    """

    station_selected = Signal(str)

    def __init__(self, model: StationMapModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("device-map")
        self.setStyleSheet(_OVERLAY_STYLE)
        self._model = model
        self._markers: dict[str, _StationMarker] = {}
        self._selected: str | None = None
        self._region_labels: list[_AreaLabel] = []
        self._district_labels: list[_AreaLabel] = []
        self._shown_labels: list[_AreaLabel] = []
        self._basemap_drawn = False
        self._basemap_requested = False

        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._canvas = _MapCanvas(self._scene, self)
        self._set_scene_rect()
        self._canvas.setAccessibleName(self.tr("Device map"))
        self.setFocusProxy(self._canvas)  # +, -, 0 and the arrows work when the pane has focus
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._canvas)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)

        self._legend = _Legend(self)
        self._zoom = _ZoomControls(self)
        self._scale_bar = _ScaleBar(self)
        self._attribution = QLabel(self.tr("Basemap: {sources}").format(sources=ATTRIBUTION.removeprefix("Basemap: ")),
                                   self)
        self._attribution.setObjectName("map-attribution")
        font = self._attribution.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 7))
        self._attribution.setFont(font)
        self._attribution.adjustSize()
        # Where the middle of the map is ("Frýdek-Místek · Moravskoslezský kraj") once zoomed in
        # past the point where the district's own name may be off screen.
        self._location = QLabel(self)
        self._location.setObjectName("map-location")
        self._location.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._location.hide()
        self._district_areas: list[tuple[QRectF, Area]] = []
        self._notice = QLabel(self)  # says so if the basemap could not be read
        self._notice.setObjectName("map-notice")
        self._notice.hide()

        # Many status updates can arrive in one burst: recount the legend once per burst.
        self._legend_timer = QTimer(self)
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._on_legend_timer_timeout)

        self._canvas.marker_clicked.connect(self._on_canvas_marker_clicked)
        self._canvas.view_changed.connect(self._on_canvas_view_changed)
        self._zoom.zoom_in.clicked.connect(self._on_zoom_in_clicked)
        self._zoom.zoom_out.clicked.connect(self._on_zoom_out_clicked)
        self._zoom.fit.clicked.connect(self._on_fit_clicked)
        model.modelReset.connect(self._on_model_reset)
        model.rowsInserted.connect(self._on_model_rows_inserted)
        model.rowsAboutToBeRemoved.connect(self._on_model_rows_about_to_be_removed)
        model.dataChanged.connect(self._on_model_data_changed)
        model.layoutChanged.connect(self._on_model_reset)

        self._on_model_reset()

    # --- public API ------------------------------------------------------------------------

    async def load_basemap(self) -> None:
        """Read and project the basemap in a worker thread, then draw it (once; later calls return)."""
        if self._basemap_requested:
            return
        self._basemap_requested = True
        loop = asyncio.get_running_loop()
        try:
            basemap = await loop.run_in_executor(None, load_basemap)
        except (OSError, ValueError, KeyError) as exc:
            log.exception("basemap could not be read")
            if shiboken6.isValid(self):
                self._notice.setText(self.tr("Basemap unavailable: {error}").format(error=exc))
                self._notice.adjustSize()
                self._notice.show()
                self._place_overlays()
            return
        if not shiboken6.isValid(self):  # the pane was closed while the files were read
            return
        self._draw_basemap(basemap)

    def colour_of(self, device_id: str) -> QColor | None:
        """The fill colour the station's marker is drawn with; None if it has no marker."""
        marker = self._markers.get(device_id)
        return None if marker is None else QColor(marker.colour)

    def select_station(self, device_id: str) -> None:
        """Ring the station's marker and bring it to the middle of the map, zooming in to
        district level if the map shows more than that. Does not emit `station_selected`."""
        marker = self._markers.get(device_id)
        self._set_selected(device_id if marker is not None else None)
        if marker is None:
            return
        if self._canvas.zoom() < SELECT_ZOOM:
            self._canvas.zoom_at(SELECT_ZOOM / self._canvas.zoom(), self._canvas.viewport().rect().center())
        self._canvas.centerOn(marker.pos())
        self._canvas.user_moved = True

    def selected_station(self) -> str | None:
        return self._selected

    def zoom_by(self, factor: float) -> None:
        """Zoom around the centre of the map (factor > 1 zooms in), within the zoom limits."""
        self._canvas.zoom_at(factor, self._canvas.viewport().rect().center())
        self._canvas.user_moved = True

    def fit_country(self) -> None:
        """Show the whole of Czechia."""
        self._canvas.fit_country()

    def zoom_level(self) -> float:
        """Scale relative to the country view (1.0 = all of Czechia fits)."""
        return self._canvas.zoom()

    def visible_labels(self) -> list[str]:
        """Official names (e.g. "Moravskoslezský kraj", "Frýdek-Místek") of the regions and
        districts whose labels are on screen now; region labels are printed in short form."""
        return [label.name for label in self._shown_labels]

    def has_data(self) -> bool:
        """The basemap is drawn and at least one station has a marker."""
        return self._basemap_drawn and bool(self._markers)

    def legend_count(self, status: str) -> str | None:
        """The number the legend shows for `status` as displayed (None if it lists no such row)."""
        return self._legend.count_text(status)

    def marker_position(self, device_id: str) -> QPoint | None:
        """Where the station's marker is, in viewport pixels (for tests and tooltips)."""
        marker = self._markers.get(device_id)
        return None if marker is None else self._canvas.mapFromScene(marker.pos())

    def viewport(self) -> QWidget:
        """The widget that receives the map's mouse events."""
        return self._canvas.viewport()

    # --- basemap ---------------------------------------------------------------------------

    def _draw_basemap(self, basemap: Basemap) -> None:
        x1, y1, x2, y2 = basemap.bounds()
        self._canvas.country = QRectF(QPointF(x1, y1), QPointF(x2, y2))
        self._set_scene_rect()
        land = _polygons_path(basemap.border)
        self._canvas.set_basemap(
            [
                # a soft drop shadow lifts the country off the background
                _BasemapLayer(land, None, LAND_SHADOW, offset=(1.5, 2.5)),
                _BasemapLayer(land, None, LAND),
                _BasemapLayer(_lines_path(basemap.district_edges), _cosmetic_pen(DISTRICT_EDGE, 0.8)),
                _BasemapLayer(_lines_path(basemap.region_edges), _cosmetic_pen(REGION_EDGE, 1.3)),
                _BasemapLayer(land, _cosmetic_pen(BORDER, 1.8)),
            ]
        )

        region_font = QFont(self.font())
        region_font.setPointSizeF(max(region_font.pointSizeF() - 1.0, 7.5))
        region_font.setCapitalization(QFont.Capitalization.AllUppercase)
        region_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        region_font.setWeight(QFont.Weight.DemiBold)
        district_font = QFont(self.font())
        district_font.setPointSizeF(max(district_font.pointSizeF() - 1.0, 7.5))
        # Larger areas first: when names collide the bigger area keeps its name.
        for area in sorted(basemap.regions, key=lambda a: -a.area):
            label = _AreaLabel(area, area.short_name, region_font, REGION_LABEL)
            self._scene.addItem(label)
            self._region_labels.append(label)
        for area in basemap.districts:
            self._district_areas.append((_polygons_path(area.polygons).boundingRect(), area))
        for area in sorted(basemap.districts, key=lambda a: -a.area):
            label = _AreaLabel(area, area.name, district_font, DISTRICT_LABEL)
            self._scene.addItem(label)
            self._district_labels.append(label)
        self._basemap_drawn = True
        if not self._canvas.user_moved:
            self._canvas.fit_country()
        self._layout_labels()

    def _set_scene_rect(self) -> None:
        # Room to pan a country-width past each edge, but not to lose the country entirely.
        c = self._canvas.country
        self._scene.setSceneRect(c.adjusted(-c.width(), -c.height(), c.width(), c.height()))

    def _layout_labels(self) -> None:
        """Show the names that belong to this zoom level, skipping any that would collide."""
        zoom = self._canvas.zoom()
        wanted = self._district_labels if zoom >= DISTRICT_ZOOM else self._region_labels
        viewport = QRectF(self._canvas.viewport().rect())
        # Names never hide under the legend, the zoom buttons or the attribution.
        origin = self._canvas.viewport().mapTo(self, QPoint(0, 0))
        taken: list[QRectF] = [
            QRectF(overlay.geometry().translated(-origin))
            for overlay in (self._legend, self._zoom, self._attribution, self._scale_bar, self._location)
            if overlay.isVisible()
        ]
        shown: list[_AreaLabel] = []
        for label in wanted:
            rect = label.screen_rect(self._canvas)
            if not viewport.contains(rect):
                continue
            padded = rect.adjusted(-4, -2, 4, 2)
            if any(padded.intersects(other) for other in taken):
                continue
            taken.append(padded)
            shown.append(label)
        # Only touch labels whose visibility changes: hiding an item drops its cached picture.
        keep = set(map(id, shown))
        for label in (*self._region_labels, *self._district_labels):
            visible = id(label) in keep
            if label.isVisible() != visible:
                label.setVisible(visible)
        self._shown_labels = shown

    # --- markers ---------------------------------------------------------------------------

    def _add_marker(self, pin: StationPin) -> None:
        if not _has_position(pin):
            return
        marker = _StationMarker(pin)
        marker.set_selected(pin.device_id == self._selected)
        self._scene.addItem(marker)
        self._markers[pin.device_id] = marker

    def _remove_marker(self, device_id: str) -> None:
        marker = self._markers.pop(device_id, None)
        if marker is not None:
            self._scene.removeItem(marker)
        if device_id == self._selected:
            self._selected = None

    def _set_selected(self, device_id: str | None) -> None:
        if self._selected is not None and self._selected in self._markers:
            self._markers[self._selected].set_selected(False)
        self._selected = device_id
        if device_id is not None and device_id in self._markers:
            self._markers[device_id].set_selected(True)

    def _on_model_reset(self) -> None:
        for device_id in list(self._markers):
            self._remove_marker(device_id)
        selected = self._selected
        for pin in self._model.pins():
            self._add_marker(pin)
        self._selected = selected if selected in self._markers else None
        if self._selected is not None:
            self._markers[self._selected].set_selected(True)
        self._legend_timer.start()

    def _on_model_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            pin = self._model.data(self._model.index(row, 0), StationMapModel.PinRole)
            if isinstance(pin, StationPin):
                self._add_marker(pin)
        self._legend_timer.start()

    def _on_model_rows_about_to_be_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            device_id = self._model.data(self._model.index(row, 0), StationMapModel.DeviceIdRole)
            if isinstance(device_id, str):
                self._remove_marker(device_id)
        self._legend_timer.start()

    def _on_model_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            pin = self._model.data(self._model.index(row, 0), StationMapModel.PinRole)
            if not isinstance(pin, StationPin):
                continue
            marker = self._markers.get(pin.device_id)
            if marker is None:
                self._add_marker(pin)
            elif _has_position(pin):
                marker.set_pin(pin)  # repaints this one marker only
            else:
                self._remove_marker(pin.device_id)
        self._legend_timer.start()

    def _on_legend_timer_timeout(self) -> None:
        self._legend.show_counts(self._model.status_counts())
        self._place_overlays()
        self._layout_labels()  # the legend may have grown over a name

    # --- interaction -----------------------------------------------------------------------

    def _on_canvas_marker_clicked(self, device_id: str) -> None:
        self._set_selected(device_id)
        self.station_selected.emit(device_id)

    def _on_canvas_view_changed(self) -> None:
        centre = self._canvas.mapToScene(self._canvas.viewport().rect().center())
        _, lat = PROJECTION.unproject(centre.x(), centre.y())
        px_per_unit = self._canvas.transform().m11()
        self._scale_bar.set_scale(px_per_unit / PROJECTION.ground_km_per_unit(lat))
        self._show_location(centre)  # before the names, which keep clear of the caption
        self._layout_labels()

    def _show_location(self, centre: QPointF) -> None:
        district = None
        if self._canvas.zoom() >= DISTRICT_ZOOM:
            point = (centre.x(), centre.y())
            district = next(
                (
                    area
                    for box, area in self._district_areas
                    if box.contains(centre) and any(point_in_polygon(point, p) for p in area.polygons)
                ),
                None,
            )
        if district is None:
            self._location.hide()
            return
        text = f"{district.name} \u00b7 {district.region}"
        if text != self._location.text():
            self._location.setText(text)
            self._location.adjustSize()
            self._place_overlays()
        self._location.show()

    def location_text(self) -> str | None:
        """The district and region at the middle of the map as the caption shows them, when shown."""
        return None if self._location.isHidden() else self._location.text()

    def _on_zoom_in_clicked(self) -> None:
        self.zoom_by(2.0)

    def _on_zoom_out_clicked(self) -> None:
        self.zoom_by(0.5)

    def _on_fit_clicked(self) -> None:
        self.fit_country()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()
        self._layout_labels()

    def _place_overlays(self) -> None:
        margin = 10
        w, h = self.width(), self.height()
        self._legend.move(margin, margin)
        self._zoom.move(w - self._zoom.width() - margin, margin)
        self._attribution.move(w - self._attribution.width(), h - self._attribution.height())
        self._scale_bar.move(margin - 4, h - self._scale_bar.height() - 4)
        self._notice.move((w - self._notice.width()) // 2, margin)
        self._location.move((w - self._location.width()) // 2, margin)
        for overlay in (self._legend, self._zoom, self._attribution, self._scale_bar, self._location, self._notice):
            overlay.raise_()


def _has_position(pin: StationPin) -> bool:
    """False for a device without usable coordinates (missing, or the 0/0 placeholder)."""
    lat, lon = pin.latitude, pin.longitude
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if lat == 0 and lon == 0:
        return False
    return -85 <= lat <= 85 and -180 <= lon <= 180
