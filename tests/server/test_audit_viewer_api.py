"""The audit viewer's API as the privacy officer uses it to answer a subject or the supervisory
authority: everything about one customer, by operator, by action or action family, by time; the
export of that for the authority (CSV and JSON with the chain check); tampering shows."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from sqlalchemy import text

from ema_server.db.audit import append_audit
from ema_server.db.engine import Database
from tests.conftest import SignedIn, SignIn


async def _customer(client: httpx.AsyncClient, who: SignedIn, name: str) -> str:
    response = await client.post("/customers", json={"kind": "consumer", "name": name}, headers=who.headers)
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["id"]
    return customer_id


async def _trail(client: httpx.AsyncClient, who: SignedIn, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/audit", params={"limit": 500, **params}, headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _subject_record(db: Database, action: str, customer_id: str) -> None:
    """A record about a customer's data that names it only as its subject (as a privacy request step does)."""
    async with db.sessions() as session:
        await append_audit(session, action=action, entity="privacy_request", entity_id="req-1",
                           operator_username="cli", detail={"step": "identity"}, subject_id=customer_id)
        await session.commit()


async def test_filtering_by_subject_finds_every_record_about_that_customer_and_no_other(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    jana = await _customer(client, hotline, "Jana Nová")
    petr = await _customer(client, hotline, "Petr Malý")
    assert (await client.get(f"/customers/{jana}", headers=hotline.headers)).status_code == 200
    assert (await client.get(f"/customers/{petr}", headers=hotline.headers)).status_code == 200
    assert (await client.get("/customers", params={"q": "Jana"}, headers=hotline.headers)).status_code == 200
    await _subject_record(db, "privacy_request.identity_verification", jana)

    about_jana = await _trail(client, officer, subject_id=jana)
    actions = [r["action"] for r in about_jana]
    assert "customer.read" in actions and "customer.create" in actions
    assert "privacy_request.identity_verification" in actions
    assert "customer.search" in actions  # the search that listed her
    assert all(r["subject_id"] == jana or (r["entity"], r["entity_id"]) == ("customer", jana)
               or jana in r["detail"].get("customer_ids", ()) for r in about_jana)
    assert petr not in {r["entity_id"] for r in about_jana}
    read = next(r for r in about_jana if r["action"] == "customer.read")
    assert read["operator_id"] == hotline.operator_id and read["operator_name"] == f"Test {hotline.username}"

    # The officer's look is itself on Jana's trail, with the filter named but no personal data.
    looked = await _trail(client, officer, subject_id=jana, action="audit.read")
    assert looked and looked[0]["operator_id"] == officer.operator_id
    assert looked[0]["detail"]["filters"] == ["subject_id"]


async def test_action_prefix_operator_and_time_narrow_the_trail(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    jana = await _customer(client, hotline, "Jana Nová")
    await _subject_record(db, "privacy_request.identity_verification", jana)
    await _subject_record(db, "privacy_request.completion", jana)
    await _subject_record(db, "privacyXrequest.odd", jana)

    family = await _trail(client, officer, action="privacy_request.*")
    assert sorted(r["action"] for r in family) == ["privacy_request.completion",
                                                   "privacy_request.identity_verification"]
    # "_" in a prefix is a letter, not a wildcard: "privacy_r*" does not match "privacyXrequest".
    assert [r["action"] for r in await _trail(client, officer, action="privacy_r*")] == [r["action"] for r in family]
    by_hotline = await _trail(client, officer, operator_id=hotline.operator_id)
    assert {r["action"] for r in by_hotline} == {"auth.login", "customer.create"}
    newest = (await _trail(client, officer))[0]
    after = await _trail(client, officer, **{"from": newest["at"]})
    before = await _trail(client, officer, to=newest["at"])
    assert newest["seq"] in {r["seq"] for r in after} and all(r["at"] >= newest["at"] for r in after)
    assert before and all(r["at"] < newest["at"] for r in before)
    assert await _trail(client, officer, to="2000-01-01T00:00:00Z") == []


async def test_a_star_inside_the_action_is_a_422(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    for path in ("/audit", "/audit/export"):
        response = await client.get(path, params={"action": "privacy*.read"}, headers=officer.headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "action"


async def test_csv_export_for_the_authority_holds_the_filtered_records_and_is_itself_audited(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    jana = await _customer(client, hotline, "Jana Nová")
    petr = await _customer(client, hotline, "Petr Malý")
    await client.get(f"/customers/{jana}", headers=hotline.headers)
    await client.get(f"/customers/{petr}", headers=hotline.headers)

    response = await client.get("/audit/export", params={"format": "csv", "subject_id": jana},
                                headers=officer.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and ".csv" in disposition
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["seq", "at", "operator_id", "operator", "operator_name", "action", "entity",
                             "entity_id", "subject_id", "client_address", "detail", "prev_hash", "hash"]
    assert [r["action"] for r in rows] == ["customer.create", "customer.read"]  # oldest first
    assert {r["entity_id"] for r in rows} == {jana}
    assert rows[1]["operator"] == hotline.username and rows[1]["operator_name"] == f"Test {hotline.username}"
    assert rows[1]["at"].endswith("Z") and len(rows[1]["hash"]) == 64 and len(rows[1]["prev_hash"]) == 64

    exports = await _trail(client, officer, action="audit.export")
    assert len(exports) == 1 and exports[0]["operator_id"] == officer.operator_id
    assert exports[0]["subject_id"] == jana
    assert exports[0]["detail"]["filters"] == {"subject_id": jana}
    assert exports[0]["detail"]["format"] == "csv" and exports[0]["detail"]["count"] == 2


async def test_json_export_carries_the_chain_check_at_export_time(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    response = await client.get("/audit/export", params={"format": "json", "action": "auth.*"},
                                headers=officer.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["chain"]["ok"] is True and document["chain"]["checked"] >= 2
    assert document["filters"] == {"action": "auth.*"}
    assert [r["action"] for r in document["records"]] == ["auth.login"]
    assert document["count"] == 1
    record = document["records"][0]
    assert record["operator_id"] == officer.operator_id and isinstance(record["detail"], dict)
    empty = await client.get("/audit/export", params={"format": "json", "action": "nothing.*"},
                             headers=officer.headers)
    assert empty.json()["records"] == [] and empty.json()["count"] == 0


async def test_export_streams_more_records_than_one_batch(client: httpx.AsyncClient, db: Database,
                                                          sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    async with db.sessions() as session:
        for n in range(1205):
            await append_audit(session, action="test.bulk", detail={"n": n})
        await session.commit()
    response = await client.get("/audit/export", params={"format": "json", "action": "test.bulk"},
                                headers=officer.headers)
    numbers = [r["detail"]["n"] for r in response.json()["records"]]
    assert numbers == list(range(1205))
    rows = list(csv.DictReader(io.StringIO((await client.get(
        "/audit/export", params={"action": "test.bulk"}, headers=officer.headers)).text)))
    assert len(rows) == 1205


async def test_a_tampered_record_shows_in_the_export_and_the_check(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    jana = await _customer(client, hotline, "Jana Nová")
    async with db.sessions() as session:
        # Someone with database access goes around the append-only guard.
        if db.engine.dialect.name == "sqlite":
            await session.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            await session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        seq = (await session.execute(text("SELECT seq FROM audit_log WHERE action = 'customer.create'"))).scalar_one()
        await session.execute(text("UPDATE audit_log SET client_address = '10.0.0.9' WHERE seq = :seq"), {"seq": seq})
        await session.commit()
    document = (await client.get("/audit/export", params={"format": "json", "subject_id": jana},
                                 headers=officer.headers)).json()
    assert document["chain"] == {"ok": False, "checked": seq - 1, "first_bad_seq": seq,
                                 "problem": "record content does not match its hash"}
    assert [r["client_address"] for r in document["records"]] == ["10.0.0.9"]
    check = (await client.get("/audit/verify", headers=officer.headers)).json()
    assert check["ok"] is False and check["first_bad_seq"] == seq


async def test_hotline_may_neither_read_nor_export_the_trail(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    hotline = await sign_in("hotline")
    for path in ("/audit", "/audit/export", "/audit/verify"):
        response = await client.get(path, headers=hotline.headers)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
