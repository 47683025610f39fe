"""Whether an RFID tag (an OCPP id tag or id token) may charge, for the OCPP endpoint's Authorize
and transaction handlers.

The answer is one OCPP authorization status that both protocol versions know (1.6 idTagInfo and
2.0.1 idTokenInfo share these values); the version-specific handlers wrap it in their message.

Who may charge:

- a tag no card carries is ``Invalid``;
- a card switched off (lost, replaced, or the customer's accounts were deactivated) is ``Blocked``;
- a card of a *blocked* customer is ``Blocked``: blocking an account (BRIEF §5) stops the service;
- a card of a *closed* customer is ``Expired``: the relationship has ended, the card is not
  suspended but over;
- a card of a *restricted* customer is ``Accepted``. A restriction is the privacy officer's
  measure of BRIEF §5 and §4 (e.g. restricting the processing of disputed data under GDPR
  Art. 18 while a complaint about its accuracy is settled), not a suspension of the service:
  the demo data keeps such customers' cards and app accounts active, and refusing to charge
  would punish the customer for exercising a right. Blocking is the measure that stops charging.

OCPP id tags are case-insensitive strings (CiString20 in 1.6, CiString36 in 2.0.1), so a tag
matches its card whatever case the reader reports it in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Customer, Device, RfidCard

AuthorizationStatus = Literal["Accepted", "Blocked", "Expired", "Invalid"]

ID_TAG_MAX: Final = 20
"""The longest tag a card (and a charging session) stores."""

_STATUS_BY_CUSTOMER: Final[dict[str, AuthorizationStatus]] = {
    "active": "Accepted",
    "restricted": "Accepted",
    "blocked": "Blocked",
    "closed": "Expired",
}


async def find_card(session: AsyncSession, id_tag: str | None) -> RfidCard | None:
    """The card carrying this tag, whatever the case of its letters; None for no tag or no card."""
    if not id_tag or len(id_tag) > ID_TAG_MAX:
        return None
    # The exact tag first, through the unique index; the case-insensitive scan only for the rare
    # reader that reports another case than the card was registered with.
    card = (await session.execute(select(RfidCard).where(RfidCard.id_tag == id_tag))).scalar_one_or_none()
    if card is not None:
        return card
    folded = select(RfidCard).where(func.upper(RfidCard.id_tag) == id_tag.upper()).order_by(RfidCard.id).limit(1)
    return (await session.execute(folded)).scalar_one_or_none()


async def authorize_id_tag(session: AsyncSession, device: Device, id_tag: str, now: datetime) -> AuthorizationStatus:
    """The OCPP authorization status of a tag presented at `device` (see the module docstring).

    Every customer's card charges at every station for now, so `device` and `now` do not change
    the answer yet; they are part of the signature for rules that will (a private wallbox only
    for its owner's cards, cards valid until a date).
    """
    card = await find_card(session, id_tag)
    if card is None:
        return "Invalid"
    if not card.active:
        return "Blocked"
    customer = await session.get(Customer, card.customer_id)
    if customer is None:
        return "Invalid"
    # A status this module does not know yet is refused rather than let through.
    return _STATUS_BY_CUSTOMER.get(customer.status, "Blocked")
