"""The incremental sync feed /changes: what a syncing console receives, page by page."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select, text

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, ChangeRecord, Contact, Customer, PrivacyRequest, Ticket, utcnow
from ema_server.db.models.base import json_value
from ema_server.db.tracking import ORDERING_LOCK_KEY, change_rows_for
from tests.conftest import SignIn


def _customer(number: str, name: str = "Jana Nováková") -> Customer:
    return Customer(customer_number=number, kind="consumer", name=name, email="jana@example.cz")


def _ticket(number: str) -> Ticket:
    now = utcnow()
    return Ticket(
        number=number,
        kind="fault",
        title="Station offline",
        first_response_due_at=now + timedelta(hours=4),
        resolution_due_at=now + timedelta(days=2),
    )


def _privacy_request(number: str) -> PrivacyRequest:
    now = utcnow()
    return PrivacyRequest(
        number=number,
        right="access",
        subject_name="Petr Svoboda",
        channel="email",
        received_at=now,
        due_at=now + timedelta(days=30),
    )


async def _page(
    client: httpx.AsyncClient, headers: dict[str, str], since: str = "0", limit: int | None = None
) -> dict[str, Any]:
    params: dict[str, str | int] = {"since": since}
    if limit is not None:
        params["limit"] = limit
    response = await client.get("/changes", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


async def _pull_all(
    client: httpx.AsyncClient, headers: dict[str, str], since: str = "0", limit: int | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Every change after `since`, page after page, like a syncing console; and the final cursor."""
    changes: list[dict[str, Any]] = []
    for _ in range(1000):
        body = await _page(client, headers, since, limit)
        assert isinstance(body["next_cursor"], str)
        changes.extend(body["changes"])
        since = body["next_cursor"]
        if not body["has_more"]:
            return changes, since
    raise AssertionError("the feed never said it had no more")


def _of(changes: list[dict[str, Any]], entity: str) -> list[dict[str, Any]]:
    return [c for c in changes if c["entity"] == entity]


async def test_new_and_edited_customer_arrive_as_upserts_with_their_data(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    async with db.sessions() as session:
        customer = _customer("C0001")
        session.add(customer)
        await session.commit()
        customer.name = "Jana Dvořáková"
        await session.commit()

    changes, _ = await _pull_all(client, hotline.headers)
    mine = [c for c in _of(changes, "customer") if c["id"] == customer.id]
    assert [(c["op"], c["version"], c["data"]["name"]) for c in mine] == [
        ("upsert", 1, "Jana Nováková"),
        ("upsert", 2, "Jana Dvořáková"),
    ]
    assert mine[1]["data"]["email"] == "jana@example.cz"
    assert "search_text" not in mine[1]["data"]  # never leaves the server
    async with db.sessions() as session:
        stored = await session.get(ChangeRecord, mine[0]["seq"])
    assert stored is not None
    assert mine[0]["at"] == json_value(stored.at)  # written like every other time of the API
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


async def test_deleted_contact_arrives_as_a_tombstone_without_data(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    technician = await sign_in("technician")
    async with db.sessions() as session:
        customer = _customer("C0002")
        session.add(customer)
        await session.flush()
        contact = Contact(customer_id=customer.id, name="Karel Novák", phone="+420601234567")
        session.add(contact)
        await session.commit()
    _, cursor = await _pull_all(client, technician.headers)

    async with db.sessions() as session:
        await session.delete(await session.get(Contact, contact.id))
        await session.commit()

    changes, _ = await _pull_all(client, technician.headers, since=cursor)
    assert [(c["entity"], c["id"], c["op"], c["data"], c["version"]) for c in changes] == [
        ("contact", contact.id, "delete", None, None)
    ]
    # The tombstone stays: a console syncing from the start learns of the delete too.
    everything, _ = await _pull_all(client, technician.headers)
    assert [c["op"] for c in everything if c["id"] == contact.id] == ["upsert", "delete"]


@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_small_pages_add_up_to_the_whole_feed_without_losing_or_repeating_a_change(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn, limit: int
) -> None:
    hotline = await sign_in("hotline")
    async with db.sessions() as session:
        for n in range(7):
            session.add(_customer(f"C1{n:03d}"))
        await session.commit()

    whole, whole_cursor = await _pull_all(client, hotline.headers)
    paged, paged_cursor = await _pull_all(client, hotline.headers, limit=limit)
    assert paged == whole
    assert len(_of(paged, "customer")) == 7
    assert paged_cursor == whole_cursor

    after = await _page(client, hotline.headers, since=paged_cursor)
    assert after == {"changes": [], "next_cursor": paged_cursor, "has_more": False, "latest": int(paged_cursor)}


async def test_hotline_never_sees_privacy_requests_yet_its_cursor_moves_past_them(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    officer = await sign_in("privacy_officer")
    async with db.sessions() as session:
        session.add(_customer("C2001"))
        await session.commit()
        request = _privacy_request("PR-2025-000001")
        session.add(request)
        await session.commit()

    for limit in (None, 1):
        seen_by_hotline, hotline_cursor = await _pull_all(client, hotline.headers, limit=limit)
        seen_by_officer, officer_cursor = await _pull_all(client, officer.headers, limit=limit)
        assert _of(seen_by_hotline, "privacy_request") == []
        assert [c["id"] for c in _of(seen_by_officer, "privacy_request")] == [request.id]
        assert [c["seq"] for c in seen_by_hotline] == [
            c["seq"] for c in seen_by_officer if c["entity"] != "privacy_request"
        ]
        # The privacy request is the newest change; the hotline's cursor still ends past it.
        assert hotline_cursor == officer_cursor == str(seen_by_officer[-1]["seq"])
    assert (await _page(client, hotline.headers, since=hotline_cursor))["changes"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "abc"}, "since"),
        ({"since": "-1"}, "since"),
        ({"since": "1.5"}, "since"),
        ({"since": "٣"}, "since"),
        ({"since": "99999999999999999999"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "10001"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
async def test_bad_cursor_or_limit_is_refused_with_a_problem(
    client: httpx.AsyncClient, sign_in: SignIn, params: dict[str, str], field: str
) -> None:
    hotline = await sign_in("hotline")
    response = await client.get("/changes", params=params, headers=hotline.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_feed_needs_a_signed_in_operator(client: httpx.AsyncClient) -> None:
    response = await client.get("/changes")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def _change_reads(db: Database, operator_id: str) -> list[dict[str, Any]]:
    async with db.sessions() as session:
        rows = (
            (
                await session.execute(
                    select(AuditRecord.detail)
                    .where(AuditRecord.action == "changes.read", AuditRecord.operator_id == operator_id)
                    .order_by(AuditRecord.seq)
                )
            )
            .scalars()
            .all()
        )
    return [json.loads(detail) for detail in rows]


async def test_reading_customer_changes_is_audited_per_page_without_personal_data(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    hotline = await sign_in("hotline")
    async with db.sessions() as session:
        customer = _customer("C3001", name="Zdeňka Audítková")
        session.add(customer)
        await session.flush()
        session.add(Contact(customer_id=customer.id, name="Zdeněk Audítek"))
        await session.commit()

    body = await _page(client, hotline.headers)
    reads = await _change_reads(db, hotline.operator_id)
    assert len(reads) == 1
    entities = {e: sum(1 for c in body["changes"] if c["entity"] == e) for e in {"customer", "contact", "operator"}}
    assert reads[0]["count"] == len(body["changes"])
    assert reads[0]["entities"]["customer"] == entities["customer"] == 1
    assert reads[0]["entities"]["contact"] == entities["contact"] == 1
    assert "Audít" not in json.dumps(reads[0], ensure_ascii=False)

    # Nothing new: nothing was read, nothing is recorded.
    await _page(client, hotline.headers, since=body["next_cursor"])
    assert len(await _change_reads(db, hotline.operator_id)) == 1


async def _someone_waits_for_the_ordering_lock(db: Database) -> bool:
    async with db.sessions() as session:
        waiting = await session.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND NOT granted"),
            {"key": ORDERING_LOCK_KEY},
        )
        return bool(waiting.scalar_one())


@pytest.mark.parametrize("second_writer", ["orm", "bulk"])
async def test_reader_polling_during_overlapping_transactions_gets_every_change_once_in_order(
    db: Database, client: httpx.AsyncClient, sign_in: SignIn, second_writer: str
) -> None:
    """The second writer commits while the first is still open, through the ORM or with rows
    written straight into the change log as the demo-data loader does."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite runs one writer at a time; overlapping transactions need PostgreSQL")
    reader = await sign_in("admin")
    _, start = await _pull_all(client, reader.headers)
    cursor = start
    seen: list[dict[str, Any]] = []

    async def poll() -> bool:
        nonlocal cursor
        body = await _page(client, reader.headers, since=cursor, limit=1)
        seen.extend(body["changes"])
        cursor = body["next_cursor"]
        return bool(body["has_more"])

    a_written, a_may_commit = asyncio.Event(), asyncio.Event()
    customer, ticket = _customer("C4001"), _ticket("T-2025-000001")
    ticket.id = str(uuid.uuid4())

    async def transaction_a() -> None:
        async with db.sessions() as session:
            session.add(customer)
            await session.flush()  # numbered now, committed later
            a_written.set()
            await a_may_commit.wait()
            await session.commit()

    async def transaction_b() -> None:
        async with db.sessions() as session:
            if second_writer == "orm":
                session.add(ticket)
            else:
                record = {"id": ticket.id, "number": ticket.number, "version": 1}
                await session.execute(insert(ChangeRecord), change_rows_for([record], "ticket", "general"))
            await session.commit()

    async with asyncio.timeout(30):
        task_a = asyncio.create_task(transaction_a())
        await a_written.wait()
        task_b = asyncio.create_task(transaction_b())
        # B either waits behind A or, were change numbers not in commit order, has committed.
        while not (task_b.done() or await _someone_waits_for_the_ordering_lock(db)):
            await poll()
            await asyncio.sleep(0.01)
        for _ in range(3):
            await poll()
        a_may_commit.set()
        await asyncio.gather(task_a, task_b)
        while await poll():
            pass

    ids = [c["id"] for c in seen]
    assert ids.count(customer.id) == 1
    assert ids.count(ticket.id) == 1
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # Exactly what a reader arriving after both commits gets in one go.
    after_the_fact, _ = await _pull_all(client, reader.headers, since=start)
    assert seen == after_the_fact
