"""Legal holds: data kept for proceedings (a dispute, an authority's inquiry, a court case).

A hold is placed on exactly one customer (everything of that customer: accounts and their login
history, documents, tickets, charging sessions, devices' logs, consent history) or on one ticket,
with a reason and optionally the reference of the proceedings; it lasts until it is lifted, with a
reason. While a hold is active nothing it covers expires in a retention run or is erased.

`active_hold_condition` and `is_held` are what the retention run (ema_server/privacy/retention.py)
and erasure use to ask "is this held?"; the HTTP side is ema_server/api/retention.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ema_server.db.models import Customer, Device, LegalHold, Ticket
from ema_server.tickets import FieldError, InvalidFields

__all__ = [
    "HoldAlreadyLifted", "active_hold_condition", "held_customer_ids", "held_device_ids", "held_ticket_ids", "is_held",
    "lift_hold",
    "list_holds", "place_hold", "subject_of",
]  # fmt: skip


Column = ColumnElement[str | None] | ColumnElement[str] | InstrumentedAttribute[str | None] | InstrumentedAttribute[str]


class HoldAlreadyLifted(Exception):
    """The hold was lifted before; lifting it again would overwrite who lifted it and why."""


def held_customer_ids() -> Select[Any]:
    """Customers under an active hold (no nulls, so NOT IN over it is safe)."""
    return select(LegalHold.customer_id).where(LegalHold.lifted_at.is_(None), LegalHold.customer_id.is_not(None))


def held_device_ids() -> Select[Any]:
    """Devices whose owner is under an active hold: their logs (status history, commands, OCPP
    frames, sessions) are kept with the rest. Written as a join from the (few) holds to the devices:
    as `customer_id IN (holds)` SQLite scanned every device for every batch."""
    return (select(Device.id).join(LegalHold, LegalHold.customer_id == Device.customer_id)
            .where(LegalHold.lifted_at.is_(None)))  # fmt: skip


def held_ticket_ids() -> Select[Any]:
    """Tickets under an active hold of their own (not counting holds on their customer)."""
    return select(LegalHold.ticket_id).where(LegalHold.lifted_at.is_(None), LegalHold.ticket_id.is_not(None))


def active_hold_condition(
    customer_column: Column | None = None,
    ticket_column: Column | None = None,
) -> ColumnElement[bool]:
    """True for rows whose customer (`customer_column`) or ticket (`ticket_column`) is under an
    active hold. Never NULL, so `not_(...)` of it selects exactly the rows that are free."""
    conditions: list[ColumnElement[bool]] = []
    if customer_column is not None:
        conditions.append(and_(customer_column.is_not(None), customer_column.in_(held_customer_ids())))
    if ticket_column is not None:
        conditions.append(and_(ticket_column.is_not(None), ticket_column.in_(held_ticket_ids())))
    return or_(*conditions) if conditions else false()


async def is_held(session: AsyncSession, *, customer_id: str | None = None, ticket_id: str | None = None) -> bool:
    """Whether an active hold covers this customer, or this ticket (its own hold or one on its
    customer: pass both to cover both)."""
    conditions: list[ColumnElement[bool]] = []
    if customer_id is not None:
        conditions.append(LegalHold.customer_id == customer_id)
    if ticket_id is not None:
        conditions.append(LegalHold.ticket_id == ticket_id)
        customer_of_ticket = select(Ticket.customer_id).where(Ticket.id == ticket_id).scalar_subquery()
        conditions.append(LegalHold.customer_id == customer_of_ticket)
    if not conditions:
        return False
    found = await session.execute(select(LegalHold.id).where(LegalHold.lifted_at.is_(None), or_(*conditions)).limit(1))
    return found.first() is not None


async def list_holds(
    session: AsyncSession, *, customer_id: str | None = None, ticket_id: str | None = None, active: bool | None = None
) -> list[LegalHold]:
    """Holds newest first, filtered by subject and by whether they are still in force."""
    conditions: list[ColumnElement[bool]] = []
    if customer_id is not None:
        conditions.append(LegalHold.customer_id == customer_id)
    if ticket_id is not None:
        conditions.append(LegalHold.ticket_id == ticket_id)
    if active is not None:
        conditions.append(LegalHold.lifted_at.is_(None) if active else LegalHold.lifted_at.is_not(None))
    rows = await session.execute(select(LegalHold).where(*conditions).order_by(LegalHold.placed_at.desc(),
                                                                                LegalHold.id))
    return list(rows.scalars().all())


async def place_hold(
    session: AsyncSession,
    *,
    customer_id: str | None,
    ticket_id: str | None,
    reason: str,
    reference: str | None,
    operator_id: str | None,
    now: datetime,
) -> LegalHold:
    """Place a hold on exactly one customer or one ticket; raises InvalidFields (nothing written)."""
    errors: list[FieldError] = []
    if (customer_id is None) == (ticket_id is None):
        message = "Give either customer_id or ticket_id, not both." if customer_id else "Give customer_id or ticket_id."
        errors.append(FieldError("customer_id", message, "hold_subject_required"))
    elif customer_id is not None and await session.get(Customer, customer_id) is None:
        errors.append(FieldError("customer_id", "No customer with this id.", "customer_not_found"))
    elif ticket_id is not None and await session.get(Ticket, ticket_id) is None:
        errors.append(FieldError("ticket_id", "No ticket with this id.", "ticket_not_found"))
    if not reason.strip():
        errors.append(FieldError("reason", "Say why the data must be kept.", "required"))
    if errors:
        raise InvalidFields(errors)
    hold = LegalHold(customer_id=customer_id, ticket_id=ticket_id, reason=reason, reference=reference or None,
                     placed_at=now, placed_by_id=operator_id)  # fmt: skip
    session.add(hold)
    await session.flush()
    return hold


async def lift_hold(session: AsyncSession, hold: LegalHold, *, reason: str, operator_id: str | None,
                    now: datetime) -> LegalHold:  # fmt: skip
    """End a hold: what it kept then follows its retention periods again."""
    if hold.lifted_at is not None:
        raise HoldAlreadyLifted()
    if not reason.strip():
        raise InvalidFields([FieldError("reason", "Say why the hold ends.", "required")])
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = now, operator_id, reason
    await session.flush()
    return hold


async def subject_of(session: AsyncSession, hold: LegalHold) -> str | None:
    """The customer a hold concerns (for the audit trail): its own, or its ticket's."""
    if hold.customer_id is not None:
        return hold.customer_id
    if hold.ticket_id is None:
        return None
    return (await session.execute(select(Ticket.customer_id).where(Ticket.id == hold.ticket_id))).scalar_one_or_none()
