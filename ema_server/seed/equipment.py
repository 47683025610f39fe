"""Sites and devices of a demo customer: chargers with connectors, routers, modems, SIMs and meters,
each in a status with the history that led to it.

The first devices are steered through every kind and status (and the first faults through every
OCPP error code), so even the small demo shows each; a few chargers are chosen for minute-by-
minute telemetry, and their status follows from the vehicles plugged into them right now.

Every charger with an OCPP identity also gives its customer an RFID card whose tag is derived from
the identity and the demo password (`demo_station_id_tag`), the same derivation `ema-sim` uses, so
the simulated station's charging sessions are authorised. Its id comes from the device's id
rather than the random stream, so the rest of the demo is what it was without these cards.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ema_server.db.models import Connector, Device, DeviceStatusChange, RfidCard, Site
from ema_server.security import demo_station_id_tag
from ema_server.seed import czech, texts
from ema_server.seed.charging import StationPlan, plan_station, session_results
from ema_server.seed.czech import Address
from ema_server.seed.draws import Draws, Rows, new_uuid
from ema_server.seed.texts import ERROR_CODES, Model

if TYPE_CHECKING:
    from ema_server.seed.plan import CustomerInfo, PlanOptions

CHARGER_STATUSES = ("Available", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing",
                    "Reserved", "Unavailable", "Faulted", "Offline")  # fmt: skip
_CHARGER_WEIGHTS = (57, 2, 10, 4, 1.5, 1.5, 1, 3, 5, 15)
NETWORK_STATUSES = ("Online", "Offline", "Unavailable")
_NETWORK_WEIGHTS = (86, 11, 3)
ACTIVE_CHARGING = ("Charging", "SuspendedEV", "SuspendedEVSE")
# Names the station cards' ids: uuid5 of the device id in this namespace.
_STATION_CARD_NAMESPACE = uuid.UUID("6f3c1d52-8a7e-4b0c-9d21-5e4f7a9b3c10")


@dataclass(slots=True)
class DeviceInfo:
    id: str
    customer: int
    kind: str
    model: str
    serial: str
    ocpp_identity: str | None
    status: str
    error_code: str | None
    connectors: list[str]
    """Status of each connector, 1…n."""
    outlets: list[tuple[str, float]]
    created_at: datetime
    public: bool
    status_since: datetime | None = None
    telemetry: StationPlan | None = None


class Equipment(Draws):
    """Makes the sites and devices of one customer after another, from the planner's random stream."""

    def __init__(self, rng: random.Random, now: datetime, options: PlanOptions, demo_secret: str) -> None:
        super().__init__(rng, now)
        self.options = options
        self._demo_secret = demo_secret
        self.devices: list[DeviceInfo] = []
        self.telemetry: list[DeviceInfo] = []
        """Chargers with minute-by-minute meter values."""
        self._serials: set[str] = set()
        self._ocpp_no = 0
        self._faulted = 0
        self._pending_charger = list(CHARGER_STATUSES)
        self._pending_network = list(NETWORK_STATUSES)
        self._pending_kinds = ["wallbox", "charging_station", "router", "modem", "sim", "meter"]

    def _serial(self, prefix: str, digits: int = 8) -> str:
        while True:
            serial = f"{prefix}{self.rng.randrange(10 ** (digits - 1), 10**digits)}"
            if serial not in self._serials:
                self._serials.add(serial)
                return serial

    def _iccid(self) -> str:
        while True:
            body = f"8942001{self.rng.randrange(10**11):011d}"
            digits = [int(d) for d in reversed(body)]
            total = sum(d if i % 2 else sum(divmod(2 * d, 10)) for i, d in enumerate(digits))
            iccid = f"{body}{(10 - total % 10) % 10}"
            if iccid not in self._serials:
                self._serials.add(iccid)
                return iccid

    def sites_and_devices(
        self, rows: Rows, info: CustomerInfo, index: int, home: Address, company: czech.Company | None
    ) -> None:
        """The sites of the ``index``-th customer and the devices at each."""
        rng = self.rng
        richness = self.options.richness
        if company is None:
            site_count = 2 if rng.random() < 0.04 else 1
        else:
            site_count = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        for number in range(site_count):
            address = home if number == 0 else czech.street_address(rng, czech.pick_town(rng, region=home.region))
            names = texts.SITE_NAMES[info.kind]
            name = names[number % len(names)] if company is None else rng.choice(names)
            if name == "Provozovna":
                name = f"Provozovna {address.town}"
            site_id = new_uuid(rng)
            created = self._between(info.created_at, min(self.now, info.created_at + timedelta(days=60)))
            rows[Site].append({"id": site_id, "customer_id": info.id, "name": name,
                               "street": f"{address.street} {address.house_number}", "city": address.town,
                               "postal_code": address.postal_code, "district": address.district,
                               "region": address.region, "latitude": address.lat, "longitude": address.lon,
                               "version": 1, "created_at": created, "updated_at": created})  # fmt: skip
            kinds: list[str] = []
            if company is None:
                kinds.append("wallbox")
                if rng.random() < 0.02 + 0.3 * richness:
                    kinds.append("meter")
                if rng.random() < 0.01 + 0.25 * richness:
                    kinds.append("sim")
                if rng.random() < 0.02:
                    kinds.append("wallbox")
            else:
                public = rng.choices(("wallbox", "charging_station"), weights=(1, 1 if info.kind == "business" else 2))
                kinds.extend(public[0] if rng.random() < 0.7 else rng.choice(("wallbox", "charging_station"))
                             for _ in range(rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0]))  # fmt: skip
                if rng.random() < 0.2 + 0.5 * richness:
                    kinds.append("router")
                if rng.random() < 0.1 + 0.3 * richness:
                    kinds.extend(("modem", "sim"))
                if rng.random() < 0.1 + 0.4 * richness:
                    kinds.append("meter")
            if self._pending_kinds and company is not None:
                kinds.extend(k for k in self._pending_kinds if k not in kinds)
                self._pending_kinds.clear()
            for kind in kinds:
                self._device(rows, info, index, kind, site_id, address.region, created)

    def _device(
        self, rows: Rows, info: CustomerInfo, index: int, kind: str, site_id: str, region: str, created: datetime
    ) -> None:
        rng = self.rng
        catalogue = {"wallbox": texts.WALLBOXES, "charging_station": texts.STATIONS, "router": texts.ROUTERS,
                     "modem": texts.MODEMS, "meter": texts.METERS}  # fmt: skip
        device_id = new_uuid(rng)
        installed = self._between(created, min(self.now - timedelta(hours=1), created + timedelta(days=30)))
        installed = max(installed, created)
        model: Model | None = None
        outlets: list[tuple[str, float]] = []
        ocpp_identity = ocpp_version = iccid = firmware = None
        if kind == "sim":
            vendor, model_name = rng.choice(texts.SIM_OPERATORS)
            serial = iccid = self._iccid()
        else:
            model = rng.choice(catalogue[kind])
            vendor, model_name = model.vendor, model.model
            serial = self._serial(model.serial_prefix)
            firmware = texts.firmware_of(rng, model)
            if model.outlets:
                outlets = list(model.outlets[: rng.randint(model.min_connectors, len(model.outlets))])
                self._ocpp_no += 1
                ocpp_identity = f"CZ-SEC-{self._ocpp_no:05d}"
                ocpp_version = "2.0.1" if rng.random() < 0.25 else "1.6"
        charger = bool(outlets)
        device = DeviceInfo(device_id, index, kind, model_name, serial, ocpp_identity, "Offline", None,
                            ["Available"] * len(outlets), outlets, installed,
                            public=info.kind != "consumer")  # fmt: skip
        if (
            charger
            and info.status in ("active", "restricted")
            and not self._pending_charger
            and len(self.telemetry) < self.options.telemetry_stations
            and installed < self.now - timedelta(days=self.options.telemetry_days + 1)
            and rng.random() < 0.3
        ):
            self._plan_telemetry(device)
        else:
            self._pick_status(device, info, charger)
        status_since = device.status_since = self._history(rows, device, charger)
        last_seen = None
        if device.status == "Offline":
            if rng.random() > 0.04:
                last_seen = status_since
        else:
            last_seen = self.now - timedelta(seconds=rng.randint(5, 300))
        rows[Device].append({
            "id": device_id, "customer_id": info.id, "site_id": site_id, "kind": kind, "vendor": vendor,
            "model": model_name, "serial": serial, "firmware": firmware, "ocpp_identity": ocpp_identity,
            "ocpp_version": ocpp_version, "ocpp_password_hash": None, "iccid": iccid, "region": region,
            "status": device.status, "error_code": device.error_code, "last_seen_at": last_seen, "version": 1,
            "created_at": installed, "updated_at": max(installed, status_since),
        })  # fmt: skip
        for number, ((standard, kw), status) in enumerate(zip(outlets, device.connectors, strict=True), start=1):
            rows[Connector].append({
                "id": new_uuid(rng), "device_id": device_id, "connector_no": number, "standard": standard,
                "max_power_kw": kw, "status": status,
                "error_code": device.error_code if status == "Faulted" else None, "version": 1,
                "created_at": installed, "updated_at": max(installed, status_since),
            })  # fmt: skip
        if ocpp_identity is not None:
            self._station_card(rows, info, device_id, ocpp_identity, installed)
        info.devices.append(len(self.devices))
        self.devices.append(device)

    def _station_card(
        self, rows: Rows, info: CustomerInfo, device_id: str, identity: str, installed: datetime
    ) -> None:
        """The RFID card the simulated station `identity` charges with (see the module docstring)."""
        tag = demo_station_id_tag(identity, self._demo_secret)
        rows[RfidCard].append({"id": str(uuid.uuid5(_STATION_CARD_NAMESPACE, device_id)), "customer_id": info.id,
                               "id_tag": tag, "label": f"Karta stanice {identity}", "active": True, "version": 1,
                               "created_at": installed, "updated_at": installed})  # fmt: skip
        info.id_tags.append(tag)

    def _plan_telemetry(self, device: DeviceInfo) -> None:
        standard, kw = device.outlets[0]
        plan = plan_station(self.rng.getrandbits(63), max_kw=kw, dc=standard in ("CCS2", "CHAdeMO"),
                            home=not device.public, window_end=self.now, days=self.options.telemetry_days)  # fmt: skip
        device.telemetry = plan
        results = session_results(plan)
        last = results[-1] if results else None
        if last is not None and last.vehicle.end > plan.minutes:
            device.status = "Charging" if last.charging_at_end else "SuspendedEV"
            device.connectors[0] = device.status
        else:
            device.status = "Available"
        self.telemetry.append(device)

    def _pick_status(self, device: DeviceInfo, info: CustomerInfo, charger: bool) -> None:
        rng = self.rng
        pending = self._pending_charger if charger else self._pending_network
        if info.status == "closed":
            status = "Offline"
        elif pending:
            status = pending.pop(0)
        elif charger:
            status = rng.choices(CHARGER_STATUSES, weights=_CHARGER_WEIGHTS)[0]
        elif device.kind == "meter" and rng.random() < 0.02:
            status = "Faulted"
        else:
            status = rng.choices(NETWORK_STATUSES, weights=_NETWORK_WEIGHTS)[0]
        if pending is self._pending_charger and status in pending:
            pending.remove(status)
        device.status = status
        if status == "Faulted":
            if device.kind == "meter":
                device.error_code = "PowerMeterFailure"
            else:
                device.error_code = ERROR_CODES[self._faulted] if self._faulted < len(ERROR_CODES) \
                    else rng.choice(ERROR_CODES)  # fmt: skip
                self._faulted += 1
        if charger:
            active = rng.randrange(len(device.connectors))
            for n in range(len(device.connectors)):
                if status in ("Unavailable",):
                    device.connectors[n] = "Unavailable"
                elif n == active and status not in ("Available", "Offline"):
                    device.connectors[n] = status

    def _history(self, rows: Rows, device: DeviceInfo, charger: bool) -> datetime:
        """Status history ending in the current status; returns when the current status began."""
        rng = self.rng
        status = device.status
        if status == "Offline":
            since = self._ago(0.05, 20)
        elif status in ("Faulted", "Unavailable"):
            since = self._ago(0.02, 10)
        elif status in ("Available", "Online"):
            since = self._ago(0.01, 3)
        else:
            since = self._ago(0.005, 0.15)
        since = max(since, device.created_at + timedelta(minutes=5))
        if device.telemetry is not None and device.telemetry.vehicles:
            vehicle = device.telemetry.vehicles[-1]
            since = datetime.fromtimestamp(
                (device.telemetry.window_start_ms + min(vehicle.end, device.telemetry.minutes) * 60_000) / 1000, UTC
            )
            if status != "Available":
                since = datetime.fromtimestamp((device.telemetry.window_start_ms + vehicle.start * 60_000) / 1000, UTC)
        active = next((n for n, s in enumerate(device.connectors, start=1) if s == status), 0)
        cycle = ("Available", "Preparing", "Charging", "Finishing") if charger else ("Online", "Offline")
        entries: list[tuple[datetime, int, str, str | None, str | None]] = []
        moment = since
        gaps = [rng.randint(20, 600) for _ in range(rng.randint(*self.options.history_steps))]
        for step, gap in enumerate(gaps):
            moment -= timedelta(minutes=gap)
            if moment <= device.created_at:
                break
            previous = cycle[-1 - step % len(cycle)]
            entries.append((moment, 1 if charger and previous != "Online" else 0, previous, None, None))
        boot = device.created_at + timedelta(minutes=2)
        if boot < (entries[-1][0] if entries else since):
            entries.append((boot, 0, "Available" if charger else "Online", None,
                            "BootNotification" if charger else None))  # fmt: skip
        entries.reverse()
        info = "Heartbeat timeout" if status == "Offline" else None
        entries.append((since, active if charger and status not in ("Offline", "Unavailable") else 0, status,
                        device.error_code, info))  # fmt: skip
        for at, connector, value, code, text in entries:
            rows[DeviceStatusChange].append({"device_id": device.id, "connector_no": connector, "status": value,
                                             "error_code": code, "info": text, "at": at})  # fmt: skip
        return since
