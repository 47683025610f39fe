"""Recipients of customers' data (policy section 19, GDPR Art. 19) and the notices they are owed.

A `DataRecipient` is someone outside SECTRON who receives personal data (roaming partners, the
payment provider, the mailing tool, hosting, the helpdesk tool …); a `RecipientDisclosure` says
that one of them received (some categories of) one customer's data, from when to when. That
ledger answers the subject's question "who got my data?" and decides whom a rectification,
erasure or restriction must be passed on to: `open_notices` opens one pending `RecipientNotice`
per recipient, and the privacy officer records each as notified, acknowledged, or exempted with
the justification Art. 19 asks for (telling them is impossible or disproportionate).

Plain async functions over the caller's session; the HTTP side is ema_server/api/data_protection.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import PrivacyRequest, PrivacyRequestEntry, new_id, utcnow
from ema_server.db.models.data_protection import (
    NOTICE_ACTIONS,
    DataRecipient,
    RecipientDisclosure,
    RecipientNotice,
)
from ema_server.tickets import FieldError, InvalidFields


@dataclass(frozen=True)
class RecipientDefinition:
    name: str
    category: str
    country: str
    purpose: str
    contact: str | None


DEFAULT_RECIPIENTS: Final[tuple[RecipientDefinition, ...]] = (
    RecipientDefinition("e-Mobility Roaming Hub GmbH", "roaming_partner", "DE",
                        "Roaming: authorising RFID cards and settling charging sessions at partner networks.",
                        "privacy@roaming-hub.example"),
    RecipientDefinition("Nabíjecí síť Morava s.r.o.", "roaming_partner", "CZ",
                        "Roaming partner: charging sessions of EMA cards at its stations.",
                        "gdpr@nabijeni-morava.example"),
    RecipientDefinition("PayGate CZ a.s.", "payment_provider", "CZ",
                        "Payment gateway: card payments and reconciling paid invoices.", "dpo@paygate.example"),
    RecipientDefinition("MailWave s.r.o.", "mailing_tool", "CZ",
                        "Sending e-mail and push communications (marketing only with consent).",
                        "privacy@mailwave.example"),
    RecipientDefinition("DataCentrum Ostrava a.s.", "hosting", "CZ",
                        "Hosting, databases and backups of the EMA application.", "dpo@dc-ostrava.example"),
    RecipientDefinition("HelpDesk Cloud s.r.o.", "helpdesk", "CZ",
                        "Customer support tool: tickets and communication with customers.",
                        "privacy@helpdesk-cloud.example"),
)  # fmt: skip
"""The recipients policy section 19 names, one or two per category (fictitious names for the demo)."""

# A console's clock may run a little ahead of the server's; "when it happened" that far ahead is now.
CLOCK_SKEW: Final = timedelta(minutes=2)

NOTICE_TRANSITIONS: Final[dict[str, tuple[str, ...]]] = {
    "pending": ("notified", "acknowledged", "exempted"),
    "notified": ("acknowledged", "exempted"),
    # Exempted and later told after all (a disproportionate effort became possible).
    "exempted": ("notified", "acknowledged"),
    "acknowledged": (),
}


class NoticeRefused(Exception):
    """A notice change or opening the rules refuse as a whole; nothing was written."""

    def __init__(self, code: str, message: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.allowed = allowed


async def ensure_default_recipients(session: AsyncSession) -> list[DataRecipient]:
    """The recipients on record, the defaults added first when there are none at all."""
    recipients = list((await session.execute(select(DataRecipient).order_by(DataRecipient.name))).scalars())
    if recipients:
        return recipients
    for definition in DEFAULT_RECIPIENTS:
        session.add(DataRecipient(id=new_id(), name=definition.name, category=definition.category,
                                  country=definition.country, purpose=definition.purpose,
                                  contact=definition.contact, active=True))  # fmt: skip
    await session.flush()
    return list((await session.execute(select(DataRecipient).order_by(DataRecipient.name))).scalars())


async def note_disclosure(
    session: AsyncSession, recipient: DataRecipient, customer_id: str, categories: Sequence[str], at: datetime
) -> RecipientDisclosure:
    """Record that `recipient` received `categories` of the customer's data at `at` (merged into
    the one disclosure row per recipient and customer)."""
    disclosure = (
        await session.execute(
            select(RecipientDisclosure).where(
                RecipientDisclosure.recipient_id == recipient.id, RecipientDisclosure.customer_id == customer_id
            )
        )
    ).scalars().first()
    if disclosure is None:
        disclosure = RecipientDisclosure(id=new_id(), recipient_id=recipient.id, customer_id=customer_id,
                                         data_categories=sorted(set(categories)), first_at=at, last_at=at)  # fmt: skip
        session.add(disclosure)
    else:
        disclosure.data_categories = sorted(set(disclosure.data_categories) | set(categories))
        disclosure.first_at = min(disclosure.first_at, at)
        disclosure.last_at = max(disclosure.last_at, at)
    await session.flush()
    return disclosure


async def note_disclosures(
    session: AsyncSession, category: str, customer_ids: Sequence[str], categories: Sequence[str], at: datetime
) -> DataRecipient | None:
    """Record that the first active recipient of `category` received `categories` of each listed
    customer's data at `at`, in two statements whatever the number of customers (a mailing list
    handed to the mailing tool); returns that recipient, or None when there is no such recipient.
    The caller holds the ordering lock, so two lists cannot both add the same row."""
    recipients = await ensure_default_recipients(session)
    recipient = next((r for r in recipients if r.category == category and r.active), None)
    if recipient is None or not customer_ids:
        return recipient
    known = set(
        (
            await session.execute(
                select(RecipientDisclosure.customer_id).where(
                    RecipientDisclosure.recipient_id == recipient.id, RecipientDisclosure.customer_id.in_(customer_ids)
                )
            )
        ).scalars()
    )
    if known:
        await session.execute(
            update(RecipientDisclosure)
            .where(RecipientDisclosure.recipient_id == recipient.id, RecipientDisclosure.customer_id.in_(sorted(known)))
            .values(last_at=at)
        )
    fresh = [c for c in dict.fromkeys(customer_ids) if c not in known]
    if fresh:
        await session.execute(insert(RecipientDisclosure), [
            {"id": new_id(), "recipient_id": recipient.id, "customer_id": customer_id,
             "data_categories": sorted(set(categories)), "first_at": at, "last_at": at}
            for customer_id in fresh
        ])  # fmt: skip
    return recipient


async def customer_disclosures(
    session: AsyncSession, customer_id: str
) -> list[tuple[RecipientDisclosure, DataRecipient]]:
    """Who received the customer's data, earliest first."""
    rows = await session.execute(
        select(RecipientDisclosure, DataRecipient)
        .join(DataRecipient, DataRecipient.id == RecipientDisclosure.recipient_id)
        .where(RecipientDisclosure.customer_id == customer_id)
        .order_by(RecipientDisclosure.first_at, DataRecipient.name)
    )
    return [(disclosure, recipient) for disclosure, recipient in rows.all()]


async def request_notices(
    session: AsyncSession, request_id: str, action: str | None = None
) -> list[tuple[RecipientNotice, DataRecipient]]:
    conditions = [RecipientNotice.request_id == request_id]
    if action is not None:
        conditions.append(RecipientNotice.action == action)
    rows = await session.execute(
        select(RecipientNotice, DataRecipient)
        .join(DataRecipient, DataRecipient.id == RecipientNotice.recipient_id)
        .where(*conditions)
        .order_by(RecipientNotice.action, DataRecipient.name)
    )
    return [(notice, recipient) for notice, recipient in rows.all()]


async def open_notices(
    session: AsyncSession, request: PrivacyRequest, action: str, operator_id: str | None, now: datetime | None = None
) -> list[tuple[RecipientNotice, DataRecipient]]:
    """Open a pending notice of `action` for every recipient that received the subject's data and
    has none for this request and action yet (an existing one is kept as it is); returns the
    request's notices of this action.

    Call it before an erasure deletes the customer's disclosures. Adds a "step" entry to the
    request when it opened any. Raises InvalidFields for an unknown action and
    NoticeRefused("no_subject") when the request names no customer.
    """
    now = now or utcnow()
    if action not in NOTICE_ACTIONS:
        raise InvalidFields([FieldError("action", f"One of: {', '.join(NOTICE_ACTIONS)}.", "invalid_action")])
    if request.customer_id is None:
        raise NoticeRefused("no_subject", "The request names no customer whose recipients could be told.")
    await ensure_default_recipients(session)
    existing = {n.recipient_id for n, _r in await request_notices(session, request.id, action)}
    opened = 0
    for disclosure, _recipient in await customer_disclosures(session, request.customer_id):
        if disclosure.recipient_id in existing:
            continue
        notice = RecipientNotice(id=new_id(), request_id=request.id, recipient_id=disclosure.recipient_id,
                                 action=action, state="pending", updated_at=now, updated_by_id=operator_id)  # fmt: skip
        session.add(notice)
        existing.add(disclosure.recipient_id)
        opened += 1
    if opened:
        session.add(PrivacyRequestEntry(id=new_id(), request_id=request.id, at=now, author_id=operator_id, kind="step",
                                        field="recipient_notices", new_value=action,
                                        body=f"Recipients to be told of the {action}: {opened}."))  # fmt: skip
        request.updated_at = now
    await session.flush()
    return await request_notices(session, request.id, action)


async def change_notice(
    session: AsyncSession,
    notice: RecipientNotice,
    state: str,
    justification: str | None,
    operator_id: str | None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Move a notice to `state` (notified, acknowledged or exempted); `at` is when it happened
    (default now). Returns False when it already is in that state with that justification.

    Exempted needs a justification (InvalidFields "justification_required"); a move the
    transitions do not allow raises NoticeRefused("invalid_transition").
    """
    now = now or utcnow()
    at = at or now
    if state == "exempted" and not (justification or "").strip():
        raise InvalidFields([FieldError("justification", "Say why telling this recipient is impossible or "
                                        "disproportionate.", "justification_required")])  # fmt: skip
    if state == notice.state and (state != "exempted" or justification == notice.justification):
        return False
    allowed = NOTICE_TRANSITIONS.get(notice.state, ())
    if state != notice.state and state not in allowed:
        raise NoticeRefused("invalid_transition", f"A notice that is '{notice.state}' cannot become '{state}'.",
                            allowed)  # fmt: skip
    if at > now + CLOCK_SKEW:
        raise InvalidFields([FieldError("at", "Cannot be in the future.", "in_future")])
    at = min(at, now)
    notice.state = state
    if state == "exempted":
        notice.justification = justification
    if state in ("notified", "acknowledged") and notice.notified_at is None:
        # An acknowledgement implies they were told.
        notice.notified_at = at
    if state == "acknowledged":
        notice.acknowledged_at = at
    notice.updated_at = now
    notice.updated_by_id = operator_id
    await session.flush()
    return True

