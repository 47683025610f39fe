"""The privacy-request workflow through the API, as the privacy officer works it and as the
supervisory authority would check it: every right from intake to the answer, identity first,
the evidence each right needs, refusals with the notice of the right to complain, extensions told
in time, the statutory deadlines, the history and the audit trail of every step.

The evidence (access packages, erasures, restrictions, consent withdrawals, rectifications) is
made by other parts of the system; here it is written straight into the tables, so these tests
depend only on the request lifecycle.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import (
    AccessPackage,
    AuditRecord,
    ConsentEvent,
    Customer,
    CustomerAccount,
    Erasure,
    EventRecord,
    PrivacyRequest,
    PrivacyRequestEntry,
    Restriction,
    Ticket,
    TicketEntry,
)
from ema_server.domain.deadlines import privacy_due_at
from tests.conftest import SignedIn, SignIn
from tests.server.test_privacy_requests import new_request, request_body
from tests.server.test_tickets import add_customer, count, new_ticket

RIGHTS = ("access", "rectification", "erasure", "restriction", "portability", "objection", "consent_withdrawal",
          "complaint")
PURPOSES = {"consent_withdrawal": ["marketing_email", "analytics"], "objection": ["marketing_push", "analytics"]}
STEP_BODIES: dict[str, dict[str, Any]] = {
    "identity-request": {"how": "Asked by e-mail to reply from the registered address."},
    "identity-verification": {"check": "registered_email_reply", "detail": "Reply came from the registered address."},
    "extension": {"reason": "Twelve years of charging sessions to collect.", "months": 2},
    "completion": {"outcome": "Done as asked.", "answer_channel": "email"},
    "refusal": {"reason": "Fourth identical request this month.", "authority_notice": True,
                "answer_channel": "letter"},
}


async def step(client: httpx.AsyncClient, op: SignedIn, request: dict[str, Any], name: str,
               **fields: Any) -> httpx.Response:
    body = {**STEP_BODIES[name], **fields}
    return await client.post(f"/privacy-requests/{request['id']}/{name}", json=body, headers=op.headers)


async def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert response.headers["ETag"] == f'"{result["version"]}"'
    return result


async def detail(client: httpx.AsyncClient, op: SignedIn, request: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/privacy-requests/{request['id']}", headers=op.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def add_evidence(db: Database, request: dict[str, Any]) -> None:
    """What the other workflows leave behind when they did what the request's right asks."""
    request_id, customer_id, right = request["id"], request["customer_id"], request["right"]
    now = datetime.now(UTC)
    async with db.sessions() as session:
        if right in ("access", "portability"):
            session.add(AccessPackage(request_id=request_id, customer_id=customer_id, kind=right,
                                      expires_at=now + timedelta(days=30), size=1024, sha256="0" * 64,
                                      categories={"customer": 1}))
        elif right == "erasure":
            session.add(Erasure(request_id=request_id, customer_id=customer_id, plan={}, report={},
                                verification={"ok": True}, letter_cs="", letter_en="", ledger_hash="0" * 64))
        elif right == "restriction":
            session.add(Restriction(customer_id=customer_id, ground="art18_request", request_id=request_id,
                                    reason="Accuracy contested."))
        elif right == "rectification":
            session.add(PrivacyRequestEntry(request_id=request_id, kind="rectification", field="email", at=now))
        elif right in PURPOSES:
            for purpose in PURPOSES[right]:
                session.add(ConsentEvent(customer_id=customer_id, purpose=purpose, granted=False,
                                         source="privacy_request", request_id=request_id))
        await session.commit()


async def audit_actions(client: httpx.AsyncClient, admin: SignedIn, request_id: str) -> list[str]:
    response = await client.get("/audit", params={"entity": "privacy_request", "entity_id": request_id,
                                                  "limit": 200}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return sorted(r["action"] for r in response.json()["items"])


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- every right, from intake to the answer -----------------------------------------------------


@pytest.mark.parametrize("right", RIGHTS)
async def test_each_right_from_intake_to_completion_with_history_and_audit(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, right: str
) -> None:
    officer = await sign_in("privacy_officer")
    admin = await sign_in("admin")
    customer = await add_customer(db)
    request = await new_request(client, officer, right=right, customer_id=customer, purposes=PURPOSES.get(right))
    assert request["purposes"] == PURPOSES.get(right)

    waiting = await ok(await step(client, officer, request, "identity-request"))
    assert waiting["state"] == "identity_verification" and waiting["waiting_for_identity"] is True
    assert waiting["identity_requested_at"] is not None
    assert waiting["due_at"] == waiting["effective_due_at"] == request["due_at"]  # the clock is not moved

    verified = await ok(await step(client, admin, waiting, "identity-verification"))
    assert verified["state"] == "in_progress" and verified["waiting_for_identity"] is False
    assert verified["identity_check"] == "registered_email_reply"
    assert verified["identity_check_detail"] == "Reply came from the registered address."
    assert verified["identity_verified_by_id"] == admin.operator_id and verified["identity_verified_at"]

    if right != "complaint":
        early = await step(client, officer, verified, "completion")
        assert early.status_code == 409, early.text
        assert early.json()["code"] == "completion_requirements_missing" and early.json()["errors"]
        await add_evidence(db, request)
    done = await ok(await step(client, officer, verified, "completion"))
    assert done["state"] == "completed" and done["outcome"] == "Done as asked."
    assert done["answer_channel"] == "email" and done["answer_sent_at"] and done["closed_at"]
    assert done["warning"] is None and done["notice_warning"] is None and done["overdue"] is False

    history = (await detail(client, officer, request))["history"]
    steps = [(e["field"], e["old_value"], e["new_value"], e["author_name"]) for e in history if e["kind"] == "step"]
    assert steps == [
        ("identity_request", "received", "identity_verification", f"Test {officer.username}"),
        ("identity_verification", "identity_verification", "in_progress", f"Test {admin.username}"),
        ("completion", "in_progress", "completed", f"Test {officer.username}"),
    ]
    assert all(e["at"] for e in history)
    actions = await audit_actions(client, admin, request["id"])
    for action in ("privacy_request.create", "privacy_request.identity_request",
                   "privacy_request.identity_verification", "privacy_request.completion"):
        assert action in actions
    async with db.sessions() as session:
        records = (await session.execute(select(AuditRecord).where(
            AuditRecord.entity_id == request["id"], AuditRecord.action.like("privacy_request.%")))).scalars().all()
    assert records and {r.subject_id for r in records} == {customer}


async def test_completion_without_verified_identity_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, right="complaint", customer_id=await add_customer(db))
    response = await step(client, officer, request, "completion")
    assert response.status_code == 409 and response.json()["code"] == "identity_not_verified"
    after = await detail(client, officer, request)
    assert after["state"] == "received" and after["version"] == request["version"] and after["outcome"] is None
    assert [e["kind"] for e in after["history"]] == ["created"]


async def test_completion_lists_exactly_the_evidence_still_missing(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    request = await new_request(client, officer, right="consent_withdrawal", customer_id=customer,
                                purposes=["marketing_email", "analytics"])
    verified = await ok(await step(client, officer, request, "identity-verification"))
    async with db.sessions() as session:
        session.add(ConsentEvent(customer_id=customer, purpose="marketing_email", granted=False,
                                 source="privacy_request", request_id=request["id"]))
        # A withdrawal of the same purpose for another request is no evidence for this one.
        session.add(ConsentEvent(customer_id=customer, purpose="analytics", granted=False, source="app"))
        await session.commit()
    response = await step(client, officer, verified, "completion")
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "completion_requirements_missing"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("consent.analytics",
                                                                      "consent_withdrawal_missing")]
    assert (await detail(client, officer, request))["state"] == "in_progress"


async def test_objection_to_other_purposes_needs_only_the_marketing_withdrawals(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    analytics_only = await new_request(client, officer, right="objection", customer_id=customer,
                                       purposes=["analytics"])
    verified = await ok(await step(client, officer, analytics_only, "identity-verification"))
    # Not direct marketing: weighed and answered in the outcome, no withdrawal record required.
    assert (await step(client, officer, verified, "completion")).status_code == 200
    marketing = await new_request(client, officer, right="objection", customer_id=customer,
                                  purposes=["marketing_email"])
    verified = await ok(await step(client, officer, marketing, "identity-verification"))
    refused = await step(client, officer, verified, "completion")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "consent.marketing_email"


async def test_access_needs_an_access_package_not_a_portability_one(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer = await add_customer(db)
    request = await new_request(client, officer, right="access", customer_id=customer)
    verified = await ok(await step(client, officer, request, "identity-verification"))
    await add_evidence(db, {**request, "right": "portability"})
    response = await step(client, officer, verified, "completion")
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "access_package"


# --- refusal ------------------------------------------------------------------------------------


async def test_refusal_needs_the_notice_of_the_right_to_complain(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, customer_id=await add_customer(db))
    missing = await step(client, officer, request, "refusal", authority_notice=False)
    assert missing.status_code == 422
    problem = missing.json()
    assert problem["code"] == "authority_notice_required" and problem["errors"][0]["field"] == "authority_notice"
    no_reason = await step(client, officer, request, "refusal", reason="")
    assert no_reason.status_code == 422
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ahead = await step(client, officer, request, "refusal", answer_sent_at=future)
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["field"] == "answer_sent_at"
    before = await step(client, officer, request, "refusal", answer_sent_at="2020-01-01T00:00:00Z")
    assert before.status_code == 422 and before.json()["code"] == "before_receipt"
    assert (await detail(client, officer, request))["state"] == "received"

    # Refusing needs no verified identity: failing to prove it is itself a reason to refuse.
    refused = await ok(await step(client, officer, request, "refusal"))
    assert refused["state"] == "refused" and refused["authority_notice"] is True
    assert refused["refusal_reason"] == "Fourth identical request this month."
    assert refused["answer_channel"] == "letter" and refused["closed_at"]
    history = (await detail(client, officer, request))["history"]
    assert [(e["field"], e["new_value"], e["body"]) for e in history if e["kind"] == "step"] == [
        ("refusal", "refused", "Fourth identical request this month.")]


@pytest.mark.parametrize("closing", ["completion", "refusal"])
async def test_no_step_changes_a_closed_request(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, closing: str
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, right="complaint", customer_id=await add_customer(db))
    verified = await ok(await step(client, officer, request, "identity-verification"))
    closed = await ok(await step(client, officer, verified, closing))
    for name in STEP_BODIES:
        response = await step(client, officer, closed, name)
        assert response.status_code == 409, (name, response.text)
        assert response.json()["code"] == "request_closed"
    patched = await client.patch(f"/privacy-requests/{request['id']}", json={"state": "in_progress"},
                                 headers={**officer.headers, "If-Match": f'"{closed["version"]}"'})
    assert patched.status_code == 409
    after = await detail(client, officer, request)
    assert after["version"] == closed["version"] and after["state"] == closed["state"]


# --- identity -----------------------------------------------------------------------------------


async def test_identity_checks_are_from_the_list_and_recorded_once(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    for fields in ({"check": "passport_copy"}, {"detail": ""}, {"detail": "x" * 1001}):
        assert (await step(client, officer, request, "identity-verification", **fields)).status_code == 422
    assert (await step(client, officer, request, "identity-request", how="")).status_code == 422
    verified = await ok(await step(client, officer, request, "identity-verification", check="rfid_and_last_session",
                                   detail="Card ending 44D1, last session 3 Nov confirmed."))
    assert verified["waiting_for_identity"] is False
    again = await step(client, officer, verified, "identity-verification")
    assert again.status_code == 409 and again.json()["code"] == "identity_already_verified"
    asked = await step(client, officer, verified, "identity-request")
    assert asked.status_code == 409 and asked.json()["code"] == "identity_already_verified"


async def test_steps_check_an_optional_if_match_and_replay_an_idempotency_key(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    stale = await client.post(f"/privacy-requests/{request['id']}/identity-request",
                              json=STEP_BODIES["identity-request"],
                              headers={**officer.headers, "If-Match": f'"{request["version"] + 5}"'})
    assert stale.status_code == 412
    headers = {**officer.headers, "If-Match": f'"{request["version"]}"', "Idempotency-Key": "ask-1"}
    first = await client.post(f"/privacy-requests/{request['id']}/identity-request",
                              json=STEP_BODIES["identity-request"], headers=headers)
    retry = await client.post(f"/privacy-requests/{request['id']}/identity-request",
                              json=STEP_BODIES["identity-request"], headers=headers)
    assert first.status_code == retry.status_code == 200 and first.json() == retry.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert await count(db, PrivacyRequestEntry, PrivacyRequestEntry.kind == "step") == 1
    async with db.sessions() as session:
        events = (await session.execute(
            select(EventRecord).where(EventRecord.type == "privacy_request.updated"))).scalars().all()
    assert [(e.scope, json.loads(e.data)["state"]) for e in events] == [("privacy", "identity_verification")]
    assert "Svoboda" not in events[0].data
    missing = await client.post(f"/privacy-requests/{uuid.uuid4()}/identity-request",
                                json=STEP_BODIES["identity-request"], headers=officer.headers)
    assert missing.status_code == 404


# --- extension ----------------------------------------------------------------------------------


async def test_extension_by_two_months_after_31_january_is_due_30_april(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, received_at="2025-01-31T10:00:00+01:00")
    assert request["notice_warning"] == "overdue"
    extended = await ok(await step(client, officer, request, "extension", notified_at="2025-02-20T09:00:00+01:00"))
    assert extended["state"] == "extended"
    assert extended["due_at"] == "2025-02-28T22:59:59.999999Z"  # the original one stays visible
    assert extended["extended_due_at"] == extended["effective_due_at"] == "2025-04-30T21:59:59.999999Z"
    assert extended["extension_notified_at"] == "2025-02-20T08:00:00Z"
    assert extended["extension_reason"] == "Twelve years of charging sessions to collect."
    assert extended["notice_warning"] is None  # the subject was told; nothing left to warn about
    again = await step(client, officer, extended, "extension", notified_at="2025-02-21T09:00:00+01:00")
    assert again.status_code == 409 and again.json()["code"] == "already_extended"


async def test_extension_by_one_month(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, received_at="2025-01-31T10:00:00+01:00")
    extended = await ok(await step(client, officer, request, "extension", months=1,
                                   notified_at="2025-02-28T23:00:00+01:00"))
    assert extended["extended_due_at"] == "2025-03-31T21:59:59.999999Z"  # CEST from 30 March


async def test_extension_told_after_the_first_month_is_too_late(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, received_at="2025-01-31T10:00:00+01:00")
    late = await step(client, officer, request, "extension", notified_at="2025-03-01T00:00:00+01:00")
    assert late.status_code == 409 and late.json()["code"] == "extension_too_late"
    # Told only now (the default), long after 28 February.
    now = await step(client, officer, request, "extension")
    assert now.status_code == 409 and now.json()["code"] == "extension_too_late"
    after = await detail(client, officer, request)
    assert after["state"] == "received" and after["extended_due_at"] is None
    assert after["version"] == request["version"]


async def test_extension_notice_time_must_be_plausible(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    for fields in ({"notified_at": future}, {"notified_at": "2020-01-01T00:00:00Z"}, {"months": 3},
                   {"months": 0}, {"reason": ""}, {"notified_at": "2025-02-20T09:00:00"}):
        response = await step(client, officer, request, "extension", **fields)
        assert response.status_code == 422, (fields, response.text)
    extended = await ok(await step(client, officer, request, "extension"))
    assert extended["state"] == "extended"


async def test_extension_while_waiting_for_identity_keeps_both_visible(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer)
    waiting = await ok(await step(client, officer, request, "identity-request"))
    extended = await ok(await step(client, officer, waiting, "extension"))
    assert extended["state"] == "extended" and extended["waiting_for_identity"] is True
    verified = await ok(await step(client, officer, extended, "identity-verification"))
    # Still extended: the later due date is the one the officer works to.
    assert verified["state"] == "extended" and verified["waiting_for_identity"] is False
    assert verified["effective_due_at"] == verified["extended_due_at"]


# --- deadlines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2025-01-31T10:00:00+01:00", "2025-02-28T22:59:59.999999Z"),
        ("2024-01-31T10:00:00+01:00", "2024-02-29T22:59:59.999999Z"),  # leap year
        # 29 March 2024 is Good Friday, then a weekend and Easter Monday (29 February 2028: domain tests).
        ("2024-02-29T10:00:00+01:00", "2024-04-02T21:59:59.999999Z"),
        ("2025-03-31T10:00:00+02:00", "2025-04-30T21:59:59.999999Z"),
        # 23:30 in Prague is 21:30 UTC, still 31 March: due 30 April.
        ("2025-03-31T23:30:00+02:00", "2025-04-30T21:59:59.999999Z"),
        ("2025-01-31T23:30:00+01:00", "2025-02-28T22:59:59.999999Z"),
        # 22:30 UTC on 31 March is already 1 April in Prague: due 1 May, a holiday, so 2 May.
        ("2025-03-31T22:30:00Z", "2025-05-02T21:59:59.999999Z"),
    ],
)
async def test_due_date_is_one_calendar_month_after_receipt_in_prague(
    client: httpx.AsyncClient, sign_in: SignIn, received: str, due: str
) -> None:
    officer = await sign_in("privacy_officer")
    request = await new_request(client, officer, received_at=received)
    assert request["due_at"] == request["extension_notice_due_at"] == due


def _received_with_notice_due_in(days_from: float, days_to: float) -> datetime:
    """A receipt moment whose first-month deadline falls the given number of days from now."""
    now = datetime.now(UTC)
    for back in range(20, 40):
        received = now - timedelta(days=back)
        left = privacy_due_at(received) - now
        if timedelta(days=days_from) < left < timedelta(days=days_to):
            return received
    raise AssertionError("no receipt date found")


async def test_list_warns_before_the_extension_notice_date_and_shows_who_waits_for_identity(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    soon = await new_request(client, officer, subject_name="Soon",
                             received_at=_received_with_notice_due_in(1, 6).isoformat())
    fresh = await new_request(client, officer, subject_name="Fresh")
    await ok(await step(client, officer, fresh, "identity-request"))
    items = {r["subject_name"]: r for r in
             (await client.get("/privacy-requests", headers=officer.headers)).json()["items"]}
    assert items["Soon"]["notice_warning"] == "due_soon" and items["Soon"]["waiting_for_identity"] is False
    assert items["Fresh"]["notice_warning"] == "ok" and items["Fresh"]["waiting_for_identity"] is True
    extended = await ok(await step(client, officer, soon, "extension"))
    assert extended["notice_warning"] is None and extended["warning"] == "ok"


# --- intake -------------------------------------------------------------------------------------


async def test_request_started_from_a_ticket_is_noted_in_the_ticket_without_personal_data(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    ticket = await new_ticket(client, officer, kind="complaint", title="Charging stopped, I want all my data")
    request = await new_request(client, officer, ticket_id=ticket["id"], customer_id=await add_customer(db))
    async with db.sessions() as session:
        entries = (await session.execute(select(TicketEntry).where(
            TicketEntry.ticket_id == ticket["id"], TicketEntry.kind == "system"))).scalars().all()
        stored = await session.get(Ticket, ticket["id"])
        assert stored is not None and stored.version > ticket["version"]
    assert [e.body for e in entries] == [f"Privacy request {request['number']} started from this ticket."]
    assert entries[0].author_id == officer.operator_id and entries[0].new_value == request["id"]
    assert request["ticket_id"] == ticket["id"]


async def test_linking_a_ticket_later_also_notes_it(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    officer = await sign_in("privacy_officer")
    ticket = await new_ticket(client, officer)
    request = await new_request(client, officer)
    response = await client.patch(f"/privacy-requests/{request['id']}", json={"ticket_id": ticket["id"]},
                                  headers={**officer.headers, "If-Match": f'"{request["version"]}"'})
    assert response.status_code == 200, response.text
    async with db.sessions() as session:
        bodies = (await session.execute(select(TicketEntry.body).where(
            TicketEntry.ticket_id == ticket["id"], TicketEntry.kind == "system"))).scalars().all()
    assert bodies == [f"Privacy request {request['number']} linked to this ticket."]


async def test_app_account_and_purposes_are_checked_at_intake(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer, other = await add_customer(db), await add_customer(db)
    async with db.sessions() as session:
        account = CustomerAccount(customer_id=customer, login_email="child@example.cz", display_name="Child",
                                  role="driver")
        foreign = CustomerAccount(customer_id=other, login_email="other@example.cz", display_name="Other")
        session.add_all([account, foreign])
        await session.commit()
        account_id, foreign_id = account.id, foreign.id

    async def refused(**fields: Any) -> dict[str, Any]:
        response = await client.post("/privacy-requests", json=request_body(**fields), headers=officer.headers)
        assert response.status_code == 422, (fields, response.text)
        problem: dict[str, Any] = response.json()
        return problem

    assert (await refused(customer_id=customer, subject_account_id=foreign_id))["code"] == "account_not_of_customer"
    assert (await refused(subject_account_id=account_id))["code"] == "account_not_of_customer"
    assert (await refused(customer_id=customer, subject_account_id=str(uuid.uuid4())))["code"] == "account_not_found"
    assert (await refused(right="consent_withdrawal", customer_id=customer))["code"] == "purposes_required"
    assert (await refused(right="consent_withdrawal", purposes=[]))["code"] == "purposes_required"
    assert (await refused(right="access", purposes=["marketing_email"]))["code"] == "purposes_not_applicable"
    assert (await refused(right="objection", purposes=["telepathy"]))["errors"][0]["field"].startswith("purposes")
    assert await count(db, PrivacyRequest) == 0

    request = await new_request(client, officer, right="consent_withdrawal", customer_id=customer,
                                subject_account_id=account_id, requester_relation="guardian",
                                requester_name="Parent", purposes=["marketing_push", "marketing_push", "camera"])
    assert request["subject_account_id"] == account_id
    assert request["purposes"] == ["marketing_push", "camera"]
    async with db.sessions() as session:
        assert (await session.get(Customer, customer)) is not None
