"""Registering a charging station for the OCPP endpoint, shared by the admin API and
`ema-server add-station`: the device with its OCPP identity, hashed station password and
connectors, and changing that password later.

Errors are `StationRegistrationError`s naming the field and a stable code, so the API can answer
them as problem+json and the command line as a message. The password itself never leaves this
module except as its hash, and no error message repeats it.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Connector, Customer, Device, Site, UnknownStation
from ema_server.db.models.devices import CHARGER_KINDS
from ema_server.ocpp.settings import SUBPROTOCOLS
from ema_server.search import refresh_customer_search_text
from ema_server.security import hash_station_password, station_password_problem

__all__ = [
    "CONNECTOR_STANDARDS",
    "DEFAULT_CONNECTORS",
    "OCPP_VERSIONS",
    "ConnectorSpec",
    "NewStation",
    "StationRegistrationError",
    "change_station_password",
    "identity_problem",
    "register_station",
]

# OCPP's identifierString: what the security whitepaper allows in a charging station's identity,
# which is also the last segment of the URL the station connects to.
IDENTITY = re.compile(r"[A-Za-z0-9*_=:+|@.-]{1,48}")
CONNECTOR_STANDARDS = ("Type2", "CCS2", "CHAdeMO")
OCPP_VERSIONS = tuple(SUBPROTOCOLS.values())
MAX_CONNECTORS = 16
MAX_CONNECTOR_KW = 1000.0
TEXT_MAX = 64


@dataclass(frozen=True)
class ConnectorSpec:
    connector_no: int
    standard: str = "Type2"
    max_power_kw: float = 22.0


DEFAULT_CONNECTORS: tuple[ConnectorSpec, ...] = (ConnectorSpec(1, "Type2", 22.0),)


@dataclass(frozen=True)
class NewStation:
    """What an administrator says about a station to register it."""

    customer: str
    """The owner's customer number (C1000001) or id."""
    ocpp_identity: str
    password: str = field(repr=False)
    vendor: str
    model: str
    serial: str
    kind: str = "charging_station"
    site_id: str | None = None
    """Must be a site of the customer; the device's region comes from it."""
    firmware: str | None = None
    ocpp_version: str | None = None
    """1.6 or 2.0.1 when known; the endpoint records what the station negotiates anyway."""
    connectors: Sequence[ConnectorSpec] | None = None
    """None: one Type2 connector of 22 kW."""


class StationRegistrationError(Exception):
    """A station cannot be registered (or its password changed) as asked.

    `conflict` is true when the request itself is fine but collides with a registered station
    (identity_taken, serial_taken): an API answers 409 instead of 422.
    """

    def __init__(self, field: str, code: str, message: str, *, conflict: bool = False) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message
        self.conflict = conflict


def identity_problem(identity: str) -> str | None:
    """Why a string cannot be an OCPP charging station identity, or None."""
    if IDENTITY.fullmatch(identity) is None:
        return "must be 1 to 48 characters of A-Z a-z 0-9 * - _ = : + | @ ."
    return None


def _check_text(name: str, value: str | None, *, required: bool) -> None:
    if value is None or not value.strip():
        if required:
            raise StationRegistrationError(name, "required", "may not be empty")
        return
    if len(value) > TEXT_MAX:
        raise StationRegistrationError(name, "too_long", f"must be at most {TEXT_MAX} characters long")
    if not value.isprintable():
        raise StationRegistrationError(name, "invalid_text", "contains control characters")


def _check_password(password: str) -> None:
    if problem := station_password_problem(password):
        raise StationRegistrationError("password", "invalid_station_password", problem)


def _checked_connectors(connectors: Sequence[ConnectorSpec] | None) -> list[ConnectorSpec]:
    specs = list(DEFAULT_CONNECTORS if connectors is None else connectors)
    if not 1 <= len(specs) <= MAX_CONNECTORS:
        raise StationRegistrationError("connectors", "invalid_connectors",
                                       f"a station has 1 to {MAX_CONNECTORS} connectors")  # fmt: skip
    seen: set[int] = set()
    for spec in specs:
        if spec.connector_no < 1:
            raise StationRegistrationError("connectors", "invalid_connector_no", "connector numbers start at 1")
        if spec.connector_no in seen:
            raise StationRegistrationError("connectors", "duplicate_connector_no",
                                           f"connector {spec.connector_no} is listed twice")  # fmt: skip
        seen.add(spec.connector_no)
        if spec.standard not in CONNECTOR_STANDARDS:
            raise StationRegistrationError("connectors", "invalid_connector_standard",
                                           f"the standard must be one of {', '.join(CONNECTOR_STANDARDS)}")  # fmt: skip
        if not (math.isfinite(spec.max_power_kw) and 0 < spec.max_power_kw <= MAX_CONNECTOR_KW):
            raise StationRegistrationError(
                "connectors", "invalid_max_power", f"max_power_kw must be above 0 and at most {MAX_CONNECTOR_KW:g}"
            )
    return sorted(specs, key=lambda spec: spec.connector_no)


def _check(station: NewStation) -> list[ConnectorSpec]:
    """Every rule that needs no database, in the order a form shows the fields."""
    if problem := identity_problem(station.ocpp_identity):
        raise StationRegistrationError("ocpp_identity", "invalid_identity", problem)
    _check_password(station.password)
    if station.kind not in CHARGER_KINDS:
        raise StationRegistrationError("kind", "invalid_kind", f"must be one of {', '.join(CHARGER_KINDS)}")
    if station.ocpp_version is not None and station.ocpp_version not in OCPP_VERSIONS:
        raise StationRegistrationError("ocpp_version", "invalid_ocpp_version",
                                       f"must be one of {', '.join(OCPP_VERSIONS)}")  # fmt: skip
    _check_text("vendor", station.vendor, required=True)
    _check_text("model", station.model, required=True)
    _check_text("serial", station.serial, required=True)
    _check_text("firmware", station.firmware, required=False)
    return _checked_connectors(station.connectors)


async def _customer(session: AsyncSession, reference: str) -> Customer:
    reference = reference.strip()
    customer = None
    if reference and len(reference) <= TEXT_MAX and reference.isprintable():
        customer = (
            await session.execute(
                select(Customer).where(or_(Customer.customer_number == reference, Customer.id == reference)).limit(1)
            )
        ).scalar_one_or_none()
    if customer is None:
        raise StationRegistrationError("customer", "unknown_customer", "no customer has this number or id")
    return customer


async def _site(session: AsyncSession, site_id: str | None, customer: Customer) -> Site | None:
    if site_id is None:
        return None
    site = await session.get(Site, site_id) if len(site_id) <= 36 and site_id.isprintable() else None
    if site is None:
        raise StationRegistrationError("site_id", "unknown_site", "there is no site with this id")
    if site.customer_id != customer.id:
        raise StationRegistrationError("site_id", "site_not_of_customer", "the site belongs to another customer")
    return site


async def _refuse_taken(session: AsyncSession, identity: str, serial: str) -> None:
    if (await session.execute(select(Device.id).where(Device.ocpp_identity == identity))).first():
        raise StationRegistrationError(
            "ocpp_identity", "identity_taken", "a station with this OCPP identity is registered already", conflict=True
        )
    if (await session.execute(select(Device.id).where(Device.serial == serial))).first():
        raise StationRegistrationError(
            "serial", "serial_taken", "a device with this serial number is registered already", conflict=True
        )


async def register_station(session: AsyncSession, station: NewStation) -> Device:
    """Add the station, its connectors and its hashed password in the caller's transaction.

    Removes the identity from the unknown stations (it is known now) and refreshes the owner's
    search text so the hotline finds them by the new serial and identity. Raises
    StationRegistrationError; after a conflict found only when writing (another registration of
    the same identity or serial committed meanwhile) the session has been rolled back.
    """
    connectors = _check(station)
    serial = station.serial.strip()
    customer = await _customer(session, station.customer)
    site = await _site(session, station.site_id, customer)
    await _refuse_taken(session, station.ocpp_identity, serial)
    # Hashing is CPU work of a few milliseconds; argon2 releases the GIL, so a thread keeps the
    # event loop answering other stations meanwhile.
    password_hash = await asyncio.to_thread(hash_station_password, station.password)
    firmware = station.firmware.strip() if station.firmware and station.firmware.strip() else None
    device = Device(
        customer_id=customer.id,
        site_id=site.id if site else None,
        kind=station.kind,
        vendor=station.vendor.strip(),
        model=station.model.strip(),
        serial=serial,
        firmware=firmware,
        ocpp_identity=station.ocpp_identity,
        ocpp_version=station.ocpp_version,
        ocpp_password_hash=password_hash,
        region=site.region if site else None,
        status="Offline",
    )
    session.add(device)
    try:
        await session.flush()
        session.add_all(
            Connector(device_id=device.id, connector_no=spec.connector_no, standard=spec.standard,
                      max_power_kw=float(spec.max_power_kw), status="Available")
            for spec in connectors
        )  # fmt: skip
        await session.execute(delete(UnknownStation).where(UnknownStation.identity == station.ocpp_identity))
        await session.flush()
    except IntegrityError:
        await session.rollback()
        await _refuse_taken(session, station.ocpp_identity, serial)
        raise StationRegistrationError("ocpp_identity", "registration_conflict",
                                       "another registration was saved at the same time; try again",
                                       conflict=True) from None  # fmt: skip
    await refresh_customer_search_text(session, customer.id)
    return device


async def change_station_password(session: AsyncSession, device: Device, password: str) -> None:
    """Store a new station password (hashed) in the caller's transaction.

    A station connected with the old password keeps its connection; the new one is asked for
    when it next connects.
    """
    _check_password(password)
    if device.ocpp_identity is None:
        raise StationRegistrationError("password", "not_an_ocpp_station", "the device has no OCPP identity")
    device.ocpp_password_hash = await asyncio.to_thread(hash_station_password, password)
    await session.flush()
