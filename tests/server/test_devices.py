"""Devices API: the list and its filters, one device, status history (recorded through
`record_status`) and charging sessions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import (
    AuditRecord,
    ChargingSession,
    Connector,
    Customer,
    Device,
    DeviceStatusChange,
    EventRecord,
    Site,
)
from ema_server.station_status import record_status
from tests.conftest import SignIn

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@dataclass
class Fleet:
    """Two customers, three devices: the ids tests look for."""

    jana: str
    obec: str
    station: str
    wallbox: str
    router: str


async def make_fleet(db: Database) -> Fleet:
    async with db.sessions() as session:
        jana = Customer(customer_number="C000101", kind="consumer", name="Jana Dvořáková")
        obec = Customer(customer_number="C000102", kind="municipality", name="Petr Novák",
                        company_name="Obec Hrabová")
        session.add_all([jana, obec])
        await session.flush()
        home = Site(customer_id=jana.id, name="Dům", street="Lipová 12", city="Ostrava", postal_code="70030",
                    district="Ostrava-město", region="Moravskoslezský kraj", latitude=49.8209, longitude=18.2625)
        square = Site(customer_id=obec.id, name="Náměstí", street="Náměstí 1", city="Brno", postal_code="60200",
                      district="Brno-město", region="Jihomoravský kraj", latitude=49.1951, longitude=16.6068)
        session.add_all([home, square])
        await session.flush()
        station = Device(customer_id=obec.id, site_id=square.id, kind="charging_station", vendor="ABB",
                         model="Terra AC", serial="SN-ABB-0001", ocpp_identity="HRABOVA-01", ocpp_version="1.6",
                         ocpp_password_hash="$argon2id$secret", region=square.region, status="Faulted",
                         error_code="GroundFailure", station_status="Faulted", station_error_code="GroundFailure")
        wallbox = Device(customer_id=jana.id, site_id=home.id, kind="wallbox", vendor="Wallbox", model="Pulsar Plus",
                         serial="WB-7788", ocpp_identity="JANA-WB", ocpp_version="1.6", region=home.region,
                         status="Available")
        router = Device(customer_id=jana.id, site_id=None, kind="router", vendor="Teltonika", model="RUT956",
                        serial="RUT-5511", region=None, status="Offline")
        session.add_all([station, wallbox, router])
        await session.flush()
        session.add_all([
            Connector(device_id=station.id, connector_no=2, standard="CCS2", max_power_kw=50.0),
            Connector(device_id=station.id, connector_no=1, standard="Type2", max_power_kw=22.0),
        ])
        await session.commit()
        return Fleet(jana.id, obec.id, station.id, wallbox.id, router.id)


def serials(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["serial"] for item in response.json()["items"]]


async def test_device_list_filters_by_repeated_status_kind_region_and_customer(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    hotline = await sign_in("hotline")
    h = hotline.headers

    assert serials(await client.get("/devices", headers=h)) == ["RUT-5511", "SN-ABB-0001", "WB-7788"]
    assert serials(await client.get("/devices?status=Faulted&status=Offline", headers=h)) == [
        "RUT-5511", "SN-ABB-0001"]
    assert serials(await client.get("/devices?status=Faulted", headers=h)) == ["SN-ABB-0001"]
    assert serials(await client.get("/devices?kind=wallbox", headers=h)) == ["WB-7788"]
    assert serials(await client.get("/devices", params={"region": "Jihomoravský kraj"}, headers=h)) == [
        "SN-ABB-0001"]
    assert serials(await client.get("/devices", params={"customer_id": fleet.jana}, headers=h)) == [
        "RUT-5511", "WB-7788"]
    assert serials(await client.get("/devices?status=Available&kind=router", headers=h)) == []


async def test_device_search_ignores_case_and_matches_serial_ocpp_id_or_model(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    await make_fleet(db)
    h = (await sign_in("technician")).headers
    assert serials(await client.get("/devices", params={"q": "wb-77"}, headers=h)) == ["WB-7788"]
    assert serials(await client.get("/devices", params={"q": "hrabova"}, headers=h)) == ["SN-ABB-0001"]
    assert serials(await client.get("/devices", params={"q": "TERRA"}, headers=h)) == ["SN-ABB-0001"]
    # Every word must match somewhere; % is a character, not a wildcard.
    assert serials(await client.get("/devices", params={"q": "pulsar wb"}, headers=h)) == ["WB-7788"]
    assert serials(await client.get("/devices", params={"q": "pulsar abb"}, headers=h)) == []
    assert serials(await client.get("/devices", params={"q": "%"}, headers=h)) == []


async def test_device_list_pages_and_places_devices_on_the_map(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    await make_fleet(db)
    h = (await sign_in("hotline")).headers
    page = (await client.get("/devices?limit=2&offset=1", headers=h)).json()
    assert page["total"] == 3 and page["limit"] == 2 and page["offset"] == 1
    assert [i["serial"] for i in page["items"]] == ["SN-ABB-0001", "WB-7788"]
    station = page["items"][0]
    assert (station["latitude"], station["longitude"]) == (49.1951, 16.6068)
    assert station["status"] == "Faulted" and station["error_code"] == "GroundFailure"
    assert "ocpp_password_hash" not in station
    router = (await client.get("/devices?kind=router", headers=h)).json()["items"][0]
    assert router["latitude"] is None and router["site_id"] is None


async def test_device_list_refuses_unknown_filter_values(client: httpx.AsyncClient, db: Database,
                                                         sign_in: SignIn) -> None:
    h = (await sign_in("hotline")).headers
    bad_status = await client.get("/devices?status=Broken", headers=h)
    assert bad_status.status_code == 422
    assert bad_status.headers["content-type"] == "application/problem+json"
    assert bad_status.json()["errors"][0]["field"].startswith("status")
    assert (await client.get("/devices?limit=501", headers=h)).status_code == 422
    assert (await client.get("/devices?offset=-1", headers=h)).status_code == 422
    nul = await client.get("/devices", params={"q": "WB\x00"}, headers=h)
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "q"
    assert (await client.get("/devices")).status_code == 401


async def test_unknown_device_is_404_everywhere(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    h = (await sign_in("hotline")).headers
    for path in ("", "/status-history", "/sessions", "/telemetry"):
        response = await client.get(f"/devices/00000000-0000-0000-0000-000000000000{path}", headers=h)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert (await client.get("/devices/" + "x" * 300, headers=h)).status_code == 404
    assert (await client.get("/devices/%00", headers=h)).status_code == 404


async def test_device_detail_shows_connectors_site_and_customer_and_audits_the_read(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    technician = await sign_in("technician")
    response = await client.get(f"/devices/{fleet.station}", headers=technician.headers)
    assert response.status_code == 200
    body = response.json()
    assert response.headers["etag"] == f'"{body["version"]}"'
    assert body["serial"] == "SN-ABB-0001" and body["ocpp_identity"] == "HRABOVA-01"
    assert "ocpp_password_hash" not in body
    assert [(c["connector_no"], c["standard"]) for c in body["connectors"]] == [(1, "Type2"), (2, "CCS2")]
    assert body["site"]["city"] == "Brno" and body["latitude"] == 49.1951
    assert body["customer"] == {"id": fleet.obec, "customer_number": "C000102", "name": "Petr Novák",
                                "company_name": "Obec Hrabová"}
    assert body["created_at"].endswith("Z")

    async with db.sessions() as session:
        reads = (await session.execute(select(AuditRecord).where(AuditRecord.action == "customer.read"))).scalars()
        records = list(reads)
    assert len(records) == 1
    assert records[0].entity_id == fleet.obec and records[0].operator_id == technician.operator_id
    assert json.loads(records[0].detail) == {"via": "device", "device_id": fleet.station}

    router = (await client.get(f"/devices/{fleet.router}", headers=technician.headers)).json()
    assert router["site"] is None and router["connectors"] == [] and router["customer"]["id"] == fleet.jana


async def test_status_history_is_newest_first_and_repeats_are_not_stored(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    reports = [
        (1, "Charging", None, T0),
        (1, "Charging", "NoError", T0 + timedelta(minutes=1)),  # a repeat: NoError is no error
        (1, "Faulted", "OverCurrentFailure", T0 + timedelta(minutes=2)),
        (1, "Faulted", "OverCurrentFailure", T0 + timedelta(minutes=3)),  # a repeat
        (0, "Faulted", "GroundFailure", T0 + timedelta(minutes=4)),  # already the station's status
        (0, "Available", None, T0 + timedelta(minutes=5)),
        (1, "Faulted", "HighTemperature", T0 + timedelta(minutes=6)),  # same status, other error: a change
    ]
    changed = []
    async with db.sessions() as session:
        device = await session.get(Device, fleet.station)
        assert device is not None
        for connector_no, status, error_code, at in reports:
            changed.append(await record_status(session, device, connector_no, status, error_code, None, at))
        await session.commit()
    assert changed == [True, False, True, False, False, True, True]

    h = (await sign_in("technician")).headers
    page = (await client.get(f"/devices/{fleet.station}/status-history", headers=h)).json()
    assert page["total"] == 4
    assert [(i["connector_no"], i["status"], i["error_code"]) for i in page["items"]] == [
        (1, "Faulted", "HighTemperature"),
        (0, "Available", None),
        (1, "Faulted", "OverCurrentFailure"),
        (1, "Charging", None),
    ]
    assert page["items"][0]["at"] == "2025-03-01T08:06:00Z"

    window = await client.get(f"/devices/{fleet.station}/status-history", headers=h, params={
        "from": "2025-03-01T09:02:00+01:00", "to": "2025-03-01T08:06:00Z", "limit": 1, "offset": 1})
    assert window.json()["total"] == 2
    assert [i["status"] for i in window.json()["items"]] == ["Faulted"]

    detail = (await client.get(f"/devices/{fleet.station}", headers=h)).json()
    # The station says it is fine, but a faulted connector makes the station Faulted at a glance.
    assert detail["status"] == "Faulted" and detail["error_code"] == "HighTemperature"
    assert detail["last_seen_at"] is not None
    assert [(c["status"], c["error_code"]) for c in detail["connectors"]] == [
        ("Faulted", "HighTemperature"), ("Available", None)]


async def test_status_of_an_unregistered_connector_creates_it(db: Database) -> None:
    fleet = await make_fleet(db)
    async with db.sessions() as session:
        device = await session.get(Device, fleet.wallbox)
        assert device is not None
        assert await record_status(session, device, 3, "Unavailable", None, "door open", T0)
        await session.commit()
    async with db.sessions() as session:
        connector = (await session.execute(select(Connector).where(Connector.device_id == fleet.wallbox))).scalar_one()
        history = (await session.execute(select(DeviceStatusChange))).scalar_one()
    assert (connector.connector_no, connector.status) == (3, "Unavailable")
    assert history.info == "door open"


async def test_status_changes_are_published_as_live_events(db: Database) -> None:
    fleet = await make_fleet(db)
    async with db.sessions() as session:
        device = await session.get(Device, fleet.wallbox)
        assert device is not None
        await record_status(session, device, 0, "Charging", None, None, T0)
        await record_status(session, device, 0, "Charging", None, None, T0 + timedelta(seconds=30))
        await record_status(session, device, 1, "Faulted", "ReaderFailure", None, T0 + timedelta(seconds=40))
        await session.commit()
    async with db.sessions() as session:
        events = (await session.execute(select(EventRecord).order_by(EventRecord.id))).scalars().all()
        version = (await session.get(Device, fleet.wallbox)).version  # type: ignore[union-attr]
    assert [e.type for e in events] == ["device.status", "device.status"]
    first, second = (json.loads(e.data) for e in events)
    assert first == {"device_id": fleet.wallbox, "connector_no": 0, "status": "Charging", "error_code": None,
                     "device_status": "Charging", "device_error_code": None,
                     "at": "2025-03-01T08:00:00Z", "version": first["version"]}
    assert (second["connector_no"], second["status"], second["error_code"]) == (1, "Faulted", "ReaderFailure")
    assert (second["device_status"], second["device_error_code"]) == ("Faulted", "ReaderFailure")
    assert second["version"] == version


async def test_charging_sessions_are_newest_first_and_audit_who_charged(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    async with db.sessions() as session:
        for hour, customer in ((1, fleet.obec), (3, fleet.jana), (2, None)):
            session.add(ChargingSession(device_id=fleet.station, customer_id=customer, connector_no=1,
                                        transaction_id=hour, id_tag=f"TAG{hour}",
                                        started_at=T0 + timedelta(hours=hour),
                                        stopped_at=T0 + timedelta(hours=hour, minutes=40), meter_start_wh=0,
                                        meter_stop_wh=hour * 1000, energy_kwh=float(hour)))
        await session.commit()
    h = (await sign_in("hotline")).headers
    page = (await client.get(f"/devices/{fleet.station}/sessions", headers=h)).json()
    assert page["total"] == 3
    assert [s["transaction_id"] for s in page["items"]] == [3, 2, 1]
    assert page["items"][0]["started_at"] == "2025-03-01T11:00:00Z" and page["items"][0]["energy_kwh"] == 3.0

    window = await client.get(f"/devices/{fleet.station}/sessions", headers=h,
                              params={"from": "2025-03-01T10:00:00Z", "to": "2025-03-01T11:00:00Z"})
    assert [s["transaction_id"] for s in window.json()["items"]] == [2]

    async with db.sessions() as session:
        audited = [str(entity_id) for entity_id in (await session.execute(
            select(AuditRecord.entity_id).where(AuditRecord.action == "customer.read"))).scalars()]
    # The first page showed both customers; the windowed one showed nobody's.
    assert sorted(audited) == sorted([fleet.obec, fleet.jana])


async def test_history_and_sessions_refuse_a_backwards_window(client: httpx.AsyncClient, db: Database,
                                                              sign_in: SignIn) -> None:
    fleet = await make_fleet(db)
    h = (await sign_in("hotline")).headers
    for path in ("status-history", "sessions"):
        response = await client.get(f"/devices/{fleet.station}/{path}", headers=h,
                                    params={"from": "2025-03-02T00:00:00Z", "to": "2025-03-01T00:00:00Z"})
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "from", "message": "must be before 'to'"}]
        naive = await client.get(f"/devices/{fleet.station}/{path}", headers=h, params={"from": "2025-03-01T00:00"})
        assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "from"
