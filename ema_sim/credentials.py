"""Which stations to simulate and how they authenticate: the server's demo stations, or a CSV file.

Demo stations are ``CZ-SEC-00001``, ``CZ-SEC-00002``, … with the password the server's demo seed
derives for each: the first 32 hex digits of HMAC-SHA256(demo password, identity), the demo
password being ``EMA_DEMO_PASSWORD`` or ``ema-demo-2026!`` when that is unset or empty. The demo
also gives each station's customer an RFID card, ``SIM`` + 12 hex digits of
HMAC-SHA256(demo password, ``id-tag:`` + identity), which the server authorises: the simulated
drivers present it.

A stations file is CSV with the header ``identity,password`` and optional further columns
``ocpp_version`` (``1.6`` or ``2.0.1``) and ``id_tags`` (the cards the server authorises at that
station, separated by spaces). Reading it is blocking I/O: do it before the event loop starts or
on a worker thread.

Passwords never appear in a ``repr``, a log line or an error message.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, get_args

__all__ = [
    "DEFAULT_DEMO_PASSWORD",
    "DEMO_PASSWORD_ENV",
    "OcppVersion",
    "StationSpec",
    "VersionChoice",
    "choose_version",
    "demo_id_tag",
    "demo_identity",
    "demo_password",
    "demo_secret",
    "demo_stations",
    "parse_stations",
    "read_stations_file",
    "unique",
]

OcppVersion = Literal["1.6", "2.0.1"]
VersionChoice = Literal["1.6", "2.0.1", "mixed"]
OCPP_VERSIONS: Final[tuple[str, ...]] = get_args(OcppVersion)
DEMO_PASSWORD_ENV: Final = "EMA_DEMO_PASSWORD"  # noqa: S105 (the variable's name, not a password)
# The server's public demo default (see ema_server.seed.demo); demo stations are not secrets.
DEFAULT_DEMO_PASSWORD: Final = "ema-demo-2026!"  # noqa: S105
# OCPP 1.6 security whitepaper: the identity is at most 48 characters and goes into the URL path.
IDENTITY_MAX: Final = 48
MIXED_SHARE_201: Final = 0.25
# OCPP 1.6 IdToken is CiString20.
ID_TAG_MAX: Final = 20


@dataclass(frozen=True)
class StationSpec:
    """One station to simulate: its OCPP identity, its password (security profile 1) and version."""

    identity: str
    password: str = field(repr=False)
    ocpp_version: OcppVersion = "1.6"
    id_tags: tuple[str, ...] = ()
    """RFID cards the server knows for this station's drivers; empty: the station makes some up
    (which a server with a card register will refuse)."""

    def __post_init__(self) -> None:
        if not self.identity or len(self.identity) > IDENTITY_MAX or not self.identity.isprintable():
            raise ValueError(f"station identity must be 1 to {IDENTITY_MAX} printable characters")
        if ":" in self.identity:
            # HTTP Basic cannot carry a user name with a colon.
            raise ValueError(f"station identity {self.identity!r} must not contain ':'")
        if not self.password:
            raise ValueError(f"station {self.identity} has an empty password")
        if self.ocpp_version not in OCPP_VERSIONS:
            raise ValueError(f"station {self.identity}: OCPP version must be one of {', '.join(OCPP_VERSIONS)}")
        if any(not tag or len(tag) > ID_TAG_MAX or not tag.isprintable() for tag in self.id_tags):
            raise ValueError(f"station {self.identity}: an id tag must be 1 to {ID_TAG_MAX} printable characters")


def demo_identity(number: int) -> str:
    return f"CZ-SEC-{number:05d}"


def demo_secret() -> str:
    """The demo password the server's demo data derives station passwords and cards from."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def demo_password(identity: str, secret: str | None = None) -> str:
    """The password the server's demo data gives the station ``identity``."""
    key = (demo_secret() if secret is None else secret).encode()
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:32]


def demo_id_tag(identity: str, secret: str | None = None) -> str:
    """The RFID card the server's demo data gives the customer of the station ``identity``."""
    key = (demo_secret() if secret is None else secret).encode()
    return "SIM" + hmac.new(key, b"id-tag:" + identity.encode(), hashlib.sha256).hexdigest()[:12].upper()


def choose_version(identity: str, choice: VersionChoice, seed: int) -> OcppVersion:
    """The OCPP version of a station: fixed, or for ``mixed`` about 75 % 1.6 and 25 % 2.0.1,
    decided by the seed and the identity alone (so a station keeps its version when the fleet
    grows or is started from another number)."""
    if choice == "1.6" or choice == "2.0.1":
        return choice
    if choice != "mixed":
        raise ValueError(f"OCPP version must be 1.6, 2.0.1 or mixed, not {choice!r}")
    return "2.0.1" if random.Random(f"{seed}/{identity}/ocpp").random() < MIXED_SHARE_201 else "1.6"


def demo_stations(count: int, *, first: int = 1, ocpp: VersionChoice = "1.6", seed: int = 0) -> list[StationSpec]:
    """``count`` demo stations starting at number ``first``."""
    if count < 0 or first < 1:
        raise ValueError("count must be zero or more and first at least 1")
    secret = demo_secret()
    specs = []
    for number in range(first, first + count):
        identity = demo_identity(number)
        version = choose_version(identity, ocpp, seed)
        specs.append(StationSpec(identity, demo_password(identity, secret), version, (demo_id_tag(identity, secret),)))
    return specs


def read_stations_file(path: Path | str, *, ocpp: VersionChoice = "1.6", seed: int = 0) -> list[StationSpec]:
    """Stations from a CSV file (blocking). Rows without an ``ocpp_version`` take ``ocpp``.

    Raises ValueError naming the line of the first bad row (never its password).
    """
    with Path(path).open(newline="", encoding="utf-8-sig") as file:
        return parse_stations(file, ocpp=ocpp, seed=seed)


def parse_stations(lines: Iterable[str], *, ocpp: VersionChoice = "1.6", seed: int = 0) -> list[StationSpec]:
    reader = csv.reader(lines)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:2] != ["identity", "password"] or header[2:] not in ([], ["ocpp_version"], ["ocpp_version", "id_tags"]):
        raise ValueError("stations file must start with the header identity,password[,ocpp_version[,id_tags]]")
    specs: list[StationSpec] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if not 2 <= len(row) <= len(header):
            raise ValueError(f"stations file line {line}: expected at most {len(header)} columns")
        identity, password = row[0].strip(), row[1]
        version = row[2].strip() if len(row) > 2 and row[2].strip() else None
        if version is not None:
            version = version.removeprefix("ocpp")
        id_tags = tuple(row[3].split()) if len(row) > 3 else ()
        try:
            spec = StationSpec(identity, password, _version(version, identity, ocpp, seed), id_tags)
        except ValueError as error:
            raise ValueError(f"stations file line {line}: {error}") from None
        if identity in seen:
            raise ValueError(f"stations file line {line}: station {identity} is listed twice")
        seen.add(identity)
        specs.append(spec)
    return specs


def _version(given: str | None, identity: str, choice: VersionChoice, seed: int) -> OcppVersion:
    if given is None:
        return choose_version(identity, choice, seed)
    if given == "1.6":
        return "1.6"
    if given == "2.0.1":
        return "2.0.1"
    raise ValueError(f"unknown OCPP version {given!r} (use 1.6 or 2.0.1)")


def unique(specs: Sequence[StationSpec]) -> None:
    """Raise ValueError when an identity is listed twice (one connection per identity)."""
    seen: set[str] = set()
    for spec in specs:
        if spec.identity in seen:
            raise ValueError(f"station {spec.identity} is listed twice")
        seen.add(spec.identity)
