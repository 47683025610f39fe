"""The offline basemap of Czechia: GeoJSON loading, the map projection and label placement.

Plain Python and no Qt, so it can run in a worker thread: `load_basemap()` reads and parses the
bundled files (blocking; the device map calls it through `loop.run_in_executor`) and returns a
`Basemap` whose geometry is already projected to map units, ready to be turned into graphics
items on the GUI thread.

The bundled files come from two sources (see resources/basemap/ATTRIBUTION.md): the country
border from ČÚZK, regions and districts from one TopoJSON conversion. The two borders differ by up
to a few hundred metres, so the map fills land and draws the border from the ČÚZK outline and
draws only the *interior* region and district boundaries (edges two areas share). That way no
second, slightly offset border line shows up when zoomed in.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ema_desktop.paths import resource

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes
Polyline = tuple[Point, ...]

ATTRIBUTION = "Basemap: ČÚZK (CC BY 4.0), J. Lacko (MIT)"

BORDER_FILE = "czechia-detailed.geojson"
COARSE_BORDER_FILE = "czechia-simple.geojson"
REGIONS_FILE = "czechia-regions.geojson"
DISTRICTS_FILE = "czechia-districts.geojson"


class WebMercator:
    """Spherical (Web) Mercator in kilometres at the equator; y grows southwards like screen y.

    Conformal, so Czechia keeps its shape at every zoom; at 50° N one map unit is about
    cos(50°) ≈ 0.64 km on the ground, which `ground_km_per_unit` reports for the scale bar.
    """

    RADIUS_KM = 6378.137
    MAX_LATITUDE = 85.05112878

    def project(self, lon: float, lat: float) -> Point:
        lat = max(-self.MAX_LATITUDE, min(self.MAX_LATITUDE, lat))
        x = self.RADIUS_KM * math.radians(lon)
        y = -self.RADIUS_KM * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return (x, y)

    def unproject(self, x: float, y: float) -> Point:
        lon = math.degrees(x / self.RADIUS_KM)
        lat = math.degrees(2 * math.atan(math.exp(-y / self.RADIUS_KM)) - math.pi / 2)
        return (lon, lat)

    def ground_km_per_unit(self, lat: float) -> float:
        return math.cos(math.radians(lat))


PROJECTION = WebMercator()


@dataclass(frozen=True)
class Area:
    """One administrative area (a region or a district), geometry in projected map units.

    `region` is the name of the region a district lies in (for a region, its own name).
    `label_point` lies inside the area, as far from its edges as possible.
    """

    code: str
    name: str
    region: str
    polygons: tuple[Polygon, ...]
    label_point: Point
    area: float

    @property
    def short_name(self) -> str:
        """The name without the word "kraj", as printed on small-scale maps of Czechia."""
        return short_region_name(self.name)


@dataclass(frozen=True)
class Basemap:
    """Everything the device map draws under the stations, in projected map units."""

    border: tuple[Polygon, ...]
    regions: tuple[Area, ...]
    districts: tuple[Area, ...]
    region_edges: tuple[Polyline, ...]
    district_edges: tuple[Polyline, ...]

    def bounds(self) -> tuple[float, float, float, float]:
        """(min_x, min_y, max_x, max_y) of the country border."""
        xs = [p[0] for polygon in self.border for p in polygon[0]]
        ys = [p[1] for polygon in self.border for p in polygon[0]]
        return (min(xs), min(ys), max(xs), max(ys))


def short_region_name(name: str) -> str:
    """ "Moravskoslezský kraj" -> "Moravskoslezský", "Kraj Vysočina" -> "Vysočina",
    "Hlavní město Praha" -> "Praha"; other names unchanged."""
    if name.endswith(" kraj"):
        return name[: -len(" kraj")]
    if name.startswith("Kraj "):
        return name[len("Kraj ") :]
    if name == "Hlavní město Praha":
        return "Praha"
    return name


def read_geojson(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from disk (blocking)."""
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path.name}: not a GeoJSON FeatureCollection")
    return data


def polygons_of(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry as raw [lon, lat] coordinate lists."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {kind!r}")


def project_polygon(raw: Sequence[Sequence[Sequence[float]]], projection: WebMercator = PROJECTION) -> Polygon:
    return tuple(tuple(projection.project(float(p[0]), float(p[1])) for p in ring) for ring in raw)


def parse_areas(
    collection: Mapping[str, Any],
    code_key: str,
    name_key: str,
    region_key: str,
    projection: WebMercator = PROJECTION,
) -> tuple[Area, ...]:
    """Areas from a FeatureCollection, projected, each with a label point inside it."""
    areas: list[Area] = []
    for feature in collection["features"]:
        props = feature.get("properties") or {}
        polygons = tuple(project_polygon(raw, projection) for raw in polygons_of(feature["geometry"]))
        largest = max(polygons, key=polygon_area)
        areas.append(
            Area(
                code=str(props[code_key]),
                name=str(props[name_key]),
                region=str(props.get(region_key) or props[name_key]),
                polygons=polygons,
                label_point=label_point(largest),
                area=sum(polygon_area(p) for p in polygons),
            )
        )
    return tuple(areas)


def parse_border(collection: Mapping[str, Any], projection: WebMercator = PROJECTION) -> tuple[Polygon, ...]:
    return tuple(
        project_polygon(raw, projection)
        for feature in collection["features"]
        for raw in polygons_of(feature["geometry"])
    )


@functools.cache
def load_basemap(detailed: bool = True) -> Basemap:
    """Read and project the bundled basemap (blocking: call it in an executor).

    The result is immutable and kept for the life of the process: a second map pane (or a
    reopened one) draws at once instead of parsing and placing labels again.
    """
    border = parse_border(read_geojson(resource("basemap", BORDER_FILE if detailed else COARSE_BORDER_FILE)))
    regions = parse_areas(read_geojson(resource("basemap", REGIONS_FILE)), "KOD_CZNUTS3", "NAZ_CZNUTS3", "NAZ_CZNUTS3")
    districts = parse_areas(read_geojson(resource("basemap", DISTRICTS_FILE)), "KOD_LAU1", "NAZ_LAU1", "NAZ_CZNUTS3")
    return Basemap(
        border=border,
        regions=regions,
        districts=districts,
        region_edges=interior_edges(regions),
        district_edges=interior_edges(districts),
    )


# --- geometry -------------------------------------------------------------------------------


def ring_area(ring: Sequence[Point]) -> float:
    """Unsigned area of a closed ring (shoelace)."""
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    if ring and ring[0] != ring[-1]:
        (x1, y1), (x2, y2) = ring[-1], ring[0]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def polygon_area(polygon: Polygon) -> float:
    return ring_area(polygon[0]) - sum(ring_area(hole) for hole in polygon[1:])


def point_in_polygon(point: Point, polygon: Sequence[Sequence[Point]]) -> bool:
    """Even-odd rule over all rings, so a point in a hole (Praha inside Středočeský) is outside."""
    x, y = point
    inside = False
    for ring in polygon:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _distance_to_edges(point: Point, polygon: Polygon) -> float:
    """Distance from `point` to the nearest edge of any ring (unsigned)."""
    px, py = point
    best = math.inf
    for ring in polygon:
        for (ax, ay), (bx, by) in itertools.pairwise(ring):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
            ex, ey = px - ax - t * dx, py - ay - t * dy
            best = min(best, ex * ex + ey * ey)
    return math.sqrt(best)


def _signed_distance(point: Point, polygon: Polygon) -> float:
    d = _distance_to_edges(point, polygon)
    return d if point_in_polygon(point, polygon) else -d


def label_point(polygon: Polygon, precision: float | None = None) -> Point:
    """The pole of inaccessibility: the point inside `polygon` farthest from its edges.

    A centroid can fall outside a concave area or inside a hole (Středočeský kraj's centroid is
    in Praha), so labels use this instead: a best-first search over square cells in the manner
    of Mapbox's polylabel, to within `precision` map units (default 1/100 of the larger side).
    """
    outer = polygon[0]
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    width, height = max_x - min_x, max_y - min_y
    cell = min(width, height)
    if cell == 0:
        return (min_x, min_y)
    if precision is None:
        precision = max(width, height) / 100

    def score(cx: float, cy: float, half: float) -> tuple[float, float, float, float, float]:
        d = _signed_distance((cx, cy), polygon)
        return (d + half * math.sqrt(2), d, cx, cy, half)  # (upper bound, distance, x, y, half-size)

    half = cell / 2
    # A max-heap on the upper bound of each cell (heapq is a min-heap, hence the negation).
    queue: list[tuple[float, float, float, float, float]] = []
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            queue.append(score(x + half, y + half, half))
            y += cell
        x += cell

    # Start from the area-weighted centroid of the outer ring when it is inside: for ordinary
    # shapes it is already where a reader expects the name.
    centroid = _ring_centroid(outer)
    best = (_signed_distance(centroid, polygon), centroid)
    heap = [(-c[0], c) for c in queue]
    heapq.heapify(heap)
    while heap:
        _, (bound, distance, cx, cy, h) = heapq.heappop(heap)
        if distance > best[0]:
            best = (distance, (cx, cy))
        if bound - best[0] <= precision:
            continue
        h /= 2
        for dx in (-h, h):
            for dy in (-h, h):
                child = score(cx + dx, cy + dy, h)
                heapq.heappush(heap, (-child[0], child))
    return best[1]


def _ring_centroid(ring: Sequence[Point]) -> Point:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        return ring[0]
    return (cx / (3 * a), cy / (3 * a))


def interior_edges(areas: Iterable[Area]) -> tuple[Polyline, ...]:
    """The boundaries two areas share, each once, joined into polylines.

    Edges on the country's outline (used by one area only) are left out: the map draws the
    border from its own, more detailed outline.
    """
    areas = list(areas)
    uses: Counter[tuple[Point, Point]] = Counter()

    def key(a: Point, b: Point) -> tuple[Point, Point]:
        return (a, b) if a <= b else (b, a)

    for area in areas:
        for polygon in area.polygons:
            for ring in polygon:
                for a, b in itertools.pairwise(ring):
                    uses[key(a, b)] += 1

    drawn: set[tuple[Point, Point]] = set()
    lines: list[Polyline] = []
    for area in areas:
        for polygon in area.polygons:
            for ring in polygon:
                run: list[Point] = []
                for a, b in itertools.pairwise(ring):
                    k = key(a, b)
                    if uses[k] >= 2 and k not in drawn:
                        drawn.add(k)
                        if not run:
                            run = [a]
                        run.append(b)
                    elif run:
                        lines.append(tuple(run))
                        run = []
                if run:
                    lines.append(tuple(run))
    return tuple(lines)
