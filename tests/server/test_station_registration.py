"""Registering charging stations through the API as an administrator does it: POST /devices, a new
station password, and the stations that knocked without being registered, listed and registered
in one step or dismissed."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ema_server.db.engine import Database
from ema_server.db.models import (
    AuditRecord,
    ChangeRecord,
    Connector,
    Customer,
    Device,
    EventRecord,
    Site,
    UnknownStation,
)
from ema_server.domain.permissions import Role
from ema_server.security import verify_station_password
from ema_server.station_registration import change_station_password
from tests.conftest import SignedIn, SignIn

PASSWORD = "Zx9-station-secret-01"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Owners:
    obec: str
    obec_number: str
    square: str
    jana: str
    home: str


async def make_owners(db: Database) -> Owners:
    async with db.sessions() as session:
        obec = Customer(customer_number="C000201", kind="municipality", name="Petr Novák", company_name="Obec Hrabová")
        jana = Customer(customer_number="C000202", kind="consumer", name="Jana Dvořáková")
        session.add_all([obec, jana])
        await session.flush()
        square = Site(customer_id=obec.id, name="Náměstí", street="Náměstí 1", city="Brno", postal_code="60200",
                      district="Brno-město", region="Jihomoravský kraj", latitude=49.1951, longitude=16.6068)
        home = Site(customer_id=jana.id, name="Dům", street="Lipová 12", city="Ostrava", postal_code="70030",
                    district="Ostrava-město", region="Moravskoslezský kraj", latitude=49.8209, longitude=18.2625)
        session.add_all([square, home])
        await session.commit()
        return Owners(obec.id, obec.customer_number, square.id, jana.id, home.id)


def station_body(owners: Owners, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": owners.obec_number, "site_id": owners.square, "kind": "charging_station", "vendor": "ABB",
        "model": "Terra AC", "serial": "SN-ABB-7001", "firmware": "1.8.3", "ocpp_identity": "HRABOVA-02",
        "ocpp_version": "1.6", "password": PASSWORD,
    }  # fmt: skip
    body.update(changes)
    return body


async def count(db: Database, model: Any) -> int:
    async with db.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def device_row(db: Database, identity: str) -> Device:
    async with db.sessions() as session:
        return (await session.execute(select(Device).where(Device.ocpp_identity == identity))).scalar_one()


async def logged_text(db: Database) -> str:
    """Everything the server wrote where operators and the console can read it back."""
    async with db.sessions() as session:
        changes = (await session.execute(select(ChangeRecord.data))).scalars().all()
        audit = (await session.execute(select(AuditRecord.detail))).scalars().all()
        events = (await session.execute(select(EventRecord.data))).scalars().all()
    return "\n".join(str(x) for x in [*changes, *audit, *events])


async def audit_records(db: Database, action: str) -> list[AuditRecord]:
    async with db.sessions() as session:
        query = select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)
        return list((await session.execute(query)).scalars().all())


def error(response: httpx.Response) -> tuple[int, str, str | None]:
    body = response.json()
    field = body["errors"][0]["field"] if body["errors"] else None
    return response.status_code, body["code"], field


# --- POST /devices ------------------------------------------------------------------------------


async def test_admin_registers_a_station_whose_password_verifies_and_is_never_shown(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    response = await client.post("/devices", json=station_body(owners), headers=admin.headers)

    assert response.status_code == 201, response.text
    device = response.json()
    assert response.headers["Location"].endswith(f"/api/v1/devices/{device['id']}")
    assert response.headers["ETag"] == f'"{device["version"]}"'
    assert device["ocpp_identity"] == "HRABOVA-02" and device["serial"] == "SN-ABB-7001"
    assert device["status"] == "Offline" and device["region"] == "Jihomoravský kraj"
    assert device["customer"]["customer_number"] == "C000201" and device["site"]["id"] == owners.square
    assert [(c["connector_no"], c["standard"], c["max_power_kw"]) for c in device["connectors"]] == [(1, "Type2", 22.0)]
    # The answer is what GET /devices/{id} answers.
    again = await client.get(response.headers["Location"].removeprefix("http://testserver/api/v1"),
                             headers=admin.headers)  # fmt: skip
    assert again.json() == device

    stored = await device_row(db, "HRABOVA-02")
    assert verify_station_password(stored.ocpp_password_hash, PASSWORD)
    assert not verify_station_password(stored.ocpp_password_hash, PASSWORD + "x")
    assert stored.ocpp_password_hash is not None
    assert "ocpp_password_hash" not in device
    for text in (response.text, again.text, await logged_text(db)):
        assert PASSWORD not in text and stored.ocpp_password_hash not in text

    (register,) = await audit_records(db, "device.register")
    assert register.entity_id == device["id"] and register.operator_id == admin.operator_id
    assert json.loads(register.detail) == {"customer_id": owners.obec, "site_id": owners.square, "via": "api",
                                           "connectors": 1}  # fmt: skip
    # The hotline finds the owner by the new station's identity.
    found = await client.get("/customers", params={"q": "hrabova-02"}, headers=admin.headers)
    assert [c["id"] for c in found.json()["items"]] == [owners.obec]


async def test_registration_takes_connectors_a_wallbox_without_a_site_and_the_customer_id(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    body = station_body(owners, customer=owners.jana, site_id=None, kind="wallbox", ocpp_version="2.0.1",
                        ocpp_identity="jana.wb:01|a@b*c=d+e_f-g", serial="WB-1",
                        connectors=[{"connector_no": 2, "standard": "CCS2", "max_power_kw": 50},
                                    {"connector_no": 1}])  # fmt: skip
    response = await client.post("/devices", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    device = response.json()
    assert device["customer_id"] == owners.jana and device["site"] is None and device["region"] is None
    assert device["kind"] == "wallbox" and device["ocpp_version"] == "2.0.1"
    assert [(c["connector_no"], c["standard"], c["max_power_kw"]) for c in device["connectors"]] == [
        (1, "Type2", 22.0), (2, "CCS2", 50.0)]  # fmt: skip


async def test_a_retried_registration_replays_the_first_answer(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    headers = {**admin.headers, "Idempotency-Key": "register-hrabova-02"}
    first = await client.post("/devices", json=station_body(owners), headers=headers)
    second = await client.post("/devices", json=station_body(owners), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second.headers["Idempotent-Replayed"] == "true"
    assert await count(db, Device) == 1


async def test_taken_identity_and_serial_are_conflicts_with_stable_codes(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    assert (await client.post("/devices", json=station_body(owners), headers=admin.headers)).status_code == 201
    before = (await count(db, Device), await count(db, Connector), await count(db, AuditRecord))

    same_identity = await client.post("/devices", json=station_body(owners, serial="SN-OTHER"), headers=admin.headers)
    assert error(same_identity) == (409, "identity_taken", "ocpp_identity")
    assert same_identity.headers["content-type"] == "application/problem+json"
    same_serial = await client.post("/devices", json=station_body(owners, ocpp_identity="HRABOVA-03"),
                                    headers=admin.headers)  # fmt: skip
    assert error(same_serial) == (409, "serial_taken", "serial")
    assert (await count(db, Device), await count(db, Connector), await count(db, AuditRecord)) == before


async def test_invalid_registrations_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"ocpp_identity": "HRABOVA 02"}, "invalid_identity", "ocpp_identity"),
        ({"ocpp_identity": "HRABOVA/02"}, "invalid_identity", "ocpp_identity"),
        ({"ocpp_identity": "Žluťoučký"}, "invalid_identity", "ocpp_identity"),
        ({"ocpp_identity": "X" * 49}, "invalid_identity", "ocpp_identity"),
        ({"password": "short-secret"}, "invalid_station_password", "password"),
        ({"password": "x" * 41}, "invalid_station_password", "password"),
        ({"password": "sixteen chars ok"}, "invalid_station_password", "password"),
        ({"password": f" {PASSWORD}"}, "invalid_station_password", "password"),
        ({"customer": "C999999"}, "unknown_customer", "customer"),
        ({"site_id": owners.home}, "site_not_of_customer", "site_id"),
        ({"site_id": str(uuid.uuid4())}, "unknown_site", "site_id"),
        ({"connectors": [{"connector_no": 1}, {"connector_no": 1}]}, "duplicate_connector_no", "connectors"),
    ]
    for changes, code, field in cases:
        response = await client.post("/devices", json=station_body(owners, **changes), headers=admin.headers)
        assert error(response) == (422, code, field), changes
        assert PASSWORD not in response.text
    for changes in ({"kind": "router"}, {"ocpp_version": "1.5"}, {"connectors": [{"connector_no": 0}]},
                    {"connectors": [{"connector_no": 1, "max_power_kw": 0}]}, {"vendor": ""}, {"colour": "red"}):
        response = await client.post("/devices", json=station_body(owners, **changes), headers=admin.headers)
        assert response.status_code == 422, changes
    assert await count(db, Device) == 0 and await audit_records(db, "device.register") == []


async def test_only_administrators_register_stations_and_manage_unknown_ones(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    owners = await make_owners(db)
    async with db.sessions() as session:
        session.add(UnknownStation(identity="KNOCKER-1", attempts=1))
        await session.commit()
    for role in (Role.HOTLINE, Role.TECHNICIAN, Role.PRIVACY_OFFICER):
        h = (await sign_in(role)).headers
        calls = [
            await client.post("/devices", json=station_body(owners), headers=h),
            await client.get("/ocpp/unknown-stations", headers=h),
            await client.post("/ocpp/unknown-stations/KNOCKER-1/registration",
                              json={"customer": owners.obec_number, "password": PASSWORD}, headers=h),
            await client.delete("/ocpp/unknown-stations/KNOCKER-1", headers=h),
        ]  # fmt: skip
        assert [(r.status_code, r.json()["code"]) for r in calls] == [(403, "permission_denied")] * 4, role
    assert await count(db, Device) == 0 and await count(db, UnknownStation) == 1


# --- PUT /devices/{id}/ocpp-password --------------------------------------------------------------


async def test_changing_the_password_needs_the_current_version_and_replaces_the_old_one(
    client: httpx.AsyncClient, db: Database, admin: SignedIn, sign_in: SignIn
) -> None:
    owners = await make_owners(db)
    created = await client.post("/devices", json=station_body(owners), headers=admin.headers)
    device_id, version = created.json()["id"], created.json()["version"]
    url = f"/devices/{device_id}/ocpp-password"
    new_password = "Another-Station-Secret-2"

    assert error(await client.put(url, json={"password": new_password}, headers=admin.headers))[:2] == (
        428, "precondition_required")  # fmt: skip
    stale = await client.put(url, json={"password": new_password}, headers={**admin.headers, "If-Match": '"99"'})
    assert error(stale)[:2] == (412, "stale_version")
    short = await client.put(url, json={"password": "too-short"}, headers={**admin.headers, "If-Match": f'"{version}"'})
    assert error(short) == (422, "invalid_station_password", "password")
    hotline = await sign_in(Role.HOTLINE)
    denied = await client.put(url, json={"password": new_password}, headers={**hotline.headers, "If-Match": "*"})
    assert denied.status_code == 403

    changed = await client.put(url, json={"password": new_password}, headers={**admin.headers,
                                                                              "If-Match": f'"{version}"'})  # fmt: skip
    assert changed.status_code == 204 and changed.content == b""
    assert changed.headers["ETag"] == f'"{version + 1}"'
    stored = await device_row(db, "HRABOVA-02")
    assert stored.version == version + 1
    assert verify_station_password(stored.ocpp_password_hash, new_password)
    assert not verify_station_password(stored.ocpp_password_hash, PASSWORD)
    logged = await logged_text(db)
    assert new_password not in logged and str(stored.ocpp_password_hash) not in logged
    (record,) = await audit_records(db, "device.ocpp_password")
    assert record.entity_id == device_id and json.loads(record.detail) == {"fields": ["ocpp_password"]}
    missing = await client.put(f"/devices/{uuid.uuid4()}/ocpp-password", json={"password": new_password},
                               headers={**admin.headers, "If-Match": "*"})  # fmt: skip
    assert missing.status_code == 404


async def test_a_device_changed_between_reading_and_writing_the_password_is_a_stale_version(
    client: httpx.AsyncClient, db: Database, admin: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.dialect == "sqlite":
        pytest.skip("SQLite serialises transactions: nothing commits between the read and the write")
    owners = await make_owners(db)
    created = (await client.post("/devices", json=station_body(owners), headers=admin.headers)).json()
    original = change_station_password

    async def station_heard_meanwhile(session: Any, device: Device, password: str) -> None:
        async with db.sessions() as other:
            row = await other.get(Device, device.id)
            assert row is not None
            row.last_seen_at = datetime.now(UTC)
            await other.commit()
        await original(session, device, password)

    monkeypatch.setattr("ema_server.api.stations.change_station_password", station_heard_meanwhile)
    response = await client.put(f"/devices/{created['id']}/ocpp-password", json={"password": "New-Station-Secret-99"},
                                headers={**admin.headers, "If-Match": f'"{created["version"]}"'})  # fmt: skip
    assert error(response)[:2] == (412, "stale_version")
    assert response.headers["ETag"] == f'"{created["version"] + 1}"'
    stored = await device_row(db, "HRABOVA-02")
    assert verify_station_password(stored.ocpp_password_hash, PASSWORD)
    assert await audit_records(db, "device.ocpp_password") == []


# --- unknown stations -----------------------------------------------------------------------------


BOOT_16 = {"chargePointVendor": "Alfen", "chargePointModel": "Eve Single Pro", "chargePointSerialNumber": "ACE0042",
           "firmwareVersion": "6.2.0"}  # fmt: skip
BOOT_201 = {"chargingStation": {"vendorName": "Kempower", "model": "S-Series", "serialNumber": "KP-88",
                                "firmwareVersion": "2.1"}, "reason": "PowerUp"}  # fmt: skip


async def add_unknown(db: Database) -> None:
    async with db.sessions() as session:
        session.add_all([
            UnknownStation(identity="ALFEN-42", attempts=7, first_attempt_at=T0 - timedelta(days=2),
                           last_attempt_at=T0, last_address="10.1.2.3", subprotocols="ocpp1.6",
                           boot_info=json.dumps(BOOT_16)),
            UnknownStation(identity="KEMPOWER-88", attempts=2, first_attempt_at=T0 - timedelta(hours=3),
                           last_attempt_at=T0 + timedelta(minutes=5), last_address="10.1.2.4",
                           subprotocols="ocpp2.0.1, ocpp1.6", boot_info=json.dumps(BOOT_201)),
            UnknownStation(identity="SILENT-1", attempts=1, first_attempt_at=T0 - timedelta(days=9),
                           last_attempt_at=T0 - timedelta(days=9), last_address=None, subprotocols="ocpp2.1",
                           boot_info=None),
        ])  # fmt: skip
        await session.commit()


async def test_unknown_stations_are_listed_latest_attempt_first_with_what_they_told(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    await add_unknown(db)
    page = (await client.get("/ocpp/unknown-stations", headers=admin.headers)).json()
    assert page["total"] == 3 and page["limit"] == 50 and page["offset"] == 0
    assert [s["identity"] for s in page["items"]] == ["KEMPOWER-88", "ALFEN-42", "SILENT-1"]
    kempower, alfen, silent = page["items"]
    assert kempower["attempts"] == 2 and kempower["last_attempt_at"] == "2026-03-02T09:05:00Z"
    assert kempower["first_attempt_at"] == "2026-03-02T06:00:00Z" and kempower["last_address"] == "10.1.2.4"
    assert kempower["subprotocols"] == ["ocpp2.0.1", "ocpp1.6"] and kempower["ocpp_versions"] == ["2.0.1", "1.6"]
    assert kempower["boot_info"] == {"vendor": "Kempower", "model": "S-Series", "serial": "KP-88", "firmware": "2.1"}
    assert alfen["boot_info"] == {"vendor": "Alfen", "model": "Eve Single Pro", "serial": "ACE0042",
                                  "firmware": "6.2.0"}  # fmt: skip
    assert alfen["ocpp_versions"] == ["1.6"]
    assert silent["boot_info"] is None and silent["ocpp_versions"] == [] and silent["subprotocols"] == ["ocpp2.1"]

    second = (await client.get("/ocpp/unknown-stations?limit=1&offset=1", headers=admin.headers)).json()
    assert [s["identity"] for s in second["items"]] == ["ALFEN-42"] and second["total"] == 3


async def test_an_unknown_station_is_registered_in_one_step_from_its_boot_information(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    await add_unknown(db)
    body = {"customer": owners.obec_number, "site_id": owners.square, "password": PASSWORD}
    response = await client.post("/ocpp/unknown-stations/KEMPOWER-88/registration", json=body,
                                 headers={**admin.headers, "Idempotency-Key": "k-88"})  # fmt: skip

    assert response.status_code == 201, response.text
    device = response.json()
    assert (device["ocpp_identity"], device["vendor"], device["model"], device["serial"], device["firmware"]) == (
        "KEMPOWER-88", "Kempower", "S-Series", "KP-88", "2.1")  # fmt: skip
    assert device["ocpp_version"] == "2.0.1" and device["region"] == "Jihomoravský kraj"
    assert response.headers["Location"].endswith(f"/devices/{device['id']}")
    assert verify_station_password((await device_row(db, "KEMPOWER-88")).ocpp_password_hash, PASSWORD)
    listed = (await client.get("/ocpp/unknown-stations", headers=admin.headers)).json()
    assert [s["identity"] for s in listed["items"]] == ["ALFEN-42", "SILENT-1"]
    (record,) = await audit_records(db, "device.register")
    assert json.loads(record.detail)["via"] == "unknown_station"
    assert PASSWORD not in response.text and PASSWORD not in await logged_text(db)
    # A retry replays the answer although the station is not waiting any more.
    replay = await client.post("/ocpp/unknown-stations/KEMPOWER-88/registration", json=body,
                               headers={**admin.headers, "Idempotency-Key": "k-88"})  # fmt: skip
    assert replay.status_code == 201 and replay.json() == device
    gone = await client.post("/ocpp/unknown-stations/KEMPOWER-88/registration", json=body, headers=admin.headers)
    assert gone.status_code == 404


async def test_what_the_administrator_sends_overrides_the_boot_information(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    await add_unknown(db)
    body = {"customer": owners.obec, "password": PASSWORD, "kind": "wallbox", "serial": "ALFEN-SN-1",
            "ocpp_version": "2.0.1", "connectors": [{"connector_no": 1, "max_power_kw": 11}]}  # fmt: skip
    response = await client.post("/ocpp/unknown-stations/ALFEN-42/registration", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    device = response.json()
    assert (device["vendor"], device["model"], device["serial"], device["kind"], device["ocpp_version"]) == (
        "Alfen", "Eve Single Pro", "ALFEN-SN-1", "wallbox", "2.0.1")  # fmt: skip
    assert [c["max_power_kw"] for c in device["connectors"]] == [11.0]


async def test_a_station_that_told_nothing_needs_its_details_and_a_bad_request_keeps_it_waiting(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    await add_unknown(db)
    url = "/ocpp/unknown-stations/SILENT-1/registration"
    body = {"customer": owners.obec_number, "password": PASSWORD}
    assert error(await client.post(url, json=body, headers=admin.headers)) == (422, "required", "vendor")
    short = await client.post(url, json={**body, "vendor": "V", "model": "M", "serial": "S-1", "password": "short"},
                              headers=admin.headers)  # fmt: skip
    assert error(short) == (422, "invalid_station_password", "password")
    assert await count(db, UnknownStation) == 3 and await count(db, Device) == 0

    done = await client.post(url, json={**body, "vendor": "V", "model": "M", "serial": "S-1"}, headers=admin.headers)
    assert done.status_code == 201, done.text
    assert done.json()["ocpp_version"] is None  # it offered only a version the server does not speak


async def test_registering_an_identity_through_post_devices_clears_it_from_the_unknown_list(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owners = await make_owners(db)
    await add_unknown(db)
    response = await client.post("/devices", json=station_body(owners, ocpp_identity="ALFEN-42"), headers=admin.headers)
    assert response.status_code == 201
    async with db.sessions() as session:
        assert await session.get(UnknownStation, "ALFEN-42") is None


async def test_dismissing_an_unknown_station_removes_it_and_is_audited(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    await add_unknown(db)
    response = await client.delete("/ocpp/unknown-stations/ALFEN-42", headers=admin.headers)
    assert response.status_code == 204
    listed = (await client.get("/ocpp/unknown-stations", headers=admin.headers)).json()
    assert [s["identity"] for s in listed["items"]] == ["KEMPOWER-88", "SILENT-1"]
    assert (await client.delete("/ocpp/unknown-stations/ALFEN-42", headers=admin.headers)).status_code == 404
    (record,) = await audit_records(db, "unknown_station.dismiss")
    assert record.entity_id == "ALFEN-42" and json.loads(record.detail) == {"attempts": 7}
