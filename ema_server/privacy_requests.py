"""Privacy-request rules: numbering, deadlines, the states handled so far, and history entries.

Plain async functions over the request's session; the HTTP side is ema_server/api/privacy.py.

Deadlines (GDPR Art. 12(3), see /work/shared/PRIVACY-RULES.md): `due_at` is one calendar month
after receipt and never moves; a recorded extension sets `extended_due_at`, and the *effective*
due date is the extended one if any. The subject must hear of an extension within the first
month, so `extension_notice_due_at` is the first-month deadline. An open request warns seven days
ahead (WARN_DAYS) and is overdue once its effective due date has passed.

Only the early part of the workflow is here: a request moves freely between received,
identity verification and in progress. Extending, completing and refusing are separate steps
with their own records (reason, outcome, notices) and are refused by `update_request`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Customer, Operator, PrivacyRequest, PrivacyRequestEntry, Ticket, new_id, utcnow
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.deadlines import (
    PRAGUE,
    WarningLevel,
    privacy_due_at,
    privacy_extension_notice_due_at,
    warning_level,
)
from ema_server.domain.identifiers import is_valid_email, normalize_phone
from ema_server.domain.permissions import Permission, permissions_for
from ema_server.tickets import FieldError, InvalidFields, next_number

WARN_DAYS = 7
OPEN_STATES = ("received", "identity_verification", "in_progress", "extended")
SIMPLE_STATES = ("received", "identity_verification", "in_progress")
"""States a request may be moved between by a plain update."""
WORKFLOW_STATES = ("extended", "completed", "refused")
"""Reached only through their own workflow steps, which record reasons, outcomes and notices."""
# A console's clock may run a little ahead of the server's; a receipt "in the future" by less
# than this is taken as received now.
CLOCK_SKEW = timedelta(minutes=2)

EDITABLE_FIELDS = ("state", "handler_id", "ticket_id")


class PrivacyRuleError(Exception):
    """A request the privacy rules refuse; nothing was written."""


class StateNotAvailable(PrivacyRuleError):
    def __init__(self, current: str, wanted: str, allowed: tuple[str, ...]) -> None:
        if current not in SIMPLE_STATES:
            message = f"A request in state '{current}' is changed through its workflow steps, not by an update."
        else:
            message = (
                f"'{wanted}' is reached through its own workflow step (extending, completing or refusing "
                "records reasons and notices), not by an update."
            )
        super().__init__(message)
        self.current, self.wanted, self.allowed = current, wanted, allowed


async def next_privacy_number(session: AsyncSession, now: datetime) -> str:
    """"P-<year>-<5 digits>", counted per calendar year in Prague."""
    return await next_number(session, PrivacyRequest.number, f"P-{now.astimezone(PRAGUE).year}-", 5)


async def request_for_update(session: AsyncSession, request_id: str) -> PrivacyRequest | None:
    """Load a request to change it, holding the ordering lock to commit (as tickets.ticket_for_update)."""
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    return await session.get(PrivacyRequest, request_id, populate_existing=True)


def is_open(request: PrivacyRequest) -> bool:
    return request.state in OPEN_STATES


def is_overdue(request: PrivacyRequest, now: datetime) -> bool:
    return is_open(request) and request.effective_due_at < now


def warning(request: PrivacyRequest, now: datetime) -> WarningLevel | None:
    """Seven days' warning ahead of the effective due date; None once completed or refused."""
    return warning_level(request.effective_due_at, now, WARN_DAYS) if is_open(request) else None


def extension_notice_due_at(request: PrivacyRequest) -> datetime:
    return privacy_extension_notice_due_at(request.received_at).astimezone(UTC)


def effective_due_column() -> ColumnElement[datetime]:
    return func.coalesce(PrivacyRequest.extended_due_at, PrivacyRequest.due_at)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    return and_(PrivacyRequest.state.in_(OPEN_STATES), effective_due_column() < now)


def _entry(session: AsyncSession, request: PrivacyRequest, kind: str, author_id: str | None, at: datetime,
           **values: Any) -> PrivacyRequestEntry:
    entry = PrivacyRequestEntry(id=new_id(), request_id=request.id, kind=kind, author_id=author_id, at=at, **values)
    session.add(entry)
    return entry


@dataclass
class NewPrivacyRequest:
    right: str
    subject_name: str
    requester_relation: str
    channel: str
    original_text: str
    customer_id: str | None = None
    subject_email: str | None = None
    subject_phone: str | None = None
    requester_name: str | None = None
    received_at: datetime | None = None
    ticket_id: str | None = None


async def _check_links(session: AsyncSession, customer_id: str | None, ticket_id: str | None,
                       errors: list[FieldError]) -> None:
    if customer_id is not None and await session.get(Customer, customer_id) is None:
        errors.append(FieldError("customer_id", "No customer with this id.", "customer_not_found"))
    if ticket_id is not None and await session.get(Ticket, ticket_id) is None:
        errors.append(FieldError("ticket_id", "No ticket with this id.", "ticket_not_found"))


async def create_request(
    session: AsyncSession, data: NewPrivacyRequest, author_id: str, now: datetime | None = None
) -> PrivacyRequest:
    """Validate and add a request in state `received` with its deadline and `created` entry."""
    now = now or utcnow()
    errors: list[FieldError] = []
    if data.subject_email is not None and not is_valid_email(data.subject_email):
        errors.append(FieldError("subject_email", "Not a valid e-mail address.", "invalid_email"))
    phone = None
    if data.subject_phone is not None:
        phone = normalize_phone(data.subject_phone)
        if phone is None:
            errors.append(FieldError("subject_phone", "Not a valid phone number.", "invalid_phone"))
    if data.requester_relation != "subject" and not data.requester_name:
        errors.append(
            FieldError("requester_name", "Say who asks on the subject's behalf.", "requester_name_required")
        )
    received_at = data.received_at or now
    if received_at > now + CLOCK_SKEW:
        errors.append(FieldError("received_at", "Cannot be in the future.", "in_future"))
    await _check_links(session, data.customer_id, data.ticket_id, errors)
    if errors:
        raise InvalidFields(errors)
    received_at = min(received_at, now).astimezone(UTC)
    request = PrivacyRequest(
        id=new_id(),
        number=await next_privacy_number(session, now),
        right=data.right,
        customer_id=data.customer_id,
        subject_name=data.subject_name,
        subject_email=data.subject_email,
        subject_phone=phone,
        requester_name=data.requester_name,
        requester_relation=data.requester_relation,
        channel=data.channel,
        original_text=data.original_text,
        received_at=received_at,
        due_at=privacy_due_at(received_at).astimezone(UTC),
        state="received",
        ticket_id=data.ticket_id,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    _entry(session, request, "created", author_id, now, new_value="received")
    await session.flush()
    return request


async def _check_handler(session: AsyncSession, handler_id: str, errors: list[FieldError]) -> None:
    handler = await session.get(Operator, handler_id)
    if handler is None or not handler.active:
        errors.append(FieldError("handler_id", "No active operator with this id.", "handler_not_found"))
    elif Permission.HANDLE_PRIVACY not in permissions_for(handler.role_names):
        errors.append(
            FieldError("handler_id", "This operator's role may not handle privacy requests.", "handler_not_allowed")
        )


async def update_request(
    session: AsyncSession,
    request: PrivacyRequest,
    changes: Mapping[str, Any],
    note: str | None,
    author_id: str,
    now: datetime | None = None,
) -> list[str]:
    """Apply the given changes with one `change` entry each, and a `note` entry for a note;
    returns the changed field names ("note" included), empty when nothing was written."""
    now = now or utcnow()
    wanted = {f: changes[f] for f in EDITABLE_FIELDS if f in changes and changes[f] != getattr(request, f)}
    if not wanted and not note:
        return []
    if "state" in wanted and (request.state not in SIMPLE_STATES or wanted["state"] not in SIMPLE_STATES):
        allowed = tuple(s for s in SIMPLE_STATES if s != request.state) if request.state in SIMPLE_STATES else ()
        raise StateNotAvailable(request.state, wanted["state"], allowed)
    errors: list[FieldError] = []
    if wanted.get("handler_id") is not None:
        await _check_handler(session, wanted["handler_id"], errors)
    await _check_links(session, None, wanted.get("ticket_id"), errors)
    if errors:
        raise InvalidFields(errors)
    changed = [f for f in EDITABLE_FIELDS if f in wanted]
    for field in changed:
        old, new = getattr(request, field), wanted[field]
        _entry(session, request, "change", author_id, now, field=field, old_value=old, new_value=new)
        setattr(request, field, new)
    if note:
        _entry(session, request, "note", author_id, now, body=note)
        changed.append("note")
    # A note alone changes no column; touching the request gives it a new version all the same.
    request.updated_at = now
    await session.flush()
    return changed
