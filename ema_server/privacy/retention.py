"""Retention (policy section 18, BRIEF section 4): every kind of record belongs to a retention
category; a run deletes or anonymises what outlived its category's period, skips what a legal hold
covers (and counts it), and records what it did in a RetentionRun.

Categories, their defaults (an administrator changes period and action: RetentionPolicy rows,
created from DEFAULT_POLICIES when missing) and what each covers. "Age" is what the period is
counted from; periods over datetimes count from the run's moment, over dates from today in Prague.

security_logs (365 days; delete)
    account_logins (app login history): age from `at`.
    login_attempts (operator sign-in throttling; housekeeping drops them after a day anyway): `at`.
    auth_sessions with their tokens (operator sign-ins): `created_at`, once no token of it is valid.
technical_logs (365 days; delete)
    device_status_changes: `at`.  remote_commands: `requested_at`.  unknown_stations: `last_attempt_at`.
    ocpp_frames: `at`. This is the ceiling: `serve --frame-retention-days` (30) prunes them sooner.
communications (1095 days; anonymise or delete)
    tickets (complaints, faults, service requests, questions) in state closed: `closed_at`.
    Anonymise removes the customer link, title, description, attachments and every history entry
    but the state/priority/owner/device changes; kind, dates, device and error code stay for fault
    statistics. A ticket that a legal hold record (even lifted) names is anonymised under `delete`
    too: the hold record must keep pointing at it.
accounting (1826 days = 5 years, Act 563/1991 s. 31; delete)
    documents of retention category accounting (credit notes): due when `retain_until` has passed
    if it is set (the date stated on the document wins), else `issued_on` plus the period.
vat (3653 days = 10 years, Act 235/2004 s. 35; delete)
    documents of category vat (invoices): as accounting.
legal_claims (1095 days; delete)
    documents of category legal_claims (service reports): as accounting.
contract (1095 days; delete)
    documents of category contract: `retain_until` if set, else the contract of the same number
    ended (`ends_on`) the period ago. A running contract's documents never expire.
service_data (1095 days; anonymise or delete)
    charging_sessions of a closed customer, or of no known customer: `stopped_at`. Anonymise
    removes the id tag and the customer link; station, connector, times and energy stay.
marketing (1095 days; delete)
    consent_events (the proof of each grant and withdrawal) of a purpose the customer withdrew
    (`consents.withdrawn_at`) the period ago. The consent row itself (withdrawn) stays: it is what
    keeps marketing from resuming.

Not handled here, on purpose: account data and contracts themselves (kept while the account or
contract lasts; a closed customer's data goes through an erasure request, ema_server/privacy/erasure.py,
whose kept records this run erases when their `keep_until` passes); the audit trail (append-only,
the controller's accountability record, never deleted); privacy requests (the same); telemetry
(service data of a device in service, removed with the device); analytics (this backend stores
none: the console's statistics are computed on the fly). Access packages expire here too
(ema_server/privacy/package.py).

Legal holds (ema_server/privacy/holds.py): a hold on a customer covers every record above linked
to it (through its accounts, devices, tickets, documents, sessions, consents); a hold on a ticket
covers the ticket; `Document.legal_hold` covers its document. Device logs and charging sessions
are covered by a hold on the station's owner (sessions also by one on the session's customer).

Runs: one that changes data at a time (another refuses to start while one is under way:
RetentionRunning; a run unfinished after RUNNING_FOR_AT_MOST crashed and blocks nothing); the
scheduled one at the first housekeeping round of each Prague day (`run_daily_retention`).

Each batch is its own short transaction: on SQLite every transaction holds the write lock, so one
long transaction over millions of rows would stop the OCPP endpoint meanwhile. Rows of tables on
the change feed are changed through the ORM so the feed carries tombstones (deletes) and new
versions (anonymised rows) and consoles drop them from their offline copies at the next sync.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, false, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.exc import StaleDataError

from ema_server.db.audit import append_audit
from ema_server.db.engine import Database
from ema_server.db.models import (
    AccountLogin,
    Attachment,
    AuthSession,
    AuthToken,
    ChargingSession,
    Consent,
    ConsentEvent,
    Contract,
    Customer,
    CustomerAccount,
    DeviceStatusChange,
    Document,
    LegalHold,
    LoginAttempt,
    OcppFrame,
    RemoteCommand,
    RetentionPolicy,
    RetentionRun,
    Ticket,
    TicketEntry,
    UnknownStation,
    utcnow,
)
from ema_server.db.models.base import Base
from ema_server.db.models.data_protection import RETENTION_ACTIONS
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.deadlines import PRAGUE
from ema_server.privacy.holds import active_hold_condition, held_device_ids
from ema_server.tickets import FieldError, InvalidFields

__all__ = [
    "ANONYMISED_TITLE", "DEFAULT_POLICIES", "MAX_PERIOD_DAYS", "RECORD_CLASSES", "RUN_TRIGGERS", "DefaultPolicy",
    "RetentionRunning", "UnknownCategory", "allowed_actions", "ensure_policies", "run_daily_retention",
    "run_retention", "set_policy", "summary_lines",
]  # fmt: skip

log = logging.getLogger("ema_server.retention")

BATCH = 1000
ROUND = 100_000
STALE_RETRIES = 3
RUNNING_FOR_AT_MOST = timedelta(hours=6)
"""A run unfinished for longer than this crashed: it no longer keeps another from starting."""
MAX_PERIOD_DAYS = 36_500
RUN_TRIGGERS = ("cli", "schedule", "operator")
ANONYMISED_TITLE = "(anonymised after the retention period)"
# Ticket history that says nothing about the customer: the workflow of the ticket.
_NEUTRAL_TICKET_CHANGES = ("state", "priority", "owner_id", "device_id", "connector_no")


@dataclass(frozen=True)
class DefaultPolicy:
    category: str
    period_days: int
    action: str
    actions: tuple[str, ...]
    """What this category's records can sensibly undergo; an administrator chooses among them."""
    description: str


DEFAULT_POLICIES: tuple[DefaultPolicy, ...] = (
    DefaultPolicy("security_logs", 365, "delete", ("delete",),
                  "Security logs: app login history, operator sign-ins and sign-in attempts (at most 12 months)."),
    DefaultPolicy("technical_logs", 365, "delete", ("delete",),
                  "Technical logs: device status history, remote commands, OCPP frames, unknown stations "
                  "(at most 12 months)."),
    DefaultPolicy("communications", 1095, "anonymise", ("anonymise", "delete"),
                  "Tickets (complaints, service requests, communications): kept while handled, then for "
                  "legal claims (3 years after closing)."),
    DefaultPolicy("accounting", 1826, "delete", ("delete",),
                  "Accounting documents (credit notes): 5 years (Act 563/1991 s. 31); retain_until wins."),
    DefaultPolicy("vat", 3653, "delete", ("delete",),
                  "VAT documents (invoices): 10 years (Act 235/2004 s. 35); retain_until wins."),
    DefaultPolicy("legal_claims", 1095, "delete", ("delete",),
                  "Documents kept for legal claims (service reports): 3 years; retain_until wins."),
    DefaultPolicy("contract", 1095, "delete", ("delete",),
                  "Contract documents: for the term, then 3 years after the contract ended; retain_until wins."),
    DefaultPolicy("service_data", 1095, "anonymise", ("anonymise", "delete"),
                  "Charging sessions of closed customers (or of no known customer): 3 years after they ended, "
                  "then without id tag and customer."),
    DefaultPolicy("marketing", 1095, "delete", ("delete",),
                  "Consent history of a withdrawn marketing or other consent: kept as proof for 3 years after "
                  "the withdrawal."),
)  # fmt: skip
_DEFAULTS = {p.category: p for p in DEFAULT_POLICIES}
assert all(p.action in RETENTION_ACTIONS and set(p.actions) <= set(RETENTION_ACTIONS) for p in DEFAULT_POLICIES)


def allowed_actions(category: str) -> tuple[str, ...]:
    return _DEFAULTS[category].actions


class UnknownCategory(Exception):
    """No retention category of this name."""


class RetentionRunning(Exception):
    """Another run that changes data is under way (two would trip over each other's rows)."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"retention run {run_id} is still running")
        self.run_id = run_id


# --- policies -----------------------------------------------------------------------------------


async def ensure_policies(session: AsyncSession) -> list[RetentionPolicy]:
    """Every category's policy, in DEFAULT_POLICIES order, creating the missing ones with their defaults."""
    stored = {p.category: p for p in (await session.execute(select(RetentionPolicy))).scalars()}
    if any(p.category not in stored for p in DEFAULT_POLICIES):
        # Two servers starting on one PostgreSQL would both insert the defaults: one waits here.
        await session.run_sync(lambda s: take_ordering_lock(s.connection()))
        stored = {p.category: p for p in (await session.execute(select(RetentionPolicy))).scalars()}
        for default in DEFAULT_POLICIES:
            if default.category not in stored:
                stored[default.category] = RetentionPolicy(
                    category=default.category, period_days=default.period_days, action=default.action,
                    description=default.description, updated_at=utcnow(),
                )  # fmt: skip
                session.add(stored[default.category])
        await session.flush()
    return [stored[p.category] for p in DEFAULT_POLICIES]


async def set_policy(
    session: AsyncSession, category: str, *, period_days: int, action: str, operator_id: str | None, now: datetime
) -> tuple[RetentionPolicy, list[str]]:
    """Change a category's period and action; returns the policy and the names of changed fields.
    Raises UnknownCategory, or InvalidFields with nothing written."""
    if category not in _DEFAULTS:
        raise UnknownCategory(category)
    errors: list[FieldError] = []
    if not 1 <= period_days <= MAX_PERIOD_DAYS:
        errors.append(FieldError("period_days", f"Must be between 1 and {MAX_PERIOD_DAYS} days.", "invalid_period"))
    if action not in allowed_actions(category):
        allowed = ", ".join(allowed_actions(category))
        errors.append(FieldError("action", f"Records of '{category}' can only be: {allowed}.", "action_not_supported"))
    if errors:
        raise InvalidFields(errors)
    policy = next(p for p in await ensure_policies(session) if p.category == category)
    changed = [name for name, value in (("period_days", period_days), ("action", action))
               if getattr(policy, name) != value]  # fmt: skip
    if changed:
        policy.period_days, policy.action = period_days, action
        policy.updated_at, policy.updated_by_id = now, operator_id
        await session.flush()
    return policy, changed


# --- record classes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cutoff:
    """The moment and the day before which a category's records are past their period."""

    now: datetime
    moment: datetime
    today: date
    day: date


Keys = Sequence[Any]
Expired = Callable[[Cutoff, str], ColumnElement[bool]]
Apply = Callable[[AsyncSession, Keys, str, ColumnElement[bool]], Awaitable[Counter[str]]]
"""(session, keys of the batch, action, the condition the records must still meet) -> count per action."""


@dataclass(frozen=True)
class RecordClass:
    name: str
    category: str
    key: InstrumentedAttribute[Any]
    expired: Expired
    held: Callable[[], ColumnElement[bool]]
    apply: Apply


def _device_held(column: InstrumentedAttribute[str]) -> Callable[[], ColumnElement[bool]]:
    """Records of a device whose owner is under a hold."""
    return lambda: column.in_(held_device_ids())


def _account_held() -> ColumnElement[bool]:
    held_accounts = (select(CustomerAccount.id).join(LegalHold, LegalHold.customer_id == CustomerAccount.customer_id)
                     .where(LegalHold.lifted_at.is_(None)))  # fmt: skip
    return AccountLogin.account_id.in_(held_accounts)


def _not_held() -> ColumnElement[bool]:
    return false()


def _delete_rows(model: type[Base], key: InstrumentedAttribute[Any]) -> Apply:
    """Delete straight in the database: for tables that are not on the change feed."""

    async def apply(session: AsyncSession, keys: Keys, action: str, free: ColumnElement[bool]) -> Counter[str]:
        # `free` again: a legal hold placed since the keys were read keeps its records.
        result = await session.execute(delete(model).where(key.in_(list(keys)), free).execution_options(
            synchronize_session=False))  # fmt: skip
        return Counter({"delete": int(result.rowcount or 0)})  # type: ignore[attr-defined]

    return apply


async def _delete_documents(session: AsyncSession, keys: Keys, action: str, free: ColumnElement[bool]) -> Counter[str]:
    documents = (await session.execute(select(Document).where(Document.id.in_(list(keys)), free))).scalars().all()
    for document in documents:
        await session.delete(document)
    return Counter({"delete": len(documents)})


async def _apply_sessions(session: AsyncSession, keys: Keys, action: str, free: ColumnElement[bool]) -> Counter[str]:
    query = select(ChargingSession).where(ChargingSession.id.in_(list(keys)), free)
    rows = (await session.execute(query)).scalars().all()
    for row in rows:
        if action == "delete":
            await session.delete(row)
        else:
            row.id_tag, row.customer_id = None, None
    return Counter({action: len(rows)})


async def _apply_tickets(session: AsyncSession, keys: Keys, action: str, free: ColumnElement[bool]) -> Counter[str]:
    tickets = (await session.execute(select(Ticket).where(Ticket.id.in_(list(keys)), free))).scalars().all()
    ids = [t.id for t in tickets]
    # A hold record, even lifted, must keep naming its ticket (the foreign key refuses otherwise).
    named = set((await session.execute(select(LegalHold.ticket_id).where(LegalHold.ticket_id.in_(ids)))).scalars())
    deleting = {t.id for t in tickets if action == "delete" and t.id not in named}
    entries = (await session.execute(select(TicketEntry).where(TicketEntry.ticket_id.in_(ids)))).scalars().all()
    for entry in entries:
        # Through the ORM, entry by entry, so the change feed carries their tombstones.
        if entry.ticket_id in deleting or not (entry.kind == "change" and entry.field in _NEUTRAL_TICKET_CHANGES):
            await session.delete(entry)
    for attachment in (await session.execute(select(Attachment).where(Attachment.ticket_id.in_(ids)))).scalars():
        await session.delete(attachment)
    done: Counter[str] = Counter()
    for ticket in tickets:
        if ticket.id in deleting:
            await session.delete(ticket)
            done["delete"] += 1
        else:
            ticket.customer_id, ticket.title, ticket.description = None, ANONYMISED_TITLE, ""
            done["anonymise"] += 1
    return done


def _document_due(category: str) -> Expired:
    def expired(c: Cutoff, action: str) -> ColumnElement[bool]:
        if category == "contract":
            fallback: ColumnElement[bool] = exists().where(
                Contract.number == Document.number, Contract.customer_id == Document.customer_id,
                Contract.status != "active", Contract.ends_on.is_not(None), Contract.ends_on < c.day,
            )  # fmt: skip
        else:
            fallback = Document.issued_on < c.day
        return and_(
            Document.retention_category == category,
            or_(and_(Document.retain_until.is_not(None), Document.retain_until < c.today),
                and_(Document.retain_until.is_(None), fallback)),
        )  # fmt: skip

    return expired


def _document_held() -> ColumnElement[bool]:
    return or_(Document.legal_hold.is_(True), active_hold_condition(Document.customer_id))


def _tickets_expired(c: Cutoff, action: str) -> ColumnElement[bool]:
    base = and_(Ticket.state == "closed", Ticket.closed_at.is_not(None), Ticket.closed_at < c.moment)
    anonymised = Ticket.title == ANONYMISED_TITLE
    if action == "anonymise":
        return and_(base, not_(anonymised))
    # Anonymised in place of a delete before (a hold record names them): nothing left to do.
    return and_(base, not_(and_(anonymised, Ticket.id.in_(select(LegalHold.ticket_id).where(
        LegalHold.ticket_id.is_not(None))))))  # fmt: skip


def _sessions_expired(c: Cutoff, action: str) -> ColumnElement[bool]:
    closed = select(Customer.id).where(Customer.status == "closed")
    condition = and_(
        ChargingSession.stopped_at.is_not(None), ChargingSession.stopped_at < c.moment,
        or_(ChargingSession.customer_id.is_(None), ChargingSession.customer_id.in_(closed)),
    )  # fmt: skip
    if action == "anonymise":
        condition = and_(condition, or_(ChargingSession.id_tag.is_not(None), ChargingSession.customer_id.is_not(None)))
    return condition


def _consent_history_expired(c: Cutoff, action: str) -> ColumnElement[bool]:
    withdrawn = exists().where(
        Consent.customer_id == ConsentEvent.customer_id, Consent.purpose == ConsentEvent.purpose,
        Consent.granted.is_(False), Consent.withdrawn_at.is_not(None), Consent.withdrawn_at < c.moment,
    )  # fmt: skip
    return and_(ConsentEvent.at < c.moment, withdrawn)


RECORD_CLASSES: tuple[RecordClass, ...] = (
    RecordClass("account_logins", "security_logs", AccountLogin.id,
                lambda c, a: AccountLogin.at < c.moment,
                _account_held,
                _delete_rows(AccountLogin, AccountLogin.id)),
    RecordClass("login_attempts", "security_logs", LoginAttempt.id, lambda c, a: LoginAttempt.at < c.moment,
                _not_held, _delete_rows(LoginAttempt, LoginAttempt.id)),
    RecordClass("auth_sessions", "security_logs", AuthSession.id,
                lambda c, a: and_(AuthSession.created_at < c.moment, not_(exists().where(
                    AuthToken.session_id == AuthSession.id, AuthToken.expires_at > c.now))),
                _not_held, _delete_rows(AuthSession, AuthSession.id)),
    RecordClass("device_status_changes", "technical_logs", DeviceStatusChange.id,
                lambda c, a: DeviceStatusChange.at < c.moment, _device_held(DeviceStatusChange.device_id),
                _delete_rows(DeviceStatusChange, DeviceStatusChange.id)),
    RecordClass("remote_commands", "technical_logs", RemoteCommand.id,
                lambda c, a: RemoteCommand.requested_at < c.moment, _device_held(RemoteCommand.device_id),
                _delete_rows(RemoteCommand, RemoteCommand.id)),
    RecordClass("ocpp_frames", "technical_logs", OcppFrame.id, lambda c, a: OcppFrame.at < c.moment,
                _device_held(OcppFrame.device_id), _delete_rows(OcppFrame, OcppFrame.id)),
    RecordClass("unknown_stations", "technical_logs", UnknownStation.identity,
                lambda c, a: UnknownStation.last_attempt_at < c.moment, _not_held,
                _delete_rows(UnknownStation, UnknownStation.identity)),
    RecordClass("tickets", "communications", Ticket.id, _tickets_expired,
                lambda: active_hold_condition(Ticket.customer_id, Ticket.id), _apply_tickets),
    *(RecordClass(f"documents_{category}", category, Document.id, _document_due(category), _document_held,
                  _delete_documents) for category in ("accounting", "vat", "legal_claims", "contract")),
    RecordClass("charging_sessions", "service_data", ChargingSession.id, _sessions_expired,
                lambda: or_(active_hold_condition(ChargingSession.customer_id),
                            _device_held(ChargingSession.device_id)()),
                _apply_sessions),
    RecordClass("consent_events", "marketing", ConsentEvent.id, _consent_history_expired,
                lambda: active_hold_condition(ConsentEvent.customer_id), _delete_rows(ConsentEvent, ConsentEvent.id)),
)  # fmt: skip
assert {r.category for r in RECORD_CLASSES} == set(_DEFAULTS)


# --- runs ---------------------------------------------------------------------------------------


def _cutoff(now: datetime, period_days: int) -> Cutoff:
    today = now.astimezone(PRAGUE).date()
    return Cutoff(now=now, moment=now - timedelta(days=period_days), today=today,
                  day=today - timedelta(days=period_days))  # fmt: skip


async def _count(db: Database, record: RecordClass, expired: ColumnElement[bool]) -> tuple[int, int]:
    """How many records are past their period, and how many of those a legal hold keeps: one scan."""
    held = func.coalesce(func.sum(case((record.held(), 1), else_=0)), 0)
    # Read-only sessions: on SQLite a scan of a large table must not hold the write lock.
    async with db.read_sessions() as session:
        query = select(func.count(), held).select_from(record.key.class_).where(expired)
        total, kept = (await session.execute(query)).one()
    return int(total), int(kept)


async def _process(db: Database, record: RecordClass, policy: RetentionPolicy, now: datetime, dry_run: bool,
                   batch: int) -> tuple[Counter[str], int]:  # fmt: skip
    """Handle one record class; returns what was (or would be) done per action, and how many
    expired records a legal hold kept."""
    cutoff = _cutoff(now, policy.period_days)
    expired = record.expired(cutoff, policy.action)
    total, held = await _count(db, record, expired)
    if dry_run or total == held:
        return Counter({policy.action: total - held} if total > held else {}), held
    free = and_(expired, not_(record.held()))
    done: Counter[str] = Counter()
    while True:
        # The keys of up to ROUND records in one scan, then handled a batch per transaction. Every
        # record handled leaves `free` (deleted, or anonymised so it no longer matches), so the next
        # round finds the rest: a scan per ROUND records, not per batch.
        async with db.read_sessions() as session:
            keys = list((await session.execute(select(record.key).where(free).limit(ROUND))).scalars())
        handled_in_round = 0
        for start in range(0, len(keys), batch):
            handled = await _handle_batch(db, record, keys[start:start + batch], policy.action, free)
            handled_in_round += sum(handled.values())
            done += handled
        if len(keys) < ROUND or handled_in_round == 0:
            return done, held


async def _handle_batch(db: Database, record: RecordClass, keys: Keys, action: str,
                        free: ColumnElement[bool]) -> Counter[str]:  # fmt: skip
    for attempt in range(STALE_RETRIES + 1):
        async with db.sessions() as session:
            try:
                handled = await record.apply(session, keys, action, free)
                await session.commit()
                return handled
            except StaleDataError:
                # An operator changed one of these rows meanwhile: the batch is rolled back and
                # read again as it is now (still expired and free, or left alone).
                await session.rollback()
                if attempt == STALE_RETRIES:
                    raise
    raise AssertionError("unreachable")


HookResult = dict[str, Any] | int


def _hook(module: str, name: str) -> Callable[[AsyncSession, Any], Awaitable[HookResult]] | None:
    """A function of another part of the privacy package, if that part is installed."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    hook = getattr(loaded, name, None)
    return hook if callable(hook) else None


async def _run_hook(db: Database, module: str, name: str, argument: Any) -> HookResult | str:
    hook = _hook(module, name)
    if hook is None:
        return "not available"
    try:
        async with db.sessions() as session:
            result = await hook(session, argument)
            await session.commit()
    except Exception as exc:  # one failed hook must not lose the run's record
        log.warning("retention: %s.%s failed: %s", module, name, type(exc).__name__)
        return f"failed: {type(exc).__name__}"
    return result


async def run_retention(
    db: Database,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    trigger: str = "cli",
    operator_id: str | None = None,
    operator_username: str | None = None,
    client_address: str | None = None,
    batch: int = BATCH,
    run: RetentionRun | None = None,
) -> RetentionRun:
    """One retention run over every category; a dry run changes nothing but its RetentionRun row.

    `run` is a row already claimed (the daily schedule claims it under a lock). The summary is
    `{category: {action: count}, "skipped_legal_hold": n, "details": {...}}`; details has the
    counts per record class, what was skipped per category, and the erasure of kept records and
    the expiry of access packages (not run in a dry run)."""
    if trigger not in RUN_TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    now = now or utcnow()
    async with db.sessions() as session:
        policies = {p.category: p for p in await ensure_policies(session)}
        if run is None:
            if not dry_run:
                await _refuse_if_running(session, now)
            run = RetentionRun(started_at=now, dry_run=dry_run, trigger=trigger, summary={})
            session.add(run)
        await session.commit()
    summary: dict[str, Any] = {p.category: {} for p in DEFAULT_POLICIES}
    records: dict[str, dict[str, int]] = {}
    held_by_category: Counter[str] = Counter()
    seconds: dict[str, float] = {}
    try:
        for record in RECORD_CLASSES:
            started = time.perf_counter()
            done, held = await _process(db, record, policies[record.category], now, dry_run, batch)
            seconds[record.name] = round(time.perf_counter() - started, 2)
            for action, count in done.items():
                summary[record.category][action] = summary[record.category].get(action, 0) + count
            held_by_category[record.category] += held
            records[record.name] = {**done, **({"skipped_legal_hold": held} if held else {})}
    except Exception as exc:
        # Record how far it got (the batches done are committed), so the run does not look as if
        # it were still going and block the next one.
        summary["details"] = {"records": records, "failed": type(exc).__name__}
        async with db.sessions() as session:
            stored = await session.get(RetentionRun, run.id)
            if stored is not None:
                stored.summary, stored.finished_at = summary, utcnow()
                await session.commit()
        log.error("retention run %s failed: %s", run.id, type(exc).__name__)
        raise
    details: dict[str, Any] = {"records": records, "skipped_legal_hold_by_category": dict(held_by_category),
                               "seconds": seconds}
    if dry_run:
        details["kept_records"] = details["packages_expired"] = "not run in a dry run"
    else:
        details["kept_records"] = await _run_hook(db, "ema_server.privacy.erasure", "erase_due_kept_records",
                                                  now.astimezone(PRAGUE).date())  # fmt: skip
        details["packages_expired"] = await _run_hook(db, "ema_server.privacy.package", "expire_packages", now)
    kept = details["kept_records"]
    if isinstance(kept, dict) and kept.get("skipped_legal_hold"):
        # Records an erasure kept, due now but under a hold: held like the rest.
        held_by_category["kept_records"] += int(kept["skipped_legal_hold"])
        details["skipped_legal_hold_by_category"] = dict(held_by_category)
    summary["skipped_legal_hold"] = sum(held_by_category.values())
    summary["details"] = details
    async with db.sessions() as session:
        stored = await session.get(RetentionRun, run.id)
        assert stored is not None
        stored.summary, stored.finished_at = summary, utcnow()
        # Counts only: the trail records that the run happened and what it did, never whose data.
        await append_audit(session, action="retention.run", operator_id=operator_id,
                           operator_username=operator_username or trigger, client_address=client_address,
                           entity="retention_run", entity_id=run.id,
                           detail={"dry_run": dry_run, "trigger": trigger,
                                   "counts": {c: summary[c] for c in _DEFAULTS},
                                   "skipped_legal_hold": summary["skipped_legal_hold"]})  # fmt: skip
        await session.commit()
        run = stored
    log.info("retention run %s (%s%s): %s", run.id, trigger, ", dry run" if dry_run else "",
             "; ".join(summary_lines(summary)) or "nothing expired")  # fmt: skip
    return run


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """One line per category that had anything to do, e.g. 'security_logs: delete 120, skipped (legal hold) 3'."""
    held = summary.get("details", {}).get("skipped_legal_hold_by_category", {})
    lines = []
    for policy in DEFAULT_POLICIES:
        counts = summary.get(policy.category) or {}
        parts = [f"{action} {count}" for action, count in sorted(counts.items()) if count]
        if held.get(policy.category):
            parts.append(f"skipped (legal hold) {held[policy.category]}")
        if parts:
            lines.append(f"{policy.category}: {', '.join(parts)}")
    return lines


async def _refuse_if_running(session: AsyncSession, now: datetime) -> None:
    """Raise RetentionRunning if a run that changes data is under way; holds the ordering lock
    to the end of the transaction, so the caller's new run row is seen by the next one."""
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    running = await session.execute(
        select(RetentionRun.id).where(RetentionRun.dry_run.is_(False), RetentionRun.finished_at.is_(None),
                                      RetentionRun.started_at > now - RUNNING_FOR_AT_MOST).limit(1)
    )  # fmt: skip
    if (run_id := running.scalar_one_or_none()) is not None:
        raise RetentionRunning(run_id)


def _start_of_day(now: datetime) -> datetime:
    local = now.astimezone(PRAGUE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def run_daily_retention(db: Database, now: datetime | None = None) -> RetentionRun | None:
    """The scheduled run, at most once per day (Prague): None when today's already ran or runs.

    Claimed under the ordering lock (PostgreSQL: an advisory lock to commit; SQLite: the write
    lock), so of several servers on one database, or a restarted one, only the first runs it.
    A run that crashed half-way is not retried the same day: the next day's run picks up the rest.
    """
    now = now or utcnow()
    async with db.sessions() as session:
        try:
            await _refuse_if_running(session, now)  # an administrator's run, say
        except RetentionRunning:
            return None
        ran = await session.execute(
            select(RetentionRun.id).where(RetentionRun.trigger == "schedule", RetentionRun.dry_run.is_(False),
                                          RetentionRun.started_at >= _start_of_day(now)).limit(1)
        )  # fmt: skip
        if ran.first() is not None:
            return None
        run = RetentionRun(started_at=now, dry_run=False, trigger="schedule", summary={})
        session.add(run)
        await session.commit()
    return await run_retention(db, now, trigger="schedule", run=run)
