"""Executing an erasure (GDPR Art. 17) in one transaction, checking afterwards that the subject
can no longer be found, replaying executed erasures after a database restore, and erasing kept
records once their legal reason has run out.

The plan (ema_server/privacy/erasure_plan.py) decides; `apply_actions` carries out a list of
(entity, id, action) — the same list the erasure ledger (erasure_ledger.py) stores — so an
execution, a replay and a scheduled erasure do exactly the same things:

- published records are deleted through the ORM, so the change feed gets a tombstone for each
  and consoles drop them at their next sync; the older change-feed rows of every erased or
  anonymised record are deleted, so a console syncing from scratch never receives the old data;
- anonymising removes the subject from records that stay for someone else: charging sessions at
  other customers' stations lose customer and id tag, tickets about another customer's device
  lose the customer and the subject's name, e-mail, phone and tags from their texts;
- the customer row, when records must be kept, is cut down to what those records need (name,
  billing address, IČO/DIČ), marked erased and restricted (a `Restriction` with ground
  "erasure_kept"), and every kept record gets a `KeptRecord` with its basis and end date;
- OCPP frames that carry the subject's id tags have them replaced; stored idempotent answers
  that hold the subject's data are dropped. The live event log holds ids only (checked), and the
  audit trail, which must not change, names customers by id only.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.audit import append_audit
from ema_server.db.engine import Database
from ema_server.db.models import (
    AccessPackage,
    Attachment,
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
    Document,
    Erasure,
    IdempotencyRecord,
    KeptRecord,
    LegalHold,
    OcppFrame,
    PrivacyRequest,
    PrivacyRequestEntry,
    RecipientDisclosure,
    RecipientNotice,
    Restriction,
    RfidCard,
    Site,
    Ticket,
    TicketEntry,
    new_id,
    utcnow,
)
from ema_server.db.models.base import Base
from ema_server.db.tracking import tombstone_rows
from ema_server.domain.identifiers import phone_search_key
from ema_server.id_tags import find_card
from ema_server.privacy import erasure_letters
from ema_server.privacy.erasure_ledger import ErasureLedger, LedgerAction, effective_entries
from ema_server.privacy.erasure_plan import (
    ErasurePlan,
    PlannedRecord,
    build_plan,
    contract_in_force,
    decide_contract,
    decide_document,
    decide_ticket,
    group_items,
)
from ema_server.privacy.recipients import open_notices
from ema_server.privacy.visibility import records_of
from ema_server.search import customer_search_clause

ERASED = "[erased]"
_CHUNK = 500

# Published records deleted one by one through the ORM (tombstones); the rest go in bulk.
_ORM_MODELS: dict[str, type[Base]] = {
    "customer": Customer, "contact": Contact, "customer_account": CustomerAccount, "contract": Contract,
    "site": Site, "device": Device, "charging_session": ChargingSession, "rfid_card": RfidCard,
    "consent": Consent, "document": Document, "ticket": Ticket, "privacy_request": PrivacyRequest,
}  # fmt: skip
_BULK_MODELS: dict[str, Any] = {
    "consent_event": ConsentEvent, "recipient_disclosure": RecipientDisclosure, "access_package": AccessPackage,
    "legal_hold": LegalHold,
}  # fmt: skip


class ErasureRefused(Exception):
    """The erasure may not run (a plan blocker, a wrong confirmation, a stale plan); nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# --- the subject's identifiers (read before erasing, never stored) ------------------------------


@dataclass
class Identifiers:
    """What the subject could be found by: used to scrub texts and frames and to verify; never stored."""

    customer_number: str | None = None
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    login_emails: list[str] = field(default_factory=list)
    id_tags: list[str] = field(default_factory=list)

    def by_kind(self) -> list[tuple[str, str]]:
        pairs = [("customer_number", self.customer_number)] if self.customer_number else []
        for kind, values in (("name", self.names), ("email", self.emails), ("phone", self.phones),
                             ("login_email", self.login_emails), ("id_tag", self.id_tags)):  # fmt: skip
            pairs += [(kind, v) for v in dict.fromkeys(values) if v]
        return pairs


async def collect_identifiers(session: AsyncSession, customer_id: str, card_ids: Iterable[str] = ()) -> Identifiers:
    found = Identifiers()
    customer = await session.get(Customer, customer_id)
    if customer is not None:
        found.customer_number = customer.customer_number
        found.names.append(customer.name)
        found.emails += [customer.email] if customer.email else []
        found.phones += [customer.phone] if customer.phone else []
    for contact in (await session.execute(select(Contact).where(Contact.customer_id == customer_id))).scalars():
        found.names.append(contact.name)
        found.emails += [contact.email] if contact.email else []
        found.phones += [contact.phone] if contact.phone else []
    accounts = (await session.execute(select(CustomerAccount).where(CustomerAccount.customer_id == customer_id)))
    for account in accounts.scalars():
        found.login_emails.append(account.login_email)
        found.names.append(account.display_name)
    cards = select(RfidCard.id_tag).where(or_(RfidCard.customer_id == customer_id, RfidCard.id.in_(list(card_ids))))
    found.id_tags += list((await session.execute(cards)).scalars())
    return found


def _scrub_pattern(ids: Identifiers) -> re.Pattern[str] | None:
    parts = [re.escape(v) for v in [*ids.names, *ids.emails, *ids.login_emails, *ids.id_tags] if len(v) >= 3]
    for phone in ids.phones:
        key = phone_search_key(phone)
        if key:
            parts.append(r"(?:\+?420[\s-]?)?" + r"[\s-]?".join(re.escape(d) for d in key))
    if not parts:
        return None
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE)


def scrub(text: str | None, pattern: re.Pattern[str] | None) -> str | None:
    if text is None or pattern is None:
        return text
    return pattern.sub(ERASED, text)


# --- applying a list of actions -----------------------------------------------------------------


def ledger_actions(records: Sequence[PlannedRecord], customer_held: bool = False) -> list[LedgerAction]:
    """The plan as the ledger keeps it: ids, actions, bases and dates only. A kept customer row is
    reduced to what the kept records need, unless a hold covers the whole customer."""
    out: list[LedgerAction] = []
    for r in records:
        d = r.decision
        action: str = d.action
        if r.category == "customer" and d.action == "keep" and not customer_held:
            action = "reduce"
        out.append([r.entity, r.id, action, d.basis, d.keep_until.isoformat() if d.keep_until else None])
    return out


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


async def _load(session: AsyncSession, model: Any, ids: Sequence[str], column: Any = None) -> list[Any]:
    column = column if column is not None else model.id
    out: list[Any] = []
    for chunk in _chunks(list(ids)):
        out += list((await session.execute(select(model).where(column.in_(chunk)))).scalars())
    return out


async def _purge_change_log(session: AsyncSession, entity: str, ids: Sequence[str]) -> None:
    """Forget what the change feed said about these records so far (the new row follows at flush)."""
    for chunk in _chunks(list(ids)):
        await session.execute(delete(ChangeRecord).where(ChangeRecord.entity == entity,
                                                         ChangeRecord.entity_id.in_(chunk)))


async def _delete_published(session: AsyncSession, entity: str, rows: Sequence[Base]) -> None:
    ids = [str(getattr(r, "id")) for r in rows]  # noqa: B009
    await _purge_change_log(session, entity, ids)
    for row in rows:
        await session.delete(row)


@dataclass
class Applied:
    """What `apply_actions` actually changed, per entity and action (nothing for rows already gone)."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, entity: str, action: str, n: int = 1) -> None:
        if n:
            self.counts[f"{entity}:{action}"] += n

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def apply_actions(
    session: AsyncSession,
    customer_id: str,
    actions: Sequence[LedgerAction],
    now: datetime,
    *,
    request_id: str | None = None,
    erasure_id: str | None = None,
    operator_id: str | None = None,
    identifiers: Identifiers | None = None,
) -> Applied:
    """Carry out `actions` ([entity, id, action, basis, keep_until]) for one customer; idempotent:
    what is already deleted, anonymised or kept is left as it is and not counted."""
    applied = Applied()
    by: dict[tuple[str, str], list[str]] = defaultdict(list)
    kept: list[LedgerAction] = []
    for entity, record_id, action, *_ in actions:
        by[(entity, action)].append(record_id)
        if action in ("keep", "reduce"):
            kept.append([entity, record_id, action, *_])
    ids = identifiers or await collect_identifiers(session, customer_id, by[("rfid_card", "delete")])
    pattern = _scrub_pattern(ids)
    await session.flush()

    def doomed(entity: str) -> list[str]:
        return by[(entity, "delete")]

    # Children of deleted tickets and devices first: they carry their own change-feed records.
    tickets = await _load(session, Ticket, doomed("ticket"))
    ticket_ids = [t.id for t in tickets]
    await _delete_bulk(session, applied, "legal_hold", doomed("legal_hold"))
    # Holds lifted since the plan was made (a scheduled erasure) would still block the delete.
    await _delete_lifted_holds(session, applied, LegalHold.ticket_id.in_(ticket_ids))
    entries = await _load(session, TicketEntry, ticket_ids, TicketEntry.ticket_id)
    await _delete_published(session, "ticket_entry", entries)
    await _delete_published(session, "attachment", await _load(session, Attachment, ticket_ids, Attachment.ticket_id))
    devices = await _load(session, Device, doomed("device"))
    device_ids = [d.id for d in devices]
    await _delete_published(session, "connector", await _load(session, Connector, device_ids, Connector.device_id))
    # Sessions of other people at the subject's stations go with the station (they cannot stay
    # without it); the plan lists the subject's own, the rest are found here.
    sessions = await _load(session, ChargingSession, doomed("charging_session"))
    known = {s.id for s in sessions}
    sessions += [s for s in await _load(session, ChargingSession, device_ids, ChargingSession.device_id)
                 if s.id not in known]  # fmt: skip
    await _delete_published(session, "charging_session", sessions)
    applied.add("charging_session", "delete", len(sessions))
    await session.flush()
    # Kept tickets about a device that goes lose the link in the change feed too, not only in the database.
    for ticket in await _load(session, Ticket, device_ids, Ticket.device_id):
        if ticket.id not in set(ticket_ids):
            ticket.device_id = None
    await _delete_published(session, "ticket", tickets)
    applied.add("ticket", "delete", len(tickets))
    await _delete_published(session, "device", devices)
    applied.add("device", "delete", len(devices))
    await session.flush()

    accounts = await _load(session, CustomerAccount, doomed("customer_account"))
    for request in await _load(session, PrivacyRequest, [a.id for a in accounts], PrivacyRequest.subject_account_id):
        request.subject_account_id = None
    for entity in ("site", "contact", "customer_account", "contract", "consent", "document", "rfid_card"):
        rows = accounts if entity == "customer_account" else await _load(session, _ORM_MODELS[entity], doomed(entity))
        await _delete_published(session, entity, rows)
        applied.add(entity, "delete", len(rows))
    for entity in ("consent_event", "recipient_disclosure", "access_package"):
        await _delete_bulk(session, applied, entity, doomed(entity))
    await session.flush()

    await _anonymise(session, applied, by, pattern)
    await _scrub_frames(session, applied, ids.id_tags)
    # Stored answers to earlier writes (24 hours) can hold the customer's record in full.
    dropped = await session.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.response_body.contains(customer_id)))  # fmt: skip
    applied.add("idempotency_record", "delete", int(getattr(dropped, "rowcount", 0) or 0))

    customer = await session.get(Customer, customer_id)
    if customer is not None and doomed("customer"):
        for request in await _load(session, PrivacyRequest, [customer_id], PrivacyRequest.customer_id):
            request.customer_id = None
        await _delete_lifted_holds(session, applied, LegalHold.customer_id == customer_id)
        await session.flush()
        await _delete_published(session, "customer", [customer])
        applied.add("customer", "delete")
    elif customer is not None and kept:
        await _keep(session, applied, customer, kept, now, request_id, erasure_id, operator_id)
    await session.flush()
    return applied


async def _delete_bulk(session: AsyncSession, applied: Applied, entity: str, ids: Sequence[str]) -> None:
    model = _BULK_MODELS[entity]
    for chunk in _chunks(list(ids)):
        result = await session.execute(delete(model).where(model.id.in_(chunk)))
        applied.add(entity, "delete", int(getattr(result, "rowcount", 0) or 0))


async def _delete_lifted_holds(session: AsyncSession, applied: Applied, condition: ColumnElement[bool]) -> None:
    result = await session.execute(delete(LegalHold).where(condition, LegalHold.lifted_at.is_not(None)))
    applied.add("legal_hold", "delete", int(getattr(result, "rowcount", 0) or 0))


async def _anonymise(session: AsyncSession, applied: Applied, by: dict[tuple[str, str], list[str]],
                     pattern: re.Pattern[str] | None) -> None:
    sessions = [s for s in await _load(session, ChargingSession, by[("charging_session", "anonymise")])
                if s.customer_id is not None or s.id_tag is not None]  # fmt: skip
    await _purge_change_log(session, "charging_session", [s.id for s in sessions])
    for charging in sessions:
        charging.customer_id = None
        charging.id_tag = None
    applied.add("charging_session", "anonymise", len(sessions))
    tickets = await _load(session, Ticket, by[("ticket", "anonymise")])
    entries = await _load(session, TicketEntry, [t.id for t in tickets], TicketEntry.ticket_id)
    changed_tickets = 0
    for ticket in tickets:
        title, description = scrub(ticket.title, pattern) or "", scrub(ticket.description, pattern) or ""
        if ticket.customer_id is not None or title != ticket.title or description != ticket.description:
            await _purge_change_log(session, "ticket", [ticket.id])
            ticket.customer_id, ticket.title, ticket.description = None, title, description
            changed_tickets += 1
    for entry in entries:
        new = {k: scrub(getattr(entry, k), pattern) for k in ("body", "old_value", "new_value")}
        if any(new[k] != getattr(entry, k) for k in new):
            await _purge_change_log(session, "ticket_entry", [entry.id])
            for k, v in new.items():
                setattr(entry, k, v)
    applied.add("ticket", "anonymise", changed_tickets)


async def _scrub_frames(session: AsyncSession, applied: Applied, id_tags: Sequence[str]) -> None:
    """OCPP frames of stations that stay in service keep their traffic, not the subject's tags."""
    tags = [t for t in dict.fromkeys(id_tags) if t]
    if not tags:
        return
    pattern = re.compile("|".join(re.escape(t) for t in tags), re.IGNORECASE)
    condition: ColumnElement[bool] = or_(*(func.upper(OcppFrame.frame).contains(t.upper(), autoescape=True)
                                           for t in tags))  # fmt: skip
    query = select(OcppFrame).where(OcppFrame.action.in_(_FRAMES_WITH_ID_TAGS), condition)
    frames = list((await session.execute(query)).scalars())
    for frame in frames:
        frame.frame = pattern.sub(ERASED, frame.frame)
    applied.add("ocpp_frame", "anonymise", len(frames))


# OCPP 1.6 and 2.0.1 messages whose payload can carry an id tag or id token.
_FRAMES_WITH_ID_TAGS = ("Authorize", "StartTransaction", "StopTransaction", "TransactionEvent",
                        "RemoteStartTransaction", "RequestStartTransaction", "ReserveNow", "SendLocalList",
                        "DataTransfer")  # fmt: skip

_REDUCED_FIELDS: dict[str, Any] = {
    "email": None, "phone": None, "birth_date": None, "delivery_street": None, "delivery_city": None,
    "delivery_postal_code": None, "marketing_email": False, "marketing_push": False,
}  # fmt: skip


async def _keep(session: AsyncSession, applied: Applied, customer: Customer, kept: Sequence[LedgerAction],
                now: datetime, request_id: str | None, erasure_id: str | None, operator_id: str | None) -> None:
    """Restrict what stays, reduce the customer row to what kept records need, schedule each kept record."""
    reduce = any(entity == "customer" and action == "reduce" for entity, _, action, *_ in kept)
    if reduce and (customer.erased_at is None or any(getattr(customer, k) != v for k, v in _REDUCED_FIELDS.items())):
        await _purge_change_log(session, "customer", [customer.id])
        for name, value in _REDUCED_FIELDS.items():
            setattr(customer, name, value)
        customer.search_text = ""
        customer.erased_at = customer.erased_at or now
        applied.add("customer", "reduce")
    if customer.restricted_at is None:
        customer.restricted_at = now
    open_kept = (await session.execute(select(Restriction.id).where(
        Restriction.customer_id == customer.id, Restriction.ground == "erasure_kept",
        Restriction.lifted_at.is_(None)))).first()  # fmt: skip
    if open_kept is None:
        session.add(Restriction(id=new_id(), customer_id=customer.id, ground="erasure_kept", request_id=request_id,
                                reason="Kept after an erasure only where the law obliges keeping; storage only.",
                                placed_at=now, placed_by_id=operator_id))  # fmt: skip
        applied.add("restriction", "create")
    # Erased ones count too: a replay must not schedule again what a retention run already erased.
    existing = {(k.entity, k.entity_id) for k in (await session.execute(select(KeptRecord).where(
        KeptRecord.customer_id == customer.id))).scalars()}  # fmt: skip
    for entity, record_id, _action, basis, keep_until in kept:
        model = _ORM_MODELS.get(entity)
        if (entity, record_id) in existing or (model is not None and await session.get(model, record_id) is None):
            continue
        session.add(KeptRecord(id=new_id(), erasure_id=erasure_id, customer_id=customer.id, entity=entity,
                               entity_id=record_id, basis=basis or "legal_hold",
                               keep_until=date.fromisoformat(keep_until) if keep_until else None))  # fmt: skip
        applied.add("kept_record", "create")
    await session.flush()
    # Consoles without the privacy role drop what stays (ema_server.privacy.visibility): the
    # restriction hides it from them from now on.
    remaining = await records_of(session, customer.id)
    if remaining:
        await session.execute(insert(ChangeRecord), tombstone_rows(remaining, "withheld"))


# --- verification -------------------------------------------------------------------------------


async def verify_erasure(session: AsyncSession, customer_id: str, ids: Identifiers) -> dict[str, Any]:
    """Whether each of the subject's identifiers still finds them: through the customer search
    (ema_server/search.py) and, for id tags, the card lookup OCPP authorisation uses."""
    await session.flush()
    checks: list[dict[str, Any]] = []
    for kind, value in ids.by_kind():
        found = (await session.execute(select(Customer.id).where(
            Customer.id == customer_id, customer_search_clause(value)).limit(1))).first() is not None  # fmt: skip
        if kind == "id_tag":
            found = found or await find_card(session, value) is not None
        checks.append({"identifier_kind": kind, "resolves": found})
    return {"ok": not any(c["resolves"] for c in checks), "checks": checks}


# --- execution ----------------------------------------------------------------------------------


def confirmation_matches(plan: ErasurePlan, confirm: str) -> bool:
    wanted = " ".join(confirm.split())
    return bool(wanted) and wanted in {plan.customer_number, " ".join((plan.customer_name or "").split())}


async def _recipients(session: AsyncSession, request_id: str) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(DataRecipient.name, DataRecipient.category, RecipientNotice.action, RecipientNotice.state)
        .join(DataRecipient, DataRecipient.id == RecipientNotice.recipient_id)
        .where(RecipientNotice.request_id == request_id).order_by(DataRecipient.name)
    )
    return [{"name": n, "category": c, "action": a, "state": s} for n, c, a, s in rows.all()]


def build_report(plan: ErasurePlan, recipients: list[dict[str, Any]]) -> dict[str, Any]:
    report: dict[str, Any] = {"erased": [], "anonymised": [], "kept": [], "recipients": recipients}
    for item in group_items(plan.records):
        line: dict[str, Any] = {"category": item.category, "label_en": item.label_en, "label_cs": item.label_cs,
                                "count": item.count}  # fmt: skip
        if item.action == "keep":
            line.update(basis=item.basis, legal_reference=item.legal_reference,
                        keep_until=item.keep_until.isoformat() if item.keep_until else None)
        report[{"delete": "erased", "anonymise": "anonymised", "keep": "kept"}[item.action]].append(line)
    return report


@dataclass
class Executed:
    erasure: Erasure
    created: bool
    ledger_entry: dict[str, Any] | None = None


async def execute_erasure(
    session: AsyncSession,
    request: PrivacyRequest,
    *,
    confirm_customer: str,
    plan_hash: str,
    operator_id: str | None,
    ledger: ErasureLedger,
    now: datetime | None = None,
) -> Executed:
    """Erase per the current plan, if it is the plan the officer confirmed; the caller commits
    (see `commit_erasure`). A request erased already gives its erasure back unchanged."""
    now = now or utcnow()
    existing = (await session.execute(select(Erasure).where(Erasure.request_id == request.id))).scalar_one_or_none()
    if existing is not None:
        return Executed(existing, False)
    plan = await build_plan(session, request, now)
    if plan.blockers:
        raise ErasureRefused(plan.blockers[0].code, plan.blockers[0].message)
    assert plan.customer_id is not None
    if not confirmation_matches(plan, confirm_customer):
        raise ErasureRefused("confirmation_mismatch",
                             "Type the customer number or the customer's full name exactly as the plan shows it.")
    if plan_hash != plan.hash:
        raise ErasureRefused("plan_changed", "The subject's data changed since the plan was shown: review it again.")
    customer = await session.get(Customer, plan.customer_id)
    assert customer is not None
    # Art. 19: every recipient of the subject's data is to be told; the disclosures naming them
    # are erased below, so the notices are opened now (existing ones are kept as they are).
    await open_notices(session, request, "erasure", operator_id, now)
    recipients = await _recipients(session, request.id)
    report = build_report(plan, recipients)
    # The letter is addressed to the subject: written while the name and address still exist.
    letter_cs, letter_en = erasure_letters.build_letters(customer, report, request, now)
    erasure_id = new_id()
    actions = ledger_actions(plan.records, plan.customer_held)
    ids = await collect_identifiers(session, plan.customer_id)
    await apply_actions(session, plan.customer_id, actions, now, request_id=request.id, erasure_id=None,
                        operator_id=operator_id, identifiers=ids)  # fmt: skip
    verification = await verify_erasure(session, plan.customer_id, ids)
    session.add(PrivacyRequestEntry(id=new_id(), request_id=request.id, kind="erasure", author_id=operator_id, at=now,
                                    body=_entry_text(report)))  # fmt: skip
    request.updated_at = now
    # Durable before the commit (an intent log); in a thread, as fsync blocks.
    entry = await asyncio.to_thread(ledger.append_erasure, kind="erasure", erasure_id=erasure_id,
                                    request_id=request.id, customer_id=plan.customer_id, executed_at=_iso(now),
                                    actions=actions)  # fmt: skip
    erasure = Erasure(id=erasure_id, request_id=request.id, customer_id=plan.customer_id, executed_at=now,
                      executed_by_id=operator_id, plan=plan.as_json(), report=report, verification=verification,
                      letter_cs=letter_cs, letter_en=letter_en, ledger_hash=entry["hash"])  # fmt: skip
    session.add(erasure)
    await session.flush()
    # KeptRecords were written before the erasure row existed: link them now.
    for kept in (await session.execute(select(KeptRecord).where(
            KeptRecord.customer_id == plan.customer_id, KeptRecord.erasure_id.is_(None),
            KeptRecord.erased_at.is_(None)))).scalars():  # fmt: skip
        kept.erasure_id = erasure_id
    await session.flush()
    return Executed(erasure, True, entry)


def _entry_text(report: dict[str, Any]) -> str:
    def total(key: str) -> int:
        return sum(int(line["count"]) for line in report[key])

    return (f"Erasure executed: {total('erased')} records deleted, {total('anonymised')} anonymised, "
            f"{total('kept')} kept for a legal reason.")  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def erasure_counts(erasure: Erasure) -> dict[str, int]:
    report: dict[str, Any] = dict(erasure.report)
    return {key: sum(int(line["count"]) for line in report.get(key, [])) for key in ("erased", "anonymised", "kept")}


# --- replay after a restore ---------------------------------------------------------------------


@dataclass
class ReplaySummary:
    verified: int = 0
    """Lines of the ledger checked (aborts included)."""
    entries: int = 0
    """Erasures to apply (not aborted)."""
    reapplied_entries: int = 0
    counts: Counter[str] = field(default_factory=Counter)


async def replay_ledger(db: Database, ledger: ErasureLedger, *, dry_run: bool = False) -> ReplaySummary:
    """Apply every ledger entry again (each in its own transaction): what a restore brought back is
    erased again; what is still erased is left alone. Raises LedgerTampered before touching
    anything when the chain does not hold."""
    verified = ledger.verified_entries()
    entries = effective_entries(verified)
    summary = ReplaySummary(verified=len(verified), entries=len(entries))
    for entry in entries:
        async with db.sessions() as session:
            now = utcnow()
            erasure_id = entry.get("erasure_id")
            if erasure_id and await session.get(Erasure, erasure_id) is None:
                erasure_id = None
            applied = await apply_actions(session, entry["customer_id"], entry["actions"], now,
                                          request_id=entry.get("request_id"), erasure_id=erasure_id)
            if applied.total:
                summary.reapplied_entries += 1
                summary.counts.update(applied.counts)
            if dry_run or not applied.total:
                await session.rollback()
                continue
            await append_audit(session, action="erasure.replay", operator_username="cli", entity="erasure",
                               entity_id=entry.get("erasure_id"), subject_id=entry["customer_id"],
                               detail={"ledger_seq": entry["seq"], "changes": dict(applied.counts)})  # fmt: skip
            await session.commit()
    return summary


# --- kept records whose reason ran out ----------------------------------------------------------


async def _customer_held(session: AsyncSession, customer_id: str) -> bool:
    found = await session.execute(select(LegalHold.id).where(LegalHold.customer_id == customer_id,
                                                             LegalHold.lifted_at.is_(None)).limit(1))
    return found.first() is not None


async def _ticket_held(session: AsyncSession, ticket_id: str) -> bool:
    found = await session.execute(select(LegalHold.id).where(LegalHold.ticket_id == ticket_id,
                                                             LegalHold.lifted_at.is_(None)).limit(1))
    return found.first() is not None


async def _redecide(session: AsyncSession, kept: KeptRecord, today: date) -> tuple[str, str | None, date | None]:
    """(action, basis, keep_until) for a kept record now; ("gone", ...) when it no longer exists."""
    if await _customer_held(session, kept.customer_id):
        return "keep", "legal_hold", None
    if kept.entity == "document":
        document = await session.get(Document, kept.entity_id)
        if document is None:
            return "gone", None, None
        contracts = (await session.execute(select(Contract).where(Contract.customer_id == kept.customer_id))).scalars()
        d = decide_document(document, today, False, {c.number: c for c in contracts if contract_in_force(c, today)})
    elif kept.entity == "ticket":
        ticket = await session.get(Ticket, kept.entity_id)
        if ticket is None:
            return "gone", None, None
        device = await session.get(Device, ticket.device_id) if ticket.device_id else None
        about_other = device is not None and device.customer_id != kept.customer_id
        d = decide_ticket(ticket, today, await _ticket_held(session, ticket.id), about_other)
    elif kept.entity == "contract":
        contract = await session.get(Contract, kept.entity_id)
        if contract is None:
            return "gone", None, None
        d = decide_contract(contract, today, False)
    elif kept.entity in ("customer", "privacy_request"):
        return "keep", kept.basis, kept.keep_until  # decided by the caller
    else:
        model = _ORM_MODELS.get(kept.entity)
        if model is None or await session.get(model, kept.entity_id) is None:
            return "gone", None, None
        if kept.entity == "charging_session":
            return "anonymise", None, None
        return "delete", None, None
    return d.action, d.basis, d.keep_until


async def erase_due_kept_records(
    session: AsyncSession, today: date, ledger: ErasureLedger | None = None
) -> dict[str, int]:
    """Erase the kept records whose end date has passed and that no active legal hold covers (the
    caller commits). Records kept under a hold or a contract are looked at again on every run and
    get their date once the hold is lifted or the contract ends; a complaint kept while open gets
    closure + 3 years once closed. The remnant customer row goes once nothing else is kept.
    Returns counts per entity ("<entity>" erased, "rescheduled", "skipped_legal_hold"). What it
    erases is appended to the erasure ledger (`ledger`, default the configured file) before the
    caller's commit, as executions are."""
    now = utcnow()
    summary: Counter[str] = Counter()
    query = select(KeptRecord).where(
        KeptRecord.erased_at.is_(None),
        # Complaints kept while open get their real date once closed, so they are looked at every run.
        or_(KeptRecord.keep_until < today, KeptRecord.keep_until.is_(None),
            and_(KeptRecord.entity == "ticket", KeptRecord.basis == "legal_claims")),
        KeptRecord.entity != "customer",
    ).order_by(KeptRecord.customer_id, KeptRecord.entity, KeptRecord.entity_id)
    due = list((await session.execute(query)).scalars())
    actions_by_customer: dict[str, list[LedgerAction]] = defaultdict(list)
    for kept in due:
        if kept.entity == "privacy_request":
            await _retire_request_record(session, kept, now)
            summary["privacy_request"] += 1
            continue
        action, basis, keep_until = await _redecide(session, kept, today)
        if action == "keep":
            if keep_until is not None and keep_until >= today and (basis, keep_until) != (kept.basis, kept.keep_until):
                kept.basis, kept.keep_until = basis or kept.basis, keep_until
                summary["rescheduled"] += 1
            elif keep_until is None:
                summary["skipped_legal_hold" if basis == "legal_hold" else "kept_open_ended"] += 1
            continue
        if action != "gone":
            actions_by_customer[kept.customer_id].append([kept.entity, kept.entity_id, action, None, None])
            summary[kept.entity] += 1
        kept.erased_at = now
    await session.flush()
    for customer_id, actions in actions_by_customer.items():
        await apply_actions(session, customer_id, actions, now)
    summary["customer"] += await _erase_remnants(session, now, actions_by_customer, ledger or ErasureLedger())
    return {k: v for k, v in summary.items() if v}


async def _erase_remnants(session: AsyncSession, now: datetime, applied: dict[str, list[LedgerAction]],
                          ledger: ErasureLedger) -> int:
    remnants = list((await session.execute(select(KeptRecord).where(
        KeptRecord.entity == "customer", KeptRecord.erased_at.is_(None)))).scalars())  # fmt: skip
    erased = 0
    for remnant in remnants:
        still = (await session.execute(select(func.count()).select_from(KeptRecord).where(
            KeptRecord.customer_id == remnant.customer_id, KeptRecord.erased_at.is_(None),
            KeptRecord.entity.not_in(("customer", "privacy_request"))))).scalar_one()  # fmt: skip
        if still or await _customer_held(session, remnant.customer_id):
            continue
        actions: list[LedgerAction] = [["customer", remnant.customer_id, "delete", None, None]]
        await apply_actions(session, remnant.customer_id, actions, now)
        applied[remnant.customer_id] = applied.get(remnant.customer_id, []) + actions
        remnant.erased_at = now
        erased += 1
    if applied:
        # In the ledger too, so a restore does not bring back what the schedule erased.
        for customer_id, actions in applied.items():
            await asyncio.to_thread(ledger.append_erasure, kind="scheduled", erasure_id=None, request_id=None,
                                    customer_id=customer_id, executed_at=_iso(now), actions=actions)
    return erased


async def _retire_request_record(session: AsyncSession, kept: KeptRecord, now: datetime) -> None:
    """The accountability period of a request ended: its personal details go, the record that a
    request was handled (number, right, dates, outcome) stays with its erasure's counts."""
    request = await session.get(PrivacyRequest, kept.entity_id)
    if request is not None:
        await _purge_change_log(session, "privacy_request", [request.id])
        request.subject_name, request.subject_email, request.subject_phone = ERASED, None, None
        request.requester_name, request.original_text, request.identity_check_detail = None, "", None
        erasure = (await session.execute(select(Erasure).where(Erasure.request_id == request.id))).scalar_one_or_none()
        if erasure is not None:
            erasure.letter_cs = erasure.letter_en = ""
            erasure.plan = {**erasure.plan, "customer": None}
    kept.erased_at = now

