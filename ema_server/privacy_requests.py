"""Privacy-request rules: numbering, deadlines, the workflow steps, and history entries.

Plain async functions over the request's session; the HTTP side is ema_server/api/privacy.py.

Deadlines (GDPR Art. 12(3), see /work/shared/PRIVACY-RULES.md): `due_at` is one calendar month
after receipt and never moves; a recorded extension sets `extended_due_at`, and the *effective*
due date is the extended one if any. The subject must hear of an extension within the first
month, so `extension_notice_due_at` is the first-month deadline. An open request warns seven days
ahead (WARN_DAYS) and is overdue once its effective due date has passed.

A plain update moves a request freely between received, identity verification and in
progress. The workflow steps record what the law asks to be able to prove, each as a history
entry of kind "step" (`field` names the step, `new_value` the state it led to, `body` what was
asked, checked or answered):

- identity request: proof of identity was asked for; the request waits (`identity_verification`)
  and its original due date stays as it was (whether waiting pauses the clock is not settled);
- identity verification: which check passed, what was compared, by whom and when;
- extension: by one or two months, with the reason and when the subject was told, which must be
  within the first month;
- completion: only once identity was verified and the evidence the right needs exists (an access
  package, an executed erasure, a restriction, recorded consent withdrawals, a rectification);
- refusal: with a reason and the notice of the right to complain to the authority (Art. 12(4)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import (
    AccessPackage,
    ConsentEvent,
    Customer,
    CustomerAccount,
    Erasure,
    Operator,
    PrivacyRequest,
    PrivacyRequestEntry,
    Restriction,
    Ticket,
    TicketEntry,
    new_id,
    utcnow,
)
from ema_server.db.models.privacy import CONSENT_PURPOSES, IDENTITY_CHECKS
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.deadlines import (
    PRAGUE,
    PRIVACY_EXTENSION_MONTHS,
    WarningLevel,
    privacy_due_at,
    privacy_extended_due_at,
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
ANSWER_CHANNELS = ("email", "letter", "in_app", "phone")
MARKETING_PURPOSES = ("marketing_email", "marketing_push")
"""An objection to these is absolute (Art. 21(3)): each must be withdrawn before completing."""
PURPOSE_RIGHTS = ("consent_withdrawal", "objection")
"""The rights a request names purposes for."""


class PrivacyRuleError(Exception):
    """A request the privacy rules refuse; nothing was written."""


class StepRefused(PrivacyRuleError):
    """A workflow step the request's state does not allow; `code` is stable for clients."""

    def __init__(self, code: str, message: str, missing: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.missing = missing or []


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


def waiting_for_identity(request: PrivacyRequest) -> bool:
    """Proof of identity was asked for (or the request was put in that state) and has not come: the
    request cannot be answered yet."""
    asked = request.identity_requested_at is not None or request.state == "identity_verification"
    return is_open(request) and asked and request.identity_verified_at is None


def is_overdue(request: PrivacyRequest, now: datetime) -> bool:
    return is_open(request) and request.effective_due_at < now


def warning(request: PrivacyRequest, now: datetime) -> WarningLevel | None:
    """Seven days' warning ahead of the effective due date; None once completed or refused."""
    return warning_level(request.effective_due_at, now, WARN_DAYS) if is_open(request) else None


def extension_notice_due_at(request: PrivacyRequest) -> datetime:
    return privacy_extension_notice_due_at(request.received_at).astimezone(UTC)


def notice_warning(request: PrivacyRequest, now: datetime) -> WarningLevel | None:
    """Seven days' warning ahead of the last day to tell the subject of an extension; None once
    the request is extended, completed or refused (nothing left to tell in time)."""
    if not is_open(request) or request.extended_due_at is not None:
        return None
    return warning_level(extension_notice_due_at(request), now, WARN_DAYS)


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
    subject_account_id: str | None = None
    purposes: list[str] | None = None


def _check_purposes(right: str, purposes: list[str] | None, errors: list[FieldError]) -> list[str] | None:
    """The purposes without repeats, in the order given; None when none were named."""
    if not purposes:
        if right == "consent_withdrawal":
            errors.append(FieldError("purposes", "Name the purposes whose consent is withdrawn.", "purposes_required"))
        return None
    if right not in PURPOSE_RIGHTS:
        errors.append(FieldError("purposes", "Only an objection or a consent withdrawal names purposes.",
                                 "purposes_not_applicable"))
        return None
    unknown = [p for p in purposes if p not in CONSENT_PURPOSES]
    if unknown:
        errors.append(FieldError("purposes", f"Unknown purposes: {', '.join(unknown)}; known: "
                                 f"{', '.join(CONSENT_PURPOSES)}.", "unknown_purpose"))
        return None
    return list(dict.fromkeys(purposes))


async def _check_account(session: AsyncSession, customer_id: str | None, account_id: str | None,
                         errors: list[FieldError]) -> None:
    if account_id is None:
        return
    account = await session.get(CustomerAccount, account_id)
    if account is None:
        errors.append(FieldError("subject_account_id", "No app account with this id.", "account_not_found"))
    elif customer_id is None or account.customer_id != customer_id:
        errors.append(FieldError("subject_account_id", "This app account does not belong to the request's customer.",
                                 "account_not_of_customer"))


async def _link_ticket(session: AsyncSession, request: PrivacyRequest, ticket_id: str, author_id: str,
                       now: datetime, started: bool) -> Ticket | None:
    """Note the request in the ticket's history (no personal data: the ticket is read by the hotline)
    and touch the ticket so its new version reaches the change feed."""
    # No autoflush: the request's own changes go out in one flush, so its version moves by one.
    with session.no_autoflush:
        ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    verb = "started from" if started else "linked to"
    session.add(TicketEntry(id=new_id(), ticket_id=ticket.id, kind="system", author_id=author_id, at=now,
                            field="privacy_request_id", new_value=request.id,
                            body=f"Privacy request {request.number} {verb} this ticket."))
    ticket.updated_at = now
    return ticket


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
    await _check_account(session, data.customer_id, data.subject_account_id, errors)
    purposes = _check_purposes(data.right, data.purposes, errors)
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
        subject_account_id=data.subject_account_id,
        purposes=purposes,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    _entry(session, request, "created", author_id, now, new_value="received")
    if data.ticket_id is not None:
        await _link_ticket(session, request, data.ticket_id, author_id, now, started=True)
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
    if wanted.get("ticket_id") is not None:
        await _link_ticket(session, request, wanted["ticket_id"], author_id, now, started=False)
    if note:
        _entry(session, request, "note", author_id, now, body=note)
        changed.append("note")
    # A note alone changes no column; touching the request gives it a new version all the same.
    request.updated_at = now
    await session.flush()
    return changed


# --- workflow steps -----------------------------------------------------------------------------


def _require_open(request: PrivacyRequest) -> None:
    if not is_open(request):
        raise StepRefused("request_closed", f"The request is {request.state}; its answer was sent and it is closed.")


def _check_moment(field: str, moment: datetime | None, request: PrivacyRequest, now: datetime,
                  errors: list[FieldError]) -> datetime:
    """A reported moment (when the subject was told, when the answer went out): default now, not in
    the future, not before the request arrived."""
    if moment is None:
        return now
    if moment > now + CLOCK_SKEW:
        errors.append(FieldError(field, "Cannot be in the future.", "in_future"))
    elif moment < request.received_at:
        errors.append(FieldError(field, "Cannot be before the request was received.", "before_receipt"))
    return min(moment, now).astimezone(UTC)


def _step(session: AsyncSession, request: PrivacyRequest, step: str, state: str, body: str, author_id: str,
          now: datetime) -> None:
    old = request.state
    request.state = state
    request.updated_at = now
    _entry(session, request, "step", author_id, now, field=step, old_value=old, new_value=state, body=body)


def _working_state(request: PrivacyRequest) -> str:
    # An extended request stays visibly extended while it is worked on.
    return "extended" if request.extended_due_at is not None else "in_progress"


async def request_identity(session: AsyncSession, request: PrivacyRequest, how: str, author_id: str,
                           now: datetime | None = None) -> None:
    """Proof of identity was asked for (`how`: what and by which channel); the request waits."""
    now = now or utcnow()
    _require_open(request)
    if request.identity_verified_at is not None:
        raise StepRefused("identity_already_verified", "The subject's identity was already verified.")
    request.identity_requested_at = now
    _step(session, request, "identity_request", "identity_verification", how, author_id, now)
    await session.flush()


async def verify_identity(session: AsyncSession, request: PrivacyRequest, check: str, detail: str,
                          author_id: str, now: datetime | None = None) -> None:
    """Record which check passed and what was compared (never a copy of a document)."""
    now = now or utcnow()
    _require_open(request)
    if check not in IDENTITY_CHECKS:
        raise InvalidFields([FieldError("check", f"One of: {', '.join(IDENTITY_CHECKS)}.", "unknown_check")])
    if request.identity_verified_at is not None:
        raise StepRefused("identity_already_verified", "The subject's identity was already verified.")
    request.identity_check = check
    request.identity_check_detail = detail
    request.identity_verified_by_id = author_id
    request.identity_verified_at = now
    _step(session, request, "identity_verification", _working_state(request), f"{check}: {detail}", author_id, now)
    await session.flush()


async def extend(session: AsyncSession, request: PrivacyRequest, reason: str, months: int,
                 notified_at: datetime | None, author_id: str, now: datetime | None = None) -> None:
    """Extend by one or two months, counted from receipt (Art. 12(3)); the subject must have been
    told, with the reason, within the first month."""
    now = now or utcnow()
    _require_open(request)
    if request.extended_due_at is not None:
        raise StepRefused("already_extended", "The request was already extended; it can be extended only once.")
    errors: list[FieldError] = []
    if months not in PRIVACY_EXTENSION_MONTHS:
        errors.append(FieldError("months", "An extension is by one or two months.", "invalid_months"))
    told = _check_moment("notified_at", notified_at, request, now, errors)
    if errors:
        raise InvalidFields(errors)
    notice_due = extension_notice_due_at(request)
    if told > notice_due:
        raise StepRefused(
            "extension_too_late",
            f"The subject had to be told of an extension by {notice_due.isoformat()} (within the first month); "
            "the request must be answered by its original due date.",
        )
    request.extended_due_at = privacy_extended_due_at(request.received_at, months).astimezone(UTC)
    request.extension_reason = reason
    request.extension_notified_at = told
    _step(session, request, "extension", "extended", reason, author_id, now)
    await session.flush()


async def _exists(session: AsyncSession, *conditions: ColumnElement[bool]) -> bool:
    return bool((await session.execute(select(exists().where(*conditions)))).scalar())


async def missing_evidence(session: AsyncSession, request: PrivacyRequest) -> list[FieldError]:
    """What the request's right still lacks before it may be completed, one error per missing record."""
    missing: list[FieldError] = []
    right = request.right
    if right in ("access", "portability"):
        if not await _exists(session, AccessPackage.request_id == request.id, AccessPackage.kind == right):
            missing.append(FieldError(f"{right}_package", f"No {right} package was built for this request.",
                                      "package_missing"))
    elif right == "erasure":
        if not await _exists(session, Erasure.request_id == request.id):
            missing.append(FieldError("erasure", "The erasure was not executed for this request.", "erasure_missing"))
    elif right == "restriction":
        if not await _exists(session, Restriction.request_id == request.id):
            missing.append(FieldError("restriction", "No restriction was placed for this request.",
                                      "restriction_missing"))
    elif right == "rectification":
        if not await _exists(session, PrivacyRequestEntry.request_id == request.id,
                             PrivacyRequestEntry.kind == "rectification"):
            missing.append(FieldError("rectification", "No correction was recorded for this request.",
                                      "rectification_missing"))
    elif right in PURPOSE_RIGHTS:
        purposes = request.purposes or []
        if right == "objection":
            # Only the objection to direct marketing is absolute; others are answered in the outcome.
            purposes = [p for p in purposes if p in MARKETING_PURPOSES]
        withdrawn = set((await session.execute(
            select(ConsentEvent.purpose).where(ConsentEvent.request_id == request.id,
                                               ConsentEvent.granted.is_(False))
        )).scalars())
        missing.extend(
            FieldError(f"consent.{purpose}", f"Consent to {purpose} was not recorded as withdrawn for this request.",
                       "consent_withdrawal_missing")
            for purpose in purposes if purpose not in withdrawn
        )
    return missing


async def complete(session: AsyncSession, request: PrivacyRequest, outcome: str, answer_channel: str,
                   answer_sent_at: datetime | None, author_id: str, now: datetime | None = None) -> None:
    """Close the request with the answer sent to the subject, once identity was verified and the
    evidence its right needs exists."""
    now = now or utcnow()
    _require_open(request)
    errors: list[FieldError] = []
    if answer_channel not in ANSWER_CHANNELS:
        errors.append(FieldError("answer_channel", f"One of: {', '.join(ANSWER_CHANNELS)}.", "unknown_channel"))
    sent = _check_moment("answer_sent_at", answer_sent_at, request, now, errors)
    if errors:
        raise InvalidFields(errors)
    if request.identity_verified_at is None:
        raise StepRefused("identity_not_verified",
                          "The subject's identity was not verified; nothing may be disclosed or done before it.")
    missing = await missing_evidence(session, request)
    if missing:
        raise StepRefused("completion_requirements_missing",
                          "Not yet done: " + "; ".join(e.message for e in missing), missing)
    request.outcome = outcome
    request.answer_channel = answer_channel
    request.answer_sent_at = sent
    request.closed_at = now
    _step(session, request, "completion", "completed", outcome, author_id, now)
    await session.flush()


async def refuse(session: AsyncSession, request: PrivacyRequest, reason: str, authority_notice: bool,
                 answer_channel: str, answer_sent_at: datetime | None, author_id: str,
                 now: datetime | None = None) -> None:
    """Close the request refused, with the reason told to the subject and the notice that they may
    complain to ÚOOÚ and go to court (Art. 12(4))."""
    now = now or utcnow()
    _require_open(request)
    errors: list[FieldError] = []
    if not authority_notice:
        errors.append(FieldError("authority_notice", "The subject must be told they may complain to ÚOOÚ and go "
                                 "to court (GDPR Art. 12(4)).", "authority_notice_required"))
    if answer_channel not in ANSWER_CHANNELS:
        errors.append(FieldError("answer_channel", f"One of: {', '.join(ANSWER_CHANNELS)}.", "unknown_channel"))
    sent = _check_moment("answer_sent_at", answer_sent_at, request, now, errors)
    if errors:
        raise InvalidFields(errors)
    request.refusal_reason = reason
    request.authority_notice = True
    request.answer_channel = answer_channel
    request.answer_sent_at = sent
    request.closed_at = now
    _step(session, request, "refusal", "refused", reason, author_id, now)
    await session.flush()
