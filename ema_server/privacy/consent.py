"""Consent per purpose (policy sections 17, 21, 22; GDPR Art. 7(3)): the current state and its history.

`consents` holds one row per (customer, purpose) with the state in force; `consent_events` holds
every grant and withdrawal that led to it. `record_consent` is the one way to change a consent:
it appends the event, updates the current row and, for the marketing purposes, the customer's
`marketing_email` / `marketing_push` flags in the same transaction, so a withdrawal takes effect
at once for everything that reads either (the marketing audience, the customer card, the console's
change feed). Withdrawal is never retroactive: nothing earlier in the history is changed.

`marketing_audience` is what a mailing tool may be given: built from current consents only and
never including a restricted (Art. 18) or erased customer.

Plain async functions over the caller's session; the HTTP side is ema_server/api/data_protection.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Consent, Customer, CustomerAccount, PrivacyRequest, PrivacyRequestEntry, new_id, utcnow
from ema_server.db.models.data_protection import CONSENT_SOURCES, ConsentEvent
from ema_server.db.models.privacy import CONSENT_PURPOSES
from ema_server.tickets import FieldError, InvalidFields

MARKETING_FLAGS = {"marketing_email": "marketing_email", "marketing_push": "marketing_push"}
"""Consent purpose -> the Customer column that mirrors it."""
CHANNEL_PURPOSES = {"email": "marketing_email", "push": "marketing_push"}
"""Marketing channel -> the consent purpose it needs."""
# A request stops being workable once answered; a withdrawal can still be recorded, but not as its answer.
_OPEN_REQUEST_STATES = ("received", "identity_verification", "in_progress", "extended")
# Rights whose answer is a withdrawal of consent (an objection to direct marketing is one too).
_WITHDRAWAL_RIGHTS = ("consent_withdrawal", "objection")


class ConsentRefused(Exception):
    """A consent change the rules refuse as a whole (not a field error); nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ConsentState:
    """One purpose as it stands now."""

    purpose: str
    granted: bool
    since: datetime
    source: str


@dataclass
class ConsentHistory:
    current: list[ConsentState] = field(default_factory=list)
    history: list[ConsentEvent] = field(default_factory=list)
    """Oldest first."""


def _since(consent: Consent) -> datetime:
    if consent.granted and consent.granted_at is not None:
        return consent.granted_at
    return consent.withdrawn_at or consent.updated_at or consent.created_at


async def consent_history(session: AsyncSession, customer_id: str) -> ConsentHistory:
    consents = (
        await session.execute(select(Consent).where(Consent.customer_id == customer_id).order_by(Consent.purpose))
    ).scalars().all()
    events = (
        await session.execute(
            select(ConsentEvent)
            .where(ConsentEvent.customer_id == customer_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        )
    ).scalars().all()
    current = [ConsentState(c.purpose, c.granted, _since(c), c.source) for c in consents]
    return ConsentHistory(current=current, history=list(events))


async def _check_request(
    session: AsyncSession, customer_id: str, granted: bool, request_id: str, errors: list[FieldError]
) -> PrivacyRequest | None:
    request = await session.get(PrivacyRequest, request_id)
    if request is None:
        errors.append(FieldError("request_id", "No privacy request with this id.", "request_not_found"))
    elif request.customer_id != customer_id:
        errors.append(FieldError("request_id", "The request is about another subject.", "request_other_subject"))
    elif granted:
        errors.append(
            FieldError("request_id", "A privacy request can only withdraw consent, not grant it.", "request_grants")
        )
    elif request.right not in _WITHDRAWAL_RIGHTS:
        errors.append(FieldError("request_id", "Only a consent withdrawal or an objection withdraws consent.",
                                 "request_wrong_right"))  # fmt: skip
    elif request.state not in _OPEN_REQUEST_STATES:
        errors.append(FieldError("request_id", "The request is already closed.", "request_closed"))
    else:
        return request
    return None


async def _answers_request_already(session: AsyncSession, customer_id: str, purpose: str, request_id: str) -> bool:
    found = await session.execute(
        select(func.count()).select_from(ConsentEvent).where(
            ConsentEvent.customer_id == customer_id, ConsentEvent.purpose == purpose,
            ConsentEvent.request_id == request_id, ConsentEvent.granted.is_(False),
        )
    )  # fmt: skip
    return bool(found.scalar_one())


async def record_consent(
    session: AsyncSession,
    customer_id: str,
    purpose: str,
    granted: bool,
    source: str,
    operator_id: str | None,
    request_id: str | None = None,
    now: datetime | None = None,
) -> ConsentEvent | None:
    """Grant or withdraw consent to `purpose`; returns the new event, or None when nothing changed.

    Recording the state already in force is a no-op, with one exception: a withdrawal answering a
    privacy request (`request_id`) that has no withdrawal of this purpose yet is recorded even if
    consent was already withdrawn, as the evidence that the request was honoured for this purpose
    (the request cannot be completed without it). Such a withdrawal also adds a "step" entry to
    the request's history. Raises InvalidFields for a bad purpose, source or request, and
    ConsentRefused("customer_erased") for a grant to an erased customer; the customer must exist.
    """
    now = now or utcnow()
    errors: list[FieldError] = []
    if purpose not in CONSENT_PURPOSES:
        errors.append(FieldError("purpose", f"One of: {', '.join(CONSENT_PURPOSES)}.", "invalid_purpose"))
    if source not in CONSENT_SOURCES:
        errors.append(FieldError("source", f"One of: {', '.join(CONSENT_SOURCES)}.", "invalid_source"))
    request = None
    if request_id is not None:
        request = await _check_request(session, customer_id, granted, request_id, errors)
    if errors:
        raise InvalidFields(errors)
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(customer_id)
    if granted and customer.erased_at is not None:
        raise ConsentRefused("customer_erased", "The customer's data was erased: no new consent can be recorded.")

    consent = (
        await session.execute(select(Consent).where(Consent.customer_id == customer_id, Consent.purpose == purpose))
    ).scalars().first()
    unchanged = consent is not None and consent.granted == granted
    if unchanged and not (request is not None and not await _answers_request_already(session, customer_id, purpose,
                                                                                      request.id)):  # fmt: skip
        return None

    event = ConsentEvent(id=new_id(), customer_id=customer_id, purpose=purpose, granted=granted, at=now,
                         source=source, recorded_by_id=operator_id, request_id=request_id)  # fmt: skip
    session.add(event)
    if consent is None:
        consent = Consent(id=new_id(), customer_id=customer_id, purpose=purpose, granted=granted, source=source,
                          granted_at=now if granted else None, withdrawn_at=None if granted else now)  # fmt: skip
        session.add(consent)
    elif not unchanged:
        consent.granted = granted
        consent.source = source
        if granted:
            consent.granted_at, consent.withdrawn_at = now, None
        else:
            consent.withdrawn_at = now
    flag = MARKETING_FLAGS.get(purpose)
    if flag is not None and getattr(customer, flag) != granted:
        setattr(customer, flag, granted)
    if request is not None:
        session.add(PrivacyRequestEntry(id=new_id(), request_id=request.id, at=now, author_id=operator_id, kind="step",
                                        field="consent", new_value=purpose,
                                        body=f"Consent to {purpose} withdrawn for this request."))  # fmt: skip
        # The request's history changed: its version moves, as with any other step.
        request.updated_at = now
    await session.flush()
    return event


async def record_marketing_flags(
    session: AsyncSession,
    customer_id: str,
    flags: Mapping[str, bool],
    source: str,
    operator_id: str | None,
    now: datetime | None = None,
) -> list[str]:
    """Apply `marketing_email` / `marketing_push` set on the customer record (PATCH /customers/{id})
    as what they are, a grant or withdrawal of consent with its event; returns the purposes that
    changed. Other keys in `flags` are ignored."""
    changed = []
    for purpose, granted in flags.items():
        if purpose in MARKETING_FLAGS and await record_consent(session, customer_id, purpose, granted, source,
                                                               operator_id, None, now):  # fmt: skip
            changed.append(purpose)
    return changed


@dataclass
class AudienceMember:
    customer_id: str
    customer_number: str
    name: str
    email: str | None
    account_ids: list[str]


async def marketing_audience(
    session: AsyncSession, channel: str, limit: int, offset: int
) -> tuple[int, list[AudienceMember]]:
    """Who may receive marketing on `channel` (email|push) now: (total, one page by customer number).

    Only a current granted consent counts; restricted and erased customers are never included
    (a restriction allows storage only), nor those without an address on the channel (an e-mail,
    or an active app account for push).
    """
    purpose = CHANNEL_PURPOSES[channel]
    has_account = (
        select(CustomerAccount.id)
        .where(CustomerAccount.customer_id == Customer.id, CustomerAccount.active.is_(True))
        .exists()
    )
    # The customer's flag must agree too: an edit that switched it off without recording a
    # withdrawal (an older console) still stops marketing at once, and can never start it.
    flag = getattr(Customer, MARKETING_FLAGS[purpose])
    conditions = [
        Consent.purpose == purpose, Consent.granted.is_(True), flag.is_(True),
        Customer.restricted_at.is_(None), Customer.erased_at.is_(None), Customer.status != "restricted",
        Customer.email.is_not(None) if channel == "email" else has_account,
    ]  # fmt: skip
    base = select(Customer).join(Consent, Consent.customer_id == Customer.id).where(*conditions)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    customers: Sequence[Customer] = (
        await session.execute(base.order_by(Customer.customer_number).limit(limit).offset(offset))
    ).scalars().all()
    accounts: dict[str, list[str]] = {}
    if channel == "push" and customers:
        rows = await session.execute(
            select(CustomerAccount.customer_id, CustomerAccount.id)
            .where(CustomerAccount.customer_id.in_([c.id for c in customers]), CustomerAccount.active.is_(True))
            .order_by(CustomerAccount.id)
        )
        for customer_id, account_id in rows.all():
            accounts.setdefault(customer_id, []).append(account_id)
    members = [
        AudienceMember(c.id, c.customer_number, c.name, c.email if channel == "email" else None, accounts.get(c.id, []))
        for c in customers
    ]
    return int(total), members
