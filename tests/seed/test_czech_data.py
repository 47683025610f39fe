"""Checks of the Czech demo-data material: towns against the district map, names, identifiers.

The geometry checks use the offline basemap's district layer: every town's region and district
must be spelled as there, and its coordinates must fall inside (or within 0.05° of) the named
district, so a wrong coordinate or a wrong district shows up here rather than on the map.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ema_server.seed import czech
from ema_server.seed.czech import (
    DIACRITICS_HEAVY,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    REFERENCE_DATE,
    STREETS,
    SURNAMES,
    TOWNS,
    Company,
    CompanyKind,
    Person,
    Town,
    child,
    company,
    fold_ascii,
    ico,
    named_person,
    person,
    pick_town,
    street_address,
)

REPO = Path(__file__).resolve().parents[2]
DISTRICT_MAP = REPO / "resources" / "basemap" / "czechia-districts.geojson"
TOLERANCE_DEG = 0.05

Ring = list[tuple[float, float]]  # (lon, lat)
Polygon = list[Ring]  # outer ring, then holes

REGIONS = {
    "Hlavní město Praha",
    "Středočeský kraj",
    "Jihočeský kraj",
    "Plzeňský kraj",
    "Karlovarský kraj",
    "Ústecký kraj",
    "Liberecký kraj",
    "Královéhradecký kraj",
    "Pardubický kraj",
    "Kraj Vysočina",
    "Jihomoravský kraj",
    "Olomoucký kraj",
    "Zlínský kraj",
    "Moravskoslezský kraj",
}
PERSON_DOMAINS = {"seznam.cz", "email.cz", "gmail.com", "centrum.cz", "post.cz", "volny.cz", "atlas.cz"}
MOBILE_RANGES = [(601, 608), (702, 705), (720, 739), (770, 779), (790, 799)]
PHONE = re.compile(r"^\+420\d{9}$")
EMAIL = re.compile(r"^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")
KINDS: tuple[CompanyKind, ...] = ("business", "municipality", "institution")


# ---------------------------------------------------------------------------------------------
# Geometry, written independently of the module under test


def _load_districts() -> dict[tuple[str, str], list[Polygon]]:
    data: dict[str, Any] = json.loads(DISTRICT_MAP.read_text(encoding="utf-8"))
    districts: dict[tuple[str, str], list[Polygon]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            raw_polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            raw_polygons = geometry["coordinates"]
        else:
            raise AssertionError(f"unexpected geometry {geometry['type']}")
        polygons = [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in raw_polygons]
        key = (props["NAZ_CZNUTS3"], props["NAZ_LAU1"])
        districts.setdefault(key, []).extend(polygons)
    return districts


@pytest.fixture(scope="module")
def districts() -> dict[tuple[str, str], list[Polygon]]:
    return _load_districts()


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    """Ray casting: count crossings of a ray from (x, y) towards +x."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < x_cross:
                inside = not inside
    return inside


def _in_polygon(polygon: Polygon, x: float, y: float) -> bool:
    outer, *holes = polygon
    return _in_ring(outer, x, y) and not any(_in_ring(hole, x, y) for hole in holes)


def _segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length2))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def _distance_to_boundary(polygons: list[Polygon], x: float, y: float) -> float:
    return min(
        _segment_distance(x, y, ring[i], ring[(i + 1) % len(ring)])
        for polygon in polygons
        for ring in polygon
        for i in range(len(ring))
    )


def test_ray_casting_itself() -> None:
    square: Polygon = [[(0, 0), (2, 0), (2, 2), (0, 2)], [(0.5, 0.5), (1, 0.5), (1, 1), (0.5, 1)]]
    assert _in_polygon(square, 1.5, 1.5)
    assert not _in_polygon(square, 0.75, 0.75)  # in the hole
    assert not _in_polygon(square, 3, 1)
    assert _distance_to_boundary([square], 3, 1) == pytest.approx(1)


# ---------------------------------------------------------------------------------------------
# Towns


def test_towns_cover_the_country() -> None:
    assert len(TOWNS) >= 120
    assert {t.region for t in TOWNS} == REGIONS
    names = [t.name for t in TOWNS]
    assert len(set(names)) == len(names)
    per_region = Counter(t.region for t in TOWNS)
    assert min(per_region.values()) >= 1


def test_town_fields_are_plausible() -> None:
    for town in TOWNS:
        assert isinstance(town, Town)
        assert 48.5 < town.lat < 51.1 and 12.0 < town.lon < 18.9, town
        assert round(town.lat, 4) == town.lat and round(town.lon, 4) == town.lon, town
        assert re.fullmatch(r"[1-7]\d\d \d\d", town.postal_code), town
        assert town.population > 0, town


def test_known_town_coordinates() -> None:
    by_name = {t.name: t for t in TOWNS}
    for name, lat, lon in [("Ostrava", 49.8209, 18.2625), ("Praha", 50.0755, 14.4378), ("Brno", 49.1951, 16.6068)]:
        assert by_name[name].lat == pytest.approx(lat, abs=0.01)
        assert by_name[name].lon == pytest.approx(lon, abs=0.01)


def test_every_district_pair_exists_on_the_map(districts: dict[tuple[str, str], list[Polygon]]) -> None:
    missing = [(t.name, t.region, t.district) for t in TOWNS if (t.region, t.district) not in districts]
    assert missing == []


def test_every_town_lies_in_its_district(districts: dict[tuple[str, str], list[Polygon]]) -> None:
    misplaced = []
    for town in TOWNS:
        polygons = districts[(town.region, town.district)]
        if any(_in_polygon(p, town.lon, town.lat) for p in polygons):
            continue
        distance = _distance_to_boundary(polygons, town.lon, town.lat)
        if distance > TOLERANCE_DEG:
            misplaced.append((town.name, town.district, round(distance, 3)))
    assert misplaced == []


def test_pick_town_is_weighted_by_population() -> None:
    rng = random.Random(7)
    counts = Counter(pick_town(rng).name for _ in range(5000))
    assert counts["Praha"] > counts["Brno"] > counts["Kopřivnice"]
    assert counts["Praha"] > 500


def test_pick_town_within_region() -> None:
    rng = random.Random(7)
    assert {pick_town(rng, region="Zlínský kraj").region for _ in range(50)} == {"Zlínský kraj"}
    with pytest.raises(ValueError):
        pick_town(rng, region="Bavorsko")


def test_street_address_stays_near_the_town() -> None:
    rng = random.Random(11)
    for town in TOWNS:
        address = street_address(rng, town)
        assert (address.town, address.postal_code, address.district, address.region) == (
            town.name,
            town.postal_code,
            town.district,
            town.region,
        )
        assert abs(address.lat - town.lat) <= 0.0101 and abs(address.lon - town.lon) <= 0.0101
        assert re.fullmatch(r"[1-9]\d*(/[1-9]\d*)?", address.house_number), address
        assert address.street
        assert address.one_line() == f"{address.street} {address.house_number}, {town.postal_code} {town.name}"


# ---------------------------------------------------------------------------------------------
# Names


def _has_diacritics(s: str) -> bool:
    return any(not ch.isascii() for ch in s)


def test_name_lists_are_large_and_unique() -> None:
    assert len(MALE_FIRST_NAMES) >= 80 and len(set(MALE_FIRST_NAMES)) == len(MALE_FIRST_NAMES)
    assert len(FEMALE_FIRST_NAMES) >= 80 and len(set(FEMALE_FIRST_NAMES)) == len(FEMALE_FIRST_NAMES)
    assert not set(MALE_FIRST_NAMES) & set(FEMALE_FIRST_NAMES)
    assert len(SURNAMES) >= 150 and len({m for m, _ in SURNAMES}) == len(SURNAMES)
    assert len(STREETS) >= 60 and len(set(STREETS)) == len(STREETS)
    for street in ["Nádražní", "Masarykova", "Palackého", "Husova", "Komenského", "28. října"]:
        assert street in STREETS


def test_names_use_czech_diacritics() -> None:
    text = "".join(MALE_FIRST_NAMES + FEMALE_FIRST_NAMES + [m + f for m, f in SURNAMES]).lower()
    for letter in "řščžůěáíýťďň":
        assert letter in text, letter
    with_diacritics = [m for m, _ in SURNAMES if _has_diacritics(m)]
    assert len(with_diacritics) >= 50


def test_female_surnames_follow_czech_formation() -> None:
    for male, female in SURNAMES:
        if male.endswith(("í", "ů")):
            assert female == male  # Krejčí, Janků: the same for both
        elif male.endswith("ý"):
            assert female == male[:-1] + "á"  # Černý → Černá
        else:
            assert female.endswith("ová"), (male, female)  # Novák → Nováková, Němec → Němcová
            assert female[0] == male[0]
    pairs = dict(SURNAMES)
    assert pairs["Novák"] == "Nováková"
    assert pairs["Procházka"] == "Procházková"
    assert pairs["Němec"] == "Němcová"
    assert pairs["Vaněk"] == "Vaňková"


def test_diacritics_heavy_people() -> None:
    assert len(DIACRITICS_HEAVY) >= 8
    rng = random.Random(5)
    for first, last in DIACRITICS_HEAVY:
        assert sum(not ch.isascii() for ch in first + last) >= 3, (first, last)
        someone = named_person(rng, first, last)
        assert (someone.first_name, someone.last_name) == (first, last)
        assert someone.sex == ("m" if first in MALE_FIRST_NAMES else "f")
        assert someone.email.isascii()
    with pytest.raises(ValueError):
        named_person(rng, "Kevin", "Novák")


def test_fold_ascii() -> None:
    assert fold_ascii("Řehoř Dvořák") == "rehor dvorak"
    assert fold_ascii("Šťastná Žofie Ďáblice Ůň") == "stastna zofie dablice un"
    assert fold_ascii("Frýdek-Místek") == "frydek-mistek"
    for first, last in DIACRITICS_HEAVY:
        assert fold_ascii(first + last).isascii()


# ---------------------------------------------------------------------------------------------
# People


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check_phone(phone: str, *, mobile: bool) -> None:
    assert PHONE.fullmatch(phone), phone
    if mobile:
        prefix = int(phone[4:7])
        assert any(lo <= prefix <= hi for lo, hi in MOBILE_RANGES), phone


def _check_person(someone: Person, min_age: int, max_age: int) -> None:
    assert someone.sex in ("m", "f")
    names = MALE_FIRST_NAMES if someone.sex == "m" else FEMALE_FIRST_NAMES
    assert someone.first_name in names
    assert min_age <= _age(someone.birth_date, REFERENCE_DATE) <= max_age, someone
    assert EMAIL.fullmatch(someone.email), someone.email
    assert someone.email.isascii()
    local, domain = someone.email.split("@")
    assert domain in PERSON_DOMAINS
    assert fold_ascii(someone.last_name).replace(" ", "") in local
    assert re.search(r"\d", local)
    _check_phone(someone.phone, mobile=True)


def test_people() -> None:
    rng = random.Random(2024)
    people = [person(rng) for _ in range(2000)]
    for someone in people:
        _check_person(someone, 16, 85)
        surnames = dict(SURNAMES) if someone.sex == "m" else {f: f for _, f in SURNAMES}
        assert someone.last_name in surnames
    sexes = Counter(p.sex for p in people)
    assert 800 < sexes["m"] < 1200
    assert {p.email.split("@")[1] for p in people} == PERSON_DOMAINS


def test_children() -> None:
    rng = random.Random(99)
    for _ in range(500):
        kid = child(rng)
        _check_person(kid, 8, 14)
    parent = named_person(rng, "Jiří", "Křížek")
    kids = [child(rng, parent) for _ in range(40)]
    assert {k.last_name for k in kids if k.sex == "m"} == {"Křížek"}
    assert {k.last_name for k in kids if k.sex == "f"} == {"Křížková"}


def test_people_are_deterministic() -> None:
    def run(seed: int) -> list[Person]:
        rng = random.Random(seed)
        adults = [person(rng) for _ in range(30)]
        return adults + [child(rng, adults[0]) for _ in range(5)] + [named_person(rng, "Šárka", "Šťastná")]

    assert run(42) == run(42)
    assert run(42) != run(43)


# ---------------------------------------------------------------------------------------------
# Companies and identifiers


def _ico_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{8}", value):
        return False
    weighted = sum(int(value[i]) * (8 - i) for i in range(7))
    remainder = weighted % 11
    expected = {0: 1, 1: 0}.get(remainder, 11 - remainder)
    return int(value[7]) == expected


def test_ico_check_reference_values() -> None:
    # Published IČOs: ČEZ, a. s.; Statutární město Ostrava; Hlavní město Praha.
    for known in ["45274649", "00845451", "00064581"]:
        assert _ico_is_valid(known)
    assert not _ico_is_valid("45274648")


def test_generated_icos_are_valid() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        assert _ico_is_valid(ico(rng))
    for prefix in ["00", "7", "1234567"]:
        value = ico(rng, prefix=prefix)
        assert value.startswith(prefix) and _ico_is_valid(value)
    with pytest.raises(ValueError):
        ico(rng, prefix="12345678")


def _check_company(firm: Company, kind: str) -> None:
    assert firm.kind == kind
    assert _ico_is_valid(firm.ico), firm
    assert firm.dic is None or firm.dic == "CZ" + firm.ico
    if kind == "business":
        assert firm.dic == "CZ" + firm.ico
        assert firm.legal_form in ("s.r.o.", "a.s.", "v.o.s.", "družstvo")
        assert firm.legal_form in firm.name
        assert firm.email.startswith("info@")
    elif kind == "municipality":
        assert firm.ico.startswith("00")
        assert re.match(r"(Hlavní město|Statutární město|Město|Městys|Obec) ", firm.name), firm.name
        assert firm.email.split("@")[0] in ("obec", "podatelna")
    else:
        assert firm.name.endswith(("příspěvková organizace", "z. s."))
    assert EMAIL.fullmatch(firm.email) and firm.email.endswith(".cz"), firm.email
    assert firm.email.isascii()
    _check_phone(firm.phone, mobile=firm.phone[4] in "67")
    assert firm.address.town in {t.name for t in TOWNS}


@pytest.mark.parametrize("kind", KINDS)
def test_companies(kind: CompanyKind) -> None:
    rng = random.Random(kind)
    firms = [company(rng, kind) for _ in range(400)]
    for firm in firms:
        _check_company(firm, kind)
    assert len({f.name for f in firms}) > 100


def test_company_names_are_czech() -> None:
    rng = random.Random(8)
    names = [company(rng, "business").name for _ in range(500)]
    assert any(re.fullmatch(r"\w+ \w+ s\.r\.o\.", n) for n in names)
    assert any(n.endswith("a.s.") for n in names)
    assert any(n.endswith(", v.o.s.") for n in names)
    assert any("družstvo" in n for n in names)


def test_municipality_depends_only_on_its_town() -> None:
    town = next(t for t in TOWNS if t.name == "Horní Bečva")
    first = company(random.Random(1), "municipality", town=town)
    assert first == company(random.Random(2), "municipality", town=town)
    assert first.name == "Obec Horní Bečva"
    frydek = next(t for t in TOWNS if t.name == "Frýdek-Místek")
    assert company(random.Random(1), "municipality", town=frydek).name == "Statutární město Frýdek-Místek"


def test_companies_are_deterministic() -> None:
    def run(seed: int) -> list[Company]:
        rng = random.Random(seed)
        return [company(rng, kind) for kind in KINDS * 20]

    assert run(10) == run(10)
    assert run(10) != run(11)


def test_addresses_and_towns_are_deterministic() -> None:
    def run(seed: int) -> list[object]:
        rng = random.Random(seed)
        return [street_address(rng, pick_town(rng)) for _ in range(50)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_module_exports() -> None:
    for name in czech.__all__:
        assert hasattr(czech, name), name
