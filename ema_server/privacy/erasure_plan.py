"""The erasure plan (GDPR Art. 17): for every record of a data subject, whether an erasure deletes
it, anonymises it or keeps it — and what is kept, on which legal basis and until when.

The rules are pure functions over loaded rows (`decide_*`); `build_plan` loads the subject's
records and applies them. Keeping wins: a record is deleted or anonymised only when no legal
reason still covers it (Art. 17(3)(b) accounting and VAT records, 17(3)(e) legal claims and legal
holds, a contract in force, the accountability record of the request itself).

Choices the rules make (PRIVACY-RULES "Erasure", BRIEF §4):
- accounting documents are kept 5 years from issue (Act 563/1991 §31), VAT documents 10 years
  (Act 235/2004 §35), a document's own `retain_until` when it is later;
- a complaint that is not closed is kept for legal claims until *today + 3 years*; the date is
  re-evaluated by `erase_due_kept_records` (ema_server/privacy/erasure.py) once it closes, when
  it becomes closure + 3 years. A closed complaint is kept until closure + 3 years;
- an active legal hold (on the customer or the ticket) keeps with no end date;
- a contract in force is kept until it ends (no date for an open-ended one);
- the subject's privacy requests are kept 3 years from closure (or from today while open);
- charging sessions the subject charged at other customers' stations, and tickets about another
  customer's device, are anonymised: the station's history stays, the subject leaves it;
- the subject's own devices go with their telemetry, status history, OCPP frames and every
  charging session on them.

The plan's hash covers every record with its decision, so executing an erasure confirms exactly
the plan the officer read (a record added or changed since gives a new hash).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import (
    AccessPackage,
    ChargingSession,
    Consent,
    ConsentEvent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    Document,
    Erasure,
    LegalHold,
    PrivacyRequest,
    RecipientDisclosure,
    RfidCard,
    Site,
    Ticket,
)
from ema_server.domain.deadlines import PRAGUE

Action = Literal["delete", "anonymise", "keep"]
Basis = Literal["accounting", "vat", "legal_claims", "legal_hold", "contract", "accountability"]

ERASABLE_STATES = ("in_progress", "extended")
OPEN_REQUEST_STATES = ("received", "identity_verification", "in_progress", "extended")

LEGAL_REFERENCES: dict[str, str] = {
    "accounting": "Act No. 563/1991 Coll. on Accounting, §31; GDPR Art. 17(3)(b)",
    "vat": "Act No. 235/2004 Coll. on Value Added Tax, §35; GDPR Art. 17(3)(b)",
    "legal_claims": "GDPR Art. 17(3)(e); Act No. 89/2012 Coll. (Civil Code), §629 limitation period",
    "legal_hold": "GDPR Art. 17(3)(e): data needed for pending proceedings (legal hold)",
    "contract": "GDPR Art. 6(1)(b) and 17(1): data needed to perform a contract in force",
    "accountability": "GDPR Art. 5(2) and Art. 12: record of how the request was handled",
}
ACCOUNTING_YEARS, VAT_YEARS, CLAIM_YEARS, ACCOUNTABILITY_YEARS = 5, 10, 3, 3

# category -> (entity, label_en, label_cs), in the order the plan and the report list them.
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "customer": ("customer", "Customer record", "Zákaznický záznam"),
    "contacts": ("contact", "Contact persons", "Kontaktní osoby"),
    "accounts": ("customer_account", "App accounts with their login history",
                 "Účty v aplikaci a historie přihlášení"),
    "contracts": ("contract", "Contracts", "Smlouvy"),
    "sites": ("site", "Sites (addresses and locations)", "Místa (adresy a polohy)"),
    "devices": ("device", "Your devices with connectors, status history, telemetry and OCPP communication",
                "Vaše zařízení s konektory, historií stavů, telemetrií a komunikací OCPP"),
    "charging_sessions": ("charging_session", "Charging sessions", "Nabíjecí relace"),
    "rfid_cards": ("rfid_card", "RFID cards", "RFID karty"),
    "consents": ("consent", "Consents", "Souhlasy"),
    "consent_history": ("consent_event", "Consent history", "Historie souhlasů"),
    "documents": ("document", "Documents (invoices, contracts, service reports)",
                  "Doklady (faktury, smlouvy, servisní protokoly)"),
    "tickets": ("ticket", "Tickets with their history and attachments", "Požadavky s historií a přílohami"),
    "privacy_requests": ("privacy_request", "Your data-protection requests", "Vaše žádosti o ochranu údajů"),
    "recipient_disclosures": ("recipient_disclosure", "Records of disclosures to recipients",
                              "Záznamy o předání údajů příjemcům"),
    "access_packages": ("access_package", "Copies of your data prepared for you",
                        "Kopie vašich údajů připravené pro vás"),
    "legal_holds": ("legal_hold", "Records of lifted legal holds", "Záznamy o zrušených blokacích"),
}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    action: Action
    basis: Basis | None = None
    keep_until: date | None = None

    @property
    def legal_reference(self) -> str | None:
        return LEGAL_REFERENCES[self.basis] if self.basis else None


DELETE = Decision("delete")
ANONYMISE = Decision("anonymise")


@dataclass(frozen=True)
class PlannedRecord:
    category: str
    id: str
    decision: Decision

    @property
    def entity(self) -> str:
        return CATEGORIES[self.category][0]


@dataclass(frozen=True)
class PlanItem:
    """Records of one category sharing one decision: a line of the plan and of the report."""

    category: str
    entity: str
    label_en: str
    label_cs: str
    count: int
    action: Action
    basis: Basis | None
    legal_reference: str | None
    keep_until: date | None

    def as_json(self) -> dict[str, object]:
        return {"category": self.category, "label_en": self.label_en, "label_cs": self.label_cs,
                "entity": self.entity, "count": self.count, "action": self.action, "basis": self.basis,
                "legal_reference": self.legal_reference,
                "keep_until": self.keep_until.isoformat() if self.keep_until else None}  # fmt: skip


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


@dataclass
class ErasurePlan:
    request_id: str
    customer_id: str | None
    customer_number: str | None
    customer_name: str | None
    today: date
    blockers: list[Blocker] = field(default_factory=list)
    records: list[PlannedRecord] = field(default_factory=list)
    customer_held: bool = False
    """A legal hold covers the whole customer: everything is kept as it is (nothing reduced)."""

    @property
    def items(self) -> list[PlanItem]:
        return group_items(self.records)

    @property
    def hash(self) -> str:
        return plan_hash(self.customer_id, self.records)

    def as_json(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "customer": None if self.customer_id is None else {
                "id": self.customer_id, "customer_number": self.customer_number, "name": self.customer_name},
            "plan_hash": self.hash,
            "blockers": [{"code": b.code, "message": b.message} for b in self.blockers],
            "items": [item.as_json() for item in self.items],
        }  # fmt: skip


def group_items(records: Iterable[PlannedRecord]) -> list[PlanItem]:
    order = list(CATEGORIES)
    groups: dict[tuple[str, Action, str | None, date | None], int] = {}
    for record in records:
        d = record.decision
        key = (record.category, d.action, d.basis, d.keep_until)
        groups[key] = groups.get(key, 0) + 1
    items = []
    for (category, action, basis, keep_until), count in groups.items():
        entity, label_en, label_cs = CATEGORIES[category]
        items.append(PlanItem(category, entity, label_en, label_cs, count, action, basis,  # type: ignore[arg-type]
                              LEGAL_REFERENCES[basis] if basis else None, keep_until))
    rank = {"delete": 0, "anonymise": 1, "keep": 2}
    items.sort(key=lambda i: (order.index(i.category), rank[i.action], i.keep_until or date.max))
    return items


def plan_hash(customer_id: str | None, records: Iterable[PlannedRecord]) -> str:
    rows = sorted(
        [r.category, r.id, r.decision.action, r.decision.basis,
         r.decision.keep_until.isoformat() if r.decision.keep_until else None]
        for r in records
    )  # fmt: skip
    canonical = json.dumps({"customer_id": customer_id, "records": rows}, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the rules (pure) ---------------------------------------------------------------------------


def years_later(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def prague_day(moment: datetime) -> date:
    return moment.astimezone(PRAGUE).date()


def keep(basis: Basis, until: date | None) -> Decision:
    return Decision("keep", basis, until)


def decide_document(document: Document, today: date, held: bool, contracts_in_force: dict[str, Contract]) -> Decision:
    """Accounting 5 years, VAT 10 years from issue (or `retain_until` if later); contract
    documents while their contract is in force; others until their `retain_until`."""
    if held or document.legal_hold:
        return keep("legal_hold", None)
    statutory: tuple[Basis, date] | None = None
    if document.retention_category == "vat":
        statutory = ("vat", years_later(document.issued_on, VAT_YEARS))
    elif document.retention_category == "accounting" or document.kind in ("invoice", "credit_note"):
        statutory = ("accounting", years_later(document.issued_on, ACCOUNTING_YEARS))
    if statutory is not None:
        basis, until = statutory
        if document.retain_until is not None and document.retain_until > until:
            until = document.retain_until
        return keep(basis, until) if until >= today else DELETE
    contract = contracts_in_force.get(document.number)
    if contract is not None:
        return keep("contract", contract.ends_on)
    if document.retain_until is not None and document.retain_until >= today:
        return keep("legal_claims", document.retain_until)
    return DELETE


def contract_in_force(contract: Contract, today: date) -> bool:
    return contract.status == "active" and (contract.ends_on is None or contract.ends_on >= today)


def decide_contract(contract: Contract, today: date, held: bool) -> Decision:
    if held:
        return keep("legal_hold", None)
    return keep("contract", contract.ends_on) if contract_in_force(contract, today) else DELETE


def decide_ticket(ticket: Ticket, today: date, held: bool, about_other_device: bool) -> Decision:
    """Legal holds, then complaints (legal claims), then: about another customer's device ->
    anonymised (the device's service history stays); otherwise deleted."""
    if held:
        return keep("legal_hold", None)
    if ticket.kind == "complaint":
        if ticket.state != "closed":
            return keep("legal_claims", years_later(today, CLAIM_YEARS))
        closed = ticket.closed_at or ticket.resolved_at or ticket.updated_at
        until = years_later(prague_day(closed), CLAIM_YEARS)
        if until >= today:
            return keep("legal_claims", until)
    return ANONYMISE if about_other_device else DELETE


def decide_privacy_request(request: PrivacyRequest, today: date) -> Decision:
    start = prague_day(request.closed_at) if request.closed_at is not None else today
    return keep("accountability", years_later(start, ACCOUNTABILITY_YEARS))


def decide_plain(held: bool) -> Decision:
    """Records no law obliges keeping: deleted unless a legal hold covers the customer."""
    return keep("legal_hold", None) if held else DELETE


def customer_decision(records: Sequence[PlannedRecord], held: bool) -> Decision:
    """The customer row stays (reduced) while anything but the accountability record is kept,
    until the last of them may go; otherwise it is deleted."""
    if held:
        return keep("legal_hold", None)
    kept = [r.decision for r in records if r.decision.action == "keep" and r.decision.basis != "accountability"]
    if not kept:
        return DELETE
    if any(d.keep_until is None for d in kept):
        open_ended = next(d for d in kept if d.keep_until is None)
        return keep(open_ended.basis or "legal_hold", None)
    latest = max(kept, key=lambda d: d.keep_until or date.min)
    return keep(latest.basis or "accounting", latest.keep_until)


# --- loading ------------------------------------------------------------------------------------


@dataclass
class SubjectRecords:
    """Everything the plan decides about, loaded for one customer."""

    customer: Customer
    contacts: list[Contact]
    accounts: list[CustomerAccount]
    contracts: list[Contract]
    sites: list[Site]
    devices: list[Device]
    sessions: list[ChargingSession]
    cards: list[RfidCard]
    consents: list[Consent]
    consent_event_ids: list[str]
    documents: list[Document]
    tickets: list[Ticket]
    requests: list[PrivacyRequest]
    disclosure_ids: list[str]
    package_ids: list[str]
    lifted_hold_ids: list[str]
    customer_held: bool
    held_ticket_ids: set[str]


async def _all(session: AsyncSession, query: Select[Any]) -> list[Any]:
    return list((await session.execute(query)).scalars())


async def load_subject(session: AsyncSession, customer: Customer) -> SubjectRecords:
    cid = customer.id
    devices: list[Device] = await _all(session, select(Device).where(Device.customer_id == cid).order_by(Device.id))
    device_ids = [d.id for d in devices]
    cards: list[RfidCard] = await _all(session, select(RfidCard).where(RfidCard.customer_id == cid))
    tags = [c.id_tag.upper() for c in cards]
    session_conditions = [ChargingSession.customer_id == cid]
    if device_ids:
        session_conditions.append(ChargingSession.device_id.in_(device_ids))
    if tags:
        session_conditions.append(func.upper(ChargingSession.id_tag).in_(tags))
    ticket_conditions = [Ticket.customer_id == cid]
    if device_ids:
        ticket_conditions.append(Ticket.device_id.in_(device_ids))
    tickets: list[Ticket] = await _all(session, select(Ticket).where(or_(*ticket_conditions)).order_by(Ticket.id))
    holds: list[LegalHold] = await _all(session, select(LegalHold).where(or_(
        LegalHold.customer_id == cid, LegalHold.ticket_id.in_([t.id for t in tickets]))))
    active = [h for h in holds if h.lifted_at is None]
    return SubjectRecords(
        customer=customer,
        contacts=await _all(session, select(Contact).where(Contact.customer_id == cid).order_by(Contact.id)),
        accounts=await _all(session, select(CustomerAccount).where(CustomerAccount.customer_id == cid)
                            .order_by(CustomerAccount.id)),
        contracts=await _all(session, select(Contract).where(Contract.customer_id == cid).order_by(Contract.id)),
        sites=await _all(session, select(Site).where(Site.customer_id == cid).order_by(Site.id)),
        devices=devices,
        sessions=await _all(session, select(ChargingSession).where(or_(*session_conditions))
                            .order_by(ChargingSession.id)),
        cards=cards,
        consents=await _all(session, select(Consent).where(Consent.customer_id == cid).order_by(Consent.id)),
        consent_event_ids=await _all(session, select(ConsentEvent.id).where(ConsentEvent.customer_id == cid)),
        documents=await _all(session, select(Document).where(Document.customer_id == cid).order_by(Document.id)),
        tickets=tickets,
        requests=await _all(session, select(PrivacyRequest).where(PrivacyRequest.customer_id == cid)
                            .order_by(PrivacyRequest.id)),
        disclosure_ids=await _all(session, select(RecipientDisclosure.id)
                                  .where(RecipientDisclosure.customer_id == cid)),
        package_ids=await _all(session, select(AccessPackage.id).where(AccessPackage.customer_id == cid)),
        lifted_hold_ids=[h.id for h in holds if h.lifted_at is not None],
        customer_held=any(h.customer_id == cid for h in active),
        held_ticket_ids={h.ticket_id for h in active if h.ticket_id is not None},
    )  # fmt: skip


def decide_all(subject: SubjectRecords, today: date) -> list[PlannedRecord]:
    """Every record of the subject with its decision (the customer row first)."""
    held = subject.customer_held
    own_devices = {d.id for d in subject.devices}
    in_force = {c.number: c for c in subject.contracts if contract_in_force(c, today)}
    out: list[PlannedRecord] = []

    def add(category: str, ids: Iterable[str], decision: Decision) -> None:
        out.extend(PlannedRecord(category, i, decision) for i in ids)

    add("contacts", [c.id for c in subject.contacts], decide_plain(held))
    add("accounts", [a.id for a in subject.accounts], decide_plain(held))
    for contract in subject.contracts:
        out.append(PlannedRecord("contracts", contract.id, decide_contract(contract, today, held)))
    add("sites", [s.id for s in subject.sites], decide_plain(held))
    add("devices", sorted(own_devices), decide_plain(held))
    for charging in subject.sessions:
        on_own = charging.device_id in own_devices
        decision = keep("legal_hold", None) if held else (DELETE if on_own else ANONYMISE)
        out.append(PlannedRecord("charging_sessions", charging.id, decision))
    add("rfid_cards", [c.id for c in subject.cards], decide_plain(held))
    add("consents", [c.id for c in subject.consents], decide_plain(held))
    add("consent_history", subject.consent_event_ids, decide_plain(held))
    for document in subject.documents:
        out.append(PlannedRecord("documents", document.id, decide_document(document, today, held, in_force)))
    for ticket in subject.tickets:
        about_other = ticket.device_id is not None and ticket.device_id not in own_devices
        ticket_held = held or ticket.id in subject.held_ticket_ids
        out.append(PlannedRecord("tickets", ticket.id, decide_ticket(ticket, today, ticket_held, about_other)))
    for request in subject.requests:
        out.append(PlannedRecord("privacy_requests", request.id, decide_privacy_request(request, today)))
    add("recipient_disclosures", subject.disclosure_ids, decide_plain(held))
    add("access_packages", subject.package_ids, DELETE)
    add("legal_holds", subject.lifted_hold_ids, DELETE)
    return [PlannedRecord("customer", subject.customer.id, customer_decision(out, held)), *out]


# --- the plan of a request ----------------------------------------------------------------------


async def build_plan(session: AsyncSession, request: PrivacyRequest, now: datetime) -> ErasurePlan:
    """The plan for an erasure request as of `now`, with what blocks executing it."""
    today = prague_day(now)
    customer = await session.get(Customer, request.customer_id) if request.customer_id else None
    plan = ErasurePlan(request.id, customer.id if customer else None, customer.customer_number if customer else None,
                       customer.name if customer else None, today)  # fmt: skip
    executed = (await session.execute(select(Erasure.id).where(Erasure.request_id == request.id))).first()
    if executed is not None:
        plan.blockers.append(Blocker("already_executed", "This request's erasure was executed already."))
    if request.right != "erasure":
        plan.blockers.append(Blocker("wrong_right", "Only an erasure request can erase a customer's data."))
    if customer is None:
        plan.blockers.append(Blocker("no_subject", "The request names no customer: link the subject first."))
    if request.state in ("completed", "refused") and executed is None:
        plan.blockers.append(Blocker("request_closed", f"The request is {request.state}: nothing can be erased "
                                                       "under it any more."))  # fmt: skip
    elif request.identity_verified_at is None or request.state not in ERASABLE_STATES:
        plan.blockers.append(
            Blocker("identity_not_verified", "The subject's identity must be verified (the request in progress) "
                                             "before anything is erased."))  # fmt: skip
    if customer is not None and executed is None:
        subject = await load_subject(session, customer)
        plan.records, plan.customer_held = decide_all(subject, today), subject.customer_held
    return plan
