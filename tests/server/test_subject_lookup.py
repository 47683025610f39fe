"""Finding the data subject of a privacy request by what they tell the privacy officer: name with
or without diacritics, e-mail, phone in any form, customer number, IČO, contract, RFID card,
station, app login; restricted and erased customers too, and everyone sharing a phone number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from ema_server.db.engine import Database
from ema_server.db.models import (
    AuditRecord,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    RfidCard,
)
from ema_server.search import refresh_customer_search_text
from tests.conftest import SignedIn, SignIn

SHARED_PHONE = "+420601234567"
VALID_ICO = "25596641"


async def add_subjects(db: Database) -> dict[str, str]:
    """Jana (with a contract, a card, a station and an app account), a company sharing her phone,
    a restricted customer and an erased one; returns their ids by first name."""
    async with db.sessions() as session:
        jana = Customer(customer_number="C100001", kind="consumer", name="Jana Nováková",
                        email="jana.novakova@example.cz", phone=SHARED_PHONE)
        tomas = Customer(customer_number="C100002", kind="business", name="Tomáš Dvořák",
                         company_name="Dvořák Elektro s.r.o.", ico=VALID_ICO, email="tomas@dvorak-elektro.cz",
                         phone=SHARED_PHONE)
        hidden = Customer(customer_number="C100003", kind="consumer", name="Karel Skrytý",
                          email="karel@example.cz", phone="+420777111222", restricted_at=datetime.now(UTC))
        erased = Customer(customer_number="C100004", kind="consumer", name="Erased customer",
                          restricted_at=datetime.now(UTC), erased_at=datetime.now(UTC))
        session.add_all([jana, tomas, hidden, erased])
        await session.flush()
        session.add_all([
            Contract(customer_id=jana.id, number="SM-2025-0042", service="station_maintenance", price_czk=990,
                     billing_period="monthly", starts_on=datetime(2025, 1, 1).date()),
            RfidCard(customer_id=jana.id, id_tag="04A1B2C3D4", label="Karta"),
            Device(customer_id=jana.id, kind="wallbox", vendor="Sectron", model="AC22", serial="SN-WB-7781",
                   ocpp_identity="CP-PRG-0017"),
            CustomerAccount(customer_id=jana.id, login_email="jana.app@seznam.cz", display_name="Jana N.",
                            role="owner"),
        ])
        for customer in (jana, tomas, hidden, erased):
            await refresh_customer_search_text(session, customer.id)
        await session.commit()
        ids = {"jana": jana.id, "tomas": tomas.id, "karel": hidden.id, "erased": erased.id}
    # An erasure empties what a customer is searched by; the customer number still finds the row.
    async with db.sessions() as session:
        await session.execute(update(Customer).where(Customer.id == ids["erased"]).values(search_text=""))
        await session.commit()
    return ids


async def lookup(client: httpx.AsyncClient, who: SignedIn, q: str) -> list[dict[str, Any]]:
    response = await client.get("/privacy/subjects", params={"q": q}, headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_name_without_diacritics_finds_the_subject_with_her_app_accounts(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    ids = await add_subjects(db)
    officer = await sign_in("privacy_officer")
    [jana] = await lookup(client, officer, "jana novakova")
    assert jana["customer_id"] == ids["jana"] and jana["name"] == "Jana Nováková"
    assert "name" in jana["matched_by"]
    assert jana["restricted"] is False and jana["erased"] is False
    assert [(a["display_name"], a["login_email"], a["role"]) for a in jana["accounts"]] == [
        ("Jana N.", "jana.app@seznam.cz", "owner")]
    assert [s["customer_id"] for s in await lookup(client, officer, "Dvořák")] == [ids["tomas"]]


@pytest.mark.parametrize(
    ("typed", "who", "kind"),
    [
        ("jana.novakova@example.cz", "jana", "email"),
        ("JANA.NOVAKOVA@EXAMPLE.CZ", "jana", "email"),
        ("C100001", "jana", "customer_number"),
        ("c100001", "jana", "customer_number"),
        ("SM-2025-0042", "jana", "contract"),
        ("04a1b2c3d4", "jana", "id_tag"),
        ("04A1B2C3D4", "jana", "id_tag"),
        ("SN-WB-7781", "jana", "station"),
        ("cp-prg-0017", "jana", "station"),
        ("jana.app@seznam.cz", "jana", "account_login"),
        (VALID_ICO, "tomas", "ico"),
        ("Dvořák Elektro", "tomas", "name"),
    ],
)
async def test_each_thing_a_subject_knows_finds_them_and_says_what_matched(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, typed: str, who: str, kind: str
) -> None:
    ids = await add_subjects(db)
    officer = await sign_in("privacy_officer")
    found = await lookup(client, officer, typed)
    assert [s["customer_id"] for s in found] == [ids[who]], (typed, found)
    assert kind in found[0]["matched_by"]


@pytest.mark.parametrize("typed", ["+420 601 234 567", "601234567", "00420601234567", "601-234-567"])
async def test_two_customers_sharing_a_phone_number_are_both_returned(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, typed: str
) -> None:
    ids = await add_subjects(db)
    officer = await sign_in("privacy_officer")
    found = await lookup(client, officer, typed)
    assert {s["customer_id"] for s in found} == {ids["jana"], ids["tomas"]}
    assert all(s["matched_by"] == ["phone"] for s in found)


async def test_restricted_and_erased_customers_are_found_and_flagged(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    ids = await add_subjects(db)
    officer = await sign_in("privacy_officer")
    [karel] = await lookup(client, officer, "karel skryty")
    assert karel["customer_id"] == ids["karel"] and karel["restricted"] is True and karel["erased"] is False
    [erased] = await lookup(client, officer, "C100004")
    assert erased["customer_id"] == ids["erased"] and erased["erased"] is True and erased["restricted"] is True
    assert erased["matched_by"] == ["customer_number"]


async def test_nothing_found_and_bad_queries(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    await add_subjects(db)
    officer = await sign_in("privacy_officer")
    assert await lookup(client, officer, "Nobody Such") == []
    # Every word must match: "Jana Dvořák" is neither of them.
    assert await lookup(client, officer, "Jana Dvořák") == []
    for params in ({}, {"q": " "}, {"q": "j"}, {"q": "x" * 201}, {"q": "jana\u0000"}):
        response = await client.get("/privacy/subjects", params=params, headers=officer.headers)
        assert response.status_code == 422, (params, response.text)


async def test_lookup_is_audited_per_subject_without_the_query(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    ids = await add_subjects(db)
    officer = await sign_in("privacy_officer")
    await lookup(client, officer, "601 234 567")
    async with db.sessions() as session:
        records = (await session.execute(
            select(AuditRecord).where(AuditRecord.action == "privacy_subject.lookup"))).scalars().all()
    assert {r.subject_id for r in records} == {ids["jana"], ids["tomas"]}
    assert all(r.operator_id == officer.operator_id for r in records)
    assert not any("601" in r.detail or "Nov" in r.detail for r in records)


@pytest.mark.parametrize("role", ["hotline", "technician"])
async def test_only_privacy_officers_and_admins_may_look_up_subjects(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, role: str
) -> None:
    await add_subjects(db)
    other = await sign_in(role)
    response = await client.get("/privacy/subjects", params={"q": "jana"}, headers=other.headers)
    assert response.status_code == 403
    admin = await sign_in("admin")
    assert len(await lookup(client, admin, "jana")) == 1
