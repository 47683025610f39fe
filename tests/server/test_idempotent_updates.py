"""Edits and deletes resent with the same Idempotency-Key, as the console's offline outbox does after
a crash or a lost answer: the change is made once and the resend gets the first answer back — even
after the version moved on — while requests without the key behave as always. And the change feed
telling how far it goes (`latest`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, ChangeRecord, PrivacyRequestEntry, TicketEntry
from tests.conftest import SignedIn, SignIn


@dataclass
class Target:
    """A record to edit, the operators editing it and how to see what an edit left behind."""

    operator: SignedIn
    colleague: SignedIn
    path: str
    version: int
    edit: dict[str, Any]
    """The change the outbox sends (and resends)."""
    other_edit: dict[str, Any]
    """A different change, sent with the same key by mistake."""
    colleague_edit: dict[str, Any]
    """A change someone else makes while the answer to the first one is lost."""
    read: Callable[[], Awaitable[dict[str, Any]]]
    """The record as a GET shows it now."""
    trail: Callable[[], Awaitable[tuple[int, ...]]]
    """What edits left: history entries, audit records, change-feed rows."""


Make = Callable[[httpx.AsyncClient, Database, SignIn], Awaitable[Target]]


async def _count(db: Database, model: Any, *where: Any) -> int:
    async with db.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def _created(client: httpx.AsyncClient, who: SignedIn, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    record: dict[str, Any] = response.json()
    return record


async def _get(client: httpx.AsyncClient, who: SignedIn, path: str) -> dict[str, Any]:
    response = await client.get(path, headers=who.headers)
    assert response.status_code == 200, response.text
    record: dict[str, Any] = response.json()
    return record


async def a_ticket(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> Target:
    hotline, colleague = await sign_in("hotline"), await sign_in("hotline")
    ticket = await _created(client, hotline, "/tickets", {"kind": "fault", "title": "Charger offline"})
    path = f"/tickets/{ticket['id']}"

    async def trail() -> tuple[int, ...]:
        return (
            await _count(db, TicketEntry, TicketEntry.ticket_id == ticket["id"], TicketEntry.kind == "change"),
            await _count(db, AuditRecord, AuditRecord.action == "ticket.update", AuditRecord.entity_id == ticket["id"]),
            await _count(db, ChangeRecord, ChangeRecord.entity_id == ticket["id"]),
        )

    return Target(
        hotline, colleague, path, ticket["version"],
        edit={"title": "Charger offline since Monday"},
        other_edit={"title": "Charger offline since Tuesday"},
        colleague_edit={"priority": "high"},
        read=lambda: _get(client, hotline, path), trail=trail,
    )  # fmt: skip


async def a_privacy_request(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> Target:
    officer, colleague = await sign_in("privacy_officer"), await sign_in("privacy_officer")
    request = await _created(client, officer, "/privacy-requests", {
        "right": "access", "subject_name": "Petr Svoboda", "subject_email": "petr.svoboda@example.cz",
        "channel": "email", "original_text": "Please send me a copy of all data you hold about me.",
    })  # fmt: skip
    path = f"/privacy-requests/{request['id']}"

    async def trail() -> tuple[int, ...]:
        return (
            await _count(db, PrivacyRequestEntry, PrivacyRequestEntry.request_id == request["id"],
                         PrivacyRequestEntry.kind != "created"),
            await _count(db, AuditRecord, AuditRecord.action == "privacy_request.update",
                         AuditRecord.entity_id == request["id"]),
            await _count(db, ChangeRecord, ChangeRecord.entity_id == request["id"]),
        )  # fmt: skip

    return Target(
        officer, colleague, path, request["version"],
        edit={"state": "identity_verification"},
        other_edit={"state": "in_progress"},
        colleague_edit={"note": "The subject called to ask how long it takes."},
        read=lambda: _get(client, officer, path), trail=trail,
    )  # fmt: skip


async def a_customer(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> Target:
    admin, colleague = await sign_in("admin"), await sign_in("admin")
    customer = await _created(client, admin, "/customers", {"kind": "consumer", "name": "Jan Novák"})
    path = f"/customers/{customer['id']}"

    async def trail() -> tuple[int, ...]:
        return (
            await _count(db, AuditRecord, AuditRecord.action == "customer.update",
                         AuditRecord.entity_id == customer["id"]),
            await _count(db, ChangeRecord, ChangeRecord.entity_id == customer["id"]),
        )  # fmt: skip

    return Target(
        admin, colleague, path, customer["version"],
        edit={"email": "jan.novak@example.cz"},
        other_edit={"email": "novak@example.cz"},
        colleague_edit={"billing_city": "Ostrava"},
        read=lambda: _get(client, admin, path), trail=trail,
    )  # fmt: skip


async def a_contact(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> Target:
    admin, colleague = await sign_in("admin"), await sign_in("admin")
    customer = await _created(client, admin, "/customers", {"kind": "consumer", "name": "Jan Novák"})
    contact = await _created(client, admin, f"/customers/{customer['id']}/contacts",
                             {"name": "Eva Technická", "role": "technical"})
    path = f"/customers/{customer['id']}/contacts/{contact['id']}"

    async def read() -> dict[str, Any]:
        card = await _get(client, admin, f"/customers/{customer['id']}")
        found: list[dict[str, Any]] = [c for c in card["contacts"] if c["id"] == contact["id"]]
        assert len(found) == 1
        return found[0]

    async def trail() -> tuple[int, ...]:
        return (
            await _count(db, AuditRecord, AuditRecord.action == "customer.contact_update"),
            await _count(db, ChangeRecord, ChangeRecord.entity_id == contact["id"]),
        )

    return Target(
        admin, colleague, path, contact["version"],
        edit={"phone": "602 111 222"},
        other_edit={"phone": "602 333 444"},
        colleague_edit={"email": "eva@example.cz"},
        read=read, trail=trail,
    )  # fmt: skip


EDITS = [
    pytest.param(a_ticket, id="ticket"),
    pytest.param(a_privacy_request, id="privacy_request"),
    pytest.param(a_customer, id="customer"),
    pytest.param(a_contact, id="contact"),
]


def _headers(who: SignedIn, version: int, key: str | None = None) -> dict[str, str]:
    headers = {**who.headers, "If-Match": f'"{version}"'}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


@pytest.mark.parametrize("make", EDITS)
async def test_a_resent_edit_is_made_once_and_gets_the_first_answer(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    target = await make(client, db, sign_in)
    before = await target.trail()
    headers = _headers(target.operator, target.version, "edit-1")
    first = await client.patch(target.path, json=target.edit, headers=headers)
    assert first.status_code == 200, first.text
    assert "Idempotent-Replayed" not in first.headers
    after_first = await target.trail()
    assert after_first != before

    again = await client.patch(target.path, json=target.edit, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["ETag"] == first.headers["ETag"] == f'"{target.version + 1}"'
    assert (await target.read())["version"] == target.version + 1
    assert await target.trail() == after_first


@pytest.mark.parametrize("make", EDITS)
async def test_the_same_key_for_a_different_edit_is_refused(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    target = await make(client, db, sign_in)
    first = await client.patch(target.path, json=target.edit, headers=_headers(target.operator, target.version, "k"))
    assert first.status_code == 200, first.text
    after_first = await target.trail()

    reused = await client.patch(target.path, json=target.other_edit,
                                headers=_headers(target.operator, target.version + 1, "k"))
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert (await target.read())["version"] == target.version + 1
    assert await target.trail() == after_first


@pytest.mark.parametrize("make", EDITS)
async def test_a_resend_after_someone_else_changed_the_record_replays_instead_of_conflicting(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    target = await make(client, db, sign_in)
    headers = _headers(target.operator, target.version, "edit-lost-answer")
    first = await client.patch(target.path, json=target.edit, headers=headers)
    assert first.status_code == 200, first.text
    theirs = await client.patch(target.path, json=target.colleague_edit,
                                headers=_headers(target.colleague, target.version + 1))
    assert theirs.status_code == 200, theirs.text
    after_theirs = await target.trail()

    resent = await client.patch(target.path, json=target.edit, headers=headers)
    assert resent.status_code == 200, resent.text
    assert resent.headers["Idempotent-Replayed"] == "true"
    assert resent.json() == first.json()
    assert (await target.read())["version"] == target.version + 2
    assert await target.trail() == after_theirs


@pytest.mark.parametrize("make", EDITS)
async def test_without_a_key_edits_behave_as_before(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    target = await make(client, db, sign_in)
    no_version = await client.patch(target.path, json=target.edit, headers=target.operator.headers)
    assert no_version.status_code == 428
    first = await client.patch(target.path, json=target.edit, headers=_headers(target.operator, target.version))
    assert first.status_code == 200, first.text
    assert "Idempotent-Replayed" not in first.headers
    assert first.headers["ETag"] == f'"{target.version + 1}"' and first.json()["version"] == target.version + 1
    after_first = await target.trail()

    resent = await client.patch(target.path, json=target.edit, headers=_headers(target.operator, target.version))
    assert resent.status_code == 412 and resent.json()["code"] == "stale_version"
    assert resent.headers["ETag"] == f'"{target.version + 1}"'
    assert resent.json()["current"]["version"] == target.version + 1
    assert await target.trail() == after_first


@pytest.mark.parametrize("make", EDITS)
async def test_a_refused_edit_is_not_remembered_so_its_retry_runs(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    target = await make(client, db, sign_in)
    theirs = await client.patch(target.path, json=target.colleague_edit,
                                headers=_headers(target.colleague, target.version))
    assert theirs.status_code == 200, theirs.text

    stale = await client.patch(target.path, json=target.edit, headers=_headers(target.operator, target.version, "k"))
    assert stale.status_code == 412
    # The operator looked at the current version and sends the same change again, same key.
    retried = await client.patch(target.path, json=target.edit,
                                 headers=_headers(target.operator, target.version + 1, "k"))
    assert retried.status_code == 200, retried.text
    assert "Idempotent-Replayed" not in retried.headers
    assert retried.json()["version"] == target.version + 2


@pytest.mark.parametrize("make", EDITS)
async def test_a_resend_racing_the_first_attempt_changes_once(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, make: Make
) -> None:
    """A client that gave up waiting resends while the first attempt is still running (on
    PostgreSQL the two overlap; SQLite runs one writer at a time)."""
    target = await make(client, db, sign_in)
    before = await target.trail()
    headers = _headers(target.operator, target.version, "impatient")
    answers = await asyncio.gather(*[client.patch(target.path, json=target.edit, headers=headers) for _ in range(3)])
    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true", "true"]
    assert all(a.json() == answers[0].json() for a in answers)
    assert (await target.read())["version"] == target.version + 1
    after = await target.trail()
    assert after != before
    # One change: the same trail one edit leaves on a fresh record.
    assert [n - b for n, b in zip(after, before, strict=True)] == [1] * len(after)


# --- deleting a contact -----------------------------------------------------------------------


async def test_a_resent_contact_delete_is_replayed_not_refused_as_missing(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    customer = await _created(client, admin, "/customers", {"kind": "consumer", "name": "Jan Novák"})
    base = f"/customers/{customer['id']}/contacts"
    eva = await _created(client, admin, base, {"name": "Eva Technická", "role": "technical"})
    petr = await _created(client, admin, base, {"name": "Petr Účetní", "role": "billing"})
    headers = _headers(admin, eva["version"], "delete-eva")

    first = await client.delete(f"{base}/{eva['id']}", headers=headers)
    assert first.status_code == 204 and first.content == b""
    again = await client.delete(f"{base}/{eva['id']}", headers=headers)
    assert again.status_code == 204 and again.content == b""
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await _count(db, AuditRecord, AuditRecord.action == "customer.contact_delete") == 1
    card = await _get(client, admin, f"/customers/{customer['id']}")
    assert [c["name"] for c in card["contacts"]] == ["Petr Účetní"]

    # The same key for deleting someone else: a different request.
    reused = await client.delete(f"{base}/{petr['id']}", headers=_headers(admin, petr["version"], "delete-eva"))
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    # Without a key, deleting it again is what it always was.
    gone = await client.delete(f"{base}/{eva['id']}", headers=_headers(admin, eva["version"]))
    assert gone.status_code == 404
    stale = await client.delete(f"{base}/{petr['id']}", headers=_headers(admin, petr["version"] + 1))
    assert stale.status_code == 412 and stale.headers["ETag"] == f'"{petr["version"]}"'
    assert await _count(db, AuditRecord, AuditRecord.action == "customer.contact_delete") == 1


# --- the change feed --------------------------------------------------------------------------


async def test_changes_tell_the_newest_change_number_so_a_console_can_show_progress(
    client: httpx.AsyncClient, admin: SignedIn
) -> None:
    for name in ("Jan Novák", "Eva Dvořáková", "Petr Svoboda"):
        await _created(client, admin, "/customers", {"kind": "consumer", "name": name})
    cursor, pages = "0", []
    while True:
        response = await client.get("/changes", params={"since": cursor, "limit": 1}, headers=admin.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        assert isinstance(page["latest"], int)
        assert page["latest"] >= int(page["next_cursor"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(pages) >= 3
    assert len({page["latest"] for page in pages}) == 1
    assert pages[0]["latest"] > int(pages[0]["next_cursor"])
    assert pages[-1]["latest"] == int(pages[-1]["next_cursor"])
    # Caught up: nothing more, and the feed still says where it stands.
    done = (await client.get("/changes", params={"since": cursor}, headers=admin.headers)).json()
    assert done["changes"] == [] and done["latest"] == int(cursor)
