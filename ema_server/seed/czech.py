"""Czech-realistic raw material for deterministic demo data: towns, people, companies, addresses.

Nothing here touches a database. The seeding code draws from these generators, and every
generator takes a ``random.Random`` and uses nothing else as a source of randomness, so the
same seed always yields the same customers, companies and addresses; that keeps demo data,
screenshots and tests reproducible. Ages are counted against ``REFERENCE_DATE`` rather than
today for the same reason.

The towns (``data/towns.json``) are real Czech municipalities with the WGS84 coordinates of
their centre, a postal code of the town, a rough population used as a sampling weight, and the
region and district spelled exactly as ``NAZ_CZNUTS3`` and ``NAZ_LAU1`` in the offline basemap
(``czechia-districts.geojson``), so seeded points can be checked against and drawn on that map.
First names, surnames (male and female form, which in Czech is not a simple suffix: Němec →
Němcová, Vaněk → Vaňková, Černý → Černá, Krejčí → Krejčí) and street names are in
``data/names.json``.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from itertools import accumulate
from typing import Any, Final, Literal

__all__ = [
    "DIACRITICS_HEAVY",
    "EMAIL_DOMAINS",
    "FEMALE_FIRST_NAMES",
    "INSTITUTION_TYPES",
    "LEGAL_FORMS",
    "MALE_FIRST_NAMES",
    "MOBILE_PREFIXES",
    "PLURAL_NOUNS",
    "REFERENCE_DATE",
    "REGIONAL_ADJECTIVES",
    "SINGULAR_NOUNS",
    "STATUTORY_CITIES",
    "STREETS",
    "SURNAMES",
    "TOWNS",
    "TRADES",
    "WORD_PREFIXES",
    "WORD_SUFFIXES",
    "Address",
    "Company",
    "CompanyKind",
    "InstitutionType",
    "Person",
    "Sex",
    "Town",
    "child",
    "company",
    "fold_ascii",
    "ico",
    "named_person",
    "person",
    "pick_town",
    "street_address",
]

Sex = Literal["m", "f"]
CompanyKind = Literal["business", "municipality", "institution"]

# Ages are computed against a fixed day, not date.today(), so a seed gives the same birth dates
# whenever it is run.
REFERENCE_DATE: Final = date(2026, 1, 1)

CUSTOMER_MIN_AGE: Final = 16
CUSTOMER_MAX_AGE: Final = 85
CHILD_MIN_AGE: Final = 8
CHILD_MAX_AGE: Final = 14


@dataclass(frozen=True, slots=True)
class Town:
    """A real Czech municipality; region and district match the basemap's property spellings."""

    name: str
    region: str
    district: str
    lat: float
    lon: float
    postal_code: str
    population: int


@dataclass(frozen=True, slots=True)
class Person:
    first_name: str
    last_name: str
    sex: Sex
    birth_date: date
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address. In small villages ``street`` is the village name ("Horní Bečva 245")."""

    street: str
    house_number: str
    town: str
    postal_code: str
    district: str
    region: str
    lat: float
    lon: float

    def one_line(self) -> str:
        """Czech postal order: "Nádražní 1234/5, 702 00 Ostrava"."""
        return f"{self.street} {self.house_number}, {self.postal_code} {self.town}"


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    kind: CompanyKind
    legal_form: str
    ico: str
    dic: str | None
    email: str
    phone: str
    address: Address


@dataclass(frozen=True, slots=True)
class InstitutionType:
    """A kind of public body or association.

    ``{place}`` in the template is the town's name or, for schools in towns of 30,000 or more
    (which have many), "town, street number" as real schools are named: "Základní škola
    Frýdek-Místek, Jana Čapka 2555, příspěvková organizace".
    """

    template: str
    legal_form: str
    domain_prefix: str
    mailbox: str
    vat_probability: float
    street_in_name: bool = False


# ---------------------------------------------------------------------------------------------
# Data files


def _load_json(name: str) -> Any:
    # ema_server is a regular package; going through it avoids depending on whether
    # ema_server.seed has an __init__.py.
    path = resources.files("ema_server") / "seed" / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))


def _load_towns() -> list[Town]:
    raw: list[dict[str, Any]] = _load_json("towns.json")
    return [
        Town(
            name=str(r["name"]),
            region=str(r["region"]),
            district=str(r["district"]),
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            postal_code=str(r["postal_code"]),
            population=int(r["population"]),
        )
        for r in raw
    ]


_NAMES: Final[dict[str, Any]] = _load_json("names.json")

TOWNS: Final[list[Town]] = _load_towns()
MALE_FIRST_NAMES: Final[list[str]] = [str(n) for n in _NAMES["male_first_names"]]
FEMALE_FIRST_NAMES: Final[list[str]] = [str(n) for n in _NAMES["female_first_names"]]
# (male form, female form)
SURNAMES: Final[list[tuple[str, str]]] = [(str(m), str(f)) for m, f in _NAMES["surnames"]]
STREETS: Final[list[str]] = [str(s) for s in _NAMES["streets"]]

_TOWN_CUM_WEIGHTS: Final = list(accumulate(t.population for t in TOWNS))
_MALE_NAMES: Final = frozenset(MALE_FIRST_NAMES)
_FEMALE_NAMES: Final = frozenset(FEMALE_FIRST_NAMES)
# Either form of a surname → (male form, female form), to give a child its parent's surname.
_SURNAME_FORMS: Final[dict[str, tuple[str, str]]] = {form: pair for pair in SURNAMES for form in pair}

# Real first name + surname pairs dense in Czech diacritics, for testing search, sorting,
# exports and e-mail templates on the worst cases.
DIACRITICS_HEAVY: Final[list[tuple[str, str]]] = [
    ("Řehoř", "Dvořák"),
    ("Šárka", "Šťastná"),
    ("Žofie", "Čermáková"),
    ("Jiří", "Křížek"),
    ("Ludmila", "Štěpánková"),
    ("Přemysl", "Řezníček"),
    ("Taťána", "Kovaříková"),
    ("Jiřina", "Maďarová"),
    ("Čeněk", "Hůlka"),
    ("Růžena", "Šťovíčková"),
    ("Bořivoj", "Kořínek"),
    ("Zdeňka", "Staňková"),
    ("Břetislav", "Šindelář"),
    ("Květoslava", "Dvořáčková"),
]

# ---------------------------------------------------------------------------------------------
# Contact details

# (domain, relative weight): Seznam's domains dominate Czech private e-mail, then Gmail.
EMAIL_DOMAINS: Final[list[tuple[str, int]]] = [
    ("seznam.cz", 36),
    ("gmail.com", 26),
    ("email.cz", 14),
    ("centrum.cz", 9),
    ("post.cz", 6),
    ("volny.cz", 5),
    ("atlas.cz", 4),
]
_EMAIL_DOMAIN_NAMES: Final = [d for d, _ in EMAIL_DOMAINS]
_EMAIL_DOMAIN_CUM: Final = list(accumulate(w for _, w in EMAIL_DOMAINS))

MOBILE_PREFIXES: Final[list[str]] = [
    str(p) for p in (*range(601, 609), *range(702, 706), *range(720, 740), *range(770, 780), *range(790, 800))
]

# Leading digits of fixed-line numbers by region (the old trunk areas: 2 Praha, 55/59 Ostrava…).
_LANDLINE_PREFIXES: Final[dict[str, tuple[str, ...]]] = {
    "Hlavní město Praha": ("22", "23", "24", "25", "26", "27", "28"),
    "Středočeský kraj": ("31", "32"),
    "Jihočeský kraj": ("38",),
    "Plzeňský kraj": ("37",),
    "Karlovarský kraj": ("35",),
    "Ústecký kraj": ("41", "47"),
    "Liberecký kraj": ("48",),
    "Královéhradecký kraj": ("49",),
    "Pardubický kraj": ("46",),
    "Kraj Vysočina": ("56",),
    "Jihomoravský kraj": ("54", "51"),
    "Olomoucký kraj": ("58",),
    "Zlínský kraj": ("57",),
    "Moravskoslezský kraj": ("55", "59"),
}

# ---------------------------------------------------------------------------------------------
# Company name parts

LEGAL_FORMS: Final[list[str]] = ["s.r.o.", "a.s.", "v.o.s.", "družstvo", "z. s."]

# "{trade} {surname} s.r.o.": Elektro Novák s.r.o., Autoservis Dvořák s.r.o.
TRADES: Final[list[str]] = [
    "Elektro",
    "Elektroinstalace",
    "Stavby",
    "Autodoprava",
    "Autoservis",
    "Truhlářství",
    "Instalatérství",
    "Zámečnictví",
    "Stavebniny",
    "Pekařství",
    "Kovovýroba",
    "Tesařství",
    "Klempířství",
    "Zahradnictví",
    "Topenářství",
    "Fotovoltaika",
    "Solární systémy",
    "Účetnictví",
    "Pneuservis",
    "Řeznictví",
]

# Feminine singular; the plural (Moravské strojírny) swaps the final -á for -é.
REGIONAL_ADJECTIVES: Final[list[str]] = [
    "Moravská",
    "Slezská",
    "Česká",
    "Jihočeská",
    "Západočeská",
    "Severočeská",
    "Východočeská",
    "Středočeská",
    "Valašská",
    "Hanácká",
    "Podkrkonošská",
    "Šumavská",
    "Beskydská",
    "Jesenická",
    "Krkonošská",
    "Polabská",
    "Posázavská",
    "Jihomoravská",
]
# Feminine singular nouns that agree with the adjectives above: Moravská energetika a.s.
SINGULAR_NOUNS: Final[list[str]] = [
    "energetika",
    "stavební společnost",
    "dopravní společnost",
    "logistika",
    "obchodní společnost",
    "teplárenská společnost",
    "projekční kancelář",
    "servisní společnost",
    "energetická agentura",
    "realitní kancelář",
]
# Plural nouns (feminine or masculine inanimate, both take -é): Slezské strojírny a.s.
PLURAL_NOUNS: Final[list[str]] = [
    "strojírny",
    "stavby",
    "elektrárny",
    "pekárny",
    "mlýny",
    "kamenolomy",
    "tiskárny",
    "pily",
    "slévárny",
    "cihelny",
]
# "{prefix}{suffix} s.r.o.": Energoservis s.r.o., Kovomont s.r.o.
WORD_PREFIXES: Final[list[str]] = [
    "Elektro",
    "Energo",
    "Agro",
    "Auto",
    "Techno",
    "Eko",
    "Solar",
    "Termo",
    "Stavo",
    "Kovo",
    "Dřevo",
    "Hydro",
]
WORD_SUFFIXES: Final[list[str]] = [
    "servis",
    "mont",
    "trans",
    "tech",
    "stav",
    "plast",
    "com",
    "profi",
    "systém",
    "projekt",
]

_PO = "příspěvková organizace"
INSTITUTION_TYPES: Final[list[InstitutionType]] = [
    InstitutionType(f"Základní škola {{place}}, {_PO}", _PO, "zs", "info", 0.2, street_in_name=True),
    InstitutionType(f"Základní škola a Mateřská škola {{place}}, {_PO}", _PO, "zsms", "info", 0.2, street_in_name=True),
    InstitutionType(f"Mateřská škola {{place}}, {_PO}", _PO, "ms", "info", 0.1, street_in_name=True),
    InstitutionType(f"Gymnázium {{place}}, {_PO}", _PO, "gym", "info", 0.2),
    InstitutionType(f"Technické služby {{place}}, {_PO}", _PO, "ts", "podatelna", 0.8),
    InstitutionType(f"Domov pro seniory {{place}}, {_PO}", _PO, "dps", "podatelna", 0.3),
    InstitutionType(f"Městská knihovna {{place}}, {_PO}", _PO, "knihovna", "info", 0.1),
    InstitutionType(f"Sportovní areál {{place}}, {_PO}", _PO, "sportareal", "info", 0.6),
    InstitutionType("Tělovýchovná jednota {place}, z. s.", "z. s.", "tj", "info", 0.1),
    InstitutionType("TJ Sokol {place}, z. s.", "z. s.", "sokol", "info", 0.1),
    InstitutionType("Spolek rodičů při ZŠ {place}, z. s.", "z. s.", "spolekrodicu", "info", 0.0),
]

# Cities whose municipality is called "Statutární město X" (Praha is "Hlavní město Praha").
STATUTORY_CITIES: Final[frozenset[str]] = frozenset(
    {
        "Brno",
        "Ostrava",
        "Plzeň",
        "Liberec",
        "Olomouc",
        "České Budějovice",
        "Hradec Králové",
        "Ústí nad Labem",
        "Pardubice",
        "Zlín",
        "Havířov",
        "Kladno",
        "Most",
        "Opava",
        "Frýdek-Místek",
        "Karviná",
        "Jihlava",
        "Teplice",
        "Děčín",
        "Karlovy Vary",
        "Chomutov",
        "Jablonec nad Nisou",
        "Mladá Boleslav",
        "Prostějov",
        "Přerov",
        "Třinec",
        "Třebíč",
    }
)
# Municipalities in TOWNS without town status; all others not listed here are "Město".
_VILLAGES: Final = frozenset({"Horní Bečva", "Čeladná", "Lednice", "Velké Karlovice", "Lipno nad Vltavou", "Jesenice"})
_MARKET_TOWNS: Final = frozenset({"Hrušovany nad Jevišovkou"})
_TOWN_SQUARES: Final = ["Masarykovo náměstí", "Mírové náměstí", "náměstí Míru", "Husova", "Palackého"]


# ---------------------------------------------------------------------------------------------
# Helpers


def fold_ascii(s: str) -> str:
    """Lower-case ``s`` and drop its diacritics: "Šťastná" → "stastna"."""
    decomposed = unicodedata.normalize("NFKD", s.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.encode("ascii", "ignore").decode("ascii")


def _slug(s: str, sep: str = "-") -> str:
    """ASCII words of ``s`` joined by ``sep``: "Frýdek-Místek" → "frydek-mistek"."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold_ascii(s)).split()
    return sep.join(words)


def _ico_check_digit(first_seven: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    return (11 - total % 11) % 10


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, age: int, on: date) -> date:
    """A birth date such that the person is exactly ``age`` years old on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _mobile(rng: random.Random) -> str:
    return f"+420{rng.choice(MOBILE_PREFIXES)}{_digits(rng, 6)}"


def _landline(rng: random.Random, region: str) -> str:
    prefix = rng.choice(_LANDLINE_PREFIXES.get(region, ("5",)))
    return f"+420{prefix}{_digits(rng, 9 - len(prefix))}"


def _personal_email(rng: random.Random, first_name: str, last_name: str, birth_date: date) -> str:
    first = _slug(first_name, "")
    last = _slug(last_name, "")
    roll = rng.random()
    if roll < 0.45:
        number = f"{birth_date.year % 100:02d}"
    elif roll < 0.6:
        number = str(birth_date.year)
    else:
        number = str(rng.randint(1, 999))
    local = rng.choice(
        [
            f"{first}.{last}{number}",
            f"{first}.{last}{number}",
            f"{last}.{first}{number}",
            f"{first}{last}{number}",
            f"{first[0]}{last}{number}",
            f"{first}_{last}{number}",
        ]
    )
    domain = rng.choices(_EMAIL_DOMAIN_NAMES, cum_weights=_EMAIL_DOMAIN_CUM, k=1)[0]
    return f"{local}@{domain}"


def _first_name_sex(first_name: str) -> Sex:
    if first_name in _MALE_NAMES:
        return "m"
    if first_name in _FEMALE_NAMES:
        return "f"
    raise ValueError(f"unknown first name {first_name!r}")


# ---------------------------------------------------------------------------------------------
# People


def _make_person(rng: random.Random, first_name: str, last_name: str, sex: Sex, age: int, on: date) -> Person:
    born = _birth_date(rng, age, on)
    return Person(
        first_name=first_name,
        last_name=last_name,
        sex=sex,
        birth_date=born,
        email=_personal_email(rng, first_name, last_name, born),
        phone=_mobile(rng),
    )


def _customer_age(rng: random.Random) -> int:
    # Drivers cluster in their thirties to fifties; the tails still reach 16 and 85.
    age = int(rng.triangular(CUSTOMER_MIN_AGE, CUSTOMER_MAX_AGE + 1, 42))
    return min(max(age, CUSTOMER_MIN_AGE), CUSTOMER_MAX_AGE)


def person(rng: random.Random, *, on: date = REFERENCE_DATE) -> Person:
    """A customer aged 16 to 85 on ``on``, with a private e-mail and a Czech mobile number."""
    sex: Sex = "m" if rng.random() < 0.5 else "f"
    male_form, female_form = rng.choice(SURNAMES)
    if sex == "m":
        first_name, last_name = rng.choice(MALE_FIRST_NAMES), male_form
    else:
        first_name, last_name = rng.choice(FEMALE_FIRST_NAMES), female_form
    return _make_person(rng, first_name, last_name, sex, _customer_age(rng), on)


def named_person(rng: random.Random, first_name: str, last_name: str, *, on: date = REFERENCE_DATE) -> Person:
    """A customer with the given name (e.g. from DIACRITICS_HEAVY); the rest is generated.

    Raises ValueError if ``first_name`` is in neither first-name list, since sex follows from it.
    """
    return _make_person(rng, first_name, last_name, _first_name_sex(first_name), _customer_age(rng), on)


def child(rng: random.Random, parent: Person | None = None, *, on: date = REFERENCE_DATE) -> Person:
    """A child aged 8 to 14 on ``on``; given a ``parent``, the child carries the family surname
    in the form for its own sex (Novák → Nováková)."""
    sex: Sex = "m" if rng.random() < 0.5 else "f"
    first_name = rng.choice(MALE_FIRST_NAMES if sex == "m" else FEMALE_FIRST_NAMES)
    if parent is None:
        pair = rng.choice(SURNAMES)
    else:
        pair = _SURNAME_FORMS.get(parent.last_name, (parent.last_name, parent.last_name))
    last_name = pair[0] if sex == "m" else pair[1]
    return _make_person(rng, first_name, last_name, sex, rng.randint(CHILD_MIN_AGE, CHILD_MAX_AGE), on)


# ---------------------------------------------------------------------------------------------
# Places


def pick_town(rng: random.Random, *, region: str | None = None) -> Town:
    """A town drawn with probability proportional to its population, optionally within a region."""
    if region is None:
        return rng.choices(TOWNS, cum_weights=_TOWN_CUM_WEIGHTS, k=1)[0]
    towns = [t for t in TOWNS if t.region == region]
    if not towns:
        raise ValueError(f"no towns in region {region!r}")
    return rng.choices(towns, weights=[t.population for t in towns], k=1)[0]


def _house_number(rng: random.Random, town: Town, *, has_streets: bool) -> str:
    # "číslo popisné/číslo orientační" in towns with numbered streets, else the bare č. p.
    descriptive = rng.randint(1, max(80, min(3500, town.population // 8)))
    if has_streets and town.population >= 10_000 and rng.random() < 0.75:
        orientation = int(rng.triangular(1, 90, 3))
        return f"{descriptive}/{orientation}"
    return str(descriptive)


def _address(rng: random.Random, town: Town, street: str) -> Address:
    # Spread grows with the town, never beyond 0.01° from its centre.
    spread = 0.004 + 0.006 * min(1.0, town.population / 100_000)
    lat = town.lat + rng.uniform(-spread, spread) * 0.7
    lon = town.lon + rng.uniform(-spread, spread)
    return Address(
        street=street,
        house_number=_house_number(rng, town, has_streets=street != town.name),
        town=town.name,
        postal_code=town.postal_code,
        district=town.district,
        region=town.region,
        lat=round(lat, 6),
        lon=round(lon, 6),
    )


def street_address(rng: random.Random, town: Town) -> Address:
    """An address in ``town`` with coordinates within about 0.01° of the town centre.

    Small villages often have no street names, so there the street is the village itself.
    """
    if town.population < 3000 and rng.random() < 0.7:
        return _address(rng, town, town.name)
    return _address(rng, town, rng.choice(STREETS))


# ---------------------------------------------------------------------------------------------
# Companies


def ico(rng: random.Random, *, prefix: str = "") -> str:
    """A valid eight-digit IČO (mod-11 check digit), starting with ``prefix`` if given.

    Without a prefix the first digit is non-zero; municipalities' IČOs start with "00".
    """
    if not prefix.isdigit() and prefix:
        raise ValueError("prefix must be digits")
    if len(prefix) > 7:
        raise ValueError("prefix must leave room for the check digit")
    head = prefix or str(rng.randint(1, 9))
    first_seven = head + _digits(rng, 7 - len(head))
    return f"{first_seven}{_ico_check_digit(first_seven)}"


def _plural_adjective(adjective: str) -> str:
    return adjective[:-1] + "é"


def _business_name(rng: random.Random, town: Town) -> tuple[str, str, str]:
    """(name, legal form, name without the legal form for the web domain)."""
    surname = rng.choice(SURNAMES)[0]
    pattern = rng.choices(range(7), weights=[30, 14, 10, 18, 10, 8, 10], k=1)[0]
    if pattern == 0:
        base, form = f"{rng.choice(TRADES)} {surname}", rng.choice(["s.r.o.", "s.r.o.", "s.r.o.", "a.s."])
    elif pattern == 1:
        adjective = rng.choice(REGIONAL_ADJECTIVES)
        base, form = f"{adjective} {rng.choice(SINGULAR_NOUNS)}", rng.choice(["a.s.", "s.r.o."])
    elif pattern == 2:
        adjective = _plural_adjective(rng.choice(REGIONAL_ADJECTIVES))
        base, form = f"{adjective} {rng.choice(PLURAL_NOUNS)}", rng.choice(["a.s.", "s.r.o."])
    elif pattern == 3:
        base, form = f"{rng.choice(WORD_PREFIXES)}{rng.choice(WORD_SUFFIXES)}", "s.r.o."
    elif pattern == 4:
        other = rng.choice(SURNAMES)[0]
        base = f"{surname} a syn" if other == surname or rng.random() < 0.5 else f"{surname} a {other}"
        form = "v.o.s."
    elif pattern == 5:
        kind = rng.choice(["Zemědělské družstvo", "Stavební bytové družstvo", "Bytové družstvo"])
        name = f"{kind} {town.name}"
        return name, "družstvo", name
    else:
        base, form = f"{rng.choice(TRADES)} {town.name}", "s.r.o."
    separator = ", " if form == "v.o.s." else " "
    return f"{base}{separator}{form}", form, base


def _business(rng: random.Random, town: Town) -> Company:
    name, form, base = _business_name(rng, town)
    ico_value = ico(rng)
    phone = _landline(rng, town.region) if rng.random() < 0.6 else _mobile(rng)
    return Company(
        name=name,
        kind="business",
        legal_form=form,
        ico=ico_value,
        dic=f"CZ{ico_value}",
        email=f"info@{_slug(base)}.cz",
        phone=phone,
        address=street_address(rng, town),
    )


def _municipality(town: Town) -> Company:
    # Seeded by the town alone, so one town is always the same municipality with the same IČO,
    # e-mail and office address however often it is drawn.
    own = random.Random(f"municipality:{town.name}")
    slug = _slug(town.name)
    if town.name == "Praha":
        name, domain, vat = "Hlavní město Praha", "praha.cz", 1.0
    elif town.name in STATUTORY_CITIES:
        name, domain, vat = f"Statutární město {town.name}", f"{slug}.cz", 1.0
    elif town.name in _VILLAGES:
        name, domain, vat = f"Obec {town.name}", own.choice([f"{slug}.cz", f"obec-{slug}.cz"]), 0.35
    elif town.name in _MARKET_TOWNS:
        name, domain, vat = f"Městys {town.name}", own.choice([f"{slug}.cz", f"mestys-{slug}.cz"]), 0.5
    else:
        name, domain, vat = f"Město {town.name}", own.choice([f"{slug}.cz", f"mesto-{slug}.cz"]), 0.7
    is_village = town.name in _VILLAGES
    ico_value = ico(own, prefix="00")
    street = town.name if is_village else own.choice(_TOWN_SQUARES)
    return Company(
        name=name,
        kind="municipality",
        legal_form="obec",
        ico=ico_value,
        dic=f"CZ{ico_value}" if own.random() < vat else None,
        email=f"{'obec' if is_village else 'podatelna'}@{domain}",
        phone=_landline(own, town.region),
        # Town halls sit at low house numbers on the square ("Masarykovo náměstí 1").
        address=replace(_address(own, town, street), house_number=str(own.randint(1, 40))),
    )


def _institution(rng: random.Random, town: Town) -> Company:
    kind = rng.choice(INSTITUTION_TYPES)
    address = street_address(rng, town)
    place, domain = town.name, f"{kind.domain_prefix}-{_slug(town.name)}.cz"
    if kind.street_in_name and town.population >= 30_000:
        place = f"{town.name}, {address.street} {address.house_number}"
        domain = f"{kind.domain_prefix}-{_slug(address.street)}-{_slug(town.name)}.cz"
    prefix = "7" + rng.choice("0125") if kind.legal_form == _PO else rng.choice("26")
    ico_value = ico(rng, prefix=prefix)
    return Company(
        name=kind.template.format(place=place),
        kind="institution",
        legal_form=kind.legal_form,
        ico=ico_value,
        dic=f"CZ{ico_value}" if rng.random() < kind.vat_probability else None,
        email=f"{kind.mailbox}@{domain}",
        phone=_landline(rng, town.region) if rng.random() < 0.85 else _mobile(rng),
        address=address,
    )


def company(rng: random.Random, kind: CompanyKind, *, town: Town | None = None) -> Company:
    """A business, municipality or public institution/association seated in ``town``.

    Without ``town``, businesses and institutions are placed by population (pick_town) and
    municipalities are drawn uniformly from TOWNS, since every town is exactly one
    municipality. A municipality depends only on its town: the same town always gives an
    equal Company, so the seeding can de-duplicate them.
    """
    if kind == "municipality":
        return _municipality(town if town is not None else rng.choice(TOWNS))
    seat = town if town is not None else pick_town(rng)
    if kind == "business":
        return _business(rng, seat)
    if kind == "institution":
        return _institution(rng, seat)
    raise ValueError(f"unknown company kind {kind!r}")


def _validate() -> None:
    """Cheap consistency checks at import; a broken data file should fail loudly, not seed junk."""
    names = [t.name for t in TOWNS]
    if len(set(names)) != len(names):
        raise RuntimeError("duplicate town names in towns.json")
    for first, _ in DIACRITICS_HEAVY:
        _first_name_sex(first)
    if not all(math.isfinite(t.lat) and math.isfinite(t.lon) for t in TOWNS):
        raise RuntimeError("non-finite coordinates in towns.json")


_validate()
