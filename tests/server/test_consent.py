"""Consent per purpose: grants and withdrawals kept as history, the state in force, and a
withdrawal taking effect at once in the customer's marketing flags and the marketing audience."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select, update

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Consent, Customer, CustomerAccount, PrivacyRequestEntry
from ema_server.db.models.data_protection import ConsentEvent
from ema_server.privacy.consent import record_marketing_flags
from tests.conftest import SignedIn, SignIn
from tests.server.test_privacy_requests import new_request
from tests.server.test_tickets import add_customer


async def record(client: httpx.AsyncClient, op: SignedIn, customer_id: str, purpose: str, granted: bool,
                 source: str = "phone", **fields: Any) -> httpx.Response:  # fmt: skip
    body = {"purpose": purpose, "granted": granted, "source": source, **fields}
    return await client.post(f"/customers/{customer_id}/consents", json=body, headers=op.headers)


async def audience(client: httpx.AsyncClient, admin: SignedIn, channel: str = "email") -> list[dict[str, Any]]:
    response = await client.get("/marketing/audience", params={"channel": channel}, headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    assert response.json()["total"] == len(items)
    return items


async def event_count(db: Database, customer_id: str) -> int:
    async with db.sessions() as session:
        found = await session.execute(
            select(func.count()).select_from(ConsentEvent).where(ConsentEvent.customer_id == customer_id)
        )
        return int(found.scalar_one())


async def test_hotline_withdrawal_is_in_the_history_and_stops_marketing_at_once(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline, admin = await sign_in("hotline"), await sign_in("admin")
    customer_id = await add_customer(db)

    granted = await record(client, hotline, customer_id, "marketing_email", True, source="web")
    assert granted.status_code == 200, granted.text
    assert granted.json()["current"] == [
        {"purpose": "marketing_email", "granted": True, "since": granted.json()["history"][0]["at"], "source": "web"}
    ]
    card = (await client.get(f"/customers/{customer_id}", headers=hotline.headers)).json()
    assert card["marketing_email"] is True and card["marketing_push"] is False
    assert [m["customer_id"] for m in await audience(client, admin)] == [customer_id]
    assert (await audience(client, admin))[0]["email"] == "jana.novakova@example.cz"

    withdrawn = await record(client, hotline, customer_id, "marketing_email", False)
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["current"][0]["purpose"] == "marketing_email" and body["current"][0]["granted"] is False
    assert body["current"][0]["source"] == "phone"
    assert [(e["purpose"], e["granted"], e["source"], e["recorded_by_id"]) for e in body["history"]] == [
        ("marketing_email", True, "web", hotline.operator_id),
        ("marketing_email", False, "phone", hotline.operator_id),
    ]
    # At once: the very next reads no longer offer the customer to marketing.
    card = (await client.get(f"/customers/{customer_id}", headers=hotline.headers)).json()
    assert card["marketing_email"] is False
    assert await audience(client, admin) == []

    # The same state again changes nothing and leaves no event.
    again = await record(client, hotline, customer_id, "marketing_email", False)
    assert again.status_code == 200 and again.json() == body
    assert await event_count(db, customer_id) == 2
    read = await client.get(f"/customers/{customer_id}/consents", headers=hotline.headers)
    assert read.status_code == 200 and read.json() == body


async def test_push_consent_follows_to_the_flag_and_the_push_audience(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer, admin = await sign_in("privacy_officer"), await sign_in("admin")
    with_app, without_app = await add_customer(db), await add_customer(db)
    async with db.sessions() as session:
        account = CustomerAccount(customer_id=with_app, login_email=f"{uuid.uuid4().hex[:8]}@example.cz",
                                  display_name="Jana")  # fmt: skip
        session.add(account)
        await session.commit()
        account_id = account.id
    for customer_id in (with_app, without_app):
        assert (await record(client, officer, customer_id, "marketing_push", True, source="app")).status_code == 200
    # Push needs somewhere to push to: the customer without an app account is not in the list.
    assert await audience(client, admin, "push") == [
        {"customer_id": with_app, "customer_number": (await client.get(f"/customers/{with_app}",
                                                                       headers=admin.headers)).json()["customer_number"],
         "name": "Jana Nováková", "email": None, "account_ids": [account_id]},
    ]  # fmt: skip
    assert await audience(client, admin, "email") == []

    assert (await record(client, officer, with_app, "marketing_push", False, source="app")).status_code == 200
    async with db.sessions() as session:
        customer = await session.get(Customer, with_app)
        assert customer is not None and customer.marketing_push is False
    assert await audience(client, admin, "push") == []


async def test_audience_never_includes_restricted_or_erased_customers(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer, admin = await sign_in("privacy_officer"), await sign_in("admin")
    ordinary, restricted, erased = await add_customer(db), await add_customer(db), await add_customer(db)
    for customer_id in (ordinary, restricted, erased):
        assert (await record(client, officer, customer_id, "marketing_email", True)).status_code == 200
    async with db.sessions() as session:
        now = datetime.now(UTC)
        await session.execute(update(Customer).where(Customer.id == restricted).values(restricted_at=now))
        await session.execute(update(Customer).where(Customer.id == erased).values(restricted_at=now, erased_at=now))
        await session.commit()
    assert [m["customer_id"] for m in await audience(client, admin)] == [ordinary]
    # An erased customer cannot be signed up again; a withdrawal is always taken.
    regrant = await record(client, officer, erased, "analytics", True)
    assert regrant.status_code == 409 and regrant.json()["code"] == "customer_erased"
    assert (await record(client, officer, erased, "marketing_email", False)).status_code == 200


async def test_withdrawal_answering_a_request_is_its_evidence_and_a_step_in_its_history(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id, other_id = await add_customer(db), await add_customer(db)
    assert (await record(client, officer, customer_id, "marketing_push", True, source="app")).status_code == 200
    request = await new_request(client, officer, right="consent_withdrawal", customer_id=customer_id,
                                purposes=["marketing_push", "analytics"])  # fmt: skip

    pushed = await record(client, officer, customer_id, "marketing_push", False, source="privacy_request",
                          request_id=request["id"])  # fmt: skip
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["history"][-1]["request_id"] == request["id"]
    # Analytics was never granted; the request still gets its recorded withdrawal, once.
    for _ in range(2):
        analytics = await record(client, officer, customer_id, "analytics", False, source="privacy_request",
                                 request_id=request["id"])  # fmt: skip
        assert analytics.status_code == 200, analytics.text
    assert [(e["purpose"], e["granted"], e["request_id"]) for e in analytics.json()["history"]] == [
        ("marketing_push", True, None),
        ("marketing_push", False, request["id"]),
        ("analytics", False, request["id"]),
    ]
    async with db.sessions() as session:
        steps = (await session.execute(
            select(PrivacyRequestEntry.new_value).where(PrivacyRequestEntry.request_id == request["id"],
                                                        PrivacyRequestEntry.kind == "step",
                                                        PrivacyRequestEntry.field == "consent")
        )).scalars().all()  # fmt: skip
    assert sorted(str(step) for step in steps) == ["analytics", "marketing_push"]
    detail = (await client.get(f"/privacy-requests/{request['id']}", headers=officer.headers)).json()
    assert detail["version"] > request["version"]

    before = await event_count(db, customer_id)
    wrong_subject = await record(client, officer, other_id, "analytics", False, request_id=request["id"])
    assert wrong_subject.status_code == 422 and wrong_subject.json()["code"] == "request_other_subject"
    granting = await record(client, officer, customer_id, "analytics", True, request_id=request["id"])
    assert granting.status_code == 422 and granting.json()["errors"][0]["field"] == "request_id"
    unknown = await record(client, officer, customer_id, "analytics", False, request_id=str(uuid.uuid4()))
    assert unknown.status_code == 422 and unknown.json()["code"] == "request_not_found"
    assert await event_count(db, customer_id) == before


async def test_bad_input_and_roles_change_nothing(client: httpx.AsyncClient, sign_in: SignIn, db: Database) -> None:
    technician, hotline = await sign_in("technician"), await sign_in("hotline")
    officer = await sign_in("privacy_officer")
    customer_id = await add_customer(db)

    denied = await record(client, technician, customer_id, "marketing_email", False)
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    assert (await client.get(f"/customers/{customer_id}/consents", headers=technician.headers)).status_code == 200
    assert (await client.get("/marketing/audience", params={"channel": "email"},
                             headers=hotline.headers)).status_code == 403  # fmt: skip

    unknown_purpose = await record(client, hotline, customer_id, "telepathy", True)
    assert unknown_purpose.status_code == 422 and unknown_purpose.json()["errors"][0]["field"] == "purpose"
    unknown_source = await record(client, hotline, customer_id, "camera", True, source="pigeon")
    assert unknown_source.status_code == 422 and unknown_source.json()["errors"][0]["field"] == "source"
    missing = await record(client, hotline, str(uuid.uuid4()), "camera", True)
    assert missing.status_code == 404
    bad_channel = await client.get("/marketing/audience", params={"channel": "fax"}, headers=officer.headers)
    assert bad_channel.status_code == 403  # ADMINISTER only, checked first
    async with db.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Consent))).scalar_one() == 0
    assert await event_count(db, customer_id) == 0

    # A restricted customer does not exist for the hotline, but the privacy officer records for it.
    async with db.sessions() as session:
        restrict = update(Customer).where(Customer.id == customer_id).values(restricted_at=datetime.now(UTC))
        await session.execute(restrict)
        await session.commit()
    assert (await client.get(f"/customers/{customer_id}/consents", headers=hotline.headers)).status_code == 404
    assert (await record(client, hotline, customer_id, "camera", False)).status_code == 404
    assert (await record(client, officer, customer_id, "camera", False)).status_code == 200


async def test_consent_reads_and_changes_are_audited_under_the_customer(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    customer_id = await add_customer(db)
    assert (await record(client, hotline, customer_id, "location", True, source="app")).status_code == 200
    assert (await client.get(f"/customers/{customer_id}/consents", headers=hotline.headers)).status_code == 200
    async with db.sessions() as session:
        records = (await session.execute(
            select(AuditRecord).where(AuditRecord.subject_id == customer_id).order_by(AuditRecord.seq)
        )).scalars().all()  # fmt: skip
    assert [(r.action, r.operator_username) for r in records] == [
        ("customer.consent_change", hotline.username), ("customer.consents_read", hotline.username)
    ]
    assert "Nováková" not in records[0].detail and "jana" not in records[0].detail


async def test_a_marketing_list_is_a_disclosure_to_the_mailing_tool_and_an_unticked_flag_stops_it(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline, officer, admin = await sign_in("hotline"), await sign_in("privacy_officer"), await sign_in("admin")
    customer_id = await add_customer(db)
    assert (await record(client, hotline, customer_id, "marketing_email", True, source="web")).status_code == 200
    assert (await client.get(f"/customers/{customer_id}/recipients", headers=officer.headers)).json()["items"] == []

    assert [m["customer_id"] for m in await audience(client, admin)] == [customer_id]
    ledger = (await client.get(f"/customers/{customer_id}/recipients", headers=officer.headers)).json()["items"]
    assert [(d["recipient"]["category"], d["data_categories"]) for d in ledger] == [
        ("mailing_tool", ["contact", "preferences"])
    ]
    await audience(client, admin)  # a second mailing moves the last disclosure, not the first
    again = (await client.get(f"/customers/{customer_id}/recipients", headers=officer.headers)).json()["items"]
    assert len(again) == 1 and again[0]["first_at"] == ledger[0]["first_at"]
    assert again[0]["last_at"] >= ledger[0]["last_at"]

    # Unticking the flag on the customer card stops marketing at once too, consent row or not.
    card = await client.get(f"/customers/{customer_id}", headers=hotline.headers)
    unticked = await client.patch(f"/customers/{customer_id}", json={"marketing_email": False},
                                  headers={**hotline.headers, "If-Match": card.headers["ETag"]})  # fmt: skip
    assert unticked.status_code == 200, unticked.text
    assert await audience(client, admin) == []


async def test_a_marketing_flag_set_on_the_customer_record_is_recorded_as_consent(db: Database) -> None:
    customer_id = await add_customer(db)
    async with db.sessions() as session:
        flags = {"marketing_push": True, "analytics": True}  # not a flag on the customer: ignored
        changed = await record_marketing_flags(session, customer_id, flags, "phone", None)
        again = await record_marketing_flags(session, customer_id, {"marketing_push": True}, "phone", None)
        await session.commit()
    assert changed == ["marketing_push"] and again == []
    async with db.sessions() as session:
        customer = await session.get(Customer, customer_id)
        assert customer is not None and customer.marketing_push is True
        events = (await session.execute(select(ConsentEvent.purpose, ConsentEvent.granted))).all()
    assert [tuple(e) for e in events] == [("marketing_push", True)]
