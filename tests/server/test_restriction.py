"""Art. 18 restriction: once a privacy officer restricts a customer, hotline and technicians find
nothing of it anywhere (search, details, devices, map, queue, change feed) while privacy officers
still see everything; it is lifted only after the subject was told, and then everything is back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Select, select

from ema_server.db.engine import Database
from ema_server.db.models import (
    AuditRecord,
    ChargingSession,
    Connector,
    Customer,
    Device,
    PrivacyRequest,
    PrivacyRequestEntry,
    Site,
    utcnow,
)
from ema_server.domain.permissions import Role
from ema_server.search import refresh_customer_search_text
from tests.conftest import SignedIn, SignIn
from tests.server.test_changes import _pull_all
from tests.server.test_customers import if_match, new_customer

SERIAL = "SEC-2024-0777-12"


@dataclass
class World:
    customer: dict[str, Any]
    other: dict[str, Any]
    contact_id: str
    site_id: str
    device_id: str
    connector_id: str
    session_id: str
    ticket_id: str
    request_id: str
    admin: SignedIn
    officer: SignedIn
    hotline: SignedIn
    technician: SignedIn

    @property
    def ids(self) -> set[str]:
        """Every record of the restricted customer that travels in the change feed."""
        return {self.customer["id"], self.contact_id, self.site_id, self.device_id, self.connector_id,
                self.session_id, self.ticket_id}  # fmt: skip


@pytest.fixture
async def world(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> World:
    admin = await sign_in(Role.ADMIN)
    customer = await new_customer(client, admin, name="Jana Skrytá", email="jana.skryta@example.cz",
                                  phone="+420 605 111 222")  # fmt: skip
    other = await new_customer(client, admin, name="Petr Viditelný", email="petr@example.cz")
    contact = await client.post(f"/customers/{customer['id']}/contacts", json={"name": "Karel Skrytý"},
                                headers=admin.headers)  # fmt: skip
    assert contact.status_code == 201
    now = utcnow()
    async with db.sessions() as session:
        site = Site(customer_id=customer["id"], name="Doma", street="Lipová 1", city="Brno", postal_code="60200",
                    district="Brno-město", region="Jihomoravský", latitude=49.19, longitude=16.6)  # fmt: skip
        session.add(site)
        await session.flush()
        device = Device(customer_id=customer["id"], site_id=site.id, kind="wallbox", vendor="SECTRON", model="AC22",
                        serial=SERIAL, ocpp_identity="SKRYTA-WB-01")  # fmt: skip
        visible = Device(customer_id=other["id"], kind="wallbox", vendor="SECTRON", model="AC22",
                         serial="SEC-2024-0001-01")  # fmt: skip
        session.add_all([device, visible])
        await session.flush()
        connector = Connector(device_id=device.id, connector_no=1, standard="Type2", max_power_kw=22)
        charging = ChargingSession(device_id=device.id, customer_id=customer["id"], connector_no=1,
                                   started_at=now - timedelta(hours=2), stopped_at=now - timedelta(hours=1),
                                   meter_start_wh=0, meter_stop_wh=11_000, energy_kwh=11.0)  # fmt: skip
        request = PrivacyRequest(number="P-2026-00001", right="restriction", customer_id=customer["id"],
                                 subject_name="Jana Skrytá", channel="email", received_at=now,
                                 due_at=now + timedelta(days=30), state="in_progress",
                                 identity_check="registered_email_reply", identity_verified_at=now)  # fmt: skip
        session.add_all([connector, charging, request])
        await session.flush()
        await refresh_customer_search_text(session, customer["id"])
        ids = (site.id, device.id, connector.id, charging.id, request.id)
        await session.commit()
    ticket = await client.post("/tickets", json={"kind": "fault", "title": "Wallbox nenabíjí",
                                                 "customer_id": customer["id"], "device_id": ids[1]},
                               headers=admin.headers)  # fmt: skip
    assert ticket.status_code == 201, ticket.text
    return World(customer=customer, other=other, contact_id=contact.json()["id"], site_id=ids[0], device_id=ids[1],
                 connector_id=ids[2], session_id=ids[3], ticket_id=ticket.json()["id"], request_id=ids[4],
                 admin=admin, officer=await sign_in(Role.PRIVACY_OFFICER), hotline=await sign_in(Role.HOTLINE),
                 technician=await sign_in(Role.TECHNICIAN))  # fmt: skip


async def _restrict(client: httpx.AsyncClient, w: World, **body: Any) -> httpx.Response:
    return await client.post(f"/customers/{w.customer['id']}/restriction",
                             json={"reason": "Subject contests accuracy of the data", **body},
                             headers=w.officer.headers)  # fmt: skip


def _steps(request_id: str) -> Select[Any]:
    return select(PrivacyRequestEntry).where(PrivacyRequestEntry.request_id == request_id,
                                             PrivacyRequestEntry.kind == "step")  # fmt: skip


async def _names(client: httpx.AsyncClient, who: SignedIn, q: str) -> list[str]:
    response = await client.get("/customers", params={"q": q}, headers=who.headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


async def _sees_everything(client: httpx.AsyncClient, w: World, who: SignedIn) -> None:
    for q in ("Skrytá", "jana.skryta@example.cz", "605 111 222", SERIAL):
        assert await _names(client, who, q) == ["Jana Skrytá"], q
    detail = await client.get(f"/customers/{w.customer['id']}", headers=who.headers)
    assert detail.status_code == 200
    assert (await client.get(f"/devices/{w.device_id}", headers=who.headers)).status_code == 200
    devices = await client.get("/devices", params={"limit": 500}, headers=who.headers)
    assert w.device_id in {d["id"] for d in devices.json()["items"]}
    queue = await client.get("/tickets", headers=who.headers)
    assert w.ticket_id in {t["id"] for t in queue.json()["items"]}


async def test_a_restricted_customer_vanishes_for_hotline_and_technicians(
    client: httpx.AsyncClient, world: World
) -> None:
    w = world
    placed = await _restrict(client, w, request_id=w.request_id)
    assert placed.status_code == 201, placed.text
    assert placed.json()["ground"] == "art18_request" and placed.json()["lifted_at"] is None

    for who in (w.hotline, w.technician):
        for q in ("Skrytá", "jana.skryta@example.cz", "+420605111222", "605 111 222", SERIAL, "skryta-wb-01"):
            assert await _names(client, who, q) == [], (who.role, q)
        assert await _names(client, who, "Viditelný") == ["Petr Viditelný"]
        for path in (f"/customers/{w.customer['id']}", f"/devices/{w.device_id}",
                     f"/devices/{w.device_id}/sessions", f"/devices/{w.device_id}/telemetry",
                     f"/devices/{w.device_id}/status-history", f"/devices/{w.device_id}/ocpp-frames",
                     f"/tickets/{w.ticket_id}"):  # fmt: skip
            response = await client.get(path, headers=who.headers)
            assert response.status_code == 404, (who.role, path, response.status_code)
        devices = (await client.get("/devices", params={"limit": 500}, headers=who.headers)).json()
        assert w.device_id not in {d["id"] for d in devices["items"]}
        assert devices["total"] == 1  # the other customer's wallbox only: the map has no pin for hers
        queue = (await client.get("/tickets", headers=who.headers)).json()
        assert w.ticket_id not in {t["id"] for t in queue["items"]} and queue["total"] == 0
        by_customer = await client.get("/tickets", params={"customer_id": w.customer["id"]}, headers=who.headers)
        assert by_customer.json()["items"] == []

    # Nor can hotline change the customer or put it on a new ticket.
    patch = await client.patch(f"/customers/{w.customer['id']}", json={"name": "X"},
                               headers=if_match(w.hotline, w.customer["version"]))  # fmt: skip
    assert patch.status_code == 404
    question = {"kind": "question", "title": "Dotaz", "customer_id": w.customer["id"]}
    ticket = await client.post("/tickets", json=question, headers=w.hotline.headers)
    assert ticket.status_code == 422 and ticket.json()["code"] == "customer_not_found"

    # Privacy officers and administrators still see all of it, marked as restricted.
    for who in (w.officer, w.admin):
        await _sees_everything(client, w, who)
        detail = (await client.get(f"/customers/{w.customer['id']}", headers=who.headers)).json()
        assert detail["restricted_at"] is not None and detail["devices"][0]["id"] == w.device_id
        found = (await client.get("/customers", params={"q": "Skrytá"}, headers=who.headers)).json()
        assert found["items"][0]["restricted_at"] is not None
        sessions = (await client.get(f"/devices/{w.device_id}/sessions", headers=who.headers)).json()
        assert [s["id"] for s in sessions["items"]] == [w.session_id]


async def test_restriction_is_audited_against_the_subject_and_noted_on_the_request(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    w = world
    assert (await _restrict(client, w, request_id=w.request_id)).status_code == 201
    again = await _restrict(client, w)
    assert again.status_code == 409 and again.json()["code"] == "already_restricted"
    async with db.sessions() as session:
        audit = (await session.execute(select(AuditRecord).where(AuditRecord.action == "restriction.place"))).scalars()
        records = list(audit)
        steps = (await session.execute(_steps(w.request_id))).scalars().all()
    assert [r.subject_id for r in records] == [w.customer["id"]]
    assert "contests" not in records[0].detail  # the free-text reason stays out of the audit trail
    assert len(steps) == 1


async def test_a_request_of_another_customer_cannot_be_linked(client: httpx.AsyncClient, world: World,
                                                              db: Database) -> None:  # fmt: skip
    w = world
    async with db.sessions() as session:
        request = await session.get(PrivacyRequest, w.request_id)
        assert request is not None
        request.customer_id = w.other["id"]
        await session.commit()
    refused = await _restrict(client, w, request_id=w.request_id)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "request_id"
    async with db.sessions() as session:
        customer = await session.get(Customer, w.customer["id"])
        assert customer is not None and customer.restricted_at is None


async def test_lifting_needs_the_notice_and_brings_everything_back(client: httpx.AsyncClient, world: World,
                                                                   db: Database) -> None:  # fmt: skip
    w = world
    base = f"/customers/{w.customer['id']}/restriction"
    assert (await _restrict(client, w, request_id=w.request_id)).status_code == 201
    _, after_restriction = await _pull_all(client, w.hotline.headers)

    early = await client.post(f"{base}/lift", json={"reason": "Accuracy confirmed"}, headers=w.officer.headers)
    assert early.status_code == 409 and early.json()["code"] == "subject_not_told"
    hotline_try = await client.post(f"{base}/lift", json={"reason": "x"}, headers=w.hotline.headers)
    assert hotline_try.status_code == 403
    future = await client.post(f"{base}/notice", json={"channel": "email",
                                                       "notified_at": (utcnow() + timedelta(days=1)).isoformat()},
                               headers=w.officer.headers)  # fmt: skip
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "notified_at"
    told = await client.post(f"{base}/notice", json={"channel": "letter"}, headers=w.officer.headers)
    assert told.status_code == 200 and told.json()["subject_notified_at"] is not None
    lifted = await client.post(f"{base}/lift", json={"reason": "Accuracy confirmed"}, headers=w.officer.headers)
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["lifted_at"] is not None and lifted.json()["lifted_by_id"] == w.officer.operator_id

    await _sees_everything(client, w, w.hotline)
    changes, _ = await _pull_all(client, w.hotline.headers, since=after_restriction)
    republished = {c["id"] for c in changes if c["op"] == "upsert"}
    assert w.ids <= republished
    customer_row = next(c for c in changes if c["id"] == w.customer["id"])
    assert customer_row["data"]["restricted_at"] is None

    history = (await client.get(f"/customers/{w.customer['id']}/restrictions", headers=w.officer.headers)).json()
    assert [r["id"] for r in history["items"]] == [lifted.json()["id"]]
    again = await client.post(f"{base}/lift", json={"reason": "again"}, headers=w.officer.headers)
    assert again.status_code == 409 and again.json()["code"] == "not_restricted"
    async with db.sessions() as session:
        steps = (await session.execute(_steps(w.request_id))).scalars().all()
        customer = await session.get(Customer, w.customer["id"])
    assert len(steps) == 3
    assert customer is not None and customer.restricted_at is None


# --- the change feed ------------------------------------------------------------------------------


async def test_change_feed_sends_tombstones_to_operators_and_keeps_officers_records(
    client: httpx.AsyncClient, world: World
) -> None:
    w = world
    cursors: dict[str, str] = {}
    for who in (w.hotline, w.technician, w.officer, w.admin):
        cached, cursors[who.role] = await _pull_all(client, who.headers)
        assert w.ids <= {c["id"] for c in cached}  # their consoles hold the customer now
    assert (await _restrict(client, w)).status_code == 201

    for who in (w.hotline, w.technician):
        changes, _ = await _pull_all(client, who.headers, since=cursors[who.role])
        deleted = {c["id"] for c in changes if c["op"] == "delete"}
        assert w.ids <= deleted, who.role
        assert not [c for c in changes if c["op"] == "upsert" and c["id"] in w.ids]
        # A console syncing from scratch never receives the restricted records at all.
        fresh, _ = await _pull_all(client, who.headers, limit=3)
        assert not [c for c in fresh if c["op"] == "upsert" and c["id"] in w.ids]
        assert w.other["id"] in {c["id"] for c in fresh}

    for who in (w.officer, w.admin):
        changes, cursors[who.role] = await _pull_all(client, who.headers, since=cursors[who.role])
        assert not [c for c in changes if c["op"] == "delete" and c["id"] in w.ids], who.role
        customer_rows = [c for c in changes if c["id"] == w.customer["id"]]
        assert customer_rows and customer_rows[-1]["data"]["restricted_at"] is not None

    # A change made while the restriction lasts reaches privacy officers only.
    patch = await client.patch(f"/customers/{w.customer['id']}", json={"company_name": "Nová firma"},
                               headers=if_match(w.officer, customer_rows[-1]["version"]))  # fmt: skip
    assert patch.status_code == 200, patch.text
    officer_changes, _ = await _pull_all(client, w.officer.headers, since=cursors[w.officer.role])
    assert [c["data"]["company_name"] for c in officer_changes if c["id"] == w.customer["id"]] == ["Nová firma"]
    hotline_changes, _ = await _pull_all(client, w.hotline.headers, since=cursors[w.hotline.role])
    assert not [c for c in hotline_changes if c["op"] == "upsert" and c["id"] in w.ids]
