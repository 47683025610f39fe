"""Reads from the local store: every pane shows offline what the server would answer.

The strongest check pulls a real server's demo data into a fresh encrypted store and compares the
local reads field by field with the server's API answers, at one fixed moment for both. The
others work on small stores written here: the operator's unsent writes laid over what is shown,
and search input that would be syntax to the search index.
"""

from __future__ import annotations

import functools
import json
import random
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

import ema_server.api.privacy
import ema_server.api.tickets
import ema_server.privacy_requests
from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import Device, PrivacyRequestItem, TicketListItem
from ema_desktop.cache import deadlines, reads
from ema_desktop.cache.changes import apply_page, rebuild_search
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.sync import Synchroniser
from ema_server.domain import deadlines as server_deadlines
from ema_server.tickets import LEGAL_WARN_DAYS, SLA_WARN_FRACTION

OPEN = ("new", "open", "in_progress", "waiting_customer")
T = TypeVar("T")


# --- helpers ------------------------------------------------------------------------------------


def differences(mine: Any, theirs: Any, path: str = "") -> list[str]:
    """Where two answers differ, as readable paths (empty when equal)."""
    if isinstance(mine, BaseModel) and isinstance(theirs, BaseModel):
        return differences(mine.model_dump(), theirs.model_dump(), path)
    if isinstance(mine, dict) and isinstance(theirs, dict):
        found: list[str] = []
        for key in sorted(set(mine) | set(theirs)):
            found += differences(mine.get(key), theirs.get(key), f"{path}.{key}")
        return found
    if isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) != len(theirs):
            return [f"{path}: {len(mine)} items here, {len(theirs)} on the server"]
        return [d for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if mine == theirs else [f"{path}: {mine!r} here, {theirs!r} on the server"]


def assert_same(mine: Any, theirs: Any, what: str) -> None:
    found = differences(mine, theirs)
    assert not found, f"{what} differs from the server's answer:\n" + "\n".join(found[:20])


async def all_pages(fetch: Callable[[int], Any]) -> list[Any]:
    items: list[Any] = []
    while True:
        page = await fetch(len(items))
        items.extend(page.items)
        if not page.items or len(items) >= page.total:
            return items


def spread(items: Sequence[T], count: int) -> list[T]:
    """`count` items spread over the whole list (all of them when it is shorter)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


# --- a store synced from a real server, and the server's clock held still -----------------------


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """One moment for the server's answers and the local reads, so derived fields are comparable."""
    moment = datetime.now(UTC).replace(microsecond=0)
    monkeypatch.setattr(ema_server.api.tickets, "utcnow", lambda: moment)
    monkeypatch.setattr(ema_server.api.privacy, "utcnow", lambda: moment)
    return moment


@pytest.fixture
async def synced(backend: BackendClient, tmp_path: Path) -> AsyncIterator[LocalStore]:
    """A fresh encrypted store with everything the demo administrator may see."""
    store = LocalStore(tmp_path / "store" / "local.db", secrets.token_hex(32))
    await store.open()
    try:
        result = await Synchroniser(store, backend).pull()
        assert result.records > 10_000
        yield store
    finally:
        await store.close()


async def test_ticket_queue_and_tickets_read_offline_are_the_servers(
    backend: BackendClient, synced: LocalStore, now: datetime
) -> None:
    async def read_queue(**filters: Any) -> list[TicketListItem]:
        found: list[TicketListItem] = await synced.call(functools.partial(reads.tickets, now=now, **filters))
        return found

    queue = await all_pages(lambda offset: backend.tickets(state=OPEN, sort="due_at", offset=offset))
    assert len(queue) > 50
    assert {t.warning for t in queue} >= {"overdue", "due_soon", "ok"}
    assert_same(await read_queue(states=OPEN, owner_id=None, overdue=None), queue, "the open ticket queue")

    overdue = await all_pages(lambda offset: backend.tickets(state=OPEN, overdue=True, sort="due_at", offset=offset))
    assert overdue
    assert_same(await read_queue(states=OPEN, owner_id=None, overdue=True), overdue, "the overdue queue")

    owners = [t.owner_id for t in queue if t.owner_id]
    owner = max(set(owners), key=owners.count)
    mine = await all_pages(lambda offset: backend.tickets(state=OPEN, owner_id=owner, sort="due_at", offset=offset))
    assert mine
    assert_same(await read_queue(states=OPEN, owner_id=owner, overdue=None), mine, "one owner's queue")

    everything = await all_pages(lambda offset: backend.tickets(sort="due_at", offset=offset))
    assert_same(await read_queue(states=(), owner_id=None, overdue=False),
                [t for t in everything if not t.overdue], "every ticket not overdue")

    complaints = [t for t in everything if t.legal_due_at is not None]
    chosen = {t.id: t for t in [*spread(queue, 8), *spread(everything, 10), *complaints[:2]]}
    assert len(chosen) >= 20
    for ticket_id in list(chosen)[:20]:
        theirs = await backend.ticket(ticket_id)
        assert_same(await synced.call(reads.ticket_detail, ticket_id, now), theirs, f"ticket {theirs.number}")
    assert await synced.call(reads.ticket_detail, "no-such-ticket", now) is None


async def test_customers_devices_and_privacy_requests_read_offline_are_the_servers(
    backend: BackendClient, synced: LocalStore, now: datetime
) -> None:
    customers = (await backend.search_customers("", limit=500)).items
    for summary in spread(customers, 20):
        theirs = await backend.customer(summary.id)
        assert_same(await synced.call(reads.customer_detail, summary.id), theirs, f"customer {summary.customer_number}")
    assert await synced.call(reads.customer_detail, "no-such-customer") is None

    requests = await all_pages(lambda offset: backend.privacy_requests(offset=offset))
    assert {r.warning for r in requests} >= {"overdue", None}
    mine: list[PrivacyRequestItem] = await synced.call(reads.privacy_requests, now)
    assert_same(mine, requests, "the privacy requests")

    fleet = [*await backend.all_devices(kind="charging_station"), *await backend.all_devices(kind="wallbox")]
    chargers = [d for d in fleet if d.latitude is not None and d.longitude is not None]
    stations: list[Device] = await synced.call(reads.stations)
    assert len(stations) == len(chargers) > 100
    assert [d.serial for d in stations] == sorted(d.serial for d in stations), "the map's stations by serial"
    by_id = {d.id: d for d in stations}
    for device in chargers:
        assert_same(by_id.get(device.id), device, f"station {device.serial}")
    assert {d.status for d in stations} >= {"Available", "Faulted"}

    every_device = await backend.all_devices()
    assert {d.kind for d in every_device} > {"charging_station", "wallbox"}
    for device in spread(every_device, 10):
        detail = await backend.device(device.id)
        assert_same(await synced.call(reads.device_detail, device.id), detail, f"device {device.serial}")
    assert await synced.call(reads.device_detail, "no-such-device") is None

    for query in ("", "cz-sec-0001", "TERRA", "wallbox", "tacw9", "abb terra"):
        found = (await backend.devices(query=query, limit=20)).items
        assert_same(await synced.call(reads.search_devices, query, 20), found, f"devices found by {query!r}")

    assert_same(await synced.call(reads.colleagues), await backend.colleagues(), "the colleagues")


async def test_customer_search_offline_finds_what_the_server_finds(backend: BackendClient, synced: LocalStore) -> None:
    everyone = (await backend.search_customers("", limit=500)).items
    accented = next(c for c in everyone if c.kind == "consumer" and reads.fold(c.name) != c.name.lower())
    surname = reads.fold(accented.name.split()[-1])
    phone = next(c.phone for c in everyone if c.phone and c.phone.startswith("+420"))
    national = phone.removeprefix("+420")
    device = next(d for d in await backend.all_devices(kind="wallbox") if d.ocpp_identity)
    business = next(c for c in everyone if c.ico)
    queries = [
        "", surname, surname[:3], accented.name, reads.fold(accented.name).upper(),
        f"+420 {national[:3]} {national[3:6]} {national[6:]}", f"00420{national}",
        f"{national[:3]} {national[3:6]} {national[6:]}", national, national[:6],
        everyone[7].customer_number, business.ico or "", str(device.ocpp_identity), device.serial,
        "seznam.cz", "jan",
    ]
    for query in queries:
        theirs = await backend.search_customers(query, limit=500)
        mine = await synced.call(reads.search_customers, query, 500)
        assert [c.id for c in mine.items] == [c.id for c in theirs.items], f"customers found by {query!r}"
        assert mine.total == theirs.total, f"how many customers {query!r} finds"
        assert_same(mine.items, theirs.items, f"customers found by {query!r}")
        if query in (everyone[7].customer_number, f"00420{national}", business.ico):
            assert mine.items, f"nothing found by {query!r}"
    # No query: the first customers by name, and how many there are in all.
    limited = await synced.call(reads.search_customers, "", 10)
    assert limited.total == len(everyone) and [c.id for c in limited.items] == [c.id for c in everyone[:10]]


# --- deadline rules: the console's copy and the server's ----------------------------------------


def test_console_deadline_rules_equal_the_servers() -> None:
    assert (deadlines.SLA_HOURS, deadlines.SLA_WARN_FRACTION, deadlines.LEGAL_WARN_DAYS) == (
        server_deadlines.SLA_HOURS, SLA_WARN_FRACTION, LEGAL_WARN_DAYS)
    assert deadlines.OPEN_PRIVACY_STATES == ema_server.privacy_requests.OPEN_STATES
    assert deadlines.PRIVACY_WARN_DAYS == ema_server.privacy_requests.WARN_DAYS
    rng = random.Random(6)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for _ in range(3000):
        moment = start + timedelta(seconds=rng.randrange(0, 4 * 365 * 86400))
        now = moment + timedelta(hours=rng.uniform(-200, 2000))
        assert deadlines.privacy_extension_notice_due_at(moment) == server_deadlines.privacy_due_at(moment)
        agreed = rng.choice([None, 30, 45, 90])
        assert deadlines.complaint_due_at(moment, agreed) == server_deadlines.complaint_due_at(moment, agreed)
        priority = rng.choice(list(deadlines.SLA_HOURS))
        assert deadlines.sla_due_at(priority, moment) == server_deadlines.sla_due_at(priority, moment)
        days = rng.choice([0, 7, 30])
        assert deadlines.warning_level(moment, now, days) == server_deadlines.warning_level(moment, now, days)


# --- small stores written here ------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
CUSTOMER = "c-1"
TICKET = "t-1"
OPERATOR = "op-1"


def _customer(customer_id: str, number: str, name: str, **values: Any) -> dict[str, Any]:
    return {"id": customer_id, "customer_number": number, "kind": "consumer", "name": name, "company_name": None,
            "ico": None, "dic": None, "email": None, "phone": None, "language": "cs", "region": "Praha",
            "status": "active", "version": 1, "created_at": "2024-01-05T10:00:00Z", **values}


def _records() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("operator", {"id": OPERATOR, "username": "jana", "display_name": "Jana Malá", "active": True,
                      "roles": ["hotline"], "version": 1}),
        ("operator", {"id": "op-2", "username": "old", "display_name": "Bývalý kolega", "active": False,
                      "roles": ["technician"], "version": 1}),
        ("customer", _customer(CUSTOMER, "C1000001", "Jan Novák", email="jan.novak@seznam.cz",
                               phone="+420601234567")),
        ("customer", _customer("c-2", "C1000002", "Łucja Dvořáková", phone="+420777888999")),
        ("customer", _customer("c-3", "C1000003", "AND OR NOT", kind="business", company_name="Elektro (Brno)",
                               ico="25596641", dic="CZ25596641")),
        ("contact", {"id": "k-1", "customer_id": CUSTOMER, "name": "Petra Nováková", "role": "billing",
                     "email": "petra@example.cz", "phone": "+420602000111", "version": 3,
                     "created_at": "2024-02-01T08:00:00Z"}),
        ("site", {"id": "s-1", "customer_id": CUSTOMER, "name": "Dům", "street": "Dlouhá 1", "city": "Praha",
                  "postal_code": "110 00", "district": "Praha", "region": "Praha", "latitude": 50.09,
                  "longitude": 14.42, "version": 1}),
        ("device", {"id": "d-1", "customer_id": CUSTOMER, "site_id": "s-1", "kind": "wallbox", "vendor": "ABB",
                    "model": "Terra AC", "serial": "TACW1234", "ocpp_identity": "CZ-SEC-00042", "status": "Available",
                    "error_code": None, "region": "Praha", "last_seen_at": "2026-03-10T08:00:00Z", "version": 1}),
        ("rfid_card", {"id": "r-1", "customer_id": CUSTOMER, "id_tag": "5B6D70E14109EF", "active": True, "version": 1}),
        ("contract", {"id": "m-1", "customer_id": CUSTOMER, "number": "SML-2024-000007", "version": 1}),
        ("ticket", {"id": TICKET, "number": "T-2026-000001", "kind": "fault", "title": "Nenabíjí",
                    "description": "Stanice hlásí chybu.", "customer_id": CUSTOMER, "device_id": "d-1",
                    "connector_no": 1, "error_code": None, "priority": "normal", "state": "open", "owner_id": None,
                    "created_at": "2026-03-10T06:00:00Z", "updated_at": "2026-03-10T06:00:00Z",
                    "first_response_due_at": "2026-03-10T14:00:00Z", "resolution_due_at": "2026-03-13T06:00:00Z",
                    "legal_due_at": None, "first_responded_at": None, "version": 2}),
        ("ticket_entry", {"id": "e-1", "ticket_id": TICKET, "at": "2026-03-10T06:00:00Z", "author_id": OPERATOR,
                          "kind": "created", "new_value": "new", "public": False}),
        ("privacy_request", {"id": "p-1", "number": "P-2026-00001", "right": "access", "customer_id": CUSTOMER,
                             "subject_name": "Jan Novák", "requester_relation": "subject", "channel": "email",
                             "received_at": "2026-02-20T10:00:00Z", "due_at": "2026-03-20T22:59:59.999999Z",
                             "extended_due_at": None, "state": "in_progress", "version": 1}),
    ]


@pytest.fixture
async def small_store() -> AsyncIterator[LocalStore]:
    store = LocalStore(None, secrets.token_hex(32))
    await store.open()
    changes = [{"entity": entity, "id": data["id"], "op": "upsert", "version": data.get("version"), "data": data}
               for entity, data in _records()]
    body = json.dumps({"changes": changes, "next_cursor": "1", "has_more": False, "latest": 1}).encode()
    try:
        await store.call(apply_page, body, "0")
        await store.call(rebuild_search)
        yield store
    finally:
        await store.close()


async def queue_write(store: LocalStore, action: str, entity: str, entity_id: str, body: dict[str, Any] | None, *,
                      at: str = "2026-03-10T08:30:00Z", state: str = "pending", upload_name: str | None = None) -> None:
    """An operator's write waiting in the outbox, as cache/outbox.py stores it."""
    def insert(connection: Any) -> None:
        with connection.begin():
            connection.exec_driver_sql(
                "INSERT INTO outbox (idempotency_key, action, entity, entity_id, method, path, body, upload_name, "
                "summary, created_at, state) VALUES (?, ?, ?, ?, 'POST', '/x', ?, ?, 'a write', ?, ?)",
                (secrets.token_hex(8), action, entity, entity_id, json.dumps(body) if body is not None else None,
                 upload_name, at, state),
            )

    await store.call(insert)


async def queue(store: LocalStore, **filters: Any) -> list[TicketListItem]:
    values = {"states": OPEN, "owner_id": None, "overdue": None, **filters}
    found: list[TicketListItem] = await store.call(functools.partial(reads.tickets, now=NOW, **values))
    return found


async def test_ticket_closed_here_leaves_the_open_queue_marked_pending(small_store: LocalStore) -> None:
    before = await queue(small_store)
    assert [(t.number, t.pending, t.warning, t.overdue) for t in before] == [("T-2026-000001", False, "ok", False)]
    await queue_write(small_store, "ticket.update", "ticket", TICKET, {"state": "resolved", "owner_id": OPERATOR})
    assert await queue(small_store) == []
    resolved = await queue(small_store, states=("resolved",))
    assert [(t.state, t.owner_id, t.pending, t.warning) for t in resolved] == [("resolved", OPERATOR, True, None)]
    assert [t.id for t in await queue(small_store, states=(), owner_id=OPERATOR)] == [TICKET]


async def test_priority_raised_here_counts_the_sla_again(small_store: LocalStore) -> None:
    await queue_write(small_store, "ticket_update", "ticket", TICKET, {"priority": "critical", "title": "Hoří"})
    [ticket] = await queue(small_store)
    assert (ticket.title, ticket.priority, ticket.pending) == ("Hoří", "critical", True)
    # Critical: first response within one hour of creation (06:00), so overdue at 09:00.
    assert ticket.due_at == datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    assert (ticket.overdue, ticket.warning) == (True, "overdue")
    assert [t.id for t in await queue(small_store, overdue=True)] == [TICKET]
    customer = await small_store.call(reads.customer_detail, CUSTOMER)
    assert customer is not None
    assert [(t.title, t.priority) for t in customer.tickets] == [("Hoří", "critical")]


async def test_comment_and_attachment_written_here_show_in_the_history_as_pending(small_store: LocalStore) -> None:
    await queue_write(small_store, "ticket.comment", "ticket", TICKET, {"body": "Volal jsem zákazníkovi.",
                                                                       "public": False}, at="2026-03-10T08:40:00Z")
    await queue_write(small_store, "ticket.comment", "ticket", TICKET, {"body": "Technik dorazí zítra.",
                                                                       "public": True}, at="2026-03-10T08:45:00Z")
    await queue_write(small_store, "ticket.attachment", "ticket", TICKET, None, upload_name="kabel.jpg",
                      at="2026-03-10T08:50:00Z", state="failed")
    await queue_write(small_store, "ticket.comment", "ticket", TICKET, {"body": "Odesláno.", "public": False},
                      state="sent")
    detail = await small_store.call(reads.ticket_detail, TICKET, NOW)
    assert detail is not None and detail.pending
    assert [(e.kind, e.body, e.public, e.pending, e.author_name) for e in detail.history] == [
        ("created", None, False, False, "Jana Malá"),
        ("note", "Volal jsem zákazníkovi.", False, True, reads.YOU),
        ("reply", "Technik dorazí zítra.", True, True, reads.YOU),
        ("attachment", "kabel.jpg", False, True, reads.YOU),
    ]
    # A reply not yet sent has not answered the customer: the first-response deadline still runs.
    assert detail.due_at == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    mine = await small_store.call(reads.ticket_detail, TICKET, NOW, OPERATOR)
    assert mine is not None
    assert {(e.author_id, e.author_name) for e in mine.history if e.pending} == {(OPERATOR, "Jana Malá")}
    assert [t.pending for t in await queue(small_store)] == [True]


async def test_contact_edited_here_shows_its_new_values_as_pending(small_store: LocalStore) -> None:
    await queue_write(small_store, "contact.update", "contact", "k-1", {"phone": "+420603999888", "role": "general"})
    customer = await small_store.call(reads.customer_detail, CUSTOMER)
    assert customer is not None
    assert [(c.name, c.phone, c.role, c.pending) for c in customer.contacts] == [
        ("Petra Nováková", "+420603999888", "general", True)]
    assert [(d.serial, [c.connector_no for c in d.connectors]) for d in customer.devices] == [("TACW1234", [])]
    assert [s.city for s in customer.sites] == ["Praha"]


async def test_privacy_request_with_a_note_written_here_is_pending(small_store: LocalStore) -> None:
    [request] = await small_store.call(reads.privacy_requests, NOW)
    assert (request.pending, request.overdue, request.warning) == (False, False, "ok")
    assert request.extension_notice_due_at == datetime(2026, 3, 20, 22, 59, 59, 999999, tzinfo=UTC)
    await queue_write(small_store, "privacy_request.note", "privacy_request", "p-1", {"note": "Ověřeno telefonem."})
    [request] = await small_store.call(reads.privacy_requests, NOW + timedelta(days=5))
    assert (request.pending, request.overdue, request.warning) == (True, False, "due_soon")


async def test_only_active_colleagues_by_name(small_store: LocalStore) -> None:
    assert [c.display_name for c in await small_store.call(reads.colleagues)] == ["Jana Malá"]


async def test_customer_found_by_anything_the_caller_says(small_store: LocalStore) -> None:
    async def found(query: str) -> list[str]:
        return [c.customer_number for c in (await small_store.call(reads.search_customers, query, 100)).items]

    novak = ["C1000001"]
    for query in ("novak", "NOVÁK", "jan nov", "+420 601 234 567", "00420601234567", "601 234 567", "601234567",
                  "601 234", "602 000 111", "C1000001", "jan.novak@seznam.cz", "petra@example", "TACW1234",
                  "cz-sec-00042", "5B6D70E14109EF", "SML-2024-000007"):
        assert await found(query) == novak, query
    assert await found("lucja dvorakova") == ["C1000002"]
    assert await found("Łucja") == ["C1000002"]
    assert await found("25596641") == ["C1000003"]
    assert await found("CZ 25596641") == ["C1000003"]
    assert await found("") == ["C1000003", "C1000001", "C1000002"]  # by name: "AND…", "Jan…", "Łucja…"
    assert await found("praha") == []  # the city is not something a customer is found by (as on the server)


@pytest.mark.parametrize("query", ['"', "*", "AND", "(", "-", ")", "novak\"", 'jan "nov', "NEAR(jan", "a:b", "^jan",
                                   "jan OR", "- novak", "* *", "(elektro)", "name:jan", "{x}", "\\", "'", "%", "_",
                                   "jan\x00novak", "+", "++420", "601-", "\u0301"])
async def test_search_syntax_in_the_query_is_text(small_store: LocalStore, query: str) -> None:
    page = await small_store.call(reads.search_customers, query, 100)
    assert page.total == len(page.items)
    devices = await small_store.call(reads.search_devices, query, 20)
    assert isinstance(devices, list)


async def test_operators_and_parentheses_are_found_as_words(small_store: LocalStore) -> None:
    async def found(query: str) -> list[str]:
        return [c.customer_number for c in (await small_store.call(reads.search_customers, query, 100)).items]

    assert await found("AND OR") == ["C1000003"]
    assert await found("(brno)") == ["C1000003"]
    assert await found("- novak") == ["C1000001"]
    rng = random.Random(1)
    signs = '"*()-+^:.,;%_\\\'{}[]~ ANDORNEAR'
    for _ in range(300):
        query = "".join(rng.choice(signs) for _ in range(rng.randint(1, 12)))
        await small_store.call(reads.search_customers, query, 10)
