"""The demo data set (`ema-server seed --demo`): what an operator opening the console on a
freshly seeded database sees, on both databases, and that a seed reproduces the same data.

Most checks share one small seed on SQLite (seeding takes seconds); the per-database test seeds
each backend through the `db` fixture and checks what depends on the database: the bulk rows,
their change-feed records and the audit trail.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ema_server.db.audit import verify_chain
from ema_server.db.engine import Database
from ema_server.db.models import (
    AccountLogin,
    Attachment,
    AttachmentContent,
    AuditRecord,
    Base,
    ChangeRecord,
    ChargingSession,
    Connector,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    DeviceStatusChange,
    Document,
    Operator,
    PrivacyRequest,
    PrivacyRequestEntry,
    RfidCard,
    Site,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
)
from ema_server.db.models.customers import CUSTOMER_KINDS, CUSTOMER_STATUSES
from ema_server.db.models.devices import DEVICE_KINDS, DEVICE_STATUSES
from ema_server.db.models.privacy import PRIVACY_RIGHTS, PRIVACY_STATES
from ema_server.db.models.tickets import OPEN_TICKET_STATES, TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATES
from ema_server.domain.deadlines import complaint_due_at, privacy_due_at, privacy_extended_due_at, sla_due_at
from ema_server.domain.identifiers import is_valid_dic, is_valid_email, is_valid_ico, normalize_phone
from ema_server.search import customer_search_clause
from ema_server.security import verify_password
from ema_server.seed import demo as demo_module
from ema_server.seed import generate
from ema_server.seed.czech import DIACRITICS_HEAVY
from ema_server.seed.demo import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, DemoDataExists, seed_demo
from ema_server.seed.texts import ERROR_CODES

SEED = 7
# Czechia's extremes: Krásná (west), Bílá-Třemošná (east), Lobendava (north), Studánky (south).
LAT_RANGE = (48.55, 51.06)
LON_RANGE = (12.09, 18.86)

# Tables the demo fills; the rest (sign-in sessions, tokens, throttling, idempotency, live
# events) only ever hold what the running server writes.
DEMO_TABLES: tuple[type[Base], ...] = (
    Customer, Contact, CustomerAccount, AccountLogin, Contract, Consent, Document, RfidCard, Site, Device,
    Connector, DeviceStatusChange, ChargingSession, TelemetrySeries, TelemetrySample, Ticket, TicketEntry,
    Attachment, AttachmentContent, PrivacyRequest, PrivacyRequestEntry, Operator, ChangeRecord, AuditRecord,
)  # fmt: skip


def _seed_sqlite(template: Path, path: Path, seed: int) -> dict[str, int]:
    shutil.copy(template, path)

    async def run() -> dict[str, int]:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            return await seed_demo(db, "small", seed)
        finally:
            await db.dispose()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[str, dict[str, int]]:
    """One small demo on SQLite shared by the read-only checks: (database URL, summary)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DEMO_PASSWORD_ENV, raising=False)
        summary = _seed_sqlite(sqlite_template, path, SEED)
    return f"sqlite+aiosqlite:///{path}", summary


@pytest.fixture
async def demo(seeded: tuple[str, dict[str, int]]) -> Any:
    database = Database(seeded[0])
    try:
        yield database
    finally:
        await database.dispose()


async def _values(db: Database, column: Any, *where: Any) -> set[Any]:
    async with db.sessions() as session:
        return set((await session.execute(select(column).where(*where).distinct())).scalars())


async def _all(db: Database, *columns: Any, where: Sequence[Any] = ()) -> list[Any]:
    async with db.sessions() as session:
        return list((await session.execute(select(*columns).where(*where))).all())


# --- on each database ---------------------------------------------------------------------------


async def test_small_demo_fills_every_table_and_publishes_each_row_on_the_change_feed(db: Database) -> None:
    summary = await seed_demo(db, "small", SEED)

    assert summary["customers"] == 200
    assert 300 <= summary["devices"] <= 500
    assert summary["tickets"] == 1000
    assert 500_000 <= summary["telemetry_samples"] <= 1_000_000
    assert summary["operators"] == 14
    async with db.sessions() as session:
        for model in DEMO_TABLES:
            count = (await session.execute(select(func.count()).select_from(model))).scalar_one()
            assert count > 0, f"{model.__tablename__} is empty"
        published = sum(summary[m.__tablename__] for m in DEMO_TABLES
                        if m.__change_scope__ is not None and m is not Operator)  # fmt: skip
        changes = (await session.execute(select(func.count()).select_from(ChangeRecord))).scalar_one()
        # The bulk-written rows, the operators, and what placing the demo's restriction published.
        assert summary["change_log"] == published and summary["privacy_changes"] > 0
        assert changes == summary["change_log"] + summary["operators"] + summary["privacy_changes"]

        # What the console syncs from /changes is what the ORM reads back from the rows.
        for model in (Customer, CustomerAccount, Document, Device, Connector, ChargingSession, Ticket, TicketEntry,
                      Attachment, PrivacyRequest, Consent, Site, Contract):  # fmt: skip
            id_column = model.__table__.c.id
            objects = (await session.execute(select(model).order_by(id_column).limit(5))).scalars().all()
            for obj in objects:
                record = obj.to_record()
                change = (await session.execute(
                    select(ChangeRecord).where(ChangeRecord.entity == model.__entity__,
                                               ChangeRecord.entity_id == record["id"]))).scalar_one()  # fmt: skip
                assert change.data is not None and change.scope == model.__change_scope__
                assert json.loads(change.data) == record, model.__tablename__
                assert change.version == record.get("version")
        customer = (await session.execute(select(ChangeRecord.data).where(ChangeRecord.entity == "customer"))).first()
        assert customer is not None and customer[0] is not None and "search_text" not in json.loads(customer[0])

        assert (await verify_chain(session)).ok
        seeded = (await session.execute(select(AuditRecord).where(AuditRecord.action == "demo.seed"))).scalars().all()
        assert len(seeded) == 1 and json.loads(seeded[0].detail)["seed"] == SEED

    with pytest.raises(DemoDataExists, match="already has demo data"):
        await seed_demo(db, "small", SEED)
    async with db.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(ChangeRecord))).scalar_one() == changes
        assert (await session.execute(select(func.count()).select_from(Customer))).scalar_one() == 200


# --- what the console shows ---------------------------------------------------------------------


async def test_every_customer_kind_and_status_is_present(demo: Database) -> None:
    assert await _values(demo, Customer.kind) == set(CUSTOMER_KINDS)
    assert await _values(demo, Customer.status) == set(CUSTOMER_STATUSES)


async def test_organisations_have_valid_ico_and_dic_and_phones_are_normalised(demo: Database) -> None:
    rows = await _all(demo, Customer.kind, Customer.ico, Customer.dic, Customer.phone, Customer.email)
    icos = [ico for kind, ico, _dic, _phone, _email in rows if kind != "consumer"]
    assert icos and all(ico is not None and is_valid_ico(ico) for ico in icos)
    assert len(set(icos)) == len(icos)
    assert all(dic is None or is_valid_dic(dic) for _kind, _ico, dic, _phone, _email in rows)
    assert any(dic for _kind, _ico, dic, _phone, _email in rows)
    for _kind, _ico, _dic, phone, email in rows:
        assert phone is not None and phone.startswith("+420") and normalize_phone(phone) == phone
        assert email is not None and is_valid_email(email)
    contact_phones = await _values(demo, Contact.phone)
    assert all(p is None or normalize_phone(p) == p for p in contact_phones)


async def test_customers_with_diacritics_heavy_names_are_there(demo: Database) -> None:
    names = await _values(demo, Customer.name)
    heavy = {f"{first} {last}" for first, last in DIACRITICS_HEAVY}
    assert len(names & heavy) >= 5


async def test_a_station_is_found_by_its_ocpp_identity_and_serial(demo: Database) -> None:
    owner_id, identity, serial = (await _all(demo, Device.customer_id, Device.ocpp_identity, Device.serial,
                                             where=[Device.ocpp_identity == "CZ-SEC-00001"]))[0]  # fmt: skip
    for query in (identity, serial):
        found = await _values(demo, Customer.id, customer_search_clause(query))
        assert found == {owner_id}


async def test_sites_lie_in_czechia_with_region_and_district(demo: Database) -> None:
    sites = await _all(demo, Site.latitude, Site.longitude, Site.region, Site.district, Site.city)
    assert sites
    for lat, lon, region, district, city in sites:
        assert LAT_RANGE[0] < lat < LAT_RANGE[1] and LON_RANGE[0] < lon < LON_RANGE[1], city
        assert region and district
    device_regions = await _all(demo, Device.region, Site.region, where=[Device.site_id == Site.id])
    assert all(device == site for device, site in device_regions)


async def test_every_device_kind_and_status_is_present_and_faults_carry_an_error_code(demo: Database) -> None:
    assert await _values(demo, Device.kind) == set(DEVICE_KINDS)
    assert await _values(demo, Device.status) == set(DEVICE_STATUSES)
    assert await _values(demo, Device.error_code, Device.status == "Faulted") == set(ERROR_CODES)
    assert await _values(demo, Device.error_code, Device.status != "Faulted") == {None}
    async with demo.sessions() as session:
        counts = (await session.execute(
            select(Device.kind, Device.ocpp_identity, Device.ocpp_version, func.count(Connector.id))
            .join(Connector, Connector.device_id == Device.id).group_by(Device.id))).all()  # fmt: skip
    assert counts
    for kind, identity, version, connectors in counts:
        assert identity is not None and identity.startswith("CZ-SEC-") and len(identity) == len("CZ-SEC-00001")
        assert version in ("1.6", "2.0.1")
        assert (1 <= connectors <= 2) if kind == "wallbox" else (2 <= connectors <= 4)
    sims = await _all(demo, Device.iccid, where=[Device.kind == "sim"])
    assert sims and all(iccid.startswith("8942001") and len(iccid) == 19 for (iccid,) in sims)
    for (iccid,) in sims:  # Luhn check digit, as printed on the card
        digits = [int(d) for d in reversed(iccid)]
        assert sum(d if i % 2 == 0 else sum(divmod(2 * d, 10)) for i, d in enumerate(digits)) % 10 == 0
    never_seen = await _values(demo, Device.status, Device.last_seen_at.is_(None))
    assert never_seen <= {"Offline"}


async def test_each_device_status_history_ends_in_its_current_status(demo: Database) -> None:
    async with demo.sessions() as session:
        devices = (await session.execute(select(Device).limit(60))).scalars().all()
        for device in devices:
            history = (await session.execute(
                select(DeviceStatusChange).where(DeviceStatusChange.device_id == device.id)
                .order_by(DeviceStatusChange.at, DeviceStatusChange.id))).scalars().all()  # fmt: skip
            assert len(history) >= 2
            assert history[-1].status == device.status and history[-1].error_code == device.error_code


async def test_telemetry_is_a_week_of_minutes_with_a_rising_energy_register(demo: Database) -> None:
    async with demo.sessions() as session:
        stations = (await session.execute(select(TelemetrySeries.device_id).distinct())).scalars().all()
        assert 6 <= len(stations) <= 10
        measurands = set((await session.execute(select(TelemetrySeries.measurand, TelemetrySeries.phase))).all())
        assert {("current", p) for p in ("L1", "L2", "L3")} | {("voltage", p) for p in ("L1", "L2", "L3")} \
            | {("energy", ""), ("power", ""), ("soc", ""), ("temperature", "")} <= measurands  # fmt: skip
        series = await session.execute(select(TelemetrySeries).where(TelemetrySeries.device_id == stations[0]))
        by_measurand = {(s.measurand, s.phase): s.id for s in series.scalars()}

        async def samples(key: tuple[str, str]) -> list[tuple[int, float]]:
            query = select(TelemetrySample.ts_ms, TelemetrySample.value).where(
                TelemetrySample.series_id == by_measurand[key]).order_by(TelemetrySample.ts_ms)  # fmt: skip
            return [(int(t), float(v)) for t, v in (await session.execute(query)).all()]

        energy = await samples(("energy", ""))
        assert len(energy) == 7 * 24 * 60
        assert all(b[0] - a[0] == 60_000 for a, b in pairwise(energy))
        assert all(b[1] >= a[1] for a, b in pairwise(energy))
        assert energy[-1][1] > energy[0][1]
        now_ms = datetime.now(UTC).timestamp() * 1000
        assert now_ms - 5 * 60_000 < energy[-1][0] <= now_ms
        power = [v for _t, v in await samples(("power", ""))]
        assert max(power) > 3 and min(power) == 0
        voltage = [v for _t, v in await samples(("voltage", "L2"))]
        assert all(215 < v < 245 for v in voltage)
        soc = [v for _t, v in await samples(("soc", ""))]
        assert soc and all(0 <= v <= 100 for v in soc)


async def test_charging_sessions_use_customers_rfid_tags_and_some_are_running(demo: Database) -> None:
    sessions = await _all(
        demo,
        ChargingSession.id_tag,
        ChargingSession.customer_id,
        ChargingSession.stopped_at,
        ChargingSession.meter_start_wh,
        ChargingSession.meter_stop_wh,
        ChargingSession.energy_kwh,
    )
    cards = dict(await _all(demo, RfidCard.id_tag, RfidCard.customer_id))
    assert sessions
    for tag, customer_id, stopped, start_wh, stop_wh, energy in sessions:
        assert cards[tag] == customer_id
        if stopped is None:
            assert stop_wh is None and energy is None
        else:
            assert stop_wh >= start_wh and energy == pytest.approx((stop_wh - start_wh) / 1000)
    running = [s for s in sessions if s[2] is None]
    assert 1 <= len(running) < len(sessions) / 5


async def test_every_ticket_kind_priority_and_state_with_deadlines_and_some_overdue(demo: Database) -> None:
    assert await _values(demo, Ticket.kind) == set(TICKET_KINDS)
    assert await _values(demo, Ticket.priority) == set(TICKET_PRIORITIES)
    assert await _values(demo, Ticket.state) == set(TICKET_STATES)
    now = datetime.now(UTC)
    async with demo.sessions() as session:
        tickets = (await session.execute(select(Ticket))).scalars().all()
        consumers = set((await session.execute(select(Customer.id).where(Customer.kind == "consumer"))).scalars())
    numbers = [t.number for t in sorted(tickets, key=lambda t: t.created_at)]
    assert len(set(numbers)) == len(numbers) and all(n.startswith("T-20") for n in numbers)
    overdue = [t for t in tickets if t.state in OPEN_TICKET_STATES and t.due_at < now]
    assert overdue and len(overdue) < len(tickets) / 3
    for ticket in tickets:
        response, resolution = sla_due_at(ticket.priority, ticket.created_at)
        assert (ticket.first_response_due_at, ticket.resolution_due_at) == (response, resolution)
        if ticket.kind == "complaint" and ticket.customer_id in consumers:
            assert ticket.complaint_filed_at is not None
            assert ticket.legal_due_at == complaint_due_at(ticket.complaint_filed_at, ticket.complaint_agreed_days)
        else:
            assert ticket.legal_due_at is None
        if ticket.kind == "fault" and ticket.error_code is not None:
            assert ticket.device_id is not None and ticket.error_code in ERROR_CODES
        assert (ticket.closed_at is not None) == (ticket.state == "closed")
        assert ticket.created_at <= ticket.updated_at <= now
    faulted = await _values(demo, Device.id, Device.status == "Faulted")
    open_faults = {t.device_id for t in tickets if t.kind == "fault" and t.state in OPEN_TICKET_STATES}
    closed_owner = await _values(demo, Device.id, Device.customer_id == Customer.id, Customer.status == "closed")
    assert faulted - closed_owner <= open_faults


async def test_ticket_history_has_replies_notes_state_changes_and_attachments(demo: Database) -> None:
    async with demo.sessions() as session:
        entries = (await session.execute(select(TicketEntry))).scalars().all()
        attachments = (await session.execute(select(Attachment, AttachmentContent.content).join(
            AttachmentContent, AttachmentContent.attachment_id == Attachment.id))).all()  # fmt: skip
    kinds = {e.kind for e in entries}
    assert {"created", "change", "note", "reply", "attachment"} <= kinds
    assert all(e.public for e in entries if e.kind == "reply")
    assert not any(e.public for e in entries if e.kind == "note")
    assert any("Dobrý den" in (e.body or "") for e in entries if e.kind == "reply")
    by_ticket: dict[str, list[TicketEntry]] = {}
    for e in sorted(entries, key=lambda e: e.at):
        by_ticket.setdefault(e.ticket_id, []).append(e)
    for history in by_ticket.values():
        assert history[0].kind == "created"
        states = [e for e in history if e.field == "state"]
        for before, after in pairwise(states):
            assert after.old_value == before.new_value
    types = {a.content_type for a, _content in attachments}
    assert any(t.startswith("image/png") for t in types) and any(t.startswith("text/plain") for t in types)
    for attachment, content in attachments:
        assert attachment.size == len(content)
        if attachment.content_type == "image/png":
            assert content.startswith(b"\x89PNG\r\n\x1a\n") and content.endswith(b"IEND\xaeB`\x82")


async def test_every_privacy_right_and_state_with_due_dates_overdue_and_extended(demo: Database) -> None:
    async with demo.sessions() as session:
        requests = (await session.execute(select(PrivacyRequest))).scalars().all()
        entries = (await session.execute(select(PrivacyRequestEntry.request_id, PrivacyRequestEntry.kind))).all()
    combos = {(r.right, r.state) for r in requests}
    assert combos >= {(right, state) for right in PRIVACY_RIGHTS for state in PRIVACY_STATES}
    now = datetime.now(UTC)
    open_states = ("received", "identity_verification", "in_progress", "extended")
    assert any(r.state in open_states and r.effective_due_at < now for r in requests)
    for request in requests:
        assert request.due_at == privacy_due_at(request.received_at)
        if request.state == "extended":
            assert request.extended_due_at == privacy_extended_due_at(request.received_at, 2)
            assert request.extension_reason and request.extension_notified_at is not None
            assert request.extension_notified_at <= request.due_at
        if request.state in ("completed", "refused"):
            assert request.closed_at is not None
        if request.requester_relation != "subject":
            assert request.requester_name
    assert {kind for _id, kind in entries} >= {"created", "change", "note"}
    assert {request_id for request_id, _kind in entries} == {r.id for r in requests}


async def test_contracts_consents_documents_and_accounts_cover_every_variant(demo: Database) -> None:
    assert await _values(demo, Contract.service) == {"station_maintenance", "sim_connectivity", "ema_subscription"}
    assert await _values(demo, Contract.billing_period) == {"monthly", "quarterly", "yearly"}
    assert await _values(demo, Contract.status) == {"active", "ended", "terminated"}
    assert await _values(demo, Consent.purpose) == {"marketing_email", "marketing_push", "analytics", "location",
                                                     "camera"}  # fmt: skip
    assert await _values(demo, Consent.granted) == {True, False}
    assert await _values(demo, Consent.withdrawn_at.is_not(None)) == {True, False}
    assert await _values(demo, Document.kind) == {"invoice", "contract", "service_report", "credit_note"}
    assert await _values(demo, Document.legal_hold) == {True, False}
    documents = await _all(demo, Document.kind, Document.retention_category, Document.issued_on, Document.retain_until)
    for kind, category, issued, retain in documents:
        if kind == "invoice":
            assert category == "vat" and retain == date(issued.year + 10, 12, 31)
        if kind == "credit_note":
            assert category == "accounting" and retain == date(issued.year + 5, 12, 31)
    assert {category for _k, category, _i, _r in documents} == {"vat", "accounting", "legal_claims", "contract"}
    children = await _all(demo, CustomerAccount.birth_date, CustomerAccount.guardian_consent_at,
                          where=[CustomerAccount.guardian_consent_at.is_not(None)])  # fmt: skip
    assert children
    for birth, _consent in children:
        assert birth is not None and (date(2026, 1, 1) - birth).days < 15 * 365.25
    assert await _values(demo, RfidCard.active) == {True, False}


async def test_demo_operators_sign_in_with_the_documented_password(demo: Database) -> None:
    async with demo.sessions() as session:
        operators = {o.username: o for o in (await session.execute(select(Operator))).scalars().all()}
    expected = {"demo.hotline": ["hotline"], "demo.technician": ["technician"],
                "demo.privacy": ["privacy_officer"], "demo.admin": ["admin"]}  # fmt: skip
    for username, roles in expected.items():
        assert operators[username].role_names == roles
        assert verify_password(operators[username].password_hash, DEFAULT_DEMO_PASSWORD)
    owners = [o for name, o in operators.items() if name not in expected]
    assert len(owners) == 10 and {r for o in owners for r in o.role_names} == {"technician", "hotline"}


# --- reproducibility ----------------------------------------------------------------------------


async def _identity(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What must not change between two seedings with the same seed: records and their relations."""
    db = Database(url)
    try:
        return {
            "customers": sorted(await _all(db, Customer.id, Customer.customer_number, Customer.name, Customer.ico,
                                           Customer.email, Customer.phone)),
            "devices": sorted(await _all(db, Device.id, Device.customer_id, Device.serial, Device.ocpp_identity)),
            "cards": sorted(await _all(db, RfidCard.id, RfidCard.customer_id, RfidCard.id_tag)),
            "tickets": sorted(await _all(db, Ticket.id, Ticket.kind, Ticket.customer_id, Ticket.device_id)),
            "privacy": sorted(await _all(db, PrivacyRequest.id, PrivacyRequest.right, PrivacyRequest.customer_id)),
        }  # fmt: skip
    finally:
        await db.dispose()


async def test_the_same_seed_gives_the_same_records_whenever_and_however_it_is_made(
    seeded: tuple[str, dict[str, int]], sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nine and a half hours later (other calendar days, another time of day, perhaps another
    # month), and the rows made in the helper process the large demo uses.
    later = datetime.now(UTC) + timedelta(hours=9, minutes=37)
    monkeypatch.setattr(demo_module, "utcnow", lambda: later)
    monkeypatch.setitem(generate.SIZES, "small", replace(generate.SIZES["small"], parallel=True))
    await asyncio.to_thread(_seed_sqlite, sqlite_template, tmp_path / "again.db", SEED)
    monkeypatch.undo()
    await asyncio.to_thread(_seed_sqlite, sqlite_template, tmp_path / "other.db", SEED + 1)

    first = await _identity(seeded[0])
    assert await _identity(f"sqlite+aiosqlite:///{tmp_path / 'again.db'}") == first
    other = await _identity(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    assert {row[0] for row in other["customers"]}.isdisjoint({row[0] for row in first["customers"]})
    assert [row[2] for row in other["customers"]] != [row[2] for row in first["customers"]]


async def test_the_password_comes_from_the_environment_when_set(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "a different demo passphrase")
    db = Database(sqlite_url)
    try:
        await seed_demo(db, "small", SEED)
        async with db.sessions() as session:
            admin = (await session.execute(select(Operator).where(Operator.username == "demo.admin"))).scalar_one()
    finally:
        await db.dispose()
    assert verify_password(admin.password_hash, "a different demo passphrase")
    assert not verify_password(admin.password_hash, DEFAULT_DEMO_PASSWORD)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("EMA_SEED_LARGE"), reason="benchmark: set EMA_SEED_LARGE=1 (takes minutes)")
async def test_large_demo_has_the_promised_volumes(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        summary = await seed_demo(db, "large", SEED)
    finally:
        await db.dispose()
    assert math.isclose(summary["customers"], 100_000)
    assert 130_000 <= summary["devices"] <= 170_000
    assert summary["tickets"] == 200_000
    assert summary["telemetry_samples"] == 5_000_000
