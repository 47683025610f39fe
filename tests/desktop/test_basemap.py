"""The offline basemap of Czechia: what the device map draws under the stations.

No widgets: the geometry is plain data, checked against what anyone who knows the country
expects (Prague lies west of Ostrava, Brno south of Prague) and against an independent
point-in-polygon test (Qt's QPainterPath).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath

from ema_desktop.geo.basemap import (
    ATTRIBUTION,
    PROJECTION,
    Basemap,
    Polygon,
    label_point,
    load_basemap,
    point_in_polygon,
    short_region_name,
)
from ema_desktop.paths import resource

PRAHA = (14.42, 50.08)
BRNO = (16.61, 49.19)
OSTRAVA = (18.29, 49.83)


@pytest.fixture(scope="module")
def basemap() -> Basemap:
    return load_basemap()


def qt_contains(polygon: Polygon, point: tuple[float, float]) -> bool:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in polygon:
        path.moveTo(*ring[0])
        for p in ring[1:]:
            path.lineTo(*p)
        path.closeSubpath()
    return path.contains(QPointF(*point))


def ground_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_all_fourteen_regions_and_seventy_seven_districts_load_with_names(basemap: Basemap) -> None:
    regions = {area.name for area in basemap.regions}
    assert len(basemap.regions) == len(regions) == 14
    assert {"Hlavní město Praha", "Středočeský kraj", "Moravskoslezský kraj", "Kraj Vysočina"} <= regions
    assert {area.code for area in basemap.regions} >= {"CZ010", "CZ080"}

    districts = {area.name for area in basemap.districts}
    assert len(basemap.districts) == len(districts) == 77
    assert {"Ostrava-město", "Frýdek-Místek", "Brno-město", "Brno-venkov", "Praha"} <= districts
    # every district belongs to one of the fourteen regions, and every region has districts
    assert {area.region for area in basemap.districts} == regions
    assert Counter(area.region for area in basemap.districts)["Moravskoslezský kraj"] == 6


def test_projection_keeps_prague_west_of_ostrava_and_brno_south_of_prague() -> None:
    praha, brno, ostrava = (PROJECTION.project(*p) for p in (PRAHA, BRNO, OSTRAVA))
    assert praha[0] < brno[0] < ostrava[0]  # west to east
    assert praha[1] < brno[1]  # map y grows southwards, like the screen's
    for lon, lat in (PRAHA, BRNO, OSTRAVA):
        back = PROJECTION.unproject(*PROJECTION.project(lon, lat))
        assert back == pytest.approx((lon, lat), abs=1e-9)


def test_country_is_not_squashed() -> None:
    """Map distances match ground distances the same way east-west and north-south."""
    praha, ostrava, brno = (PROJECTION.project(*p) for p in (PRAHA, OSTRAVA, BRNO))
    lat = 49.8
    k = PROJECTION.ground_km_per_unit(lat)
    east_west = math.dist(praha, ostrava) * k / ground_km(PRAHA, OSTRAVA)
    north_south = math.dist(praha, brno) * k / ground_km(PRAHA, BRNO)
    assert east_west == pytest.approx(1.0, abs=0.02)
    assert north_south == pytest.approx(1.0, abs=0.02)
    assert 270 < ground_km(PRAHA, OSTRAVA) < 285  # sanity of the helper itself


def test_country_outline_frames_the_cities(basemap: Basemap) -> None:
    min_x, min_y, max_x, max_y = basemap.bounds()
    for city in (PRAHA, BRNO, OSTRAVA):
        x, y = PROJECTION.project(*city)
        assert min_x < x < max_x and min_y < y < max_y
        assert any(point_in_polygon((x, y), polygon) for polygon in basemap.border)
    # about 490 km by 280 km on the ground
    k = PROJECTION.ground_km_per_unit(49.8)
    assert (max_x - min_x) * k == pytest.approx(490, rel=0.05)
    assert (max_y - min_y) * k == pytest.approx(280, rel=0.05)


def test_label_point_lies_inside_every_region_and_district(basemap: Basemap) -> None:
    for area in (*basemap.regions, *basemap.districts):
        polygon = max(area.polygons, key=lambda p: len(p[0]))
        assert point_in_polygon(area.label_point, polygon), area.name
        assert qt_contains(polygon, area.label_point), area.name


def test_central_bohemia_label_is_not_in_prague(basemap: Basemap) -> None:
    """Prague is a hole in Středočeský kraj: its name must not land on the capital."""
    central = next(a for a in basemap.regions if a.name == "Středočeský kraj")
    prague = next(a for a in basemap.regions if a.name == "Hlavní město Praha")
    assert len(central.polygons[0]) == 2  # outer ring and the Prague hole
    assert not point_in_polygon(central.label_point, prague.polygons[0])


def test_label_point_of_a_concave_shape_is_inside_it() -> None:
    u_shape: Polygon = (((0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30), (0, 0)),)
    point = label_point(u_shape, precision=0.1)
    assert point_in_polygon(point, u_shape)
    assert not (10 < point[0] < 20 and point[1] > 10)  # not in the notch, where a centroid falls


def test_boundaries_are_drawn_once_and_not_along_the_country_border(basemap: Basemap) -> None:
    def segments(lines: tuple[tuple[tuple[float, float], ...], ...]) -> list[frozenset[tuple[float, float]]]:
        return [frozenset(pair) for line in lines for pair in itertools.pairwise(line)]

    region_segments = segments(basemap.region_edges)
    assert len(region_segments) == len(set(region_segments))  # no boundary stroked twice
    shared = Counter(
        frozenset(pair)
        for area in basemap.regions
        for polygon in area.polygons
        for ring in polygon
        for pair in itertools.pairwise(ring)
    )
    assert all(shared[segment] == 2 for segment in region_segments)
    assert len(segments(basemap.district_edges)) > len(region_segments)


def test_short_region_names_drop_the_word_kraj() -> None:
    assert short_region_name("Moravskoslezský kraj") == "Moravskoslezský"
    assert short_region_name("Kraj Vysočina") == "Vysočina"
    assert short_region_name("Hlavní město Praha") == "Praha"
    assert short_region_name("Brno-město") == "Brno-město"


def test_attribution_names_both_sources_and_their_licences() -> None:
    text = resource("basemap", "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "MIT" in text  # what the bundled data says of itself
    assert "ČÚZK" in ATTRIBUTION and "CC BY 4.0" in ATTRIBUTION
    assert "Lacko" in ATTRIBUTION and "MIT" in ATTRIBUTION
