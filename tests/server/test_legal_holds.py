"""Legal holds as the privacy officer uses them: placed on a customer or a ticket with a reason,
listed, lifted with a reason, recorded in the audit trail against the customer; bad input writes
nothing; and the `is_held` answer erasure and retention rely on."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, LegalHold, Ticket, utcnow
from ema_server.privacy.holds import is_held
from tests.conftest import SignIn
from tests.server.test_tickets import add_customer, count, new_ticket


async def test_officer_places_a_hold_on_a_customer_lists_it_and_lifts_it_with_a_reason(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    placed = await client.post("/legal-holds", headers=officer.headers, json={
        "customer_id": customer, "reason": "Dispute over invoice FV2025000123", "reference": "12 C 34/2026"})
    assert placed.status_code == 201, placed.text
    hold = placed.json()
    assert (hold["customer_id"], hold["ticket_id"], hold["reference"]) == (customer, None, "12 C 34/2026")
    assert hold["placed_by_id"] == officer.operator_id and hold["lifted_at"] is None
    async with db.sessions() as session:
        assert await is_held(session, customer_id=customer)

    active = await client.get("/legal-holds", params={"customer_id": customer, "active": "true"},
                              headers=officer.headers)  # fmt: skip
    assert [h["id"] for h in active.json()["items"]] == [hold["id"]]

    lifted = await client.post(f"/legal-holds/{hold['id']}/lift", json={"reason": "Settled out of court"},
                               headers={**officer.headers, "If-Match": f'"{hold["version"]}"'})  # fmt: skip
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["lift_reason"] == "Settled out of court"
    assert lifted.json()["lifted_by_id"] == officer.operator_id and lifted.json()["lifted_at"] is not None
    again = await client.post(f"/legal-holds/{hold['id']}/lift", json={"reason": "Twice"}, headers=officer.headers)
    assert again.status_code == 409 and again.json()["code"] == "hold_already_lifted"
    async with db.sessions() as session:
        assert not await is_held(session, customer_id=customer)
        stored = await session.get(LegalHold, hold["id"])
        assert stored is not None and stored.lift_reason == "Settled out of court"  # not overwritten
        trail = (await session.execute(select(AuditRecord).where(AuditRecord.entity == "legal_hold")
                                       .order_by(AuditRecord.seq))).scalars().all()  # fmt: skip
    assert [(r.action, r.subject_id) for r in trail] == [
        ("legal_hold.place", customer), ("legal_hold.list", customer), ("legal_hold.lift", customer)]
    assert "Dispute" not in trail[0].detail and json.loads(trail[0].detail)["customer_id"] == customer
    assert (await client.get("/legal-holds", params={"active": "true"}, headers=officer.headers)).json()["items"] == []
    past = await client.get("/legal-holds", params={"active": "false"}, headers=officer.headers)
    assert [h["id"] for h in past.json()["items"]] == [hold["id"]]


async def test_a_hold_on_a_ticket_covers_that_ticket_and_a_customer_hold_covers_its_tickets(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer, other = await add_customer(db), await add_customer(db)
    complaint = await new_ticket(client, officer, kind="complaint", customer_id=customer)
    unrelated = await new_ticket(client, officer, customer_id=other)
    placed = await client.post("/legal-holds", json={"ticket_id": complaint["id"], "reason": "ČOI inquiry"},
                               headers=officer.headers)  # fmt: skip
    assert placed.status_code == 201 and placed.json()["ticket_id"] == complaint["id"]
    async with db.sessions() as session:
        assert await is_held(session, ticket_id=complaint["id"])
        assert not await is_held(session, ticket_id=unrelated["id"])
        assert not await is_held(session, customer_id=customer)  # only the ticket is held
        placing = select(AuditRecord).where(AuditRecord.action == "legal_hold.place")
        trail = (await session.execute(placing)).scalar_one()
        assert trail.subject_id == customer  # the ticket's customer
    await client.post("/legal-holds", json={"customer_id": other, "reason": "Court case"}, headers=officer.headers)
    async with db.sessions() as session:
        assert await is_held(session, ticket_id=unrelated["id"])
    listed = await client.get("/legal-holds", params={"ticket_id": complaint["id"]}, headers=officer.headers)
    assert [h["ticket_id"] for h in listed.json()["items"]] == [complaint["id"]]


async def test_a_hold_needs_exactly_one_existing_subject_and_a_reason_and_nothing_is_written_otherwise(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    async with db.sessions() as session:
        ticket = Ticket(number="T-1", kind="fault", title="x", first_response_due_at=utcnow(),
                        resolution_due_at=utcnow())
        session.add(ticket)
        await session.commit()
    cases = [
        ({"customer_id": customer, "ticket_id": ticket.id, "reason": "Both"}, "hold_subject_required"),
        ({"reason": "Neither"}, "hold_subject_required"),
        ({"customer_id": "00000000-0000-0000-0000-000000000000", "reason": "Nobody"}, "customer_not_found"),
        ({"ticket_id": "00000000-0000-0000-0000-000000000000", "reason": "Nothing"}, "ticket_not_found"),
    ]
    for body, code in cases:
        response = await client.post("/legal-holds", json=body, headers=officer.headers)
        assert response.status_code == 422 and response.json()["code"] == code, (body, response.text)
    for body in ({"customer_id": customer, "reason": ""}, {"customer_id": customer}, {"customer_id": customer,
                                                                                      "reason": "   "}):
        response = await client.post("/legal-holds", json=body, headers=officer.headers)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason", response.text
    unknown = await client.post("/legal-holds/00000000-0000-0000-0000-000000000000/lift", json={"reason": "x"},
                                headers=officer.headers)  # fmt: skip
    assert unknown.status_code == 404
    assert await count(db, LegalHold) == 0


async def test_hotline_and_technicians_cannot_see_or_place_holds(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    customer = await add_customer(db)
    for role in ("hotline", "technician"):
        op = await sign_in(role)
        assert (await client.get("/legal-holds", headers=op.headers)).status_code == 403
        placed = await client.post("/legal-holds", json={"customer_id": customer, "reason": "x"}, headers=op.headers)
        assert placed.status_code == 403 and placed.json()["code"] == "permission_denied"
    assert await count(db, LegalHold) == 0

