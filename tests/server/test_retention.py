"""Retention as the privacy officer and the supervisory authority see it: a run deletes login
history, logs and documents past their period, anonymises old closed tickets and charging sessions
of closed customers, keeps what a legal hold covers (and says how much), a dry run changes nothing,
an administrator's change of a period takes effect, and the server runs it once a day."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import (
    AccountLogin,
    AuditRecord,
    ChangeRecord,
    ChargingSession,
    Consent,
    ConsentEvent,
    Customer,
    CustomerAccount,
    Device,
    DeviceStatusChange,
    Document,
    LegalHold,
    OcppFrame,
    RetentionRun,
    Ticket,
    TicketEntry,
)
from ema_server.domain.deadlines import PRAGUE
from ema_server.housekeeping import run_housekeeping
from ema_server.privacy.retention import ANONYMISED_TITLE, run_daily_retention, run_retention
from tests.conftest import SignIn
from tests.server.test_cli import _run
from tests.server.test_tickets import count

NOW = datetime.now(UTC)
TODAY = NOW.astimezone(PRAGUE).date()


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class World:
    customer: str
    held_customer: str
    closed_customer: str
    account: str
    held_account: str
    device: str
    old_ticket: str
    held_ticket: str
    documents: dict[str, str]


async def _customer(session: Any, status: str = "active") -> Customer:
    customer = Customer(customer_number=f"C{uuid.uuid4().hex[:10]}", kind="consumer", name="Jana Nováková",
                        email="jana.novakova@example.cz", status=status)  # fmt: skip
    session.add(customer)
    await session.flush()
    return customer


def _document(customer_id: str, category: str, issued: date, retain_until: date | None, **extra: Any) -> Document:
    return Document(customer_id=customer_id, kind="invoice", number=f"FV{uuid.uuid4().hex[:8]}", title="Faktura",
                    issued_on=issued, amount_czk=149, retention_category=category, retain_until=retain_until,
                    **extra)  # fmt: skip


async def build_world(db: Database) -> World:
    """Two active customers (one under a legal hold) and a closed one, with records either side
    of every period."""
    async with db.sessions() as session:
        customer, held, closed = await _customer(session), await _customer(session), await _customer(session, "closed")
        account = CustomerAccount(customer_id=customer.id, login_email=f"{uuid.uuid4().hex[:8]}@example.cz",
                                  display_name="Jana")  # fmt: skip
        held_account = CustomerAccount(customer_id=held.id, login_email=f"{uuid.uuid4().hex[:8]}@example.cz",
                                       display_name="Petr")  # fmt: skip
        device = Device(customer_id=customer.id, kind="wallbox", vendor="Sectron", model="AC22",
                        serial=f"SN{uuid.uuid4().hex[:10]}", ocpp_identity=f"CP{uuid.uuid4().hex[:8]}")  # fmt: skip
        session.add_all([account, held_account, device])
        await session.flush()
        for acc in (account, held_account):
            session.add_all([AccountLogin(account_id=acc.id, at=ago(400)), AccountLogin(account_id=acc.id, at=ago(10))])
        session.add_all([DeviceStatusChange(device_id=device.id, status="Faulted", at=ago(400)),
                         DeviceStatusChange(device_id=device.id, status="Available", at=ago(5)),
                         OcppFrame(device_id=device.id, at=ago(400), direction="in", frame="[2]"),
                         OcppFrame(device_id=device.id, at=ago(1), direction="in", frame="[2]")])  # fmt: skip
        documents = {
            "vat_expired": _document(customer.id, "vat", TODAY - timedelta(days=3700), TODAY - timedelta(days=1)),
            "vat_current": _document(customer.id, "vat", TODAY - timedelta(days=3700), TODAY + timedelta(days=200)),
            "accounting_expired": _document(customer.id, "accounting", TODAY - timedelta(days=1900), None),
            "accounting_current": _document(customer.id, "accounting", TODAY - timedelta(days=1000), None),
            "flagged_hold": _document(customer.id, "legal_claims", TODAY - timedelta(days=2000),
                                      TODAY - timedelta(days=5), legal_hold=True),
            "held_customer": _document(held.id, "vat", TODAY - timedelta(days=3700), TODAY - timedelta(days=1)),
        }  # fmt: skip
        session.add_all(documents.values())
        tickets = []
        for customer_id in (customer.id, customer.id, customer.id):
            ticket = Ticket(number=f"T-{uuid.uuid4().hex[:8]}", kind="complaint", title="Reklamace Jana Nováková",
                            description="Pan Novák volal z čísla 601 234 567", customer_id=customer_id,
                            device_id=device.id, state="closed", first_response_due_at=ago(1200),
                            resolution_due_at=ago(1200), closed_at=ago(1200))  # fmt: skip
            tickets.append(ticket)
        tickets[2].state, tickets[2].closed_at = "resolved", None  # still in the customer's hands: kept
        session.add_all(tickets)
        await session.flush()
        for ticket in tickets:
            session.add_all([
                TicketEntry(ticket_id=ticket.id, kind="note", body="Zákazník je nepříjemný", at=ago(1210)),
                TicketEntry(ticket_id=ticket.id, kind="change", field="state", old_value="open", new_value="closed",
                            at=ago(1200)),
            ])  # fmt: skip
        session.add_all([
            ChargingSession(device_id=device.id, customer_id=closed.id, connector_no=1, id_tag="04A2B3C4",
                            started_at=ago(1200), stopped_at=ago(1200), energy_kwh=12.5),
            ChargingSession(device_id=device.id, customer_id=customer.id, connector_no=1, id_tag="04FFFFFF",
                            started_at=ago(1200), stopped_at=ago(1200), energy_kwh=7.0),
            Consent(customer_id=customer.id, purpose="marketing_email", granted=False, granted_at=ago(2000),
                    withdrawn_at=ago(1200), source="app"),
            ConsentEvent(customer_id=customer.id, purpose="marketing_email", granted=True, at=ago(2000), source="app"),
            ConsentEvent(customer_id=customer.id, purpose="marketing_email", granted=False, at=ago(1200),
                         source="app"),
            LegalHold(customer_id=held.id, reason="Court case 12 C 34/2026"),
            LegalHold(ticket_id=tickets[1].id, reason="Complaint escalated to the ČOI"),
        ])  # fmt: skip
        await session.commit()
        return World(customer.id, held.id, closed.id, account.id, held_account.id, device.id, tickets[0].id,
                     tickets[1].id, {name: d.id for name, d in documents.items()})  # fmt: skip


async def _document_ids(db: Database) -> set[str]:
    async with db.sessions() as session:
        return set((await session.execute(select(Document.id))).scalars())


async def test_a_run_deletes_expired_logs_and_documents_and_keeps_what_is_still_in_its_period(db: Database) -> None:
    world = await build_world(db)
    run = await run_retention(db, trigger="cli")

    assert await count(db, AccountLogin, AccountLogin.account_id == world.account) == 1  # the 10-day-old one
    assert await count(db, DeviceStatusChange) == 1 and await count(db, OcppFrame) == 1
    left = await _document_ids(db)
    docs = world.documents
    assert docs["vat_expired"] not in left and docs["accounting_expired"] not in left
    assert {docs["vat_current"], docs["accounting_current"], docs["flagged_hold"], docs["held_customer"]} <= left
    summary = run.summary
    assert summary["security_logs"] == {"delete": 1}
    assert summary["technical_logs"] == {"delete": 2}
    assert summary["vat"] == {"delete": 1} and summary["accounting"] == {"delete": 1}
    assert run.finished_at is not None and run.dry_run is False and run.trigger == "cli"
    # Records kept by erasures and access packages past their expiry are part of the same run.
    details: Any = summary["details"]
    assert isinstance(details["kept_records"], dict) and details["packages_expired"] == 0
    # Consoles drop the deleted documents at their next sync.
    async with db.sessions() as session:
        tombstones = set((await session.execute(select(ChangeRecord.entity_id).where(
            ChangeRecord.entity == "document", ChangeRecord.op == "delete"))).scalars())  # fmt: skip
        audit = (await session.execute(select(AuditRecord).where(AuditRecord.action == "retention.run"))).scalar_one()
    assert tombstones == {docs["vat_expired"], docs["accounting_expired"]}
    assert audit.entity_id == run.id and json.loads(audit.detail)["counts"]["vat"] == {"delete": 1}

    again = await run_retention(db, trigger="cli")
    assert again.summary["vat"] == {} and again.summary["security_logs"] == {}


async def test_what_a_legal_hold_covers_is_kept_counted_and_expires_once_the_hold_is_lifted(db: Database) -> None:
    world = await build_world(db)
    run = await run_retention(db, trigger="cli")

    assert await count(db, AccountLogin, AccountLogin.account_id == world.held_account) == 2
    assert world.documents["held_customer"] in await _document_ids(db)
    assert world.documents["flagged_hold"] in await _document_ids(db)
    async with db.sessions() as session:
        held_ticket = await session.get(Ticket, world.held_ticket)
        assert held_ticket is not None and held_ticket.customer_id == world.customer
    details: Any = run.summary["details"]
    held = details["skipped_legal_hold_by_category"]
    # The held customer's old login, its expired invoice, the flagged service report, the held ticket.
    assert held == {"security_logs": 1, "vat": 1, "legal_claims": 1, "communications": 1, "technical_logs": 0,
                    "accounting": 0, "contract": 0, "service_data": 0, "marketing": 0}  # fmt: skip
    assert run.summary["skipped_legal_hold"] == 4

    async with db.sessions() as session:
        for hold in (await session.execute(select(LegalHold))).scalars():
            hold.lifted_at, hold.lift_reason = NOW, "Proceedings ended"
        await session.commit()
    after = await run_retention(db, trigger="cli")
    assert after.summary["skipped_legal_hold"] == 1  # the document's own legal_hold flag stays
    assert await count(db, AccountLogin, AccountLogin.account_id == world.held_account) == 1
    assert world.documents["held_customer"] not in await _document_ids(db)
    async with db.sessions() as session:
        ticket = await session.get(Ticket, world.held_ticket)
        # Anonymised, not deleted: the (lifted) hold record still names it.
        assert ticket is not None and ticket.customer_id is None and ticket.title == ANONYMISED_TITLE


async def test_a_dry_run_changes_nothing_and_counts_what_the_real_run_then_does(db: Database) -> None:
    await build_world(db)
    tables = (AccountLogin, DeviceStatusChange, OcppFrame, Document, TicketEntry, ConsentEvent)
    before = [await count(db, t) for t in tables]
    async with db.sessions() as session:
        tickets_before = [(t.title, t.customer_id, t.version) for t in (await session.execute(
            select(Ticket).order_by(Ticket.id))).scalars()]  # fmt: skip
        changes_before = len((await session.execute(select(ChangeRecord.seq))).all())

    dry = await run_retention(db, dry_run=True, trigger="cli")

    assert [await count(db, t) for t in tables] == before
    async with db.sessions() as session:
        assert [(t.title, t.customer_id, t.version) for t in (await session.execute(
            select(Ticket).order_by(Ticket.id))).scalars()] == tickets_before  # fmt: skip
        assert len((await session.execute(select(ChangeRecord.seq))).all()) == changes_before
        stored = await session.get(RetentionRun, dry.id)
        assert stored is not None and stored.dry_run is True and stored.finished_at is not None
    details: Any = dry.summary["details"]
    assert details["kept_records"] == "not run in a dry run"
    real = await run_retention(db, trigger="cli")
    categories = ("security_logs", "technical_logs", "communications", "vat", "accounting", "service_data",
                  "marketing")  # fmt: skip
    assert {c: dry.summary[c] for c in categories} == {c: real.summary[c] for c in categories}
    assert dry.summary["skipped_legal_hold"] == real.summary["skipped_legal_hold"] == 4


async def test_an_old_closed_ticket_loses_its_customer_and_texts_but_keeps_its_workflow(db: Database) -> None:
    world = await build_world(db)
    run = await run_retention(db, trigger="cli")

    assert run.summary["communications"] == {"anonymise": 1}
    async with db.sessions() as session:
        ticket = await session.get(Ticket, world.old_ticket)
        assert ticket is not None
        assert (ticket.customer_id, ticket.title, ticket.description) == (None, ANONYMISED_TITLE, "")
        assert ticket.kind == "complaint" and ticket.device_id == world.device and ticket.version == 2
        entries = (await session.execute(select(TicketEntry).where(TicketEntry.ticket_id == ticket.id))).scalars()
        assert [(e.kind, e.field) for e in entries] == [("change", "state")]
        feed = (await session.execute(select(ChangeRecord).where(ChangeRecord.entity == "ticket",
                                                                 ChangeRecord.entity_id == ticket.id))).scalars()
        published = [json.loads(r.data) for r in feed if r.data]
    assert published[-1]["customer_id"] is None and published[-1]["title"] == ANONYMISED_TITLE


async def test_old_sessions_of_a_closed_customer_lose_the_card_and_withdrawn_consent_proof_goes(db: Database) -> None:
    world = await build_world(db)
    run = await run_retention(db, trigger="cli")

    assert run.summary["service_data"] == {"anonymise": 1} and run.summary["marketing"] == {"delete": 2}
    async with db.sessions() as session:
        sessions = (await session.execute(select(ChargingSession).order_by(ChargingSession.energy_kwh))).scalars()
        # An active customer's history stays; the closed customer's session keeps only energy and times.
        assert [(s.customer_id, s.id_tag, s.energy_kwh) for s in sessions] == [
            (world.customer, "04FFFFFF", 7.0), (None, None, 12.5)]
        consent = (await session.execute(select(Consent))).scalar_one()
    assert consent.granted is False  # marketing cannot resume
    assert await count(db, ConsentEvent) == 0


async def test_an_admin_shortens_a_period_and_the_next_run_follows_it(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    officer, admin = await sign_in("privacy_officer"), await sign_in("admin")
    world = await build_world(db)
    async with db.sessions() as session:
        session.add(AccountLogin(account_id=world.account, at=ago(40)))
        await session.commit()
    listed = await client.get("/retention/policies", headers=officer.headers)
    assert listed.status_code == 200
    policies = {p["category"]: p for p in listed.json()["items"]}
    assert policies["security_logs"]["period_days"] == 365 and policies["vat"]["period_days"] == 3653
    assert policies["communications"]["actions"] == ["anonymise", "delete"]

    changed = await client.put("/retention/policies/security_logs", json={"period_days": 30, "action": "delete"},
                               headers=admin.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["period_days"] == 30 and changed.json()["updated_by_id"] == admin.operator_id
    started = await client.post("/retention/runs", json={"dry_run": False}, headers=admin.headers)
    assert started.status_code == 201, started.text
    assert started.json()["summary"]["security_logs"] == {"delete": 2}  # 400 and 40 days old
    assert await count(db, AccountLogin, AccountLogin.account_id == world.account) == 1

    runs = await client.get("/retention/runs", headers=officer.headers)
    assert [(r["id"], r["trigger"]) for r in runs.json()["items"]] == [(started.json()["id"], "operator")]
    async with db.sessions() as session:
        actions = [(r.action, r.operator_id) for r in (await session.execute(select(AuditRecord).where(
            AuditRecord.action.in_(["retention_policy.update", "retention.run"])).order_by(AuditRecord.seq))).scalars()]
    assert actions == [("retention_policy.update", admin.operator_id), ("retention.run", admin.operator_id)]


async def test_only_an_admin_changes_policies_and_bad_values_are_refused(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer, admin, hotline = await sign_in("privacy_officer"), await sign_in("admin"), await sign_in("hotline")
    body = {"period_days": 30, "action": "delete"}
    refused = await client.put("/retention/policies/security_logs", json=body, headers=officer.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert (await client.post("/retention/runs", json={"dry_run": True}, headers=officer.headers)).status_code == 403
    assert (await client.get("/retention/policies", headers=hotline.headers)).status_code == 403

    zero = await client.put("/retention/policies/vat", json={"period_days": 0, "action": "delete"},
                            headers=admin.headers)
    assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "period_days"
    wrong = await client.put("/retention/policies/security_logs", json={"period_days": 30, "action": "anonymise"},
                             headers=admin.headers)  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["code"] == "action_not_supported"
    unknown = await client.put("/retention/policies/forever", json=body, headers=admin.headers)
    assert unknown.status_code == 404
    policies = (await client.get("/retention/policies", headers=officer.headers)).json()["items"]
    assert {(p["category"], p["period_days"], p["action"]) for p in policies if p["category"] in
            ("security_logs", "vat")} == {("security_logs", 365, "delete"), ("vat", 3653, "delete")}  # fmt: skip


async def test_the_scheduled_run_runs_once_a_day_even_after_a_restart(db: Database) -> None:
    await build_world(db)
    first = await run_daily_retention(db, NOW)
    assert first is not None and first.trigger == "schedule"
    assert await run_daily_retention(db, NOW + timedelta(minutes=10)) is None  # the next housekeeping round
    await run_housekeeping(db)  # a restarted server's first round
    async with db.sessions() as session:
        runs = (await session.execute(select(RetentionRun))).scalars().all()
    assert [r.id for r in runs] == [first.id]
    tomorrow = await run_daily_retention(db, NOW + timedelta(days=1))
    assert tomorrow is not None and tomorrow.id != first.id


async def test_cli_prints_the_summary_per_category(db: Database) -> None:
    await build_world(db)
    code, out = await _run("--db", db.url, "retention", "run", "--dry-run")
    assert code == 0, out
    assert "(dry run: nothing changed)" in out
    assert "security_logs: delete 1, skipped (legal hold) 1" in out
    assert "skipped under legal hold: 4" in out
    assert await count(db, AccountLogin) == 4
    code, out = await _run("--db", db.url, "retention", "run")
    assert code == 0 and "vat: delete 1, skipped (legal hold) 1" in out, out
    assert await count(db, AccountLogin) == 3



async def test_a_second_run_waits_for_one_under_way_but_not_for_one_that_crashed(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    admin = await sign_in("admin")
    async with db.sessions() as session:
        crashed = RetentionRun(started_at=ago(1), dry_run=False, trigger="schedule", summary={})
        running = RetentionRun(started_at=NOW - timedelta(minutes=5), dry_run=False, trigger="cli", summary={})
        session.add_all([crashed, running])
        await session.commit()
    refused = await client.post("/retention/runs", json={"dry_run": False}, headers=admin.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "retention_run_in_progress"
    assert running.id in refused.json()["detail"]
    assert await run_daily_retention(db, NOW) is None
    # Counting changes nothing, so it may run alongside.
    assert (await client.post("/retention/runs", json={"dry_run": True}, headers=admin.headers)).status_code == 201
    async with db.sessions() as session:
        stored = await session.get(RetentionRun, running.id)
        assert stored is not None
        stored.finished_at = NOW
        await session.commit()
    assert (await client.post("/retention/runs", json={"dry_run": False}, headers=admin.headers)).status_code == 201
