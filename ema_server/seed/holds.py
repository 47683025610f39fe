"""Legal holds and an Art. 18 restriction in the demo, placed through the same rules the API uses
(ema_server/privacy/holds.py, restriction.py), so the privacy pane, retention runs and erasure
plans have something to respect: two complaint tickets in dispute, one customer in proceedings,
and the customer of the oldest open restriction request restricted."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import ChangeRecord, Customer, PrivacyRequest, Ticket
from ema_server.privacy.holds import place_hold
from ema_server.privacy.restriction import place_restriction
from ema_server.seed.helpdesk import Staff

_DISPUTES = (
    ("Zákazník podal žalobu kvůli zamítnuté reklamaci wallboxu.", "C 214/2026, Okresní soud v Ostravě"),
    ("Spor o vyúčtování nabíjení předán právnímu oddělení.", "PO-2026-031"),
)
_PROCEEDINGS = ("Šetření ČOI ve věci reklamací zákazníka.", "ČOI 7/2026-OS")


async def seed_holds_and_restrictions(session: AsyncSession, staff: Staff, rng: random.Random, now: datetime) -> int:
    """Place the demo's holds and restriction; returns how many change-feed rows that published (the
    restricted customer's records withheld from other roles, the changed rows)."""
    before = (await session.execute(select(func.count()).select_from(ChangeRecord))).scalar_one()
    officer = staff.privacy[0] if staff.privacy else staff.admin
    complaints = (await session.execute(
        select(Ticket.id).where(Ticket.kind == "complaint", Ticket.customer_id.is_not(None))
        .order_by(Ticket.number).limit(20))).scalars().all()  # fmt: skip
    for ticket_id, (reason, reference) in zip(rng.sample(list(complaints), min(2, len(complaints))), _DISPUTES,
                                              strict=False):
        await place_hold(session, customer_id=None, ticket_id=ticket_id, reason=reason, reference=reference,
                         operator_id=officer, now=now - timedelta(days=rng.randint(5, 60)))  # fmt: skip
    customers = (await session.execute(
        select(Customer.id).where(Customer.kind == "consumer").order_by(Customer.customer_number).limit(50)
    )).scalars().all()  # fmt: skip
    if customers:
        await place_hold(session, customer_id=rng.choice(list(customers)), ticket_id=None, reason=_PROCEEDINGS[0],
                         reference=_PROCEEDINGS[1], operator_id=officer, now=now - timedelta(days=12))  # fmt: skip
    request = (await session.execute(
        select(PrivacyRequest).where(PrivacyRequest.right == "restriction", PrivacyRequest.state == "in_progress",
                                     PrivacyRequest.customer_id.is_not(None))
        .order_by(PrivacyRequest.received_at).limit(1))).scalar_one_or_none()  # fmt: skip
    if request is not None and request.customer_id is not None:
        customer = await session.get(Customer, request.customer_id)
        if customer is not None and customer.restricted_at is None:
            await place_restriction(session, customer, reason="Zákazník popírá přesnost údajů o spotřebě; "
                                    "omezení po dobu ověření (čl. 18 odst. 1 písm. a) GDPR).",
                                    request_id=request.id, by_id=officer, now=now - timedelta(days=3))  # fmt: skip
        await session.flush()
    after = (await session.execute(select(func.count()).select_from(ChangeRecord))).scalar_one()
    return int(after - before)
