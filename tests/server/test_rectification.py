"""Rectification (Art. 16) linked to its request: a privacy officer's correction of a customer or
contact names the request, which gets the evidence entry the completion step asks for, and the
audit trail says which request it carried out. A request that does not fit is refused."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Customer, PrivacyRequest, PrivacyRequestEntry, utcnow
from ema_server.domain.permissions import Role
from tests.conftest import SignedIn, SignIn
from tests.server.test_customers import if_match, new_customer


async def _request(db: Database, customer_id: str, number: str, *, right: str = "rectification",
                   verified: bool = True, state: str = "in_progress") -> str:  # fmt: skip
    now = utcnow()
    async with db.sessions() as session:
        request = PrivacyRequest(number=number, right=right, customer_id=customer_id, subject_name="Subjekt",
                                 channel="email", received_at=now, due_at=now + timedelta(days=30), state=state,
                                 identity_check="registered_email_reply" if verified else None,
                                 identity_verified_at=now if verified else None)  # fmt: skip
        session.add(request)
        await session.commit()
        return request.id


async def _entries(db: Database, request_id: str) -> list[PrivacyRequestEntry]:
    async with db.sessions() as session:
        query = select(PrivacyRequestEntry).where(PrivacyRequestEntry.request_id == request_id,
                                                  PrivacyRequestEntry.kind == "rectification")  # fmt: skip
        return list((await session.execute(query)).scalars())


@pytest.fixture
async def officer(sign_in: SignIn) -> SignedIn:
    return await sign_in(Role.PRIVACY_OFFICER)


async def test_a_linked_correction_leaves_evidence_on_the_request_and_in_the_audit(
    client: httpx.AsyncClient, db: Database, officer: SignedIn
) -> None:
    customer = await new_customer(client, officer, name="Jan Novák", email="old@example.cz")
    request_id = await _request(db, customer["id"], "P-2026-00010")
    response = await client.patch(f"/customers/{customer['id']}",
                                  json={"email": "new@example.cz", "privacy_request_id": request_id},
                                  headers=if_match(officer, customer["version"]))  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["email"] == "new@example.cz"
    entries = await _entries(db, request_id)
    assert len(entries) == 1 and "email" in (entries[0].body or "")
    assert "new@example.cz" not in (entries[0].body or "")  # field names only, never the values
    async with db.sessions() as session:
        audit = (await session.execute(select(AuditRecord).where(AuditRecord.action == "customer.update"))).scalar_one()
    assert audit.subject_id == customer["id"]
    assert json.loads(audit.detail) == {"fields": ["email"], "privacy_request_id": request_id}

    contact = await client.post(f"/customers/{customer['id']}/contacts", json={"name": "Karel"},
                                headers=officer.headers)  # fmt: skip
    fixed = await client.patch(f"/customers/{customer['id']}/contacts/{contact.json()['id']}",
                               json={"name": "Karel Novák", "privacy_request_id": request_id},
                               headers=if_match(officer, contact.json()["version"]))  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert [e.field for e in await _entries(db, request_id)] == ["customer", "contact"]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("other_customer", "request_of_other_customer"),
        ("unverified", "identity_not_verified"),
        ("wrong_right", "not_rectification"),
        ("closed", "request_closed"),
        ("unknown", "unknown_request"),
    ],
)
async def test_a_request_that_does_not_fit_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, db: Database, officer: SignedIn, kind: str, code: str
) -> None:
    customer = await new_customer(client, officer, name="Jan Novák", email="old@example.cz")
    other = await new_customer(client, officer, name="Eva Jiná")
    options: dict[str, Any] = {
        "other_customer": {"customer_id": other["id"]},
        "unverified": {"verified": False},
        "wrong_right": {"right": "access"},
        "closed": {"state": "completed"},
        "unknown": {},
    }[kind]
    request_id = await _request(db, options.pop("customer_id", customer["id"]), "P-2026-00020", **options)
    if kind == "unknown":
        request_id = "00000000-0000-0000-0000-000000000000"
    response = await client.patch(f"/customers/{customer['id']}",
                                  json={"email": "new@example.cz", "privacy_request_id": request_id},
                                  headers=if_match(officer, customer["version"]))  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code and response.json()["errors"][0]["field"] == "privacy_request_id"
    async with db.sessions() as session:
        stored = await session.get(Customer, customer["id"])
        assert stored is not None and stored.email == "old@example.cz" and stored.version == customer["version"]
    assert await _entries(db, request_id) == []


async def test_only_privacy_officers_link_corrections_to_requests(
    client: httpx.AsyncClient, db: Database, officer: SignedIn, sign_in: SignIn
) -> None:
    hotline = await sign_in(Role.HOTLINE)
    customer = await new_customer(client, officer, name="Jan Novák", email="old@example.cz")
    request_id = await _request(db, customer["id"], "P-2026-00030")
    response = await client.patch(f"/customers/{customer['id']}",
                                  json={"email": "new@example.cz", "privacy_request_id": request_id},
                                  headers=if_match(hotline, customer["version"]))  # fmt: skip
    assert response.status_code == 403
    plain = await client.patch(f"/customers/{customer['id']}", json={"email": "new@example.cz"},
                               headers=if_match(hotline, customer["version"]))  # fmt: skip
    assert plain.status_code == 200
    assert await _entries(db, request_id) == []
