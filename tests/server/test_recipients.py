"""Recipients of customers' data (Art. 19): the ledger of who received whose data, and for a
rectification, erasure or restriction whether each recipient was notified, acknowledged it, or
was exempted with a justification."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, PrivacyRequestEntry
from ema_server.privacy.recipients import DEFAULT_RECIPIENTS, ensure_default_recipients, note_disclosure
from tests.conftest import SignedIn, SignIn
from tests.server.test_privacy_requests import new_request
from tests.server.test_tickets import add_customer

ROAMING, PAYMENT = "e-Mobility Roaming Hub GmbH", "PayGate CZ a.s."
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def disclose(db: Database, customer_id: str, *names: str) -> None:
    """The customer's data went to these recipients (as charging or invoicing would have sent it)."""
    async with db.sessions() as session:
        recipients = {r.name: r for r in await ensure_default_recipients(session)}
        for name in names:
            await note_disclosure(session, recipients[name], customer_id, ["identification"], WHEN)
            later = WHEN + timedelta(days=3)
            await note_disclosure(session, recipients[name], customer_id, ["charging_sessions"], later)
        await session.commit()


async def open_notices(client: httpx.AsyncClient, op: SignedIn, request_id: str, action: str) -> httpx.Response:
    return await client.post(f"/privacy-requests/{request_id}/recipient-notices", json={"action": action},
                             headers=op.headers)  # fmt: skip


async def change(client: httpx.AsyncClient, op: SignedIn, notice: dict[str, Any], **fields: Any) -> httpx.Response:
    return await client.patch(f"/recipient-notices/{notice['id']}", json=fields,
                              headers={**op.headers, "If-Match": f'"{notice["version"]}"'})  # fmt: skip


async def test_recipients_named_by_the_policy_are_on_record(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    response = await client.get("/recipients", headers=officer.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert {r["category"] for r in items} >= {"roaming_partner", "payment_provider", "mailing_tool", "hosting",
                                              "helpdesk"}  # fmt: skip
    assert len(items) == len(DEFAULT_RECIPIENTS) and all(r["active"] and r["purpose"] for r in items)
    # Asked again, nothing is added twice.
    assert (await client.get("/recipients", headers=officer.headers)).json() == response.json()
    assert (await client.get("/recipients", headers=(await sign_in("hotline")).headers)).status_code == 403


async def test_subject_can_be_told_who_received_their_data(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id, neighbour_id = await add_customer(db), await add_customer(db)
    await disclose(db, customer_id, ROAMING, PAYMENT)
    await disclose(db, neighbour_id, PAYMENT)

    response = await client.get(f"/customers/{customer_id}/recipients", headers=officer.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert sorted(i["recipient"]["name"] for i in items) == sorted([ROAMING, PAYMENT])
    assert all(i["data_categories"] == ["charging_sessions", "identification"] for i in items)
    assert {(i["first_at"], i["last_at"]) for i in items} == {("2026-03-02T09:30:00Z", "2026-03-05T09:30:00Z")}
    neighbour = (await client.get(f"/customers/{neighbour_id}/recipients", headers=officer.headers)).json()
    assert [i["recipient"]["name"] for i in neighbour["items"]] == [PAYMENT]
    assert (await client.get(f"/customers/{uuid.uuid4()}/recipients", headers=officer.headers)).status_code == 404
    async with db.sessions() as session:
        audited = (await session.execute(
            select(AuditRecord.action).where(AuditRecord.subject_id == customer_id)
        )).scalars().all()  # fmt: skip
    assert audited == ["customer.recipients_read"]


async def test_erasure_opens_one_notice_per_recipient_and_each_is_followed_to_its_end(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id = await add_customer(db)
    await disclose(db, customer_id, ROAMING, PAYMENT)
    request = await new_request(client, officer, right="erasure", customer_id=customer_id)

    opened = await open_notices(client, officer, request["id"], "erasure")
    assert opened.status_code == 200, opened.text
    notices = {n["recipient"]["name"]: n for n in opened.json()["items"]}
    assert sorted(notices) == sorted([ROAMING, PAYMENT])
    assert {(n["action"], n["state"], n["notified_at"], n["justification"]) for n in notices.values()} == {
        ("erasure", "pending", None, None)
    }
    # Opening again keeps what is there: no second notice to the same recipient.
    again = await open_notices(client, officer, request["id"], "erasure")
    assert again.json() == opened.json()

    roaming = notices[ROAMING]
    told = await change(client, officer, roaming, state="notified")
    assert told.status_code == 200, told.text
    assert told.json()["state"] == "notified" and told.json()["notified_at"] is not None
    assert told.headers["ETag"] == f'"{told.json()["version"]}"' and told.json()["version"] > roaming["version"]
    # A second operator working from the old version is stopped, and shown the current one.
    stale = await change(client, officer, roaming, state="acknowledged")
    assert stale.status_code == 412 and stale.json()["current"]["state"] == "notified"
    acknowledged = await change(client, officer, told.json(), state="acknowledged", at="2026-03-10T08:00:00+01:00")
    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json()["acknowledged_at"] == "2026-03-10T07:00:00Z"
    assert acknowledged.json()["notified_at"] == told.json()["notified_at"]
    back = await change(client, officer, acknowledged.json(), state="notified")
    assert back.status_code == 409 and back.json()["code"] == "invalid_transition"

    payment = notices[PAYMENT]
    unjustified = await change(client, officer, payment, state="exempted")
    assert unjustified.status_code == 422 and unjustified.json()["code"] == "justification_required"
    exempted = await change(client, officer, payment, state="exempted",
                            justification="The provider holds no data beyond the settled payments.")  # fmt: skip
    assert exempted.status_code == 200 and exempted.json()["state"] == "exempted"
    assert exempted.json()["justification"].startswith("The provider holds")

    listed = await client.get(f"/privacy-requests/{request['id']}/recipient-notices", headers=officer.headers)
    assert {n["recipient"]["name"]: n["state"] for n in listed.json()["items"]} == {
        ROAMING: "acknowledged", PAYMENT: "exempted"
    }
    async with db.sessions() as session:
        steps = (await session.execute(
            select(PrivacyRequestEntry.body).where(PrivacyRequestEntry.request_id == request["id"],
                                                   PrivacyRequestEntry.kind == "step")
        )).scalars().all()  # fmt: skip
        audited = (await session.execute(
            select(AuditRecord.action).where(AuditRecord.subject_id == customer_id, AuditRecord.action.like("recip%"))
        )).scalars().all()  # fmt: skip
    assert steps == ["Recipients to be told of the erasure: 2."]
    assert sorted(audited) == ["recipient_notice.update"] * 3


async def test_notices_need_a_subject_a_known_action_and_a_sensible_time(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer, technician = await sign_in("privacy_officer"), await sign_in("technician")
    anonymous = await new_request(client, officer, right="rectification")
    no_subject = await open_notices(client, officer, anonymous["id"], "rectification")
    assert no_subject.status_code == 409 and no_subject.json()["code"] == "no_subject"

    customer_id = await add_customer(db)
    await disclose(db, customer_id, ROAMING)
    request = await new_request(client, officer, right="rectification", customer_id=customer_id)
    bad_action = await open_notices(client, officer, request["id"], "celebration")
    assert bad_action.status_code == 422 and bad_action.json()["errors"][0]["field"] == "action"
    assert (await open_notices(client, officer, str(uuid.uuid4()), "erasure")).status_code == 404
    assert (await open_notices(client, technician, request["id"], "rectification")).status_code == 403

    notice = (await open_notices(client, officer, request["id"], "rectification")).json()["items"][0]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ahead = await change(client, officer, notice, state="notified", at=future)
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["field"] == "at"
    no_version = await client.patch(f"/recipient-notices/{notice['id']}", json={"state": "notified"},
                                    headers=officer.headers)  # fmt: skip
    assert no_version.status_code == 428
    unchanged = await client.get(f"/privacy-requests/{request['id']}/recipient-notices", headers=officer.headers)
    assert unchanged.json()["items"][0]["state"] == "pending"
    assert unchanged.json()["items"][0]["version"] == notice["version"]
