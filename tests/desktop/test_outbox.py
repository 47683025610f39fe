"""The outbox against a real server: writes made offline wait in the encrypted store, arrive once
each when the server is back, survive a lost answer, and conflicts and refusals stay visible
until the operator decides."""

from __future__ import annotations

import base64
import json
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, func, select

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem, ServerUnreachable, SessionEnded
from ema_desktop.cache import outbox
from ema_desktop.cache.conflicts import ConflictView
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.replay import OutboxSender
from ema_desktop.cache.sync import Synchroniser
from ema_server.db.engine import Database
from ema_server.db.models import PrivacyRequestEntry
from tests.desktop.samples import png


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def offline(client: BackendClient) -> Iterator[None]:
    """The signed-in client, with its server out of reach (a port nothing listens on)."""
    online = client.http.base_url
    client.http.base_url = closed_port_url()
    try:
        yield
    finally:
        client.http.base_url = online


@pytest.fixture
async def store(tmp_path: Path, backend: BackendClient) -> AsyncIterator[LocalStore]:
    """The operator's encrypted store, synced with the server once (as before going into the field)."""
    local = LocalStore(tmp_path / "store" / "local.db", secrets.token_hex(32))
    await local.open()
    try:
        await Synchroniser(local, backend).pull()
        yield local
    finally:
        await local.close()


@pytest.fixture
def sender(store: LocalStore, backend: BackendClient) -> OutboxSender:
    return OutboxSender(store, backend)


async def stored(store: LocalStore, entity: str, where: str = "1", limit: int = 5) -> list[dict[str, Any]]:
    """Records of one entity from the local store (what the console shows offline)."""
    def read(connection: Connection) -> list[dict[str, Any]]:
        rows = connection.exec_driver_sql(
            f"SELECT data FROM record WHERE entity = ? AND {where} ORDER BY id LIMIT ?", (entity, limit)
        ).all()
        connection.commit()
        return [json.loads(r[0]) for r in rows]
    return await store.call(read)


async def stored_ticket(store: LocalStore, ticket_id: str) -> dict[str, Any]:
    return (await stored(store, "ticket", f"id = '{ticket_id}'"))[0]


async def enqueue(store: LocalStore, write: outbox.OutboxWrite) -> outbox.OutboxEntry:
    return await store.call(outbox.enqueue, write)


async def counts(store: LocalStore) -> dict[str, int]:
    return await store.call(outbox.counts)


async def comments_on_server(client: BackendClient, ticket_id: str, body: str) -> int:
    detail = await client.ticket(ticket_id)
    return sum(1 for e in detail.history if e.body == body and e.kind in ("reply", "note"))


async def attachments_on_server(client: BackendClient, ticket_id: str, filename: str) -> int:
    detail = await client.ticket(ticket_id)
    return sum(1 for e in detail.history if e.kind == "attachment" and e.body == filename)


async def privacy_notes_on_server(db: Database, request_id: str, note: str) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(
            select(func.count()).select_from(PrivacyRequestEntry).where(
                PrivacyRequestEntry.request_id == request_id, PrivacyRequestEntry.body == note)
        ) or 0)


async def open_tickets(store: LocalStore, count: int) -> list[dict[str, Any]]:
    tickets = await stored(store, "ticket", "json_extract(data, '$.state') = 'open'", count)
    assert len(tickets) == count
    return tickets


# --- offline, then online -----------------------------------------------------------------------


async def test_writes_made_offline_wait_then_arrive_once_each(
    store: LocalStore, sender: OutboxSender, backend: BackendClient, console_db: Database
) -> None:
    ticket, other = await open_tickets(store, 2)
    contact = (await stored(store, "contact"))[0]
    request = (await stored(store, "privacy_request", "json_extract(data, '$.state') = 'in_progress'"))[0]
    photo = png()
    history_before = len((await backend.ticket(ticket["id"])).history)

    writes = [
        outbox.ticket_update(ticket["id"], ticket["version"], {"state": "in_progress"}),
        outbox.ticket_comment(ticket["id"], "Jedu na místo, budu tam do hodiny.", public=True),
        outbox.ticket_comment(ticket["id"], "Kabel na konektoru 1 je prodřený.", public=False),
        outbox.ticket_attachment(ticket["id"], "kabel.png", photo),
        # Made against the same version as the first change: the operator's own earlier writes
        # must not turn it into a conflict.
        outbox.ticket_update(ticket["id"], ticket["version"], {"priority": "critical"}),
        outbox.ticket_comment(other["id"], "Zákazník potvrdil termín.", public=False),
        outbox.contact_update(contact["customer_id"], contact["id"], contact["version"],
                              {"email": "servis.novy@example.cz"}),
        outbox.privacy_request_note(request["id"], "Ověřeno telefonicky se subjektem."),
    ]
    with offline(backend):
        for write in writes:
            await enqueue(store, write)
        result = await sender.send_pending()

    assert isinstance(result.stopped_by, ServerUnreachable)
    assert result.sent == []
    assert await counts(store) == {"pending": len(writes), "sending": 0, "conflict": 0, "failed": 0}
    pending = await store.call(outbox.entries)
    assert [e.summary for e in pending] == [
        "State → in progress", "Public reply", "Internal note", "Photo kabel.png", "Priority → critical",
        "Internal note", "Contact: E-mail → servis.novy@example.cz", "Internal note",
    ]
    assert pending[0].attempts == 1 and "Cannot reach the server" in (pending[0].last_error or "")
    assert len((await backend.ticket(ticket["id"])).history) == history_before  # nothing reached the server

    result = await sender.send_pending()

    assert result.stopped_by is None
    assert (len(result.sent), result.conflicts, result.failures) == (len(writes), [], [])
    assert await counts(store) == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    detail = await backend.ticket(ticket["id"])
    assert (detail.state, detail.priority) == ("in_progress", "critical")
    assert await comments_on_server(backend, ticket["id"], "Jedu na místo, budu tam do hodiny.") == 1
    assert await comments_on_server(backend, ticket["id"], "Kabel na konektoru 1 je prodřený.") == 1
    assert await attachments_on_server(backend, ticket["id"], "kabel.png") == 1
    assert await comments_on_server(backend, other["id"], "Zákazník potvrdil termín.") == 1
    customer = await backend.customer(contact["customer_id"])
    assert next(c for c in customer.contacts if c.id == contact["id"]).email == "servis.novy@example.cz"
    assert await privacy_notes_on_server(console_db, request["id"], "Ověřeno telefonicky se subjektem.") == 1
    # The console shows the server's answer at once, not the old values until the next sync.
    local = await stored_ticket(store, ticket["id"])
    assert (local["state"], local["priority"]) == ("in_progress", "critical")
    assert "overdue" not in local  # stored in the change feed's shape
    assert (await stored(store, "contact", f"id = '{contact['id']}'"))[0]["email"] == "servis.novy@example.cz"
    photos = await stored(store, "attachment", f"parent_id = '{ticket['id']}' AND "
                                               "json_extract(data, '$.filename') = 'kabel.png'")
    assert len(photos) == 1

    again = await sender.send_pending()
    assert (again.sent, again.stopped_by) == ([], None)
    assert len((await backend.ticket(ticket["id"])).history) == len(detail.history)


async def test_write_whose_answer_was_lost_is_applied_once(
    store: LocalStore, sender: OutboxSender, backend: BackendClient, console_db: Database
) -> None:
    """A console killed after the server applied a write but before it recorded the answer sends
    it again on the next start, with the same key: the server must not apply it twice."""
    ticket, = await open_tickets(store, 1)
    request = (await stored(store, "privacy_request", "json_extract(data, '$.state') = 'received'"))[0]
    for write in (
        outbox.ticket_comment(ticket["id"], "Odpověď, jejíž potvrzení se ztratilo.", public=True),
        outbox.ticket_attachment(ticket["id"], "revize.png", png(3, 3)),
        outbox.ticket_update(ticket["id"], ticket["version"], {"state": "in_progress"}),
        outbox.privacy_request_note(request["id"], "Poznámka, jejíž potvrzení se ztratilo."),
    ):
        await enqueue(store, write)
    before_sending = await store.call(outbox.export)

    assert len((await sender.send_pending()).sent) == 4
    after_first = await backend.ticket(ticket["id"])
    # As if the console died with every entry sent but none of the answers recorded.
    await store.call(_put_back, before_sending["entries"], "sending")
    assert (await counts(store))["sending"] == 4

    result = await sender.send_pending()

    assert (len(result.sent), result.conflicts, result.failures, result.stopped_by) == (4, [], [], None)
    assert await counts(store) == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    assert await comments_on_server(backend, ticket["id"], "Odpověď, jejíž potvrzení se ztratilo.") == 1
    assert await attachments_on_server(backend, ticket["id"], "revize.png") == 1
    detail = await backend.ticket(ticket["id"])
    assert (detail.version, len(detail.history)) == (after_first.version, len(after_first.history))
    assert detail.state == "in_progress"
    assert (await stored_ticket(store, ticket["id"]))["version"] == detail.version
    assert await privacy_notes_on_server(console_db, request["id"], "Poznámka, jejíž potvrzení se ztratilo.") == 1


def _put_back(connection: Connection, exported: list[dict[str, Any]], state: str) -> None:
    with connection.begin():
        for e in exported:
            if_match = outbox.IF_MATCH_ANY if e["if_match"] == "*" else e["if_match"]
            upload = base64.b64decode(e["upload_base64"]) if e["upload_base64"] else None
            connection.exec_driver_sql(
                "INSERT INTO outbox (seq, idempotency_key, action, entity, entity_id, method, path, body, if_match, "
                "upload, upload_name, summary, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (e["seq"], e["idempotency_key"], e["action"], e["entity"], e["entity_id"], e["method"], e["path"],
                 json.dumps(e["body"]) if e["body"] is not None else None, if_match, upload, e["upload_name"],
                 e["summary"], e["created_at"], state),
            )


# --- conflicts ----------------------------------------------------------------------------------


async def _conflict_on_title(store: LocalStore, sender: OutboxSender, backend: BackendClient,
                             field: str = "title") -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """A colleague changes a ticket's `field` on the server while this operator, offline, changed
    it too, then its state and wrote a note; another ticket was changed as well. Returns the
    ticket, the other ticket and the seqs of the three writes on the first ticket."""
    ticket, other = await open_tickets(store, 2)
    await backend.update_ticket(ticket["id"], ticket["version"], {field: "Kolegův text na serveru"})
    seqs = []
    for write in (
        outbox.ticket_update(ticket["id"], ticket["version"], {field: "Můj text z terénu"}),
        outbox.ticket_update(ticket["id"], ticket["version"], {"state": "in_progress"}),
        outbox.ticket_comment(ticket["id"], "Poznámka za konfliktem.", public=False),
    ):
        seqs.append((await enqueue(store, write)).seq)
    await enqueue(store, outbox.ticket_update(other["id"], other["version"], {"priority": "high"}))
    return ticket, other, seqs


async def test_conflict_shows_the_servers_version_and_holds_later_writes_of_that_ticket(
    store: LocalStore, sender: OutboxSender, backend: BackendClient
) -> None:
    ticket, other, (edit, state_change, note) = await _conflict_on_title(store, sender, backend)

    result = await sender.send_pending()

    assert (len(result.sent), [e.seq for e in result.conflicts], result.failures) == (1, [edit], [])
    assert (await backend.ticket(other["id"])).priority == "high"  # other tickets' writes proceed
    conflicted = await store.call(outbox.entries, ["conflict"])
    assert [e.seq for e in conflicted] == [edit]
    assert conflicted[0].conflict is not None
    assert conflicted[0].conflict["title"] == "Kolegův text na serveru"
    assert [e.seq for e in await store.call(outbox.held)] == [state_change, note]
    server = await backend.ticket(ticket["id"])
    assert (server.title, server.state) == ("Kolegův text na serveru", "open")
    assert await comments_on_server(backend, ticket["id"], "Poznámka za konfliktem.") == 0
    # The store shows what is true on the server now; the operator's text waits in the conflict.
    assert (await stored_ticket(store, ticket["id"]))["title"] == "Kolegův text na serveru"
    view = ConflictView.from_entry(conflicted[0])
    assert view.record_label == ticket["number"]
    assert [(f.name, f.mine, f.theirs, f.differs) for f in view.fields] == [
        ("title", "Můj text z terénu", "Kolegův text na serveru", True)]

    again = await sender.send_pending()  # nothing moves until the operator decides
    assert (again.sent, again.conflicts) == ([], [])
    assert (await counts(store))["conflict"] == 1


@pytest.mark.parametrize(("choice", "expected_title"), [
    ("mine", "Můj text z terénu"),
    ("theirs", "Kolegův text na serveru"),
    ("merge", "Kolegův text na serveru / Můj text z terénu"),
])
async def test_each_conflict_choice_ends_on_the_server(
    store: LocalStore, sender: OutboxSender, backend: BackendClient, choice: str, expected_title: str
) -> None:
    ticket, _other, (edit, _state_change, _note) = await _conflict_on_title(store, sender, backend)
    await sender.send_pending()
    entry = (await store.call(outbox.entries, ["conflict"]))[0]
    view = ConflictView.from_entry(entry)
    merged = view.merged({"title": view.merge_default("title").text}) if choice == "merge" else None

    rearmed = await sender.resolve(edit, choice, merged)
    if choice == "theirs":
        assert rearmed is None
    else:
        assert rearmed is not None and rearmed.state == "pending"
        assert rearmed.idempotency_key != entry.idempotency_key
        assert rearmed.if_match == entry.conflict["version"]  # type: ignore[index]
    result = await sender.send_pending()

    assert (result.conflicts, result.failures, result.stopped_by) == ([], [], None)
    assert len(result.sent) == (2 if choice == "theirs" else 3)
    assert await counts(store) == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    server = await backend.ticket(ticket["id"])
    assert (server.title, server.state) == (expected_title, "in_progress")
    assert await comments_on_server(backend, ticket["id"], "Poznámka za konfliktem.") == 1
    assert (await stored_ticket(store, ticket["id"]))["title"] == expected_title


async def test_merged_description_reaches_the_server(
    store: LocalStore, sender: OutboxSender, backend: BackendClient
) -> None:
    ticket, _other, (edit, _s, _n) = await _conflict_on_title(store, sender, backend, field="description")
    await sender.send_pending()
    view = ConflictView.from_entry((await store.call(outbox.entries, ["conflict"]))[0])
    assert view.can_merge
    default = view.merge_default("description")
    assert default.text == "Kolegův text na serveru\n\nMůj text z terénu"

    await sender.resolve(edit, "merge", view.merged({"description": "Kolegův text, doplněný o můj."}))
    await sender.send_pending()

    assert (await backend.ticket(ticket["id"])).description == "Kolegův text, doplněný o můj."


# --- refusals and export ------------------------------------------------------------------------


async def test_refused_write_stays_with_the_servers_reason_until_discarded(
    store: LocalStore, sender: OutboxSender, backend: BackendClient
) -> None:
    closed = (await stored(store, "ticket", "json_extract(data, '$.state') = 'closed'"))[0]
    ticket, = await open_tickets(store, 1)
    refused = await enqueue(store, outbox.ticket_update(closed["id"], closed["version"], {"state": "in_progress"}))
    await enqueue(store, outbox.ticket_comment(ticket["id"], "Tahle projde.", public=False))

    result = await sender.send_pending()

    assert (len(result.sent), [e.seq for e in result.failures], result.stopped_by) == (1, [refused.seq], None)
    failed = await store.call(outbox.entries, ["failed"])
    assert [e.seq for e in failed] == [refused.seq]
    assert failed[0].last_error is not None and "open" in failed[0].last_error  # where it may move instead
    assert "422" not in failed[0].last_error and "Traceback" not in failed[0].last_error
    assert (await backend.ticket(closed["id"])).state == "closed"
    again = await sender.send_pending()
    assert (again.sent, again.failures) == ([], [])  # not retried, not dropped
    assert (await counts(store))["failed"] == 1

    assert await sender.discard(refused.seq)
    assert await counts(store) == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}


async def test_export_holds_every_unsent_write(
    store: LocalStore, sender: OutboxSender, backend: BackendClient
) -> None:
    ticket, = await open_tickets(store, 1)
    contact = (await stored(store, "contact"))[0]
    request = (await stored(store, "privacy_request"))[0]
    photo = png(4, 4)
    with offline(backend):
        for write in (
            outbox.ticket_update(ticket["id"], ticket["version"], {"owner_id": None}),
            outbox.ticket_comment(ticket["id"], "Neodeslaná odpověď.", public=True),
            outbox.ticket_attachment(ticket["id"], "foto.png", photo),
            outbox.contact_update(contact["customer_id"], contact["id"], contact["version"],
                                  {"phone": "+420777000111"}),
            outbox.privacy_request_note(request["id"], "Neodeslaná poznámka."),
        ):
            await enqueue(store, write)
        await sender.send_pending()

    saved = json.loads(json.dumps(await store.call(outbox.export)))

    assert saved["format"] == "ema-outbox"
    assert [e["action"] for e in saved["entries"]] == [
        "ticket_update", "ticket_comment", "ticket_attachment", "contact_update", "privacy_request_note"]
    assert all(e["idempotency_key"] and e["state"] == "pending" for e in saved["entries"])
    assert base64.b64decode(saved["entries"][2]["upload_base64"]) == photo
    assert saved["entries"][4]["if_match"] == "*"
    assert saved["entries"][1]["body"] == {"body": "Neodeslaná odpověď.", "public": True}


# --- a server that cannot take writes now -------------------------------------------------------


class FlakyServer:
    """A stand-in server that signs in, then answers writes with `status` until told otherwise."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.writes: list[tuple[str, str | None]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/auth/login"):
            return httpx.Response(200, json={"access_token": "a", "refresh_token": "r", "expires_in": 900})
        if path.endswith("/auth/me"):
            return httpx.Response(200, json={"id": "op", "username": "jana", "display_name": "Jana",
                                             "roles": ["technician"], "permissions": []})
        if path.endswith("/auth/refresh"):
            return httpx.Response(401, json={"status": 401, "code": "invalid_token", "title": "Signed out"})
        self.writes.append((path, request.headers.get("idempotency-key")))
        if self.status >= 400:
            return httpx.Response(self.status, json={"status": self.status, "code": f"http_{self.status}",
                                                     "title": "Unavailable"})
        return httpx.Response(201, json={"id": secrets.token_hex(4), "at": "2026-06-01T10:00:00Z", "kind": "note",
                                         "body": "x", "public": False, "ticket_version": 9})


@pytest.mark.parametrize(("status", "stopped_by"), [(500, ApiProblem), (503, ApiProblem), (401, SessionEnded)])
async def test_server_that_cannot_take_writes_stops_the_replay_and_loses_nothing(
    status: int, stopped_by: type[Exception]
) -> None:
    server = FlakyServer(status)
    client = BackendClient("http://ema.test", transport=httpx.MockTransport(server.handle), retry_delays=(0.01,))
    local = LocalStore(None, secrets.token_hex(32))
    await local.open()
    try:
        await client.sign_in("jana", "heslo")
        first = await enqueue(local, outbox.ticket_comment("t1", "První poznámka.", public=False))
        await enqueue(local, outbox.ticket_comment("t1", "Druhá poznámka.", public=False))
        sender = OutboxSender(local, client)

        result = await sender.send_pending()

        assert isinstance(result.stopped_by, stopped_by)
        assert {path for path, _key in server.writes} == {"/api/v1/tickets/t1/comments"}
        assert {key for _path, key in server.writes} == {first.idempotency_key}  # the second was not tried
        waiting = await local.call(outbox.entries)
        assert [(e.state, e.attempts) for e in waiting] == [("pending", 1), ("pending", 0)]
        assert waiting[0].last_error and "Traceback" not in waiting[0].last_error

        if status == 401:
            await client.sign_in("jana", "heslo")
        server.status = 201
        result = await sender.send_pending()

        assert (len(result.sent), result.stopped_by) == (2, None)
        assert server.writes[-2][1] == first.idempotency_key  # sent again with the key it was stored with
        assert await counts(local) == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    finally:
        await local.close()
        await client.aclose()
