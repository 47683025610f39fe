"""Ticket rules: numbering, deadlines, the state machine and the history every change leaves.

Plain async functions over the request's session; the HTTP side is ema_server/api/tickets.py.
They raise TicketRuleError subclasses that the API turns into problems, and never commit.

Deadlines. Every ticket has two SLA deadlines counted in elapsed hours from its creation
(first response and resolution, by priority); a consumer's complaint also has the statutory
deadline of Act 634/1992 §19 counted from when it was filed. The *running* deadlines are the
resolution deadline, the first-response deadline until someone replies publicly, and the legal
deadline; `due_at` is the earliest of them, and an open ticket (new, open, in progress, waiting
for the customer) is *overdue* once `due_at` has passed. Resolved and closed tickets are never
overdue and carry no warning.

Warnings. The warning of an open ticket is the most urgent level over its running deadlines.
The legal deadline warns seven days ahead (LEGAL_WARN_DAYS, as for privacy requests: a written
outcome of a complaint takes preparation). SLA deadlines warn once less than a quarter of their
period is left (SLA_WARN_FRACTION): 15 minutes before a critical first response, 18 hours before
a normal resolution. `warning_level` counts whole days, which is too coarse for periods of one
hour to one week: with one day, every new ticket would be "due soon" from the start, since every
first response is due within 24 hours, and the warning would tell the operator nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ema_server.attachments import CheckedAttachment
from ema_server.db.models import (
    Attachment,
    AttachmentContent,
    Connector,
    Customer,
    Device,
    Operator,
    Ticket,
    TicketEntry,
    new_id,
    utcnow,
)
from ema_server.db.models.tickets import OPEN_TICKET_STATES
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.deadlines import (
    COMPLAINT_DAYS,
    PRAGUE,
    WarningLevel,
    complaint_due_at,
    sla_due_at,
    warning_level,
)

SLA_WARN_FRACTION = 0.25
LEGAL_WARN_DAYS = 7
MAX_AGREED_DAYS = 365

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("open", "in_progress", "closed"),
    "open": ("in_progress", "waiting_customer", "resolved", "closed"),
    "in_progress": ("waiting_customer", "resolved", "open"),
    "waiting_customer": ("in_progress", "resolved", "open"),
    "resolved": ("closed", "open"),
    "closed": ("open",),
}

PRIORITY_RANK = {"critical": 0, "high": 1, "normal": 2, "low": 3}
_SEVERITY: tuple[WarningLevel, ...] = ("ok", "due_soon", "overdue")

# Fields an operator may change after creation, in the order history entries are written.
EDITABLE_FIELDS = ("title", "description", "priority", "state", "owner_id", "customer_id", "device_id")


# --- errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str


class TicketRuleError(Exception):
    """A request the ticket rules refuse; nothing was written."""


class InvalidFields(TicketRuleError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class InvalidTransition(TicketRuleError):
    def __init__(self, current: str, wanted: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"A ticket in state '{current}' cannot move to '{wanted}'.")
        self.current, self.wanted, self.allowed = current, wanted, allowed


# --- numbering ----------------------------------------------------------------------------------


async def next_number(session: AsyncSession, column: InstrumentedAttribute[str], prefix: str, width: int) -> str:
    """The next free number ``<prefix><n, zero-padded to width>``.

    Takes the ordering lock first (PostgreSQL; SQLite transactions are serialised already), so two
    requests never read the same highest number; the lock is held until commit anyway because
    every write to a published table takes it.
    """
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    # Longest first: a sequence that outgrew its padding still sorts after the padded numbers.
    query = (
        select(column)
        .where(column.startswith(prefix, autoescape=True))
        .order_by(func.length(column).desc(), column.desc())
        .limit(1)
    )
    last = (await session.execute(query)).scalar_one_or_none()
    following = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{following:0{width}d}"


async def next_ticket_number(session: AsyncSession, now: datetime) -> str:
    """"T-<year>-<6 digits>", counted per calendar year in Prague."""
    return await next_number(session, Ticket.number, f"T-{now.astimezone(PRAGUE).year}-", 6)


async def ticket_for_update(session: AsyncSession, ticket_id: str) -> Ticket | None:
    """Load a ticket to change it, holding the ordering lock from now to commit.

    Every writer of published tables takes that lock before its first write, so no one can change
    the ticket between this read (the version compared with If-Match) and the commit: no lost
    update, and no versioned UPDATE that finds its row already changed.
    """
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    return await session.get(Ticket, ticket_id, populate_existing=True)


# --- deadlines ----------------------------------------------------------------------------------


def sla_deadlines(priority: str, created_at: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) in UTC."""
    response, resolution = sla_due_at(priority, created_at)
    return response.astimezone(UTC), resolution.astimezone(UTC)


def legal_deadline(ticket: Ticket, customer: Customer | None) -> datetime | None:
    """The statutory deadline of a consumer's complaint, None for anything else."""
    if ticket.kind != "complaint" or customer is None or customer.kind != "consumer":
        return None
    if ticket.complaint_filed_at is None:
        return None
    return complaint_due_at(ticket.complaint_filed_at, ticket.complaint_agreed_days).astimezone(UTC)


def is_open(ticket: Ticket) -> bool:
    return ticket.state in OPEN_TICKET_STATES


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    return is_open(ticket) and ticket.due_at < now


def _sla_level(due_at: datetime, started_at: datetime, now: datetime) -> WarningLevel:
    if now > due_at:
        return "overdue"
    if due_at - now <= (due_at - started_at) * SLA_WARN_FRACTION:
        return "due_soon"
    return "ok"


def warning(ticket: Ticket, now: datetime) -> WarningLevel | None:
    """The most urgent warning over the running deadlines; None once resolved or closed."""
    if not is_open(ticket):
        return None
    levels = [_sla_level(ticket.resolution_due_at, ticket.created_at, now)]
    if ticket.first_responded_at is None:
        levels.append(_sla_level(ticket.first_response_due_at, ticket.created_at, now))
    if ticket.legal_due_at is not None:
        levels.append(warning_level(ticket.legal_due_at, now, LEGAL_WARN_DAYS))
    return max(levels, key=_SEVERITY.index)


def due_at_column() -> ColumnElement[datetime]:
    """`Ticket.due_at` in SQL, for filtering and sorting (CASE works alike on both databases)."""
    response_or_resolution = case(
        (
            and_(
                Ticket.first_responded_at.is_(None),
                Ticket.first_response_due_at < Ticket.resolution_due_at,
            ),
            Ticket.first_response_due_at,
        ),
        else_=Ticket.resolution_due_at,
    )
    return case(
        (
            and_(Ticket.legal_due_at.is_not(None), Ticket.legal_due_at < response_or_resolution),
            Ticket.legal_due_at,
        ),
        else_=response_or_resolution,
    )


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    return and_(Ticket.state.in_(OPEN_TICKET_STATES), due_at_column() < now)


def priority_rank_column() -> ColumnElement[int]:
    return case(PRIORITY_RANK, value=Ticket.priority, else_=len(PRIORITY_RANK))


# --- state machine ------------------------------------------------------------------------------


def allowed_transitions(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def check_transition(current: str, wanted: str) -> None:
    if wanted != current and wanted not in allowed_transitions(current):
        raise InvalidTransition(current, wanted, allowed_transitions(current))


def _apply_state(ticket: Ticket, state: str, now: datetime) -> None:
    ticket.state = state
    if state == "resolved":
        ticket.resolved_at = now
        ticket.closed_at = None
    elif state == "closed":
        ticket.closed_at = now
    else:
        # Reopened or still being worked on: neither resolved nor closed any more.
        ticket.resolved_at = None
        ticket.closed_at = None


# --- history ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def _entry(
    session: AsyncSession,
    ticket: Ticket,
    kind: str,
    author_id: str | None,
    at: datetime,
    **values: Any,
) -> TicketEntry:
    entry = TicketEntry(id=new_id(), ticket_id=ticket.id, kind=kind, author_id=author_id, at=at, **values)
    session.add(entry)
    return entry


def _change(session: AsyncSession, ticket: Ticket, field: str, old: Any, new: Any,
            author_id: str | None, at: datetime) -> None:
    _entry(session, ticket, "change", author_id, at, field=field, old_value=_text(old), new_value=_text(new))


# --- references ---------------------------------------------------------------------------------


@dataclass
class References:
    customer: Customer | None
    device: Device | None


async def _resolve_references(
    session: AsyncSession,
    *,
    customer_id: str | None,
    device_id: str | None,
    connector_no: int | None,
    owner_id: str | None,
    check_owner: bool,
    check_connector: bool = True,
) -> References:
    """Load what a ticket points at; every missing or inconsistent one is a field error."""
    errors: list[FieldError] = []
    customer = await session.get(Customer, customer_id) if customer_id else None
    if customer_id and customer is None:
        errors.append(FieldError("customer_id", "No customer with this id.", "customer_not_found"))
    device = await session.get(Device, device_id) if device_id else None
    if device_id and device is None:
        errors.append(FieldError("device_id", "No device with this id.", "device_not_found"))
    if device is not None and customer is not None and device.customer_id != customer.id:
        errors.append(FieldError("device_id", "The device belongs to another customer.", "device_not_of_customer"))
    # Connector 0 is the station itself, as in OCPP; others must be registered connectors.
    if connector_no is not None:
        if device_id is None:
            errors.append(FieldError("connector_no", "A connector needs a device.", "connector_without_device"))
        elif device is not None and connector_no != 0 and check_connector:
            found = await session.execute(
                select(Connector.id).where(Connector.device_id == device.id, Connector.connector_no == connector_no)
            )
            if found.first() is None:
                errors.append(FieldError("connector_no", "The device has no such connector.", "connector_not_found"))
    if check_owner and owner_id is not None:
        owner = await session.get(Operator, owner_id)
        if owner is None or not owner.active:
            errors.append(FieldError("owner_id", "No active operator with this id.", "owner_not_found"))
    if errors:
        raise InvalidFields(errors)
    return References(customer, device)


# --- creating and changing ----------------------------------------------------------------------


@dataclass
class NewTicket:
    kind: str
    title: str
    description: str
    priority: str
    customer_id: str | None = None
    device_id: str | None = None
    connector_no: int | None = None
    owner_id: str | None = None
    complaint_filed_at: datetime | None = None
    agreed_days: int | None = None
    error_code: str | None = None
    """Fault tickets the server opens: the station's error code (GroundFailure, StationOffline …)."""


def _check_complaint_fields(data: NewTicket, now: datetime) -> None:
    errors: list[FieldError] = []
    if data.kind != "complaint":
        for field, value in (("complaint_filed_at", data.complaint_filed_at), ("agreed_days", data.agreed_days)):
            if value is not None:
                errors.append(FieldError(field, "Only complaints have this.", "only_for_complaints"))
    else:
        if data.complaint_filed_at is not None and data.complaint_filed_at > now:
            errors.append(FieldError("complaint_filed_at", "Cannot be in the future.", "in_future"))
        if data.agreed_days is not None and not COMPLAINT_DAYS <= data.agreed_days <= MAX_AGREED_DAYS:
            errors.append(
                FieldError(
                    "agreed_days",
                    f"An agreed period is {COMPLAINT_DAYS} to {MAX_AGREED_DAYS} days; the law allows no shorter one.",
                    "invalid_agreed_days",
                )
            )
    if errors:
        raise InvalidFields(errors)


async def create_ticket(
    session: AsyncSession, data: NewTicket, author_id: str | None, now: datetime | None = None
) -> Ticket:
    """Validate and add a ticket with its deadlines and `created` history entry (flushed).
    `author_id` None: the server opened it (fault triage)."""
    now = now or utcnow()
    _check_complaint_fields(data, now)
    refs = await _resolve_references(
        session, customer_id=data.customer_id, device_id=data.device_id, connector_no=data.connector_no,
        owner_id=data.owner_id, check_owner=True,
        # What a station reports is what it has, registered or not; operators pick from the list.
        check_connector=author_id is not None,
    )
    customer = refs.customer
    if customer is None and refs.device is not None:
        # A fault reported on a station belongs to the station's customer.
        customer = await session.get(Customer, refs.device.customer_id)
    first_response_due, resolution_due = sla_deadlines(data.priority, now)
    ticket = Ticket(
        id=new_id(),
        number=await next_ticket_number(session, now),
        kind=data.kind,
        title=data.title,
        description=data.description,
        customer_id=customer.id if customer else None,
        device_id=data.device_id,
        connector_no=data.connector_no,
        error_code=data.error_code,
        priority=data.priority,
        state="new",
        owner_id=data.owner_id,
        created_by_id=author_id,
        created_at=now,
        updated_at=now,
        first_response_due_at=first_response_due,
        resolution_due_at=resolution_due,
        complaint_filed_at=(data.complaint_filed_at or now).astimezone(UTC) if data.kind == "complaint" else None,
        complaint_agreed_days=data.agreed_days,
    )
    ticket.legal_due_at = legal_deadline(ticket, customer)
    session.add(ticket)
    _entry(session, ticket, "created", author_id, now, new_value="new")
    await session.flush()
    return ticket


async def update_ticket(
    session: AsyncSession,
    ticket: Ticket,
    changes: Mapping[str, Any],
    author_id: str,
    now: datetime | None = None,
) -> list[str]:
    """Apply the operator's changes (only the keys given), leaving one `change` entry per changed
    field; returns the changed field names (empty when nothing differed, and nothing written)."""
    now = now or utcnow()
    wanted = {f: changes[f] for f in EDITABLE_FIELDS if f in changes and changes[f] != getattr(ticket, f)}
    if not wanted:
        return []
    if "state" in wanted:
        check_transition(ticket.state, wanted["state"])
    refs = References(None, None)
    if wanted.keys() & {"customer_id", "device_id", "owner_id"}:
        refs = await _resolve_references(
            session,
            customer_id=wanted.get("customer_id", ticket.customer_id),
            device_id=wanted.get("device_id", ticket.device_id),
            connector_no=None,
            owner_id=wanted.get("owner_id"),
            check_owner="owner_id" in wanted,
        )
        if refs.customer is None and refs.device is not None and "customer_id" not in wanted:
            # As on creation: a ticket linked to a station belongs to the station's customer.
            wanted["customer_id"] = refs.device.customer_id
            refs.customer = await session.get(Customer, refs.device.customer_id)
    changed = [f for f in EDITABLE_FIELDS if f in wanted]
    for field in changed:
        old, new = getattr(ticket, field), wanted[field]
        _change(session, ticket, field, old, new, author_id, now)
        if field == "state":
            _apply_state(ticket, new, now)
        else:
            setattr(ticket, field, new)
    if "device_id" in wanted and ticket.connector_no is not None:
        # The connector number belonged to the previous device.
        _change(session, ticket, "connector_no", ticket.connector_no, None, author_id, now)
        ticket.connector_no = None
        changed.append("connector_no")
    if "priority" in wanted:
        ticket.first_response_due_at, ticket.resolution_due_at = sla_deadlines(ticket.priority, ticket.created_at)
    if "customer_id" in wanted:
        ticket.legal_due_at = legal_deadline(ticket, refs.customer)
    ticket.updated_at = now
    await session.flush()
    return changed


async def add_comment(
    session: AsyncSession, ticket: Ticket, body: str, public: bool, author_id: str, now: datetime | None = None
) -> TicketEntry:
    """A public reply (the customer sees it) or an internal note; the first public reply answers
    the first-response deadline. Touches the ticket so its new version reaches the change feed."""
    now = now or utcnow()
    entry = _entry(session, ticket, "reply" if public else "note", author_id, now, body=body, public=public)
    if public and ticket.first_responded_at is None:
        ticket.first_responded_at = now
    ticket.updated_at = now
    await session.flush()
    return entry


async def add_attachment(
    session: AsyncSession,
    ticket: Ticket,
    checked: CheckedAttachment,
    content: bytes,
    author_id: str,
    now: datetime | None = None,
) -> Attachment:
    """Store a checked file with its history entry; touches the ticket like a comment."""
    now = now or utcnow()
    attachment = Attachment(
        id=new_id(), ticket_id=ticket.id, filename=checked.filename, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by_id=author_id, uploaded_at=now,
    )
    session.add(attachment)
    session.add(AttachmentContent(attachment_id=attachment.id, content=content))
    _entry(session, ticket, "attachment", author_id, now, new_value=attachment.id, body=checked.filename)
    ticket.updated_at = now
    await session.flush()
    return attachment
