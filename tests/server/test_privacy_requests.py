"""Privacy requests: registering them with their statutory deadline, the deadline-ordered list,
history, the early-state updates, and who may see them at all."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, EventRecord, PrivacyRequest, PrivacyRequestEntry
from tests.conftest import SignedIn, SignIn
from tests.server.test_tickets import add_customer, count, new_ticket


def request_body(**fields: Any) -> dict[str, Any]:
    return {
        "right": "access",
        "subject_name": "Petr Svoboda",
        "subject_email": "petr.svoboda@example.cz",
        "channel": "email",
        "original_text": "Please send me a copy of all data you hold about me.",
        **fields,
    }


async def new_request(client: httpx.AsyncClient, op: SignedIn, **fields: Any) -> dict[str, Any]:
    response = await client.post("/privacy-requests", json=request_body(**fields), headers=op.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def patch(client: httpx.AsyncClient, op: SignedIn, request: dict[str, Any], **fields: Any) -> httpx.Response:
    return await client.patch(f"/privacy-requests/{request['id']}", json=fields,
                              headers={**op.headers, "If-Match": f'"{request["version"]}"'})


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


async def test_request_received_on_31_january_is_due_on_28_february_end_of_day_in_prague(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, received_at="2025-01-31T10:00:00+01:00")
    assert request["received_at"] == "2025-01-31T09:00:00Z"
    assert request["due_at"] == "2025-02-28T22:59:59.999999Z"  # 23:59:59.999999 CET
    assert request["effective_due_at"] == request["due_at"]
    assert request["extension_notice_due_at"] == request["due_at"]
    assert request["state"] == "received"
    assert request["number"] == f"P-{datetime.now(UTC).year}-00001"
    assert request["overdue"] is True and request["warning"] == "overdue"

    fresh = await new_request(client, officer)
    assert fresh["number"] == f"P-{datetime.now(UTC).year}-00002"
    assert fresh["overdue"] is False and fresh["warning"] == "ok"


async def test_list_is_sorted_by_effective_due_date_with_overdue_first(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    fresh = await new_request(client, officer, subject_name="Fresh")
    soon = await new_request(client, officer, subject_name="Soon", received_at=days_ago(26))
    late = await new_request(client, officer, subject_name="Late", received_at="2025-01-31T10:00:00+01:00")
    extended = await new_request(client, officer, subject_name="Extended", received_at=days_ago(40))
    async with db.sessions() as session:
        # An extension is a later workflow step; set it up directly. It runs to well after now.
        await session.execute(update(PrivacyRequest).where(PrivacyRequest.id == extended["id"]).values(
            state="extended", extended_due_at=datetime.now(UTC) + timedelta(days=3)))
        await session.commit()

    async def names(**params: Any) -> list[str]:
        response = await client.get("/privacy-requests", params=params, headers=officer.headers)
        assert response.status_code == 200, response.text
        return [r["subject_name"] for r in response.json()["items"]]

    assert await names() == ["Late", "Extended", "Soon", "Fresh"]
    assert await names(overdue="true") == ["Late"]
    assert await names(overdue="false") == ["Extended", "Soon", "Fresh"]
    assert await names(state="extended") == ["Extended"]
    assert await names(right="erasure") == []
    before = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    assert await names(due_before=before) == ["Late", "Extended", "Soon"]
    naive = await client.get("/privacy-requests", params={"due_before": "2025-03-01T00:00:00"},
                             headers=officer.headers)
    assert naive.status_code == 422

    items = {r["subject_name"]: r for r in
             (await client.get("/privacy-requests", headers=officer.headers)).json()["items"]}
    assert items["Soon"]["warning"] == "due_soon"
    assert items["Extended"]["warning"] == "due_soon" and items["Extended"]["overdue"] is False
    assert items["Extended"]["effective_due_at"] != items["Extended"]["due_at"]
    assert items["Fresh"]["warning"] == "ok"
    assert fresh["id"] != soon["id"] != late["id"]


async def test_list_filters_by_customer(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    mine = await new_request(client, officer, customer_id=customer)
    await new_request(client, officer)
    page = (await client.get("/privacy-requests", params={"customer_id": customer}, headers=officer.headers)).json()
    assert [r["id"] for r in page["items"]] == [mine["id"]] and page["total"] == 1


async def test_contact_details_are_validated_and_phone_normalised(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    bad_email = await client.post("/privacy-requests", json=request_body(subject_email="petr@"),
                                  headers=officer.headers)
    assert bad_email.status_code == 422 and bad_email.json()["code"] == "invalid_email"
    bad_phone = await client.post("/privacy-requests", json=request_body(subject_phone="12"), headers=officer.headers)
    assert bad_phone.status_code == 422 and bad_phone.json()["code"] == "invalid_phone"
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ahead = await client.post("/privacy-requests", json=request_body(received_at=future), headers=officer.headers)
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["field"] == "received_at"
    guardian = await client.post("/privacy-requests", json=request_body(requester_relation="guardian"),
                                 headers=officer.headers)
    assert guardian.status_code == 422 and guardian.json()["code"] == "requester_name_required"
    unknown = await client.post("/privacy-requests", json=request_body(customer_id=str(uuid.uuid4())),
                                headers=officer.headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "customer_not_found"
    assert await count(db, PrivacyRequest) == 0

    ok = await new_request(client, officer, subject_phone="601 234 567")
    assert ok["subject_phone"] == "+420601234567"


async def test_create_is_idempotent_audited_and_published_to_privacy_scope_only(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    headers = {**officer.headers, "Idempotency-Key": "privacy-1"}
    first = await client.post("/privacy-requests", json=request_body(), headers=headers)
    retry = await client.post("/privacy-requests", json=request_body(), headers=headers)
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    assert first.headers["Location"].endswith(f"/privacy-requests/{first.json()['id']}")
    assert await count(db, PrivacyRequest) == 1
    async with db.sessions() as session:
        events = (await session.execute(select(EventRecord))).scalars().all()
        audit = (await session.execute(
            select(AuditRecord).where(AuditRecord.action == "privacy_request.create"))).scalars().all()
    created = [e for e in events if e.type == "privacy_request.created"]
    assert [e.scope for e in created] == ["privacy"]
    assert "Svoboda" not in created[0].data and "petr" not in created[0].data
    assert len(audit) == 1 and "Svoboda" not in audit[0].detail


async def test_detail_shows_history_and_records_the_read(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    detail = await client.get(f"/privacy-requests/{request['id']}", headers=officer.headers)
    assert detail.status_code == 200
    assert detail.headers["ETag"] == f'"{request["version"]}"'
    body = detail.json()
    assert body["original_text"].startswith("Please send me a copy")
    assert [(e["kind"], e["author_id"]) for e in body["history"]] == [("created", officer.operator_id)]
    async with db.sessions() as session:
        reads = (await session.execute(
            select(AuditRecord).where(AuditRecord.action == "privacy_request.read"))).scalars().all()
    assert [r.entity_id for r in reads] == [request["id"]]
    assert (await client.get(f"/privacy-requests/{uuid.uuid4()}", headers=officer.headers)).status_code == 404


async def test_early_steps_handler_ticket_and_notes_leave_history(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    colleague = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    ticket = await new_ticket(client, officer)
    step = await patch(client, officer, request, state="identity_verification", handler_id=colleague.operator_id,
                       ticket_id=ticket["id"], note="Asked for the last digits of the RFID card.")
    assert step.status_code == 200, step.text
    after = step.json()
    assert after["state"] == "identity_verification" and after["handler_id"] == colleague.operator_id
    assert after["version"] == request["version"] + 1
    assert after["due_at"] == request["due_at"]  # waiting for identity keeps the original due date visible
    assert after["waiting_for_identity"] is True
    note_only = await patch(client, officer, after, note="Subject replied from the registered e-mail.")
    assert note_only.status_code == 200 and note_only.json()["version"] == after["version"] + 1
    progressed = await patch(client, officer, note_only.json(), state="in_progress")
    assert progressed.status_code == 200

    history = (await client.get(f"/privacy-requests/{request['id']}", headers=officer.headers)).json()["history"]
    summary = [(e["kind"], e["field"], e["old_value"], e["new_value"], e["body"]) for e in history]
    assert summary[0][0] == "created"
    assert set(summary[1:5]) == {
        ("change", "state", "received", "identity_verification", None),
        ("change", "handler_id", None, colleague.operator_id, None),
        ("change", "ticket_id", None, ticket["id"], None),
        ("note", None, None, None, "Asked for the last digits of the RFID card."),
    }
    assert summary[5:] == [
        ("note", None, None, None, "Subject replied from the registered e-mail."),
        ("change", "state", "identity_verification", "in_progress", None),
    ]
    async with db.sessions() as session:
        events = (await session.execute(
            select(EventRecord).where(EventRecord.type == "privacy_request.updated"))).scalars().all()
    assert [json.loads(e.data)["state"] for e in events] == ["identity_verification", "identity_verification",
                                                             "in_progress"]
    assert {e.scope for e in events} == {"privacy"}


@pytest.mark.parametrize("target", ["completed", "refused", "extended"])
async def test_workflow_states_are_refused_with_409_and_nothing_changes(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, target: str
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    response = await patch(client, officer, request, state=target, note="done")
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "invalid_transition"
    assert "workflow step" in problem["detail"]
    assert problem["allowed"] == ["identity_verification", "in_progress"]
    detail = (await client.get(f"/privacy-requests/{request['id']}", headers=officer.headers)).json()
    assert detail["state"] == "received" and detail["version"] == request["version"]
    assert await count(db, PrivacyRequestEntry) == 1


async def test_update_checks_version_and_handler(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    request = await new_request(client, officer)
    missing = await client.patch(f"/privacy-requests/{request['id']}", json={"note": "x"}, headers=officer.headers)
    assert missing.status_code == 428
    moved = await patch(client, officer, request, state="in_progress")
    assert moved.status_code == 200
    stale = await patch(client, officer, request, state="identity_verification")
    assert stale.status_code == 412 and stale.json()["current"]["state"] == "in_progress"
    not_allowed = await patch(client, officer, moved.json(), handler_id=hotline.operator_id)
    assert not_allowed.status_code == 422 and not_allowed.json()["code"] == "handler_not_allowed"
    unknown_field = await patch(client, officer, moved.json(), outcome="Sent the export.")
    assert unknown_field.status_code == 422


@pytest.mark.parametrize("role", ["hotline", "technician"])
async def test_hotline_and_technicians_cannot_see_or_touch_privacy_requests(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, role: str
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    op = await sign_in(role)
    responses = [
        await client.get("/privacy-requests", headers=op.headers),
        await client.get(f"/privacy-requests/{request['id']}", headers=op.headers),
        await client.post("/privacy-requests", json=request_body(), headers=op.headers),
        await client.patch(f"/privacy-requests/{request['id']}", json={"note": "x"},
                           headers={**op.headers, "If-Match": f'"{request["version"]}"'}),
    ]
    for response in responses:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "permission_denied"
    assert await count(db, PrivacyRequest) == 1
    admin = await sign_in("admin")
    assert (await client.get("/privacy-requests", headers=admin.headers)).status_code == 200


async def test_hostile_input_is_refused_without_a_server_error(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    for fields in ({"subject_name": "Petr\u0000"}, {"received_at": "0001-01-01T00:00:00+14:00"},
                   {"received_at": "2025-01-31T10:00:00"}, {"right": "everything"}, {"channel": "pigeon"},
                   {"original_text": ""}):
        response = await client.post("/privacy-requests", json=request_body(**fields), headers=officer.headers)
        assert response.status_code == 422, (fields, response.text)
    for params in ({"due_before": "9999-12-31T23:59:59-14:00"}, {"customer_id": "\u0000"}, {"offset": -1},
                   {"state": "lost"}):
        response = await client.get("/privacy-requests", params=params, headers=officer.headers)
        assert response.status_code == 422, (params, response.text)
    assert (await client.get("/privacy-requests/%00", headers=officer.headers)).status_code == 404
    assert await count(db, PrivacyRequest) == 0
