"""The customer card: creating customers, reading everything about them, editing contact data and
contacts, restricting accounts — with validation, versions, idempotency, roles and the audit trail."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ema_server.api.customers import flush_or_problem
from ema_server.api.problems import StaleVersion
from ema_server.db.engine import Database
from ema_server.db.models import (
    AccountLogin,
    AuditRecord,
    ChangeRecord,
    Connector,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    Document,
    EventRecord,
    RfidCard,
    Site,
    Ticket,
)
from tests.conftest import SignedIn, SignIn

VALID_ICO = "25596641"
VALID_DIC = "CZ25596641"


async def new_customer(client: httpx.AsyncClient, who: SignedIn, **fields: Any) -> dict[str, Any]:
    """Create a customer through the API and return its record."""
    body: dict[str, Any] = {"kind": "consumer", "name": "Jan Novák", **fields}
    response = await client.post("/customers", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    record: dict[str, Any] = response.json()
    return record


async def count_rows(db: Database, model: Any) -> int:
    async with db.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def audit_records(db: Database, action: str | None = None) -> list[AuditRecord]:
    async with db.sessions() as session:
        query = select(AuditRecord).order_by(AuditRecord.seq)
        if action is not None:
            query = query.where(AuditRecord.action == action)
        return list((await session.execute(query)).scalars())


def if_match(who: SignedIn, version: int) -> dict[str, str]:
    return {**who.headers, "If-Match": f'"{version}"'}


# --- creating ---------------------------------------------------------------------------------


async def test_new_customer_gets_a_number_normalized_phone_location_and_etag(
    client: httpx.AsyncClient, admin: SignedIn
) -> None:
    response = await client.post(
        "/customers",
        json={
            "kind": "business",
            "name": "Petra Malá",
            "company_name": "Solar Ostrava s.r.o.",
            "ico": VALID_ICO,
            "dic": "cz 25596641",
            "email": "petra@solar-ostrava.cz",
            "phone": "601 234 567",
            "billing_city": "Ostrava",
            "region": "Moravskoslezský kraj",
        },
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert re.fullmatch(r"C\d{7}", created["customer_number"])
    assert created["phone"] == "+420601234567"
    assert created["dic"] == VALID_DIC
    assert created["status"] == "active"
    assert "search_text" not in created
    assert response.headers["ETag"] == f'"{created["version"]}"'
    fetched = await client.get(response.headers["Location"], headers=admin.headers)
    assert fetched.status_code == 200
    assert fetched.json()["customer_number"] == created["customer_number"]


async def test_each_new_customer_gets_the_next_free_number(client: httpx.AsyncClient, admin: SignedIn) -> None:
    numbers = [(await new_customer(client, admin, name=f"Zákazník {i}"))["customer_number"] for i in range(3)]
    assert len(set(numbers)) == 3
    digits = [int(n[1:]) for n in numbers]
    assert digits == [digits[0], digits[0] + 1, digits[0] + 2]


async def test_customers_created_at_the_same_time_get_different_numbers(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    responses = await asyncio.gather(
        *(
            client.post("/customers", json={"kind": "consumer", "name": f"Souběžný {i}"}, headers=admin.headers)
            for i in range(6)
        )
    )
    assert [r.status_code for r in responses] == [201] * 6
    assert len({r.json()["customer_number"] for r in responses}) == 6
    assert await count_rows(db, Customer) == 6


async def test_invalid_identifiers_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    customers_before = await count_rows(db, Customer)
    audit_before = await count_rows(db, AuditRecord)
    changes_before = await count_rows(db, ChangeRecord)
    cases = [
        ("ico", {"kind": "business", "ico": "25596642"}, "invalid_ico"),
        ("dic", {"kind": "business", "ico": VALID_ICO, "dic": "CZ25596642"}, "invalid_dic"),
        ("dic", {"dic": "SK2020202020"}, "invalid_dic"),
        ("email", {"email": "jan.novak@@seznam.cz"}, "invalid_email"),
        ("phone", {"phone": "12345"}, "invalid_phone"),
        ("phone", {"phone": "+420 101 234 567"}, "invalid_phone"),
        ("ico", {"kind": "business"}, "ico_required"),
    ]
    for field, fields, code in cases:
        response = await client.post(
            "/customers", json={"kind": "consumer", "name": "Jan Novák", **fields}, headers=admin.headers
        )
        assert response.status_code == 422, (fields, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == code
        assert [e["field"] for e in problem["errors"]] == [field]
    assert await count_rows(db, Customer) == customers_before
    assert await count_rows(db, AuditRecord) == audit_before
    assert await count_rows(db, ChangeRecord) == changes_before


async def test_every_bad_field_is_reported_at_once(client: httpx.AsyncClient, admin: SignedIn) -> None:
    response = await client.post(
        "/customers",
        json={"kind": "consumer", "name": "Jan Novák", "email": "not-an-email", "phone": "abc"},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"email", "phone"}


async def test_unknown_or_malformed_fields_are_422_not_500(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    bodies = [
        {"kind": "consumer", "name": "Jan Novák", "favourite_colour": "blue"},
        {"kind": "spaceship", "name": "Jan Novák"},
        {"kind": "consumer", "name": ""},
        {"kind": "consumer", "name": "x" * 201},
        {"kind": "consumer", "name": "Jan\x00Novák"},
        {"kind": "consumer", "name": "Jan Novák", "language": "czech"},
    ]
    for body in bodies:
        response = await client.post("/customers", json=body, headers=admin.headers)
        assert response.status_code == 422, (body, response.text)
    unknown = await client.post("/customers", json=bodies[0], headers=admin.headers)
    assert unknown.json()["errors"] == [{"field": "favourite_colour", "message": "unknown field"}]
    assert await count_rows(db, Customer) == 0


async def test_retry_with_the_same_idempotency_key_returns_the_same_customer(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "create-novak-1"}
    body = {"kind": "consumer", "name": "Jan Novák", "phone": "+420 601 234 567"}
    first = await client.post("/customers", json=body, headers=headers)
    again = await client.post("/customers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await count_rows(db, Customer) == 1
    other_body = await client.post("/customers", json={**body, "name": "Jana Nováková"}, headers=headers)
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"


# --- reading ----------------------------------------------------------------------------------


async def _fill_customer(db: Database, customer_id: str) -> dict[str, Any]:
    """Give a customer one of everything, 51 tickets and an account with 25 logins."""
    now = datetime.now(UTC)
    async with db.sessions() as session:
        site = Site(
            customer_id=customer_id,
            name="Garáž",
            street="Nádražní 12",
            city="Ostrava",
            postal_code="702 00",
            district="Ostrava-město",
            region="Moravskoslezský kraj",
            latitude=49.83,
            longitude=18.28,
        )
        session.add(site)
        await session.flush()
        device = Device(
            customer_id=customer_id,
            site_id=site.id,
            kind="wallbox",
            vendor="SECTRON",
            model="AC22",
            serial="SN-0001",
            ocpp_identity="CP-0001",
        )
        session.add(device)
        await session.flush()
        session.add_all(
            [
                Connector(device_id=device.id, connector_no=1, standard="Type2", max_power_kw=22.0),
                Connector(device_id=device.id, connector_no=2, standard="Type2", max_power_kw=22.0),
                Contact(customer_id=customer_id, name="Účetní", role="billing", email="ucetni@example.cz"),
                Contract(
                    customer_id=customer_id,
                    number="SM-2024-0001",
                    service="station_maintenance",
                    price_czk=490,
                    billing_period="monthly",
                    starts_on=date(2024, 1, 1),
                ),
                Document(
                    customer_id=customer_id,
                    kind="invoice",
                    number="FV-1",
                    title="Faktura 1",
                    issued_on=date(2024, 2, 1),
                    amount_czk=593,
                    retention_category="vat",
                ),
                Consent(customer_id=customer_id, purpose="marketing_email", granted=True, granted_at=now, source="app"),
                RfidCard(customer_id=customer_id, id_tag="04A1B2C3D4", label="Firemní karta"),
            ]
        )
        for i in range(51):
            session.add(
                Ticket(
                    number=f"T-{i:05d}",
                    kind="fault",
                    title=f"Porucha {i}",
                    customer_id=customer_id,
                    first_response_due_at=now + timedelta(hours=4),
                    resolution_due_at=now + timedelta(days=2),
                    created_at=now - timedelta(minutes=51 - i),
                )
            )
        account = CustomerAccount(customer_id=customer_id, login_email="app@example.cz", display_name="Jan")
        session.add(account)
        await session.flush()
        for i in range(25):
            session.add(
                AccountLogin(account_id=account.id, at=now - timedelta(hours=25 - i), client_address=f"10.0.0.{i}")
            )
        await session.commit()
        return {"device_id": device.id, "account_id": account.id}


async def test_customer_card_shows_every_section(client: httpx.AsyncClient, db: Database, admin: SignedIn) -> None:
    customer = await new_customer(client, admin)
    ids = await _fill_customer(db, customer["id"])
    response = await client.get(f"/customers/{customer['id']}", headers=admin.headers)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{customer["version"]}"'
    card = response.json()
    assert card["name"] == "Jan Novák"
    assert [c["name"] for c in card["contacts"]] == ["Účetní"]
    assert [c["number"] for c in card["contracts"]] == ["SM-2024-0001"]
    assert [s["name"] for s in card["sites"]] == ["Garáž"]
    assert card["devices"][0]["id"] == ids["device_id"]
    assert [c["connector_no"] for c in card["devices"][0]["connectors"]] == [1, 2]
    assert "ocpp_password_hash" not in card["devices"][0]
    assert len(card["tickets"]) == 50
    assert card["tickets"][0]["title"] == "Porucha 50"  # newest first; the oldest one is left out
    assert set(card["tickets"][0]) == {"id", "number", "kind", "title", "state", "priority", "due_at"}
    assert card["tickets"][0]["due_at"].endswith("Z")
    assert [d["number"] for d in card["documents"]] == ["FV-1"]
    assert [c["purpose"] for c in card["consents"]] == ["marketing_email"]
    assert [r["id_tag"] for r in card["rfid_cards"]] == ["04A1B2C3D4"]
    [account] = card["accounts"]
    assert account["id"] == ids["account_id"]
    logins = account["logins"]
    assert len(logins) == 20
    assert logins[0]["client_address"] == "10.0.0.24"
    assert logins == sorted(logins, key=lambda row: row["at"], reverse=True)


async def test_unknown_customer_is_a_404_problem(client: httpx.AsyncClient, admin: SignedIn) -> None:
    response = await client.get("/customers/00000000-0000-0000-0000-000000000000", headers=admin.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_nul_character_in_a_customer_or_contact_id_is_a_404_not_a_server_error(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    customer = await new_customer(client, admin)
    if_match_any = {**admin.headers, "If-Match": "*"}
    responses = [
        await client.get("/customers/%00", headers=admin.headers),
        await client.patch(f"/customers/{customer['id']}%00", json={"name": "Eva"}, headers=if_match_any),
        await client.post("/customers/%00/contacts", json={"name": "Eva"}, headers=admin.headers),
        await client.patch(f"/customers/{customer['id']}/contacts/%00", json={"name": "Eva"}, headers=if_match_any),
        await client.delete(f"/customers/{customer['id']}/contacts/a%00", headers=if_match_any),
    ]
    assert [r.status_code for r in responses] == [404] * 5, [r.text for r in responses]
    assert await count_rows(db, Contact) == 0


async def test_reads_are_audited_without_personal_data(
    client: httpx.AsyncClient, db: Database, admin: SignedIn, sign_in: SignIn
) -> None:
    customer = await new_customer(
        client, admin, name="Květoslava Hrubá", phone="+420 777 888 999", email="kvetoslava@example.cz"
    )
    hotline = await sign_in("hotline")
    assert (await client.get("/customers", params={"q": "777 888 999"}, headers=hotline.headers)).status_code == 200
    assert (await client.get("/customers", params={"q": "Hrubá"}, headers=hotline.headers)).status_code == 200
    assert (await client.get(f"/customers/{customer['id']}", headers=hotline.headers)).status_code == 200

    searches = await audit_records(db, "customer.search")
    assert len(searches) == 2
    for record in searches:
        assert record.operator_id == hotline.operator_id
        assert json.loads(record.detail) == {"count": 1, "total": 1, "customer_ids": [customer["id"]]}
    [read] = await audit_records(db, "customer.read")
    assert (read.operator_id, read.entity, read.entity_id) == (hotline.operator_id, "customer", customer["id"])
    everything = " ".join(r.detail for r in await audit_records(db))
    for personal in ("Květoslava", "Hrubá", "hruba", "777", "kvetoslava@"):
        assert personal not in everything


# --- editing ----------------------------------------------------------------------------------


async def test_contact_data_is_edited_with_if_match(client: httpx.AsyncClient, db: Database, admin: SignedIn) -> None:
    customer = await new_customer(client, admin, phone="601 234 567")
    path = f"/customers/{customer['id']}"
    response = await client.patch(
        path,
        json={"phone": "+420 602 000 111", "billing_city": "Opava", "name": "Jan Novák"},
        headers=if_match(admin, customer["version"]),
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["phone"] == "+420602000111"
    assert updated["billing_city"] == "Opava"
    assert updated["version"] == customer["version"] + 1
    assert response.headers["ETag"] == f'"{updated["version"]}"'
    [audit] = await audit_records(db, "customer.update")
    # Only what really changed is named; the unchanged name is not.
    assert json.loads(audit.detail) == {"fields": ["billing_city", "phone"]}
    async with db.sessions() as session:
        events = list(
            (
                await session.execute(
                    select(EventRecord).where(EventRecord.type == "customer.updated").order_by(EventRecord.id)
                )
            ).scalars()
        )
    assert json.loads(events[-1].data) == {"id": customer["id"], "version": updated["version"]}


async def test_stale_or_missing_if_match_is_refused(client: httpx.AsyncClient, db: Database, admin: SignedIn) -> None:
    customer = await new_customer(client, admin)
    path = f"/customers/{customer['id']}"
    first = await client.patch(path, json={"billing_city": "Brno"}, headers=if_match(admin, customer["version"]))
    assert first.status_code == 200
    stale = await client.patch(path, json={"billing_city": "Zlín"}, headers=if_match(admin, customer["version"]))
    assert stale.status_code == 412
    problem = stale.json()
    assert problem["current"]["version"] == customer["version"] + 1
    assert problem["current"]["billing_city"] == "Brno"
    assert stale.headers["ETag"] == f'"{customer["version"] + 1}"'
    missing = await client.patch(path, json={"billing_city": "Zlín"}, headers=admin.headers)
    assert missing.status_code == 428
    card = (await client.get(path, headers=admin.headers)).json()
    assert card["billing_city"] == "Brno"


async def test_an_edit_that_loses_a_race_gets_412_with_the_winning_version(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    customer = await new_customer(client, admin)
    async with db.sessions() as mine, db.sessions() as theirs:
        loaded = await mine.get(Customer, customer["id"])
        assert loaded is not None
        await mine.commit()  # our read is done; the other operator saves before we write
        winner = await theirs.get(Customer, customer["id"])
        assert winner is not None
        winner.billing_city = "Brno"
        await theirs.commit()
        loaded.billing_city = "Zlín"
        with pytest.raises(StaleVersion) as raised:
            await flush_or_problem(mine, loaded)
    assert raised.value.status == 412
    assert raised.value.extra["current"]["billing_city"] == "Brno"
    assert raised.value.extra["current"]["version"] == customer["version"] + 1


async def test_invalid_edit_changes_nothing(client: httpx.AsyncClient, db: Database, admin: SignedIn) -> None:
    customer = await new_customer(client, admin, email="jan@example.cz")
    path = f"/customers/{customer['id']}"
    for body in ({"email": "jan@", "billing_city": "Brno"}, {"phone": "0601"}, {"name": None}, {"ico": VALID_ICO}):
        response = await client.patch(path, json=body, headers=if_match(admin, customer["version"]))
        assert response.status_code == 422, (body, response.text)
    card = (await client.get(path, headers=admin.headers)).json()
    assert card["email"] == "jan@example.cz"
    assert card["billing_city"] is None
    assert card["version"] == customer["version"]
    assert await audit_records(db, "customer.update") == []


async def test_technician_may_view_but_not_edit(client: httpx.AsyncClient, admin: SignedIn, sign_in: SignIn) -> None:
    customer = await new_customer(client, admin)
    technician = await sign_in("technician")
    assert (await client.get("/customers", headers=technician.headers)).status_code == 200
    assert (await client.get(f"/customers/{customer['id']}", headers=technician.headers)).status_code == 200
    patch = await client.patch(
        f"/customers/{customer['id']}", json={"billing_city": "Brno"}, headers=if_match(technician, customer["version"])
    )
    assert patch.status_code == 403
    assert patch.json()["code"] == "permission_denied"
    create = await client.post("/customers", json={"kind": "consumer", "name": "X"}, headers=technician.headers)
    assert create.status_code == 403


async def test_status_change_needs_the_restrict_permission(
    client: httpx.AsyncClient, db: Database, admin: SignedIn, sign_in: SignIn
) -> None:
    customer = await new_customer(client, admin)
    path = f"/customers/{customer['id']}/status"
    body = {"status": "restricted", "reason": "Art. 18 request PR-2024-0007"}
    hotline = await sign_in("hotline")
    refused = await client.post(path, json=body, headers=if_match(hotline, customer["version"]))
    assert refused.status_code == 403

    officer = await sign_in("privacy_officer")
    assert (await client.post(path, json=body, headers=officer.headers)).status_code == 428
    short = await client.post(
        path, json={"status": "blocked", "reason": "x"}, headers=if_match(officer, customer["version"])
    )
    assert short.status_code == 422
    changed = await client.post(path, json=body, headers=if_match(officer, customer["version"]))
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "restricted"
    assert changed.json()["version"] == customer["version"] + 1
    [audit] = await audit_records(db, "customer.status")
    assert audit.operator_id == officer.operator_id
    assert json.loads(audit.detail) == {"from": "active", "to": "restricted", "reason": body["reason"]}
    stale = await client.post(
        path, json={"status": "active", "reason": "lifted"}, headers=if_match(officer, customer["version"])
    )
    assert stale.status_code == 412


async def test_status_change_retry_is_replayed_not_refused_as_stale(client: httpx.AsyncClient, admin: SignedIn) -> None:
    customer = await new_customer(client, admin)
    headers = {**if_match(admin, customer["version"]), "Idempotency-Key": "block-1"}
    body = {"status": "blocked", "reason": "unpaid invoices"}
    first = await client.post(f"/customers/{customer['id']}/status", json=body, headers=headers)
    again = await client.post(f"/customers/{customer['id']}/status", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()


# --- contacts ---------------------------------------------------------------------------------


async def test_contacts_are_added_edited_and_removed(client: httpx.AsyncClient, db: Database, admin: SignedIn) -> None:
    customer = await new_customer(client, admin)
    base = f"/customers/{customer['id']}/contacts"
    created = await client.post(
        base, json={"name": "Eva Technická", "role": "technical", "phone": "602 111 222"}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    contact = created.json()
    assert contact["phone"] == "+420602111222"
    assert created.headers["Location"].endswith(f"{base}/{contact['id']}")

    bad = await client.patch(
        f"{base}/{contact['id']}", json={"email": "eva@"}, headers=if_match(admin, contact["version"])
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_email"
    missing = await client.patch(f"{base}/{contact['id']}", json={"email": "eva@example.cz"}, headers=admin.headers)
    assert missing.status_code == 428
    edited = await client.patch(
        f"{base}/{contact['id']}", json={"email": "eva@example.cz"}, headers=if_match(admin, contact["version"])
    )
    assert edited.status_code == 200
    assert edited.json()["email"] == "eva@example.cz"
    stale_delete = await client.delete(f"{base}/{contact['id']}", headers=if_match(admin, contact["version"]))
    assert stale_delete.status_code == 412
    assert stale_delete.json()["current"]["email"] == "eva@example.cz"
    deleted = await client.delete(f"{base}/{contact['id']}", headers=if_match(admin, edited.json()["version"]))
    assert deleted.status_code == 204
    card = (await client.get(f"/customers/{customer['id']}", headers=admin.headers)).json()
    assert card["contacts"] == []
    actions = [r.action for r in await audit_records(db) if r.action.startswith("customer.contact")]
    assert actions == ["customer.contact_create", "customer.contact_update", "customer.contact_delete"]


async def test_contact_of_another_customer_is_not_found(client: httpx.AsyncClient, admin: SignedIn) -> None:
    first = await new_customer(client, admin)
    second = await new_customer(client, admin, name="Petr Svoboda")
    created = await client.post(f"/customers/{first['id']}/contacts", json={"name": "Eva"}, headers=admin.headers)
    contact = created.json()
    response = await client.patch(
        f"/customers/{second['id']}/contacts/{contact['id']}",
        json={"name": "Evička"},
        headers=if_match(admin, contact["version"]),
    )
    assert response.status_code == 404
    unknown = await client.post("/customers/nope/contacts", json={"name": "Eva"}, headers=admin.headers)
    assert unknown.status_code == 404


async def test_technician_cannot_touch_contacts(client: httpx.AsyncClient, admin: SignedIn, sign_in: SignIn) -> None:
    customer = await new_customer(client, admin)
    technician = await sign_in("technician")
    response = await client.post(
        f"/customers/{customer['id']}/contacts", json={"name": "Eva"}, headers=technician.headers
    )
    assert response.status_code == 403
