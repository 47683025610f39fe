"""Tickets: the queue with deadlines, creating and changing tickets, their history, comments."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Connector, Customer, Device, EventRecord, Ticket, TicketEntry
from tests.conftest import SignedIn, SignIn


async def add_customer(db: Database, kind: str = "consumer") -> str:
    async with db.sessions() as session:
        customer = Customer(customer_number=f"C{uuid.uuid4().hex[:10]}", kind=kind, name="Jana Nováková",
                            email="jana.novakova@example.cz", phone="+420601234567")
        session.add(customer)
        await session.commit()
        return customer.id


async def add_device(db: Database, customer_id: str, connectors: tuple[int, ...] = (1, 2)) -> str:
    async with db.sessions() as session:
        device = Device(customer_id=customer_id, kind="wallbox", vendor="Sectron", model="AC22",
                        serial=f"SN{uuid.uuid4().hex[:10]}", ocpp_identity=f"CP{uuid.uuid4().hex[:8]}")
        session.add(device)
        await session.flush()
        for number in connectors:
            session.add(Connector(device_id=device.id, connector_no=number, standard="Type2", max_power_kw=22.0))
        await session.commit()
        return device.id


async def new_ticket(client: httpx.AsyncClient, op: SignedIn, **fields: Any) -> dict[str, Any]:
    body = {"kind": "fault", "title": "Station does not start charging", "priority": "normal", **fields}
    response = await client.post("/tickets", json=body, headers=op.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def patch(client: httpx.AsyncClient, op: SignedIn, ticket: dict[str, Any], **fields: Any) -> httpx.Response:
    return await client.patch(f"/tickets/{ticket['id']}", json=fields,
                              headers={**op.headers, "If-Match": f'"{ticket["version"]}"'})


async def count(db: Database, model: Any, *where: Any) -> int:
    async with db.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- creating -----------------------------------------------------------------------------------


async def test_new_ticket_gets_a_yearly_number_sla_deadlines_and_a_created_entry(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    first = await new_ticket(client, hotline, priority="critical")
    second = await new_ticket(client, hotline)
    year = datetime.now(UTC).year
    assert first["number"] == f"T-{year}-000001"
    assert second["number"] == f"T-{year}-000002"
    assert first["state"] == "new" and first["created_by_id"] == hotline.operator_id
    # Critical: first response within an hour, resolution within eight.
    created = at(first["created_at"])
    assert at(first["first_response_due_at"]) - created == timedelta(hours=1)
    assert at(first["resolution_due_at"]) - created == timedelta(hours=8)
    assert first["due_at"] == first["first_response_due_at"]
    assert first["warning"] == "ok" and first["overdue"] is False
    assert at(second["first_response_due_at"]) - at(second["created_at"]) == timedelta(hours=8)

    detail = await client.get(f"/tickets/{first['id']}", headers=hotline.headers)
    assert detail.status_code == 200
    assert detail.headers["ETag"] == f'"{first["version"]}"'
    history = detail.json()["history"]
    assert [(e["kind"], e["author_id"]) for e in history] == [("created", hotline.operator_id)]


async def test_create_answers_with_location_and_etag_and_publishes_an_event(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    response = await client.post("/tickets", json={"kind": "question", "title": "Firmware?", "priority": "low"},
                                 headers=tech.headers)
    assert response.status_code == 201
    ticket = response.json()
    assert response.headers["Location"].endswith(f"/api/v1/tickets/{ticket['id']}")
    assert response.headers["ETag"] == f'"{ticket["version"]}"'
    async with db.sessions() as session:
        events = (await session.execute(select(EventRecord).where(EventRecord.type == "ticket.created"))).scalars()
        data = [json.loads(e.data) for e in events]
        audit = (await session.execute(select(AuditRecord).where(AuditRecord.action == "ticket.create"))).scalars()
        assert [a.entity_id for a in audit] == [ticket["id"]]
    assert [d["id"] for d in data] == [ticket["id"]]
    assert "title" not in data[0]


async def test_consumer_complaint_gets_the_legal_deadline_from_its_filing_date(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    consumer = await add_customer(db, "consumer")
    # Filed on Monday 3 March 2025: 30 days from the next day end on Wednesday 2 April.
    ticket = await new_ticket(client, hotline, kind="complaint", customer_id=consumer,
                              complaint_filed_at="2025-03-03T09:15:00+01:00")
    assert ticket["legal_due_at"] == "2025-04-02T21:59:59.999999Z"  # end of day in Prague (CEST)
    assert ticket["complaint_filed_at"] == "2025-03-03T08:15:00Z"
    # Past, so the ticket is overdue because of it.
    assert ticket["due_at"] == ticket["legal_due_at"]
    assert ticket["overdue"] is True and ticket["warning"] == "overdue"

    # 30 days after 4 April 2025 is Sunday 4 May: the deadline moves to Monday 5 May.
    weekend = await new_ticket(client, hotline, kind="complaint", customer_id=consumer,
                               complaint_filed_at="2025-04-04T12:00:00+02:00")
    assert weekend["legal_due_at"] == "2025-05-05T21:59:59.999999Z"
    agreed = await new_ticket(client, hotline, kind="complaint", customer_id=consumer,
                              complaint_filed_at="2025-03-03T09:15:00+01:00", agreed_days=45)
    assert agreed["legal_due_at"] == "2025-04-17T21:59:59.999999Z"


async def test_business_complaint_has_no_legal_deadline_until_linked_to_a_consumer(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    business = await add_customer(db, "business")
    consumer = await add_customer(db, "consumer")
    ticket = await new_ticket(client, hotline, kind="complaint", customer_id=business,
                              complaint_filed_at="2025-03-03T09:15:00+01:00")
    assert ticket["legal_due_at"] is None
    assert ticket["overdue"] is False
    relinked = await patch(client, hotline, ticket, customer_id=consumer)
    assert relinked.status_code == 200, relinked.text
    assert relinked.json()["legal_due_at"] == "2025-04-02T21:59:59.999999Z"


async def test_complaint_fields_are_checked(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    hotline = await sign_in("hotline")
    consumer = await add_customer(db)
    shorter = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "complaint", "title": "Broken cable", "customer_id": consumer, "agreed_days": 14})
    assert shorter.status_code == 422 and shorter.json()["code"] == "invalid_agreed_days"
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    ahead = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "complaint", "title": "Broken cable", "customer_id": consumer, "complaint_filed_at": future})
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["field"] == "complaint_filed_at"
    not_complaint = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "fault", "title": "Broken cable", "agreed_days": 40})
    assert not_complaint.status_code == 422 and not_complaint.json()["code"] == "only_for_complaints"
    naive = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "complaint", "title": "Broken cable", "complaint_filed_at": "2025-03-03T09:15:00"})
    assert naive.status_code == 422
    assert await count(db, Ticket) == 0


async def test_references_that_do_not_exist_are_field_errors_and_nothing_is_created(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    response = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "fault", "title": "x", "customer_id": str(uuid.uuid4()), "device_id": str(uuid.uuid4()),
        "owner_id": str(uuid.uuid4())})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"customer_id", "device_id", "owner_id"}
    other = await add_customer(db)
    device = await add_device(db, await add_customer(db))
    mismatch = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "fault", "title": "x", "customer_id": other, "device_id": device})
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "device_not_of_customer"
    no_connector = await client.post("/tickets", headers=hotline.headers, json={
        "kind": "fault", "title": "x", "device_id": device, "connector_no": 7})
    assert no_connector.status_code == 422 and no_connector.json()["code"] == "connector_not_found"
    assert await count(db, Ticket) == 0
    assert await count(db, TicketEntry) == 0


async def test_ticket_for_a_station_belongs_to_the_station_customer(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    customer = await add_customer(db)
    device = await add_device(db, customer)
    ticket = await new_ticket(client, hotline, device_id=device, connector_no=2)
    assert ticket["customer_id"] == customer and ticket["connector_no"] == 2


async def test_idempotent_retry_creates_one_ticket(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    hotline = await sign_in("hotline")
    body = {"kind": "fault", "title": "Display dark", "priority": "high"}
    headers = {**hotline.headers, "Idempotency-Key": "create-ticket-1"}
    first = await client.post("/tickets", json=body, headers=headers)
    retry = await client.post("/tickets", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await count(db, Ticket) == 1
    reused = await client.post("/tickets", json={**body, "title": "Other"}, headers=headers)
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert await count(db, Ticket) == 1


async def test_concurrent_creates_get_distinct_consecutive_numbers(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    responses = await asyncio.gather(*[
        client.post("/tickets", json={"kind": "fault", "title": f"Fault {i}"}, headers=hotline.headers)
        for i in range(8)
    ])
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    numbers = sorted(r.json()["number"] for r in responses)
    year = datetime.now(UTC).year
    assert numbers == [f"T-{year}-{n:06d}" for n in range(1, 9)]


# --- the queue ----------------------------------------------------------------------------------


async def test_queue_filters_overdue_and_sorts_by_due_date_and_priority(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    consumer = await add_customer(db)
    await new_ticket(client, hotline, title="Low", priority="low")
    critical = await new_ticket(client, hotline, title="Critical", priority="critical")
    late_complaint = await new_ticket(client, hotline, title="Complaint", kind="complaint", customer_id=consumer,
                                      complaint_filed_at="2025-03-03T09:15:00+01:00")
    missed_sla = await new_ticket(client, hotline, title="Missed", priority="normal")
    async with db.sessions() as session:
        past = datetime.now(UTC) - timedelta(hours=2)
        await session.execute(update(Ticket).where(Ticket.id == missed_sla["id"]).values(first_response_due_at=past))
        # Fifty of its sixty minutes to the first response have gone.
        now = datetime.now(UTC)
        await session.execute(update(Ticket).where(Ticket.id == critical["id"]).values(
            created_at=now - timedelta(minutes=50), first_response_due_at=now + timedelta(minutes=10)))
        await session.commit()

    async def titles(**params: Any) -> list[str]:
        response = await client.get("/tickets", params=params, headers=hotline.headers)
        assert response.status_code == 200, response.text
        return [t["title"] for t in response.json()["items"]]

    assert await titles() == ["Complaint", "Missed", "Critical", "Low"]
    assert await titles(overdue="true") == ["Complaint", "Missed"]
    assert await titles(overdue="false") == ["Critical", "Low"]
    assert await titles(sort="priority") == ["Critical", "Complaint", "Missed", "Low"]
    assert await titles(sort="-created_at") == ["Missed", "Complaint", "Low", "Critical"]
    assert await titles(priority=["low", "critical"]) == ["Critical", "Low"]
    assert await titles(kind="complaint") == ["Complaint"]
    assert await titles(q="crit") == ["Critical"]
    assert await titles(q=late_complaint["number"]) == ["Complaint"]

    page = (await client.get("/tickets", params={"limit": 2, "offset": 1}, headers=hotline.headers)).json()
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert [t["title"] for t in page["items"]] == ["Missed", "Critical"]
    items = {t["title"]: t for t in (await client.get("/tickets", headers=hotline.headers)).json()["items"]}
    assert items["Missed"]["overdue"] is True and items["Missed"]["warning"] == "overdue"
    assert items["Critical"]["warning"] == "due_soon" and items["Critical"]["overdue"] is False
    assert items["Low"]["warning"] == "ok" and items["Low"]["overdue"] is False

    # Answering the missed first response leaves only the (future) resolution deadline running.
    reply = await client.post(f"/tickets/{missed_sla['id']}/comments", headers=hotline.headers,
                              json={"body": "We are on it.", "public": True})
    assert reply.status_code == 201
    assert await titles(overdue="true") == ["Complaint"]
    # A resolved ticket is never overdue, whatever its deadlines.
    opened = (await patch(client, hotline, late_complaint, state="open")).json()
    resolved = await patch(client, hotline, opened, state="resolved")
    assert resolved.status_code == 200 and resolved.json()["overdue"] is False
    assert await titles(overdue="true") == []
    assert await titles(overdue="false") == ["Complaint", "Critical", "Low", "Missed"]


async def test_queue_filters_by_owner_me_customer_device_and_state(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    other = await sign_in("technician")
    customer = await add_customer(db)
    device = await add_device(db, customer)
    mine = await new_ticket(client, tech, title="Mine", owner_id=tech.operator_id, device_id=device)
    await new_ticket(client, tech, title="Theirs", owner_id=other.operator_id)
    await patch(client, tech, mine, state="open")

    async def titles(**params: Any) -> list[str]:
        response = await client.get("/tickets", params=params, headers=tech.headers)
        assert response.status_code == 200, response.text
        return [t["title"] for t in response.json()["items"]]

    assert await titles(owner_id="me") == ["Mine"]
    assert await titles(owner_id=other.operator_id) == ["Theirs"]
    assert await titles(customer_id=customer) == ["Mine"]
    assert await titles(device_id=device) == ["Mine"]
    assert await titles(state=["open", "in_progress"]) == ["Mine"]
    bad = await client.get("/tickets", params={"state": "lost"}, headers=tech.headers)
    assert bad.status_code == 422


# --- one ticket ---------------------------------------------------------------------------------


async def test_detail_shows_customer_and_records_the_read(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    customer = await add_customer(db)
    device = await add_device(db, customer)
    ticket = await new_ticket(client, hotline, customer_id=customer, device_id=device)
    detail = await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)
    assert detail.status_code == 200
    body = detail.json()
    assert body["customer"]["name"] == "Jana Nováková"
    assert body["device"]["id"] == device
    assert body["attachments"] == []
    async with db.sessions() as session:
        reads = (await session.execute(select(AuditRecord).where(AuditRecord.action == "customer.read"))).scalars()
        details = [(r.entity_id, json.loads(r.detail)) for r in reads]
    assert details == [(customer, {"via": "ticket", "ticket_id": ticket["id"]})]
    missing = await client.get(f"/tickets/{uuid.uuid4()}", headers=hotline.headers)
    assert missing.status_code == 404


async def test_each_change_leaves_a_history_entry_with_old_and_new_value(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    tech = await sign_in("technician")
    ticket = await new_ticket(client, hotline, title="Charger offline")
    changed = await patch(client, hotline, ticket, title="Charger offline since Monday", owner_id=tech.operator_id,
                          priority="high", state="open")
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["version"] == ticket["version"] + 1
    assert changed.headers["ETag"] == f'"{after["version"]}"'
    # Priority change: the SLA is recounted from creation.
    assert at(after["first_response_due_at"]) - at(after["created_at"]) == timedelta(hours=4)
    history = (await client.get(f"/tickets/{ticket['id']}", headers=tech.headers)).json()["history"]
    changes = {e["field"]: (e["old_value"], e["new_value"], e["author_id"]) for e in history if e["kind"] == "change"}
    assert changes == {
        "title": ("Charger offline", "Charger offline since Monday", hotline.operator_id),
        "owner_id": (None, tech.operator_id, hotline.operator_id),
        "priority": ("normal", "high", hotline.operator_id),
        "state": ("new", "open", hotline.operator_id),
    }
    assert history[0]["kind"] == "created"

    # Sending the same values again changes nothing and writes nothing.
    same = await patch(client, hotline, after, title="Charger offline since Monday")
    assert same.status_code == 200 and same.json()["version"] == after["version"]
    again = (await client.get(f"/tickets/{ticket['id']}", headers=tech.headers)).json()["history"]
    assert len(again) == len(history)


async def test_state_machine_sets_and_clears_resolved_and_closed(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    for state in ("open", "in_progress", "waiting_customer", "resolved"):
        response = await patch(client, tech, ticket, state=state)
        assert response.status_code == 200, response.text
        ticket = response.json()
    assert ticket["resolved_at"] is not None and ticket["closed_at"] is None
    ticket = (await patch(client, tech, ticket, state="closed")).json()
    assert ticket["closed_at"] is not None and ticket["resolved_at"] is not None
    assert ticket["warning"] is None and ticket["overdue"] is False
    reopened = (await patch(client, tech, ticket, state="open")).json()
    assert reopened["state"] == "open"
    assert reopened["resolved_at"] is None and reopened["closed_at"] is None


async def test_illegal_transition_is_409_naming_the_allowed_states_and_changes_nothing(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    response = await patch(client, hotline, ticket, state="resolved", title="Changed title")
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "invalid_transition"
    assert problem["allowed"] == ["open", "in_progress", "closed"]
    assert "open, in_progress, closed" in problem["detail"]
    detail = (await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)).json()
    assert detail["version"] == ticket["version"] and detail["title"] == ticket["title"]
    assert [e["kind"] for e in detail["history"]] == ["created"]
    assert await count(db, AuditRecord, AuditRecord.action == "ticket.update") == 0

    closed = (await patch(client, hotline, ticket, state="closed")).json()
    back = await patch(client, hotline, closed, state="in_progress")
    assert back.status_code == 409 and back.json()["allowed"] == ["open"]


async def test_patch_needs_the_current_version(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    missing = await client.patch(f"/tickets/{ticket['id']}", json={"title": "x"}, headers=hotline.headers)
    assert missing.status_code == 428
    first = await patch(client, hotline, ticket, title="First edit")
    assert first.status_code == 200
    stale = await patch(client, hotline, ticket, title="Second edit from an old copy")
    assert stale.status_code == 412
    assert stale.json()["current"]["title"] == "First edit"
    assert stale.headers["ETag"] == f'"{first.json()["version"]}"'
    detail = (await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)).json()
    assert detail["title"] == "First edit"


async def test_patch_refuses_nulls_and_unknown_fields(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    null_title = await patch(client, hotline, ticket, title=None)
    assert null_title.status_code == 422 and null_title.json()["errors"][0]["field"] == "title"
    unknown = await patch(client, hotline, ticket, number="T-1999-000001")
    assert unknown.status_code == 422
    unassigned = await patch(client, hotline, ticket, owner_id=None)
    assert unassigned.status_code == 200


# --- comments -----------------------------------------------------------------------------------


async def test_public_reply_answers_the_first_response_and_notes_do_not(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    note = await client.post(f"/tickets/{ticket['id']}/comments", headers=hotline.headers,
                             json={"body": "Customer sounded upset.", "public": False})
    assert note.status_code == 201
    assert note.json()["kind"] == "note" and note.json()["public"] is False
    assert note.json()["ticket_version"] == ticket["version"] + 1
    after_note = (await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)).json()
    assert after_note["first_responded_at"] is None
    assert after_note["version"] == ticket["version"] + 1

    reply = await client.post(f"/tickets/{ticket['id']}/comments", headers=hotline.headers,
                              json={"body": "A technician will call you today.", "public": True})
    assert reply.status_code == 201 and reply.json()["kind"] == "reply"
    detail = (await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)).json()
    assert detail["first_responded_at"] == reply.json()["at"]
    assert detail["due_at"] == detail["resolution_due_at"]
    assert [(e["kind"], e["body"]) for e in detail["history"][1:]] == [
        ("note", "Customer sounded upset."), ("reply", "A technician will call you today.")]
    assert await count(db, EventRecord, EventRecord.type == "ticket.updated") == 2


async def test_comment_retry_adds_one_comment_and_empty_ones_are_refused(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    url = f"/tickets/{ticket['id']}/comments"
    headers = {**hotline.headers, "Idempotency-Key": "comment-1"}
    first = await client.post(url, json={"body": "Called back.", "public": False}, headers=headers)
    retry = await client.post(url, json={"body": "Called back.", "public": False}, headers=headers)
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    assert await count(db, TicketEntry, TicketEntry.kind == "note") == 1
    empty = await client.post(url, json={"body": "   "}, headers=hotline.headers)
    assert empty.status_code == 422
    too_long = await client.post(url, json={"body": "x" * 20_001}, headers=hotline.headers)
    assert too_long.status_code == 422
    missing = await client.post(f"/tickets/{uuid.uuid4()}/comments", json={"body": "x"}, headers=hotline.headers)
    assert missing.status_code == 404
    assert await count(db, TicketEntry, TicketEntry.kind == "note") == 1


async def test_every_role_works_tickets_but_not_without_signing_in(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    for role in ("hotline", "technician", "privacy_officer", "admin"):
        op = await sign_in(role)
        assert (await client.get("/tickets", headers=op.headers)).status_code == 200
    assert (await client.get("/tickets")).status_code == 401
    assert (await client.post("/tickets", json={"kind": "fault", "title": "x"})).status_code == 401


async def test_two_simultaneous_edits_of_one_version_give_one_success_and_one_412(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    tech = await sign_in("technician")
    ticket = await new_ticket(client, hotline)
    first, second = await asyncio.gather(
        patch(client, hotline, ticket, title="Edited at the hotline"),
        patch(client, tech, ticket, title="Edited in the field"),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 412]
    detail = (await client.get(f"/tickets/{ticket['id']}", headers=hotline.headers)).json()
    assert detail["version"] == ticket["version"] + 1
    assert len([e for e in detail["history"] if e["kind"] == "change"]) == 1


async def test_hostile_input_is_refused_without_a_server_error(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    nul_title = await client.post("/tickets", json={"kind": "fault", "title": "a\u0000b"}, headers=hotline.headers)
    assert nul_title.status_code == 422 and nul_title.json()["errors"][0]["field"] == "title"
    nul_comment = await client.post(f"/tickets/{ticket['id']}/comments", json={"body": "\u0000"},
                                    headers=hotline.headers)
    assert nul_comment.status_code == 422
    for params in ({"q": "a\u0000"}, {"customer_id": "\u0000"}, {"offset": 10**20}, {"limit": 501},
                   {"sort": "title"}, {"overdue": "maybe"}):
        response = await client.get("/tickets", params=params, headers=hotline.headers)
        assert response.status_code == 422, (params, response.text)
    assert (await client.get("/tickets/%00", headers=hotline.headers)).status_code == 404
    assert (await client.get("/tickets/" + "x" * 100, headers=hotline.headers)).status_code == 404
    for filed in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1990-01-01T00:00:00Z"):
        response = await client.post("/tickets", headers=hotline.headers, json={
            "kind": "complaint", "title": "x", "complaint_filed_at": filed})
        assert response.status_code == 422, (filed, response.text)
    malformed = await client.post("/tickets", content=b"{not json", headers={
        **hotline.headers, "Content-Type": "application/json"})
    assert malformed.status_code == 400
    assert await count(db, Ticket) == 1
