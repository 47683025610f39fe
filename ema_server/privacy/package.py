"""Access (GDPR Art. 15) and portability (Art. 20) packages: everything the system holds about one
subject, gathered strictly by their customer id, their own records' ids and their own cards, written
as a ZIP grouped the way the subject thinks ("your charging sessions", "your cards"), then sealed
(ema_server/privacy/sealing.py) and stored with an expiry.

Layout: one folder per topic (FOLDERS); every category is `<name>.json` and `<name>.csv`; telemetry
samples are CSV files per device and measured quantity, streamed in chunks so a year of samples
never sits in memory as rows; `SUMMARY-cs.txt` / `SUMMARY-en.txt` carry the Art. 15(1)(a)-(h)
information (ema_server/privacy/package_texts.py); `manifest.json` lists every file with its size,
record count and SHA-256.

Other people's data stays out: internal ticket notes (they may name third parties), the card tags
of others who charged at the subject's station, staff names and addresses in the access log (the
role is shown instead: CJEU C-579/21 does not require the identity of employees acting on the
controller's instructions, and it is their personal data). Legal holds are internal and left out.

`gather_package` only reads, so the API can run it outside the write transaction (on SQLite every
write transaction holds the database's one write lock; a year of telemetry takes seconds);
`store_package` seals and writes. `build_package` does both in one session.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import (
    AccessPackage,
    AccessPackageContent,
    AccountLogin,
    Attachment,
    AuditRecord,
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
    OperatorRole,
    PrivacyRequest,
    PrivacyRequestEntry,
    RecipientDisclosure,
    Restriction,
    RfidCard,
    Site,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
    new_id,
)
from ema_server.db.models.base import Base, json_value
from ema_server.privacy import sealing
from ema_server.privacy.package_texts import Recipient, SummaryFacts, summary_text

PACKAGE_LIFETIME = timedelta(days=30)
CLOSED_STATES = ("completed", "refused")
TELEMETRY_CHUNK = 20_000
"""Samples read per query: bounded memory whatever the period."""
ID_CHUNK = 500
"""Ids per IN (...) list: well under every database's parameter limit."""

FOLDERS = {
    "account": "01_your_account",
    "contracts": "02_your_contracts",
    "sessions": "03_your_charging_sessions",
    "cards": "04_your_cards",
    "stations": "05_your_stations_and_telemetry",
    "documents": "06_your_invoices_and_documents",
    "requests": "07_your_requests_and_tickets",
    "consents": "08_your_consents",
    "recipients": "09_who_received_your_data",
    "access": "10_who_accessed_your_data",
}
PORTABLE = frozenset({"customer", "contacts", "app_accounts", "login_history", "charging_sessions", "rfid_cards",
                      "devices", "telemetry_series", "consents", "consent_history"})
"""Art. 20: what the subject provided or what was observed from their use, processed by contract or consent."""

# Columns that are bookkeeping, not information about the subject.
_BOOKKEEPING = frozenset({"version", "customer_id"})


class PackageRefused(Exception):
    """No package may be built for this request now; `code` is the problem code the API answers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PackageExpired(Exception):
    """The package's content was deleted at its expiry."""


def check_buildable(request: PrivacyRequest, kind: str | None = None) -> str:
    """The subject's customer id, or PackageRefused: nothing is disclosed before identity is verified.

    Packages answer access (Art. 15) and portability (Art. 20) requests only; an access request may
    also have the portable subset, a portability request only that."""
    allowed = {"access": ("access", "portability"), "portability": ("portability",)}.get(request.right, ())
    if not allowed or (kind is not None and kind not in allowed):
        raise PackageRefused("wrong_right", f"A {request.right} request does not get "
                             f"{'a package' if not allowed else f'an {kind} package'}.")
    if request.state in CLOSED_STATES:
        raise PackageRefused("request_closed", f"The request is {request.state}; packages are built while it is open.")
    if request.customer_id is None:
        raise PackageRefused("no_subject", "The request names no customer: find the subject and link them first.")
    if request.identity_verified_at is None:
        raise PackageRefused("identity_not_verified", "Verify the subject's identity before disclosing their data.")
    return request.customer_id


# --- the ZIP ---------------------------------------------------------------------------------------


@dataclass
class _File:
    path: str
    size: int
    sha256: str
    records: int | None


class _ZipWriter:
    """Writes files into an in-memory ZIP, noting each one's size, hash and record count."""

    def __init__(self, at: datetime) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.date_time = at.astimezone(UTC).timetuple()[:6]
        self.files: list[_File] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add(self, path: str, data: bytes, records: int | None = None) -> None:
        self.zip.writestr(self._info(path), data)
        self.files.append(_File(path, len(data), hashlib.sha256(data).hexdigest(), records))

    def open_stream(self, path: str) -> _StreamedFile:
        return _StreamedFile(self, path)

    def close(self) -> bytes:
        self.zip.close()
        return self.buffer.getvalue()


class _StreamedFile:
    def __init__(self, writer: _ZipWriter, path: str) -> None:
        self.writer, self.path = writer, path
        self.handle = writer.zip.open(writer._info(path), "w", force_zip64=True)
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.hash.update(data)
        self.size += len(data)

    def close(self, records: int) -> None:
        self.handle.close()
        self.writer.files.append(_File(self.path, self.size, self.hash.hexdigest(), records))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    # A byte-order mark so spreadsheet programs read Czech letters as UTF-8.
    return out.getvalue().encode("utf-8-sig")


@dataclass
class _Table:
    folder: str
    name: str
    rows: list[dict[str, Any]]
    columns: list[str]


def _table(folder: str, name: str, rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> _Table:
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        columns = list(seen)
    return _Table(FOLDERS[folder], name, rows, list(columns))


def _record(row: Base, drop: Iterable[str] = ()) -> dict[str, Any]:
    dropped = _BOOKKEEPING | set(drop)
    return {k: v for k, v in row.to_record().items() if k not in dropped}


def _columns(model: type[Base], drop: Iterable[str] = ()) -> list[str]:
    dropped = _BOOKKEEPING | set(drop) | model.__secret_columns__
    return [c.key for c in model.__table__.columns if c.key not in dropped]


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start:start + ID_CHUNK]


async def _all(session: AsyncSession, statement: Select[Any]) -> list[Any]:
    return list((await session.execute(statement)).scalars().all())


# --- gathering ---------------------------------------------------------------------------------------


@dataclass
class _Subject:
    """The subject's own identifiers: every query filters by these and nothing else."""

    customer: Customer
    device_ids: list[str] = field(default_factory=list)
    card_tags: set[str] = field(default_factory=set)
    record_ids: list[str] = field(default_factory=list)
    """Ids of the subject's records, for the audit entries that name them."""


async def _account_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    cid = subject.customer.id
    contacts = await _all(session, select(Contact).where(Contact.customer_id == cid).order_by(Contact.created_at))
    accounts = await _all(session, select(CustomerAccount).where(CustomerAccount.customer_id == cid)
                          .order_by(CustomerAccount.created_at))
    account_ids = [a.id for a in accounts]
    logins: list[AccountLogin] = []
    for chunk in _chunks(account_ids):
        logins += await _all(session, select(AccountLogin).where(AccountLogin.account_id.in_(chunk)))
    logins.sort(key=lambda login: (login.at, login.id))
    subject.record_ids += [c.id for c in contacts] + account_ids
    return [
        _table("account", "customer", [_record(subject.customer)], _columns(Customer)),
        _table("account", "contacts", [_record(c) for c in contacts], _columns(Contact)),
        _table("account", "app_accounts", [_record(a) for a in accounts], _columns(CustomerAccount)),
        _table("account", "login_history", [_record(entry, {"id"}) for entry in logins],
               _columns(AccountLogin, {"id"})),
    ]


async def _contract_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    contracts = await _all(session, select(Contract).where(Contract.customer_id == subject.customer.id)
                           .order_by(Contract.starts_on, Contract.number))
    subject.record_ids += [c.id for c in contracts]
    return [_table("contracts", "contracts", [_record(c) for c in contracts], _columns(Contract))]


async def _card_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    cards = await _all(session, select(RfidCard).where(RfidCard.customer_id == subject.customer.id)
                       .order_by(RfidCard.created_at))
    subject.card_tags = {c.id_tag.upper() for c in cards}
    subject.record_ids += [c.id for c in cards]
    return [_table("cards", "rfid_cards", [_record(c) for c in cards], _columns(RfidCard))]


SESSION_COLUMNS = [
    "id", "started_at", "stopped_at", "station_serial", "at_your_station", "connector_no", "charged_with", "id_tag",
    "energy_kwh", "meter_start_wh", "meter_stop_wh", "stop_reason", "auto_closed_reason", "transaction_id",
]


async def _session_tables(session: AsyncSession, subject: _Subject, serials: dict[str, str]) -> list[_Table]:
    """Sessions the subject charged (their customer id or one of their cards) anywhere, and every
    session at their own stations; a card tag is shown only when it is the subject's own card."""
    cid = subject.customer.id
    conditions: list[ColumnElement[bool]] = [ChargingSession.customer_id == cid]
    for chunk in _chunks(subject.device_ids):
        conditions.append(ChargingSession.device_id.in_(chunk))
    if subject.card_tags:
        conditions.append(func.upper(ChargingSession.id_tag).in_(sorted(subject.card_tags)))
    rows = await _all(session, select(ChargingSession).where(or_(*conditions))
                      .order_by(ChargingSession.started_at, ChargingSession.id))
    out = []
    for s in rows:
        own_card = s.id_tag is not None and s.id_tag.upper() in subject.card_tags
        if own_card:
            charged_with = "your card"
        elif s.customer_id not in (None, cid):
            charged_with = "another customer's card"
        elif s.id_tag:
            charged_with = "a card not registered to you"
        else:
            charged_with = "no card (remote start)"
        out.append({
            "id": s.id, "started_at": json_value(s.started_at), "stopped_at": json_value(s.stopped_at),
            "station_serial": serials.get(s.device_id), "at_your_station": s.device_id in serials,
            "connector_no": s.connector_no, "charged_with": charged_with, "id_tag": s.id_tag if own_card else None,
            "energy_kwh": s.energy_kwh, "meter_start_wh": s.meter_start_wh, "meter_stop_wh": s.meter_stop_wh,
            "stop_reason": s.stop_reason, "auto_closed_reason": s.auto_closed_reason,
            "transaction_id": s.transaction_id,
        })
    subject.record_ids += [s.id for s in rows]
    return [_table("sessions", "charging_sessions", out, SESSION_COLUMNS)]


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "device"


@dataclass
class _SeriesFile:
    series_id: int
    path: str
    row: dict[str, Any]
    """Its line in telemetry_series, whose sample count is known once the file is written."""


async def _station_tables(
    session: AsyncSession, subject: _Subject, serials: dict[str, str], with_details: bool
) -> tuple[list[_Table], list[_SeriesFile]]:
    cid = subject.customer.id
    devices = await _all(session, select(Device).where(Device.customer_id == cid).order_by(Device.serial))
    sites = await _all(session, select(Site).where(Site.customer_id == cid).order_by(Site.name))
    connectors: list[Connector] = []
    history: list[DeviceStatusChange] = []
    series: list[TelemetrySeries] = []
    for chunk in _chunks([d.id for d in devices]):
        connectors += await _all(session, select(Connector).where(Connector.device_id.in_(chunk)))
        series += await _all(session, select(TelemetrySeries).where(TelemetrySeries.device_id.in_(chunk)))
        if with_details:
            history += await _all(session, select(DeviceStatusChange).where(DeviceStatusChange.device_id.in_(chunk)))
    serial_of = {d.id: d.serial for d in devices}
    files, series_rows = [], []
    for s in sorted(series, key=lambda s: (serial_of[s.device_id], s.measurand, s.connector_no, s.phase)):
        name = "_".join(part for part in (
            s.measurand, f"connector{s.connector_no}" if s.connector_no else "", s.phase) if part)
        path = f"{FOLDERS['stations']}/telemetry/{_file_part(serial_of[s.device_id])}/{_file_part(name)}.csv"
        row = {"station_serial": serial_of[s.device_id], "device_id": s.device_id, "connector_no": s.connector_no,
               "measurand": s.measurand, "phase": s.phase, "unit": s.unit, "samples": 0,
               "file": path.split("/", 1)[1]}
        series_rows.append(row)
        files.append(_SeriesFile(s.id, path, row))
    serials.update(serial_of)
    subject.device_ids = [d.id for d in devices]
    subject.record_ids += [d.id for d in devices] + [s.id for s in sites]
    tables = [
        _table("stations", "devices", [_record(d) for d in devices], _columns(Device)),
        _table("stations", "telemetry_series", series_rows,
               ["station_serial", "device_id", "connector_no", "measurand", "phase", "unit", "samples", "file"]),
    ]
    if with_details:
        connectors.sort(key=lambda c: (serial_of[c.device_id], c.connector_no))
        history.sort(key=lambda h: (h.at, h.id))
        tables += [
            _table("stations", "sites", [_record(s) for s in sites], _columns(Site)),
            _table("stations", "connectors", [_record(c) for c in connectors], _columns(Connector)),
            _table("stations", "status_history", [_record(h, {"id"}) for h in history],
                   _columns(DeviceStatusChange, {"id"})),
        ]
    return tables, files


async def _document_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    documents = await _all(session, select(Document).where(Document.customer_id == subject.customer.id)
                           .order_by(Document.issued_on, Document.number))
    subject.record_ids += [d.id for d in documents]
    # Whether a legal hold covers a document is the proceedings' business, not part of the copy.
    drop = {"legal_hold"}
    return [_table("documents", "documents", [_record(d, drop) for d in documents], _columns(Document, drop))]


TICKET_COLUMNS = ["number", "kind", "title", "description", "state", "priority", "device_id", "connector_no",
                  "error_code", "complaint_filed_at", "legal_due_at", "created_at", "resolved_at", "closed_at"]
REQUEST_COLUMNS = ["number", "right", "channel", "requester_relation", "original_text", "purposes", "received_at",
                   "due_at", "extended_due_at", "extension_reason", "state", "identity_check", "identity_verified_at",
                   "outcome", "refusal_reason", "answer_sent_at", "answer_channel", "closed_at"]


async def _request_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    cid = subject.customer.id
    tickets = await _all(session, select(Ticket).where(Ticket.customer_id == cid).order_by(Ticket.created_at))
    number_of = {t.id: t.number for t in tickets}
    replies: list[TicketEntry] = []
    attachments: list[Attachment] = []
    for chunk in _chunks(list(number_of)):
        # Public entries only: internal notes may concern other people and are the staff's working notes.
        replies += await _all(session, select(TicketEntry).where(TicketEntry.ticket_id.in_(chunk),
                                                                 TicketEntry.public.is_(True)))
        attachments += await _all(session, select(Attachment).where(Attachment.ticket_id.in_(chunk)))
    replies.sort(key=lambda e: (e.at, e.id))
    attachments.sort(key=lambda a: (a.uploaded_at, a.id))
    requests = await _all(session, select(PrivacyRequest).where(PrivacyRequest.customer_id == cid)
                          .order_by(PrivacyRequest.received_at))
    restrictions = await _all(session, select(Restriction).where(Restriction.customer_id == cid)
                              .order_by(Restriction.placed_at))
    subject.record_ids += list(number_of) + [r.id for r in requests] + [a.id for a in attachments]
    return [
        _table("requests", "tickets", [_record(t) for t in tickets], TICKET_COLUMNS),
        _table("requests", "ticket_replies",
               [{"ticket_number": number_of[e.ticket_id], "at": json_value(e.at), "text": e.body} for e in replies],
               ["ticket_number", "at", "text"]),
        _table("requests", "ticket_attachments",
               [{"ticket_number": number_of[a.ticket_id], "filename": a.filename, "content_type": a.content_type,
                 "size": a.size, "sha256": a.sha256, "uploaded_at": json_value(a.uploaded_at)} for a in attachments],
               ["ticket_number", "filename", "content_type", "size", "sha256", "uploaded_at"]),
        _table("requests", "privacy_requests", [_record(r) for r in requests], REQUEST_COLUMNS),
        _table("requests", "restrictions",
               [{"ground": r.ground, "placed_at": json_value(r.placed_at),
                 "subject_notified_at": json_value(r.subject_notified_at), "lifted_at": json_value(r.lifted_at)}
                for r in restrictions],
               ["ground", "placed_at", "subject_notified_at", "lifted_at"]),
    ]


async def _consent_tables(session: AsyncSession, subject: _Subject) -> list[_Table]:
    cid = subject.customer.id
    consents = await _all(session, select(Consent).where(Consent.customer_id == cid).order_by(Consent.purpose))
    events = (await session.execute(
        select(ConsentEvent, PrivacyRequest.number)
        .outerjoin(PrivacyRequest, PrivacyRequest.id == ConsentEvent.request_id)
        .where(ConsentEvent.customer_id == cid)
        .order_by(ConsentEvent.at, ConsentEvent.id)
    )).all()
    subject.record_ids += [c.id for c in consents]
    return [
        _table("consents", "consents",
               [{"purpose": c.purpose, "granted": c.granted, "granted_at": json_value(c.granted_at),
                 "withdrawn_at": json_value(c.withdrawn_at), "source": c.source} for c in consents],
               ["purpose", "granted", "granted_at", "withdrawn_at", "source"]),
        _table("consents", "consent_history",
               [{"purpose": e.purpose, "granted": e.granted, "at": json_value(e.at), "source": e.source,
                 "privacy_request": number} for e, number in events],
               ["purpose", "granted", "at", "source", "privacy_request"]),
    ]


async def _recipient_rows(session: AsyncSession, subject: _Subject) -> list[dict[str, Any]]:
    rows = (await session.execute(
        select(DataRecipient, RecipientDisclosure)
        .join(RecipientDisclosure, RecipientDisclosure.recipient_id == DataRecipient.id)
        .where(RecipientDisclosure.customer_id == subject.customer.id)
        .order_by(DataRecipient.name)
    )).all()
    return [{"name": r.name, "category": r.category, "country": r.country, "purpose": r.purpose,
             "data_categories": d.data_categories, "first_at": json_value(d.first_at),
             "last_at": json_value(d.last_at)} for r, d in rows]


ACCESS_COLUMNS = ["at", "action", "record", "record_id", "by", "audit_seq"]


async def _access_log(session: AsyncSession, subject: _Subject) -> list[dict[str, Any]]:
    """Audit entries about the subject: those naming them as subject, and those on their records.
    Time, action and the staff member's role; not their name or network address, nor the entry's
    detail (it can list other records read at the same time)."""
    found: dict[int, AuditRecord] = {
        r.seq: r for r in await _all(session, select(AuditRecord).where(AuditRecord.subject_id == subject.customer.id))
    }
    ids = sorted(set(subject.record_ids) | {subject.customer.id})
    for chunk in _chunks(ids):
        for r in await _all(session, select(AuditRecord).where(AuditRecord.entity_id.in_(chunk))):
            # An entry about someone else that happens to name one of these records is theirs.
            if r.subject_id in (None, subject.customer.id):
                found[r.seq] = r
    operator_ids = sorted({r.operator_id for r in found.values() if r.operator_id})
    roles: dict[str, list[str]] = {}
    for chunk in _chunks(operator_ids):
        for operator_id, role in (await session.execute(
            select(OperatorRole.operator_id, OperatorRole.role).where(OperatorRole.operator_id.in_(chunk))
        )).all():
            roles.setdefault(operator_id, []).append(role)
    out = []
    for seq in sorted(found):
        r = found[seq]
        by = "system" if r.operator_id is None else "SECTRON staff: " + (
            ", ".join(sorted(roles.get(r.operator_id, []))) or "former staff member")
        out.append({"at": json_value(r.at), "action": r.action, "record": r.entity, "record_id": r.entity_id,
                    "by": by, "audit_seq": r.seq})
    return out


async def _write_telemetry(session: AsyncSession, writer: _ZipWriter, files: Sequence[_SeriesFile]) -> int:
    """Each series as `time_utc,value` CSV, read in keyset-paged chunks; returns the samples written."""
    total = 0
    for series in files:
        stream = writer.open_stream(series.path)
        stream.write(b"time_utc,value\n")
        last, written = -1 << 62, 0
        while True:
            rows = (await session.execute(
                select(TelemetrySample.ts_ms, TelemetrySample.value)
                .where(TelemetrySample.series_id == series.series_id, TelemetrySample.ts_ms > last)
                .order_by(TelemetrySample.ts_ms)
                .limit(TELEMETRY_CHUNK)
            )).all()
            if not rows:
                break
            stream.write("".join(
                f"{datetime.fromtimestamp(ts / 1000, UTC).isoformat(timespec='milliseconds')[:-6]}Z,{value!r}\n"
                for ts, value in rows
            ).encode())
            written += len(rows)
            last = rows[-1][0]
        stream.close(written)
        series.row["samples"] = written
        total += written
    return total


@dataclass
class GatheredPackage:
    """A built, not yet sealed package."""

    kind: str
    customer_id: str
    content: bytes
    """The ZIP."""
    sha256: str
    categories: dict[str, int]
    generated_at: datetime

    @property
    def size(self) -> int:
        return len(self.content)


async def gather_package(session: AsyncSession, request: PrivacyRequest, kind: str, now: datetime) -> GatheredPackage:
    """Read everything the package holds and write the ZIP; reads only (PackageRefused as check_buildable)."""
    if kind not in ("access", "portability"):
        raise ValueError(f"unknown package kind {kind!r}")
    customer_id = check_buildable(request)
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise PackageRefused("no_subject", "The request's customer no longer exists.")
    subject = _Subject(customer=customer, record_ids=[customer.id])
    access = kind == "access"
    serials: dict[str, str] = {}
    tables = await _account_tables(session, subject)
    if access:
        tables += await _contract_tables(session, subject)
    tables += await _card_tables(session, subject)
    station_tables, series_files = await _station_tables(session, subject, serials, with_details=access)
    tables += await _session_tables(session, subject, serials)
    tables += station_tables
    recipients: list[dict[str, Any]] = []
    if access:
        tables += await _document_tables(session, subject)
        tables += await _request_tables(session, subject)
    tables += await _consent_tables(session, subject)
    if access:
        recipients = await _recipient_rows(session, subject)
        tables.append(_table("recipients", "recipients", recipients,
                             ["name", "category", "country", "purpose", "data_categories", "first_at", "last_at"]))
        tables.append(_table("access", "access_log", await _access_log(session, subject), ACCESS_COLUMNS))
    tables = [t for t in tables if access or t.name in PORTABLE]
    tables.sort(key=lambda t: t.folder)

    writer = _ZipWriter(now)
    samples = await _write_telemetry(session, writer, series_files)  # first: it counts the series' samples
    categories: dict[str, int] = {}
    for table in tables:
        base = f"{table.folder}/{table.name}"
        writer.add(f"{base}.json", json.dumps(table.rows, ensure_ascii=False, indent=2).encode(), len(table.rows))
        writer.add(f"{base}.csv", _csv(table.rows, table.columns), len(table.rows))
        categories[table.name] = len(table.rows)
    categories["telemetry_samples"] = samples
    generated = json_value(now)
    request_number = request.number
    facts = SummaryFacts(
        kind=kind, request_number=request_number, customer_number=customer.customer_number,
        subject_name=customer.name, generated_at=now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"), counts=categories,
        recipients=[Recipient(r["name"], r["category"], r["country"], r["purpose"]) for r in recipients],
    )
    for language in ("cs", "en"):
        writer.add(f"SUMMARY-{language}.txt", summary_text(language, facts).encode())
    manifest = {
        "request_number": request_number,
        "kind": kind,
        "customer_number": customer.customer_number,
        "generated_at": generated,
        "data_as_of": "generation time: the data as held when this package was generated",
        "categories": categories,
        "files": [{"path": f.path, "bytes": f.size, "sha256": f.sha256, "records": f.records} for f in writer.files],
    }
    writer.add("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    content = writer.close()
    return GatheredPackage(kind=kind, customer_id=customer.id, content=content,
                           sha256=hashlib.sha256(content).hexdigest(), categories=categories, generated_at=now)


# --- storing, reading, expiring -----------------------------------------------------------------------


async def store_package(
    session: AsyncSession, request: PrivacyRequest, gathered: GatheredPackage, operator_id: str | None, now: datetime
) -> AccessPackage:
    """Seal and add the package with its expiry, and a `package` entry in the request's history."""
    package = AccessPackage(
        id=new_id(), request_id=request.id, customer_id=gathered.customer_id, kind=gathered.kind, created_at=now,
        created_by_id=operator_id, expires_at=now + PACKAGE_LIFETIME, size=gathered.size, sha256=gathered.sha256,
        categories=gathered.categories, downloads=0,
    )
    key_id, sealed = sealing.seal(gathered.content, package.id)
    session.add(package)
    await session.flush()
    session.add(AccessPackageContent(package_id=package.id, key_id=key_id, content=sealed))
    session.add(PrivacyRequestEntry(
        id=new_id(), request_id=request.id, kind="package", author_id=operator_id, at=now, field="package",
        new_value=package.id,
        body=f"{gathered.kind.capitalize()} package built: {gathered.size} bytes, SHA-256 {gathered.sha256}, "
             f"expires {json_value(package.expires_at)}.",
    ))
    await session.flush()
    return package


async def build_package(
    session: AsyncSession, request: PrivacyRequest, kind: str, operator_id: str | None, now: datetime
) -> AccessPackage:
    """Gather, seal and store a package in one session (see the module docstring for the API's split)."""
    gathered = await gather_package(session, request, kind, now)
    return await store_package(session, request, gathered, operator_id, now)


def is_expired(package: AccessPackage, now: datetime) -> bool:
    return package.expired_at is not None or package.expires_at <= now


async def read_package(session: AsyncSession, package: AccessPackage, now: datetime) -> bytes:
    """The ZIP, unsealed, counted as one more download (PackageExpired once past its expiry;
    sealing.SealingError when this server cannot open it)."""
    if is_expired(package, now):
        raise PackageExpired()
    stored = await session.get(AccessPackageContent, package.id)
    if stored is None:
        raise PackageExpired()
    content = sealing.unseal(stored.content, stored.key_id, package.id)
    # In SQL, so two downloads at once both count.
    await session.execute(update(AccessPackage).where(AccessPackage.id == package.id)
                          .values(downloads=AccessPackage.downloads + 1)
                          .execution_options(synchronize_session=False))
    await session.refresh(package, ["downloads"])
    return content


async def expire_packages(session: AsyncSession, now: datetime) -> int:
    """Delete the contents of packages past their expiry and mark them expired; returns how many.
    Flushes, does not commit: the caller's transaction decides."""
    due = list((await session.execute(
        select(AccessPackage.id).where(AccessPackage.expired_at.is_(None), AccessPackage.expires_at <= now)
    )).scalars().all())
    for chunk in _chunks(due):
        await session.execute(delete(AccessPackageContent).where(AccessPackageContent.package_id.in_(chunk)))
        await session.execute(update(AccessPackage).where(AccessPackage.id.in_(chunk)).values(expired_at=now)
                              .execution_options(synchronize_session=False))
    return len(due)
