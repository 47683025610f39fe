"""Art. 18 restriction of a customer's data: placing it, telling the subject before it is lifted
(Art. 18(3)), lifting it, and its history.

A restriction is a state of the data, not of a request: it lasts after the request that asked for
it is closed, until a privacy officer lifts it, and it can only be lifted once the subject was
told. While one is open `Customer.restricted_at` is set and the customer disappears for everyone
without Permission.HANDLE_PRIVACY (ema_server.privacy.visibility); placing and lifting also write
the change-feed rows that make operators' consoles drop the records and get them back.

Plain async functions over the caller's session; they never commit. Refusals are
`RestrictionRefused` (a 409 with a stable code) or `tickets.InvalidFields` (a 422 per field).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import ChangeRecord, Customer, PrivacyRequest, PrivacyRequestEntry, new_id
from ema_server.db.models.data_protection import Restriction
from ema_server.db.tracking import republish_rows, take_ordering_lock, tombstone_rows
from ema_server.privacy.visibility import records_of
from ema_server.tickets import FieldError, InvalidFields

__all__ = [
    "ERASURE_GROUND",
    "NOTICE_CHANNELS",
    "RestrictionRefused",
    "active_restrictions",
    "lift_restriction",
    "place_restriction",
    "record_lift_notice",
    "restriction_history",
]

NOTICE_CHANNELS = ("email", "letter", "in_app", "phone")
# Placed by an erasure over the records the law makes us keep: it ends with their erasure, never
# by a lift (ema_server.privacy.erasure).
ERASURE_GROUND = "erasure_kept"
_CLOSED_STATES = ("completed", "refused")
# Published changes of a restricted customer go to consoles of callers without HANDLE_PRIVACY
# only as tombstones in this scope (ema_server.domain.permissions.SCOPE_UNLESS).
WITHHELD_SCOPE = "withheld"
GENERAL_SCOPE = "general"


class RestrictionRefused(Exception):
    """A step the restriction rules refuse in the current state; nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def active_restrictions(session: AsyncSession, customer_id: str) -> list[Restriction]:
    """The customer's open restrictions, oldest first."""
    query = (
        select(Restriction)
        .where(Restriction.customer_id == customer_id, Restriction.lifted_at.is_(None))
        .order_by(Restriction.placed_at, Restriction.id)
    )
    return list((await session.execute(query)).scalars())


async def restriction_history(session: AsyncSession, customer_id: str) -> list[Restriction]:
    """Every restriction the customer ever had, newest first."""
    query = (
        select(Restriction)
        .where(Restriction.customer_id == customer_id)
        .order_by(Restriction.placed_at.desc(), Restriction.id.desc())
    )
    return list((await session.execute(query)).scalars())


async def _linked_request(session: AsyncSession, customer: Customer, request_id: str) -> PrivacyRequest:
    request = await session.get(PrivacyRequest, request_id) if len(request_id) <= 36 else None
    if request is None:
        raise InvalidFields([FieldError("request_id", "No privacy request has this id.", "unknown_request")])
    if request.customer_id != customer.id:
        raise InvalidFields(
            [FieldError("request_id", "The privacy request is not about this customer.", "request_of_other_customer")]
        )
    if request.state in _CLOSED_STATES:
        raise InvalidFields([FieldError("request_id", "The privacy request is closed.", "request_closed")])
    return request


def _step(session: AsyncSession, request_id: str, author_id: str, at: datetime, text: str) -> None:
    # Field names and states only: the request's history is read by every privacy officer.
    session.add(PrivacyRequestEntry(id=new_id(), request_id=request_id, kind="step", author_id=author_id, at=at,
                                    body=text))  # fmt: skip


async def _publish(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    if rows:
        await session.run_sync(lambda s: take_ordering_lock(s.connection()))
        await session.execute(insert(ChangeRecord), rows)


async def place_restriction(
    session: AsyncSession, customer: Customer, *, reason: str, request_id: str | None, by_id: str, now: datetime
) -> Restriction:
    """Restrict the customer's data from now on; the customer must not be restricted already."""
    request = await _linked_request(session, customer, request_id) if request_id is not None else None
    if await active_restrictions(session, customer.id):
        raise RestrictionRefused("already_restricted", "The customer's data is restricted already.")
    ground = "objection_pending" if request is not None and request.right == "objection" else "art18_request"
    restriction = Restriction(id=new_id(), customer_id=customer.id, ground=ground, request_id=request_id,
                              reason=reason, placed_at=now, placed_by_id=by_id)  # fmt: skip
    session.add(restriction)
    customer.restricted_at = now
    await session.flush()
    # Hotline and technician consoles drop every record of the customer; privacy officers keep them.
    await _publish(session, tombstone_rows(await records_of(session, customer.id), WITHHELD_SCOPE))
    if request is not None:
        _step(session, request.id, by_id, now, "Restriction of processing placed (Art. 18).")
    await session.flush()
    return restriction


def _liftable(restrictions: list[Restriction]) -> Restriction:
    liftable = [r for r in restrictions if r.ground != ERASURE_GROUND]
    if not liftable:
        if restrictions:
            raise RestrictionRefused(
                "kept_by_erasure", "The data is restricted because an erasure kept it; it ends with its erasure."
            )
        raise RestrictionRefused("not_restricted", "The customer's data is not restricted.")
    return liftable[-1]


async def record_lift_notice(
    session: AsyncSession, customer: Customer, *, notified_at: datetime, channel: str, by_id: str, now: datetime
) -> Restriction:
    """Record that the subject was told the restriction will be lifted (Art. 18(3))."""
    restriction = _liftable(await active_restrictions(session, customer.id))
    if notified_at > now:
        raise InvalidFields([FieldError("notified_at", "Cannot be in the future.", "in_future")])
    if notified_at < restriction.placed_at:
        raise InvalidFields([FieldError("notified_at", "Cannot be before the restriction was placed.", "too_early")])
    if channel not in NOTICE_CHANNELS:
        raise InvalidFields([FieldError("channel", f"One of: {', '.join(NOTICE_CHANNELS)}.", "invalid_channel")])
    restriction.subject_notified_at = notified_at
    if restriction.request_id is not None:
        text = f"Subject told of the lifting of the restriction ({channel})."
        _step(session, restriction.request_id, by_id, now, text)
    await session.flush()
    return restriction


async def lift_restriction(
    session: AsyncSession, customer: Customer, *, reason: str, by_id: str, now: datetime
) -> Restriction:
    """Lift the customer's restriction once the subject was told; the data is published again
    when no other restriction remains."""
    active = await active_restrictions(session, customer.id)
    restriction = _liftable(active)
    if restriction.subject_notified_at is None:
        raise RestrictionRefused(
            "subject_not_told", "Tell the subject before lifting the restriction (Art. 18(3)) and record the notice."
        )
    restriction.lifted_at, restriction.lifted_by_id, restriction.lift_reason = now, by_id, reason
    remaining = [r for r in active if r is not restriction]
    if not remaining:
        customer.restricted_at = None
        await session.flush()
        # The ORM already published the customer row itself with the flush above.
        records = [r for r in await records_of(session, customer.id) if r is not customer]
        await _publish(session, republish_rows(records, GENERAL_SCOPE))
    if restriction.request_id is not None:
        _step(session, restriction.request_id, by_id, now, "Restriction of processing lifted.")
    await session.flush()
    return restriction
