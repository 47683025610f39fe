"""Demo consent history and recipients of customers' data, written after the customers' rows.

The consent rows the planner made (ema_server/seed/plan.py) say what is in force now; this adds
the events behind them — a grant at `granted_at`, a withdrawal at `withdrawn_at`, a refusal when
the customer was asked and declined — so no customer's consent history is empty. It then writes
the recipients policy section 19 names (ema_server.privacy.recipients.DEFAULT_RECIPIENTS) and
who received whose data: customers with charging sessions went to a roaming partner, customers
with invoices to the payment provider, customers who ever granted marketing to the mailing tool.

Everything is derived in SQL aggregates over rows already written and bulk-inserted through the
seed's writer (the large demo has 100,000 customers), with ids from the demo's random stream in
a fixed order, so the same seed gives the same rows.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import ChargingSession, Consent, Document
from ema_server.db.models.data_protection import ConsentEvent, DataRecipient, RecipientDisclosure
from ema_server.privacy.consent import MARKETING_FLAGS
from ema_server.privacy.recipients import DEFAULT_RECIPIENTS
from ema_server.seed.draws import new_uuid
from ema_server.seed.writer import BulkWriter

# Where each kind of disclosure goes (the first recipient of the category) and what it carried.
_ROAMING_CATEGORIES = ["charging_sessions", "identification", "rfid_cards"]
_PAYMENT_CATEGORIES = ["billing", "identification", "payments"]
_MAILING_CATEGORIES = ["contact", "preferences"]


def _at_noon(value: Any) -> datetime:
    """Invoices carry a date; the disclosure happened on that day."""
    return value if isinstance(value, datetime) else datetime.combine(value, time(12), tzinfo=UTC)


async def seed_consent_history_and_recipients(
    session: AsyncSession, writer: BulkWriter, rng: random.Random, now: datetime
) -> None:
    await writer.flush()
    consents = await session.execute(
        select(Consent.id, Consent.customer_id, Consent.purpose, Consent.granted_at, Consent.withdrawn_at,
               Consent.source, Consent.created_at).order_by(Consent.id)
    )  # fmt: skip
    events: list[dict[str, Any]] = []
    for _id, customer_id, purpose, granted_at, withdrawn_at, source, created_at in consents.all():
        common = {"customer_id": customer_id, "purpose": purpose, "source": source, "recorded_by_id": None,
                  "request_id": None}  # fmt: skip
        if granted_at is not None:
            events.append({"id": new_uuid(rng), "granted": True, "at": granted_at, **common})
        if withdrawn_at is not None or granted_at is None:
            events.append({"id": new_uuid(rng), "granted": False, "at": withdrawn_at or created_at, **common})
    await writer.insert(ConsentEvent, events)

    recipients: list[dict[str, Any]] = []
    first_of: dict[str, str] = {}
    for d in DEFAULT_RECIPIENTS:
        recipient_id = new_uuid(rng)
        first_of.setdefault(d.category, recipient_id)
        recipients.append({"id": recipient_id, "name": d.name, "category": d.category, "country": d.country,
                           "purpose": d.purpose, "contact": d.contact, "active": True})  # fmt: skip
    await writer.insert(DataRecipient, recipients)

    roaming = select(ChargingSession.customer_id, func.min(ChargingSession.started_at),
                     func.max(ChargingSession.started_at)).where(ChargingSession.customer_id.is_not(None))  # fmt: skip
    invoices = select(Document.customer_id, func.min(Document.issued_on), func.max(Document.issued_on)).where(
        Document.kind == "invoice"
    )
    marketing = select(Consent.customer_id, func.min(Consent.granted_at),
                       func.max(func.coalesce(Consent.withdrawn_at, Consent.granted_at))).where(
        Consent.purpose.in_(tuple(MARKETING_FLAGS)), Consent.granted_at.is_not(None)
    )  # fmt: skip
    disclosures: list[dict[str, Any]] = []
    for category, query, data in (
        ("roaming_partner", roaming, _ROAMING_CATEGORIES),
        ("payment_provider", invoices, _PAYMENT_CATEGORIES),
        ("mailing_tool", marketing, _MAILING_CATEGORIES),
    ):
        await writer.flush()  # the session and the writer share one connection: one statement at a time
        rows = await session.execute(query.group_by(query.selected_columns[0]).order_by(query.selected_columns[0]))
        for customer_id, first, last in rows.all():
            disclosures.append({"id": new_uuid(rng), "recipient_id": first_of[category], "customer_id": customer_id,
                                "data_categories": data, "first_at": min(_at_noon(first), now),
                                "last_at": min(_at_noon(last), now)})  # fmt: skip
    await writer.insert(RecipientDisclosure, disclosures)
