"""Erasure as the privacy officer and the supervisory authority see it: the plan lists what goes
and what the law keeps (with basis and date), executing it erases in one transaction, the subject
can no longer be found, consoles get tombstones, a second execution changes nothing, a crash
leaves the customer untouched, and the ledger erases again what a database restore brought back."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from ema_server.db.engine import Database
from ema_server.db.models import (
    AccountLogin,
    AuditRecord,
    ChangeRecord,
    ChargingSession,
    Connector,
    Consent,
    ConsentEvent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    DataRecipient,
    Device,
    DeviceStatusChange,
    Document,
    Erasure,
    KeptRecord,
    LegalHold,
    OcppFrame,
    PrivacyRequest,
    PrivacyRequestEntry,
    RecipientNotice,
    Restriction,
    RfidCard,
    Site,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
)
from ema_server.domain.deadlines import PRAGUE
from ema_server.id_tags import find_card
from ema_server.privacy import erasure as erasure_module
from ema_server.privacy.erasure import erase_due_kept_records
from ema_server.privacy.erasure_plan import years_later
from tests.conftest import SignedIn, SignIn

EMAIL, PHONE, TAG, LOGIN = "jana.erasova@example.cz", "+420777111222", "ERAS0001", "jana.app@example.cz"
NAME = "Jana Erasová"


@pytest.fixture(autouse=True)
def ledger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "ledger" / "erasure-ledger.jsonl"
    monkeypatch.setenv("EMA_ERASURE_LEDGER", str(path))
    yield path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def today() -> date:
    return datetime.now(PRAGUE).date()


@dataclass
class Subject:
    customer_id: str
    number: str
    request_id: str
    recent_invoice: str
    old_invoice: str
    open_complaint: str
    closed_fault: str
    held_ticket: str
    foreign_ticket: str
    foreign_session: str
    own_device: str
    other_device: str
    hold_id: str


async def build_subject(
    db: Database, client: httpx.AsyncClient, officer: SignedIn, *, verified: bool = True
) -> Subject:
    """A consumer with invoices (2 and 6 years old), an open complaint, a closed fault ticket, a
    legal hold on another ticket, a wallbox of their own and a charge at another customer's station."""
    now = datetime.now(UTC)
    number = f"C{uuid.uuid4().hex[:9].upper()}"
    ids: dict[str, str] = {}
    async with db.sessions() as s:
        customer = Customer(customer_number=number, kind="consumer", name=NAME, email=EMAIL, phone=PHONE,
                            birth_date=date(1985, 4, 2), billing_street="Nádražní 12", billing_city="Ostrava",
                            billing_postal_code="70200", delivery_street="Dlouhá 5", delivery_city="Opava",
                            marketing_email=True, search_text="")  # fmt: skip
        other = Customer(customer_number=f"C{uuid.uuid4().hex[:9].upper()}", kind="business", name="Petr Jiný",
                         company_name="Nabíjení Jiný s.r.o.", email="info@jiny.example.cz")
        s.add_all([customer, other])
        await s.flush()
        s.add(Contact(customer_id=customer.id, name="Karel Eras", email="karel.eras@example.cz", phone="+420603000111"))
        account = CustomerAccount(customer_id=customer.id, login_email=LOGIN, display_name="Jana E.")
        s.add(account)
        s.add(Contract(customer_id=customer.id, number=f"S{uuid.uuid4().hex[:8]}", service="ema_subscription",
                       price_czk=99, billing_period="monthly", starts_on=date(2019, 1, 1), ends_on=date(2022, 1, 1),
                       status="ended"))  # fmt: skip
        site = Site(customer_id=customer.id, name="Domov", street="Dlouhá 5", city="Opava", postal_code="74601",
                    district="Opava", region="Moravskoslezský", latitude=49.9, longitude=17.9)
        s.add(site)
        await s.flush()
        own = Device(customer_id=customer.id, site_id=site.id, kind="wallbox", vendor="Sectron", model="AC22",
                     serial=f"SN{uuid.uuid4().hex[:8]}", ocpp_identity=f"CP{uuid.uuid4().hex[:8]}")
        foreign = Device(customer_id=other.id, kind="charging_station", vendor="Sectron", model="DC50",
                         serial=f"SN{uuid.uuid4().hex[:8]}", ocpp_identity=f"CP{uuid.uuid4().hex[:8]}")
        s.add_all([own, foreign])
        await s.flush()
        s.add(Connector(device_id=own.id, connector_no=1, standard="Type2", max_power_kw=22.0))
        series = TelemetrySeries(device_id=own.id, connector_no=1, measurand="power", unit="kW")
        s.add(series)
        s.add(DeviceStatusChange(device_id=own.id, connector_no=1, status="Charging"))
        s.add(OcppFrame(device_id=foreign.id, direction="in", message_type=2, unique_id="1",
                        action="StartTransaction", frame=json.dumps([2, "1", "StartTransaction", {"idTag": TAG}])))
        s.add(s_card := RfidCard(customer_id=customer.id, id_tag=TAG))
        await s.flush()
        s.add(TelemetrySample(series_id=series.id, ts_ms=1_700_000_000_000, value=7.4))
        foreign_session = ChargingSession(device_id=foreign.id, customer_id=customer.id, connector_no=1,
                                          id_tag=TAG, started_at=now - timedelta(days=30), energy_kwh=12.5)
        s.add(foreign_session)
        s.add(ChargingSession(device_id=own.id, customer_id=customer.id, connector_no=1, id_tag=TAG,
                              started_at=now - timedelta(days=3)))
        s.add(Consent(customer_id=customer.id, purpose="marketing_email", granted=True, granted_at=now, source="app"))
        s.add(ConsentEvent(customer_id=customer.id, purpose="marketing_email", granted=True, source="app"))
        recent = Document(customer_id=customer.id, kind="invoice", number=f"FV{uuid.uuid4().hex[:6]}",
                          title="Faktura", issued_on=today() - timedelta(days=730), amount_czk=990,
                          retention_category="accounting")
        old = Document(customer_id=customer.id, kind="invoice", number=f"FV{uuid.uuid4().hex[:6]}", title="Faktura",
                       issued_on=today() - timedelta(days=6 * 365 + 2), amount_czk=590, retention_category="accounting")
        s.add_all([recent, old])
        due = now + timedelta(days=5)
        complaint = Ticket(number=f"T-{uuid.uuid4().hex[:8]}", kind="complaint", title="Reklamace wallboxu",
                           customer_id=customer.id, state="open", first_response_due_at=due, resolution_due_at=due)
        fault = Ticket(number=f"T-{uuid.uuid4().hex[:8]}", kind="fault", title="Nenabíjí", customer_id=customer.id,
                       state="closed", closed_at=now - timedelta(days=100), first_response_due_at=due,
                       resolution_due_at=due)  # fmt: skip
        held = Ticket(number=f"T-{uuid.uuid4().hex[:8]}", kind="question", title="Dotaz k faktuře",
                      customer_id=customer.id, state="closed", closed_at=now - timedelta(days=10),
                      first_response_due_at=due, resolution_due_at=due)  # fmt: skip
        about_foreign = Ticket(number=f"T-{uuid.uuid4().hex[:8]}", kind="fault", device_id=foreign.id,
                               title="Stanice odmítla kartu", description=f"Volala {NAME}, tel. 777 111 222",
                               customer_id=customer.id, state="closed", closed_at=now - timedelta(days=40),
                               first_response_due_at=due, resolution_due_at=due)  # fmt: skip
        s.add_all([complaint, fault, held, about_foreign])
        await s.flush()
        s.add(TicketEntry(ticket_id=about_foreign.id, kind="note", body=f"Zákaznice {NAME} ({EMAIL}) potvrdila."))
        s.add(TicketEntry(ticket_id=fault.id, kind="note", body="Restart pomohl."))
        hold = LegalHold(ticket_id=held.id, reason="Spor o fakturaci", reference="KS Ostrava 12 C 1/2026")
        s.add(hold)
        await s.flush()
        s.add(AccountLogin(account_id=account.id, event="login"))
        ids = {"customer": customer.id, "recent": recent.id, "old": old.id, "complaint": complaint.id,
               "fault": fault.id, "held": held.id, "foreign_ticket": about_foreign.id,
               "foreign_session": foreign_session.id, "own": own.id, "other_device": foreign.id, "hold": hold.id,
               "card": s_card.id}  # fmt: skip
        await s.commit()
    # Search text as the API keeps it.
    from ema_server.search import refresh_customer_search_text

    async with db.sessions() as s:
        await refresh_customer_search_text(s, ids["customer"])
        await s.commit()
    response = await client.post("/privacy-requests", headers=officer.headers, json={
        "right": "erasure", "customer_id": ids["customer"], "subject_name": NAME, "subject_email": EMAIL,
        "channel": "email", "original_text": "Smažte prosím všechny mé údaje."})  # fmt: skip
    assert response.status_code == 201, response.text
    request_id = response.json()["id"]
    if verified:
        async with db.sessions() as s:
            await s.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id).values(
                state="in_progress", identity_check="registered_email_reply",
                identity_check_detail="reply from the registered address", identity_verified_at=now,
                identity_verified_by_id=officer.operator_id))  # fmt: skip
            await s.commit()
    return Subject(ids["customer"], number, request_id, ids["recent"], ids["old"], ids["complaint"], ids["fault"],
                   ids["held"], ids["foreign_ticket"], ids["foreign_session"], ids["own"], ids["other_device"],
                   ids["hold"])  # fmt: skip


async def plan_of(client: httpx.AsyncClient, officer: SignedIn, subject: Subject) -> dict[str, Any]:
    response = await client.get(f"/privacy-requests/{subject.request_id}/erasure-plan", headers=officer.headers)
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def execute(client: httpx.AsyncClient, officer: SignedIn, subject: Subject, plan: dict[str, Any],
                  confirm: str | None = None) -> httpx.Response:
    return await client.post(f"/privacy-requests/{subject.request_id}/erasure", headers=officer.headers,
                             json={"confirm_customer": confirm or subject.number, "plan_hash": plan["plan_hash"]})


def items(plan: dict[str, Any], category: str) -> list[dict[str, Any]]:
    return [i for i in plan["items"] if i["category"] == category]


async def count(db: Database, model: Any, *where: Any) -> int:
    async with db.sessions() as s:
        return int((await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def snapshot_counts(db: Database) -> dict[str, int]:
    models = (Customer, Contact, CustomerAccount, AccountLogin, Contract, Site, Device, Connector, ChargingSession,
              RfidCard, Consent, ConsentEvent, Document, Ticket, TicketEntry, TelemetrySample, OcppFrame,
              PrivacyRequestEntry, Erasure, KeptRecord, Restriction, ChangeRecord, LegalHold)  # fmt: skip
    return {m.__tablename__: await count(db, m) for m in models}


# --- the plan -----------------------------------------------------------------------------------


async def test_plan_keeps_what_the_law_requires_with_basis_and_end_date(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    assert plan["blockers"] == []
    assert plan["customer"] == {"id": subject.customer_id, "customer_number": subject.number, "name": NAME}
    documents = {(i["action"], i["basis"], i["keep_until"]): i["count"] for i in items(plan, "documents")}
    recent_until = years_later(today() - timedelta(days=730), 5).isoformat()
    assert documents == {("keep", "accounting", recent_until): 1, ("delete", None, None): 1}
    kept_docs = next(i for i in items(plan, "documents") if i["action"] == "keep")
    assert "563/1991" in kept_docs["legal_reference"]
    tickets = {(i["action"], i["basis"], i["keep_until"]): i["count"] for i in items(plan, "tickets")}
    assert tickets == {
        ("keep", "legal_claims", years_later(today(), 3).isoformat()): 1,  # the open complaint
        ("keep", "legal_hold", None): 1,  # the ticket under a hold
        ("delete", None, None): 1,  # the closed fault
        ("anonymise", None, None): 1,  # the fault at another customer's station
    }
    sessions = {i["action"]: i["count"] for i in items(plan, "charging_sessions")}
    assert sessions == {"anonymise": 1, "delete": 1}
    assert [(i["action"], i["basis"]) for i in items(plan, "privacy_requests")] == [("keep", "accountability")]
    # The customer row stays, reduced, as long as the last record kept for it (the hold: no date).
    assert [(i["action"], i["basis"], i["keep_until"]) for i in items(plan, "customer")] == [
        ("keep", "legal_hold", None)]
    for category in ("contacts", "accounts", "contracts", "sites", "devices", "rfid_cards", "consents"):
        assert [i["action"] for i in items(plan, category)] == ["delete"], category
    # Reading the plan is recorded against the subject.
    assert await count(db, AuditRecord, AuditRecord.action == "privacy_request.erasure_plan",
                       AuditRecord.subject_id == subject.customer_id) == 1


async def test_plan_shows_why_an_unverified_request_cannot_erase_and_execution_is_refused(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer, verified=False)
    plan = await plan_of(client, officer, subject)
    assert [b["code"] for b in plan["blockers"]] == ["identity_not_verified"]
    before = await snapshot_counts(db)
    response = await execute(client, officer, subject, plan)
    assert response.status_code == 409 and response.json()["code"] == "identity_not_verified"
    after = await snapshot_counts(db)
    assert after == before


async def test_wrong_confirmation_or_a_changed_plan_erases_nothing(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    before = await snapshot_counts(db)
    wrong = await execute(client, officer, subject, plan, confirm="Jana Erasova")  # no diacritics: not the name
    assert wrong.status_code == 422 and wrong.json()["code"] == "confirmation_mismatch"
    assert wrong.json()["errors"][0]["field"] == "confirm_customer"
    async with db.sessions() as s:
        s.add(Contact(customer_id=subject.customer_id, name="Nový kontakt", email="novy@example.cz"))
        await s.commit()
    stale = await execute(client, officer, subject, plan, confirm=NAME)
    assert stale.status_code == 409 and stale.json()["code"] == "plan_changed"
    after = await snapshot_counts(db)
    assert after["contacts"] == before["contacts"] + 1
    assert {k: v for k, v in after.items() if k not in ("contacts", "change_log")} == {
        k: v for k, v in before.items() if k not in ("contacts", "change_log")}
    assert await count(db, Customer, Customer.email == EMAIL) == 1


async def test_hotline_and_technician_cannot_see_or_execute_an_erasure(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    for role in ("hotline", "technician"):
        op = await sign_in(role)
        assert (await execute(client, op, subject, plan)).status_code == 403
    assert await count(db, Customer, Customer.email == EMAIL) == 1


# --- execution ----------------------------------------------------------------------------------


async def test_erasure_report_letters_and_verification(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, ledger_file: Path
) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    admin = await sign_in("admin")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    response = await execute(client, officer, subject, plan)
    assert response.status_code == 201, response.text
    erasure = response.json()

    kept = {(k["category"], k["basis"], k["keep_until"]): k["count"] for k in erasure["report"]["kept"]}
    assert kept[("documents", "accounting", years_later(today() - timedelta(days=730), 5).isoformat())] == 1
    assert kept[("tickets", "legal_claims", years_later(today(), 3).isoformat())] == 1
    assert kept[("tickets", "legal_hold", None)] == 1
    erased = {e["category"]: e["count"] for e in erasure["report"]["erased"]}
    assert erased["documents"] == 1 and erased["rfid_cards"] == 1 and erased["devices"] == 1
    assert {a["category"] for a in erasure["report"]["anonymised"]} == {"charging_sessions", "tickets"}
    assert erasure["report"]["recipients"] == []
    assert erasure["verification"]["ok"] is True
    kinds = {c["identifier_kind"] for c in erasure["verification"]["checks"]}
    assert {"email", "phone", "id_tag", "login_email", "name", "customer_number"} <= kinds

    for letter, words in ((erasure["letter_en"], ("ÚOOÚ", "no recipients", "Accounting Act", "Dear Jana Erasová")),
                          (erasure["letter_cs"], ("ÚOOÚ", "žádné příjemce", "zákon o účetnictví", "Nádražní 12"))):
        for word in words:
            assert word in letter, word
    until = years_later(today() - timedelta(days=730), 5)
    assert f"{until.day}. {until.month}. {until.year}" in erasure["letter_cs"]

    # The customer row is reduced to what the kept invoice needs, restricted and marked erased.
    async with db.sessions() as s:
        customer = await s.get(Customer, subject.customer_id)
        assert customer is not None
        assert (customer.email, customer.phone, customer.birth_date, customer.delivery_street) == (None,) * 4
        assert customer.name == NAME and customer.billing_street == "Nádražní 12"
        assert customer.marketing_email is False and customer.search_text == ""
        assert customer.erased_at is not None and customer.restricted_at is not None
        restriction = (await s.execute(select(Restriction).where(Restriction.customer_id == customer.id))).scalar_one()
        assert (restriction.ground, restriction.request_id) == ("erasure_kept", subject.request_id)
        kept_rows = {(k.entity, k.entity_id): (k.basis, k.keep_until) for k in (await s.execute(
            select(KeptRecord).where(KeptRecord.customer_id == customer.id))).scalars()}  # fmt: skip
        assert kept_rows[("document", subject.recent_invoice)] == ("accounting", until)
        assert kept_rows[("ticket", subject.held_ticket)] == ("legal_hold", None)
        assert await s.get(Document, subject.old_invoice) is None
        assert await s.get(Ticket, subject.closed_fault) is None
        # The station stays in service; the subject leaves its history.
        charging = await s.get(ChargingSession, subject.foreign_session)
        assert charging is not None and (charging.customer_id, charging.id_tag) == (None, None)
        foreign = await s.get(Ticket, subject.foreign_ticket)
        assert foreign is not None and foreign.customer_id is None and foreign.device_id == subject.other_device
        assert NAME not in foreign.description and "777 111 222" not in foreign.description
        frame = (await s.execute(select(OcppFrame.frame).where(OcppFrame.device_id == subject.other_device))).scalar()
        assert frame is not None and TAG not in frame
        assert await find_card(s, TAG) is None
        assert await s.get(Device, subject.own_device) is None
        assert (await s.execute(select(func.count()).select_from(TelemetrySeries).where(
            TelemetrySeries.device_id == subject.own_device))).scalar_one() == 0
        entry = (await s.execute(select(PrivacyRequestEntry).where(
            PrivacyRequestEntry.request_id == subject.request_id, PrivacyRequestEntry.kind == "erasure"))).scalar_one()
        assert entry.body is not None and EMAIL not in entry.body

    # The subject can no longer be found by what they would say on the phone.
    for q in (EMAIL, PHONE, TAG, LOGIN, subject.number, "Erasová"):
        found = await client.get("/customers", params={"q": q}, headers=admin.headers)
        assert found.status_code == 200
        assert subject.customer_id not in [c["id"] for c in found.json()["items"]], q

    # Consoles syncing from scratch never receive the old personal data; deletions arrive as tombstones.
    feed = await client.get("/changes", params={"since": "0", "limit": "10000"}, headers=admin.headers)
    assert feed.status_code == 200
    # (The request itself is kept for accountability, with the address it came from.)
    text = json.dumps([c for c in feed.json()["changes"] if c["entity"] != "privacy_request"], ensure_ascii=False)
    for secret in (EMAIL, PHONE, TAG, LOGIN, "karel.eras@example.cz", "Zákaznice Jana"):
        assert secret not in text, secret
    changes = feed.json()["changes"]
    tombstones = {(c["entity"], c["id"]) for c in changes if c["op"] == "delete"}
    assert ("document", subject.old_invoice) in tombstones and ("device", subject.own_device) in tombstones
    assert ("ticket", subject.closed_fault) in tombstones
    hotline_feed = (await client.get("/changes", params={"since": "0", "limit": "10000"},
                                     headers=hotline.headers)).json()["changes"]  # fmt: skip
    assert not [c for c in hotline_feed if c["id"] == subject.customer_id and c["op"] == "upsert"]

    # The audit trail and the ledger record it, the ledger by ids only.
    assert await count(db, AuditRecord, AuditRecord.action == "privacy_request.erasure",
                       AuditRecord.subject_id == subject.customer_id) == 1
    ledger = read(ledger_file)
    for secret in (EMAIL, PHONE, TAG, LOGIN, NAME, "Erasov", subject.number):
        assert secret not in ledger
    line = json.loads(ledger.splitlines()[0])
    assert line["erasure_id"] == erasure["id"] and ["document", subject.old_invoice, "delete", None, None] \
        in line["actions"]  # fmt: skip
    shown = await client.get(f"/privacy-requests/{subject.request_id}/erasure", headers=officer.headers)
    assert shown.status_code == 200 and shown.json() == erasure


async def test_executing_twice_changes_nothing(client: httpx.AsyncClient, db: Database, sign_in: SignIn,
                                               ledger_file: Path) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    first = await execute(client, officer, subject, plan)
    assert first.status_code == 201
    before = await snapshot_counts(db)
    ledger = read(ledger_file)
    again = await execute(client, officer, subject, plan)
    assert again.status_code == 200 and again.json() == first.json()
    assert await snapshot_counts(db) == before
    assert read(ledger_file) == ledger
    replan = await plan_of(client, officer, subject)
    assert [b["code"] for b in replan["blockers"]] == ["already_executed"]


async def test_a_crash_before_commit_leaves_the_customer_untouched(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch, ledger_file: Path
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    before = await snapshot_counts(db)

    async def crash(*_args: Any, **_kw: Any) -> dict[str, Any]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(erasure_module, "verify_erasure", crash)
    response = await execute(client, officer, subject, plan)
    assert response.status_code == 500
    assert await snapshot_counts(db) == before
    async with db.sessions() as s:
        customer = await s.get(Customer, subject.customer_id)
        assert customer is not None and customer.email == EMAIL and customer.erased_at is None
        assert await find_card(s, TAG) is not None
    assert read(ledger_file) == ""
    monkeypatch.undo()
    monkeypatch.setenv("EMA_ERASURE_LEDGER", str(ledger_file))
    assert (await execute(client, officer, subject, plan)).status_code == 201


async def test_a_failure_after_the_ledger_entry_marks_it_aborted_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch, ledger_file: Path
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    before = await snapshot_counts(db)

    def fail(*_args: Any) -> dict[str, int]:
        raise RuntimeError("disk full while auditing")

    monkeypatch.setattr("ema_server.api.erasure.erasure_counts", fail)
    assert (await execute(client, officer, subject, plan)).status_code == 500
    assert await snapshot_counts(db) == before
    entries = [json.loads(line) for line in read(ledger_file).splitlines()]
    assert [e["kind"] for e in entries] == ["erasure", "abort"] and entries[1]["of_seq"] == entries[0]["seq"]
    # A replay does not apply an erasure that never committed.
    await db.dispose()
    code, out = await _cli("erasure", "replay", "--db", db.url, "--ledger", str(ledger_file))
    assert code == 0 and "2 entries verified, 0 erasures to apply" in out, out
    assert await count(db, Customer, Customer.email == EMAIL) == 1


async def test_customer_with_nothing_to_keep_is_deleted(client: httpx.AsyncClient, db: Database,
                                                        sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    async with db.sessions() as s:
        customer = Customer(customer_number="C000777", kind="consumer", name="Tomáš Krátký", email="tk@example.cz")
        s.add(customer)
        await s.flush()
        s.add(RfidCard(customer_id=customer.id, id_tag="SHORT01"))
        customer_id = customer.id
        await s.commit()
    created = await client.post("/privacy-requests", headers=officer.headers, json={
        "right": "erasure", "customer_id": customer_id, "subject_name": "Tomáš Krátký", "channel": "in_app",
        "original_text": "Delete my account."})  # fmt: skip
    request_id = created.json()["id"]
    async with db.sessions() as s:
        await s.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id).values(
            state="in_progress", identity_check="signed_in_app", identity_verified_at=datetime.now(UTC)))
        await s.commit()
    plan = (await client.get(f"/privacy-requests/{request_id}/erasure-plan", headers=officer.headers)).json()
    assert [i["action"] for i in plan["items"] if i["category"] == "customer"] == ["delete"]
    response = await client.post(f"/privacy-requests/{request_id}/erasure", headers=officer.headers,
                                 json={"confirm_customer": "Tomáš Krátký", "plan_hash": plan["plan_hash"]})
    assert response.status_code == 201, response.text
    assert response.json()["report"]["kept"] == [
        {"category": "privacy_requests", "label_en": "Your data-protection requests",
         "label_cs": "Vaše žádosti o ochranu údajů", "count": 1, "basis": "accountability",
         "legal_reference": "GDPR Art. 5(2) and Art. 12: record of how the request was handled",
         "keep_until": years_later(today(), 3).isoformat()}]  # fmt: skip
    assert await count(db, Customer, Customer.id == customer_id) == 0
    async with db.sessions() as s:
        request = await s.get(PrivacyRequest, request_id)
        assert request is not None and request.customer_id is None
    assert "no recipients" in response.json()["letter_en"]


# --- kept records whose reason ran out ------------------------------------------------------------


async def test_kept_records_are_erased_when_their_time_is_up_but_not_under_a_hold(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, ledger_file: Path
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    assert (await execute(client, officer, subject, plan)).status_code == 201
    async with db.sessions() as s:
        assert await erase_due_kept_records(s, today()) == {"skipped_legal_hold": 1}
        await s.commit()
    later = years_later(today(), 4)  # past the invoice (3 more years) and the open complaint's 3 years
    async with db.sessions() as s:
        summary = await erase_due_kept_records(s, later)
        await s.commit()
    assert summary["document"] == 1 and summary["skipped_legal_hold"] == 1
    # The complaint is still open: it stays, with a new date.
    assert summary.get("rescheduled") == 1
    assert await count(db, Document, Document.id == subject.recent_invoice) == 0
    assert await count(db, Customer, Customer.id == subject.customer_id) == 1  # the hold keeps the remnant
    async with db.sessions() as s:
        await s.execute(update(LegalHold).where(LegalHold.id == subject.hold_id).values(
            lifted_at=datetime.now(UTC), lift_reason="Spor skončil"))
        await s.execute(update(Ticket).where(Ticket.id == subject.open_complaint).values(
            state="closed", closed_at=datetime.now(UTC) - timedelta(days=5 * 365)))
        await s.commit()
    async with db.sessions() as s:
        summary = await erase_due_kept_records(s, later)
        await s.commit()
    assert summary["ticket"] == 2 and summary["customer"] == 1
    assert await count(db, Customer, Customer.id == subject.customer_id) == 0
    assert await count(db, Ticket, Ticket.id.in_([subject.held_ticket, subject.open_complaint])) == 0
    scheduled = [json.loads(line) for line in read(ledger_file).splitlines()][1:]
    assert [e["kind"] for e in scheduled] == ["scheduled", "scheduled"]
    assert ["customer", subject.customer_id, "delete", None, None] in scheduled[-1]["actions"]
    tombstone = await count(db, ChangeRecord, ChangeRecord.entity == "customer",
                            ChangeRecord.entity_id == subject.customer_id, ChangeRecord.op == "delete")
    assert tombstone == 1


# --- replay after a restore ---------------------------------------------------------------------


async def _copy_database(db: Database) -> str:
    """A copy of the database as a backup would hold it; returns its URL."""
    await db.dispose()
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        copy = Path(url.database).with_name("backup.db")
        shutil.copy(url.database, copy)
        return f"sqlite+aiosqlite:///{copy}"
    from tests.conftest import _pg_admin, _pg_url

    name = f"ema_backup_{uuid.uuid4().hex[:8]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
    return _pg_url(name)


async def _cli(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ema_server", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env=dict(os.environ))
    async with asyncio.timeout(120):
        out, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_replay_erases_again_what_a_restore_brought_back(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, ledger_file: Path
) -> None:
    officer = await sign_in("privacy_officer")
    subject = await build_subject(db, client, officer)
    plan = await plan_of(client, officer, subject)
    backup_url = await _copy_database(db)
    assert (await execute(client, officer, subject, plan)).status_code == 201
    restored = Database(backup_url)
    try:
        assert await count(restored, Customer, Customer.email == EMAIL) == 1  # the restore brought it back
        await restored.dispose()
        code, out = await _cli("erasure", "replay", "--db", backup_url, "--ledger", str(ledger_file), "--dry-run")
        assert code == 0, out
        assert "would erase again" in out
        assert await count(restored, Customer, Customer.email == EMAIL) == 1
        await restored.dispose()
        code, out = await _cli("erasure", "replay", "--db", backup_url, "--ledger", str(ledger_file))
        assert code == 0, out
        assert await count(restored, Customer, Customer.email == EMAIL) == 0
        assert await count(restored, RfidCard, RfidCard.id_tag == TAG) == 0
        assert await count(restored, Document, Document.id == subject.old_invoice) == 0
        assert await count(restored, Contact, Contact.customer_id == subject.customer_id) == 0
        assert await count(restored, KeptRecord, KeptRecord.customer_id == subject.customer_id,
                           KeptRecord.entity == "document") == 1
        assert await count(restored, ChargingSession, ChargingSession.id_tag == TAG) == 0
        async with restored.sessions() as s:
            customer = await s.get(Customer, subject.customer_id)
            assert customer is not None and customer.restricted_at is not None and customer.search_text == ""
        # A second replay finds nothing left to do.
        await restored.dispose()
        code, out = await _cli("erasure", "replay", "--db", backup_url, "--ledger", str(ledger_file))
        assert code == 0 and "every erasure is still in effect" in out, out
        # A ledger changed by hand is refused before anything is touched.
        lines = read(ledger_file).splitlines()
        entry = json.loads(lines[0])
        entry["actions"] = entry["actions"][1:]
        write(ledger_file, json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
        await restored.dispose()
        code, out = await _cli("erasure", "replay", "--db", backup_url, "--ledger", str(ledger_file))
        assert code == 1 and "TAMPERED" in out, out
    finally:
        await restored.dispose()
        if not backup_url.startswith("sqlite"):
            from tests.conftest import _pg_admin

            await _pg_admin(f'DROP DATABASE IF EXISTS "{make_url(backup_url).database}" WITH (FORCE)')


# --- contracts in force, holds on the whole customer, recipients told ------------------------------


async def _small_subject(db: Database, client: httpx.AsyncClient, officer: SignedIn) -> tuple[str, str, str]:
    """(customer id, request id, contract id): a customer with an active contract and a card."""
    async with db.sessions() as s:
        customer = Customer(customer_number=f"C{uuid.uuid4().hex[:9].upper()}", kind="consumer", name="Eva Smluvní",
                            email="eva@example.cz", billing_street="Krátká 1", billing_city="Brno")
        s.add(customer)
        await s.flush()
        contract = Contract(customer_id=customer.id, number=f"S{uuid.uuid4().hex[:8]}", service="sim_connectivity",
                            price_czk=199, billing_period="monthly", starts_on=date(2025, 1, 1),
                            ends_on=today() + timedelta(days=200), status="active")  # fmt: skip
        s.add(contract)
        s.add(RfidCard(customer_id=customer.id, id_tag=f"EVA{uuid.uuid4().hex[:6]}"))
        await s.flush()
        ids = customer.id, contract.id
        await s.commit()
    created = await client.post("/privacy-requests", headers=officer.headers, json={
        "right": "erasure", "customer_id": ids[0], "subject_name": "Eva Smluvní", "channel": "letter",
        "original_text": "Vymažte mé údaje."})  # fmt: skip
    request_id = created.json()["id"]
    async with db.sessions() as s:
        await s.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id).values(
            state="extended", identity_check="customer_details_on_call", identity_verified_at=datetime.now(UTC)))
        await s.commit()
    return ids[0], request_id, ids[1]


async def test_a_contract_in_force_is_kept_and_recipients_told_are_named_in_the_letter(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id, request_id, contract_id = await _small_subject(db, client, officer)
    async with db.sessions() as s:
        recipient = DataRecipient(name="Roaming Hub a.s.", category="roaming_partner", purpose="roaming")
        s.add(recipient)
        await s.flush()
        s.add(RecipientNotice(request_id=request_id, recipient_id=recipient.id, action="erasure", state="notified",
                              notified_at=datetime.now(UTC)))
        await s.commit()
    plan = (await client.get(f"/privacy-requests/{request_id}/erasure-plan", headers=officer.headers)).json()
    contracts = [i for i in plan["items"] if i["category"] == "contracts"]
    ends = (today() + timedelta(days=200)).isoformat()
    assert [(i["action"], i["basis"], i["keep_until"]) for i in contracts] == [("keep", "contract", ends)]
    response = await client.post(f"/privacy-requests/{request_id}/erasure", headers=officer.headers,
                                 json={"confirm_customer": "Eva  Smluvní", "plan_hash": plan["plan_hash"]})
    assert response.status_code == 201, response.text
    erasure = response.json()
    assert erasure["report"]["recipients"] == [
        {"name": "Roaming Hub a.s.", "category": "roaming_partner", "action": "erasure", "state": "notified"}]
    assert "Roaming Hub a.s." in erasure["letter_en"] and "Roaming Hub a.s." in erasure["letter_cs"]
    assert "contract that is still in force" in erasure["letter_en"]
    assert await count(db, Contract, Contract.id == contract_id) == 1
    assert await count(db, KeptRecord, KeptRecord.entity == "customer", KeptRecord.customer_id == customer_id) == 1


async def test_a_hold_on_the_whole_customer_keeps_everything_restricted_and_unchanged(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id, request_id, _ = await _small_subject(db, client, officer)
    async with db.sessions() as s:
        s.add(LegalHold(customer_id=customer_id, reason="Trestní řízení", reference="PČR 1/2026"))
        await s.commit()
    plan = (await client.get(f"/privacy-requests/{request_id}/erasure-plan", headers=officer.headers)).json()
    assert {(i["action"], i["basis"]) for i in plan["items"] if i["category"] != "privacy_requests"} == {
        ("keep", "legal_hold")}
    response = await client.post(f"/privacy-requests/{request_id}/erasure", headers=officer.headers,
                                 json={"confirm_customer": plan["customer"]["customer_number"],
                                       "plan_hash": plan["plan_hash"]})  # fmt: skip
    assert response.status_code == 201, response.text
    async with db.sessions() as s:
        customer = await s.get(Customer, customer_id)
        assert customer is not None and customer.email == "eva@example.cz"  # evidence is not altered
        assert customer.restricted_at is not None
    assert await count(db, RfidCard, RfidCard.customer_id == customer_id) == 1
