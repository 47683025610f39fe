"""Who sees a restricted customer (GDPR Art. 18): the one rule every read path applies.

While a customer's data is restricted it may only be stored. Operators without
Permission.HANDLE_PRIVACY (hotline, technicians) must not find it anywhere: the customer, its
contacts, accounts, contracts, consents, documents, cards, sites, devices with their connectors,
charging sessions, telemetry, tickets with their history and attachments answer 404 and are left
out of lists, searches, the map, queues, statistics, exports and the change feed. Privacy
officers and administrators see everything, with `restricted_at` set.

Two sources say who is restricted, kept equal by ema_server.privacy.restriction (and erasure,
which places its own restriction): `Customer.restricted_at`, the live flag on the row, used when a
single customer is at hand; and the open `Restriction` rows, a table of a handful of rows, used
in set-based filters (`... NOT IN (open restrictions)`), so a list of 150,000 devices or a page of
the change feed never scans the customers table for the flag.

The change feed (GET /changes) follows the rule in two parts, both in SQL, never per row:
- at read time, upserts of records that belong to a customer restricted *now* are left out for
  callers without HANDLE_PRIVACY (`withheld_record_ids`); a console pulling from the start never
  receives them, and a change made while the restriction lasts reaches privacy officers only;
- placing a restriction writes a tombstone for every such record into scope "withheld", which only
  callers without HANDLE_PRIVACY read: hotline and technician consoles drop the cached records,
  privacy officers' consoles keep theirs. Lifting republishes every record as an upsert in scope
  "general" (`republish`), so the consoles that dropped them get them back.
Filtering at read time alone would leave cached copies in consoles that synced before the
restriction; tombstones alone would still hand out changes made during the restriction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, or_, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import (
    Attachment,
    ChargingSession,
    Connector,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    Document,
    RfidCard,
    Site,
    Ticket,
    TicketEntry,
)
from ema_server.db.models.base import Base
from ema_server.db.models.data_protection import Restriction
from ema_server.domain.permissions import Permission

__all__ = [
    "Viewer",
    "customer_hidden",
    "customer_visible_condition",
    "device_hidden",
    "device_visible_condition",
    "owner_visible_condition",
    "records_of",
    "restricted_customer_ids",
    "sees_restricted",
    "session_visible_condition",
    "ticket_hidden",
    "ticket_visible_condition",
    "withheld_event_subject_ids",
    "withheld_record_ids",
]


class Viewer(Protocol):
    """Whoever reads: the API's Caller, or anything else that knows its permissions."""

    def can(self, permission: Permission) -> bool: ...


def sees_restricted(viewer: Viewer) -> bool:
    return viewer.can(Permission.HANDLE_PRIVACY)


def restricted_customer_ids(customer_ids: Sequence[str] | None = None) -> Select[Any]:
    """Ids of the customers under an open restriction (or of those among `customer_ids`)."""
    query = select(Restriction.customer_id).where(Restriction.lifted_at.is_(None))
    if customer_ids is not None:
        query = query.where(Restriction.customer_id.in_(customer_ids))
    return query


def _restricted_devices(restricted: Select[Any]) -> Select[Any]:
    return select(Device.id).where(Device.customer_id.in_(restricted))


def withheld_event_subject_ids() -> Select[Any]:
    """Ids a live event may name (as `id`, `customer_id`, `device_id` or `ticket_id`) that must not
    reach operators without HANDLE_PRIVACY: the restricted customers, their devices and their
    tickets. A handful of rows: a restriction is rare and a customer's devices and tickets few."""
    restricted = restricted_customer_ids()
    devices = _restricted_devices(restricted)
    return union_all(restricted, devices, _restricted_tickets(restricted, devices))  # type: ignore[return-value]


def customer_visible_condition(viewer: Viewer) -> ColumnElement[bool]:
    """WHERE clause on Customer: the customers `viewer` may see."""
    return true() if sees_restricted(viewer) else Customer.restricted_at.is_(None)


def owner_visible_condition(viewer: Viewer, customer_id: Any) -> ColumnElement[bool]:
    """WHERE clause on a record with a `customer_id` column: not one of a restricted customer."""
    if sees_restricted(viewer):
        return true()
    return or_(customer_id.is_(None), customer_id.not_in(restricted_customer_ids()))


def device_visible_condition(viewer: Viewer) -> ColumnElement[bool]:
    return owner_visible_condition(viewer, Device.customer_id)


def session_visible_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Charging sessions: not charged by a restricted customer (on any station) and not on a
    station of one; such sessions drop out of every list, count and export too."""
    if sees_restricted(viewer):
        return true()
    restricted = restricted_customer_ids()
    return and_(
        or_(ChargingSession.customer_id.is_(None), ChargingSession.customer_id.not_in(restricted)),
        ChargingSession.device_id.not_in(_restricted_devices(restricted)),
    )


def ticket_visible_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Tickets: neither about a restricted customer nor about a device of one."""
    if sees_restricted(viewer):
        return true()
    restricted = restricted_customer_ids()
    return and_(
        or_(Ticket.customer_id.is_(None), Ticket.customer_id.not_in(restricted)),
        or_(Ticket.device_id.is_(None), Ticket.device_id.not_in(_restricted_devices(restricted))),
    )


async def customer_hidden(session: AsyncSession, viewer: Viewer, customer_id: str | None) -> bool:
    """True when `viewer` must not see anything of this customer (answer 404)."""
    if customer_id is None or sees_restricted(viewer):
        return False
    flag = (await session.execute(select(Customer.restricted_at).where(Customer.id == customer_id))).scalar()
    return flag is not None


async def device_hidden(session: AsyncSession, viewer: Viewer, device: Device) -> bool:
    return await customer_hidden(session, viewer, device.customer_id)


async def ticket_hidden(session: AsyncSession, viewer: Viewer, ticket: Ticket) -> bool:
    if sees_restricted(viewer):
        return False
    if await customer_hidden(session, viewer, ticket.customer_id):
        return True
    if ticket.device_id is None:
        return False
    owner = (await session.execute(select(Device.customer_id).where(Device.id == ticket.device_id))).scalar()
    return await customer_hidden(session, viewer, owner)


# --- everything of a customer, for the change feed ----------------------------------------------

# Published tables holding a customer's records directly by `customer_id`.
_OWNED: tuple[type[Base], ...] = (Customer, Contact, CustomerAccount, Contract, Consent, Document, RfidCard, Site,
                                  Device)  # fmt: skip


def _owned_selects(
    restricted: Select[Any], devices: Select[Any] | None = None, tickets: Select[Any] | None = None
) -> list[tuple[type[Base], Select[Any]]]:
    """(model, SELECT of its rows' ids) for every published record of the `restricted` customers;
    `devices` and `tickets` may give their devices and tickets already selected (a CTE)."""
    if devices is None:
        devices = _restricted_devices(restricted)
    if tickets is None:
        tickets = _restricted_tickets(restricted, devices)
    selects: list[tuple[type[Base], Select[Any]]] = []
    for model in _OWNED:
        if model is Device:
            selects.append((model, devices))
            continue
        column = model.id if model is Customer else model.customer_id  # type: ignore[attr-defined]
        selects.append((model, select(model.id).where(column.in_(restricted))))  # type: ignore[attr-defined]
    selects += [
        (Connector, select(Connector.id).where(Connector.device_id.in_(devices))),
        (ChargingSession, select(ChargingSession.id).where(
            or_(ChargingSession.customer_id.in_(restricted), ChargingSession.device_id.in_(devices)))),
        (Ticket, tickets),
        (TicketEntry, select(TicketEntry.id).where(TicketEntry.ticket_id.in_(tickets))),
        (Attachment, select(Attachment.id).where(Attachment.ticket_id.in_(tickets))),
    ]  # fmt: skip
    return selects


def _restricted_tickets(restricted: Select[Any], devices: Select[Any]) -> Select[Any]:
    return select(Ticket.id).where(or_(Ticket.customer_id.in_(restricted), Ticket.device_id.in_(devices)))


def withheld_record_ids() -> Select[Any]:
    """Ids of every published record of a customer under an open restriction (one SELECT).

    The restricted customers, their devices and their tickets are each selected once (CTEs) and
    reused by the branches that hang off them."""
    restricted_cte = restricted_customer_ids().cte("restricted_customers")
    restricted = select(restricted_cte.c.customer_id)
    devices_cte = _restricted_devices(restricted).cte("restricted_devices")
    devices = select(devices_cte.c.id)
    tickets_cte = _restricted_tickets(restricted, devices).cte("restricted_tickets")
    tickets = select(tickets_cte.c.id)
    return union_all(*(query for _, query in _owned_selects(restricted, devices, tickets)))  # type: ignore[return-value]


async def records_of(session: AsyncSession, customer_id: str) -> list[Base]:
    """Every published record of one customer (the customer row first), loaded as ORM objects:
    what a restriction hides from the change feed and its lifting publishes again."""
    only = select(Customer.id).where(Customer.id == customer_id)
    records: list[Base] = []
    for model, ids in _owned_selects(only):
        records.extend((await session.execute(select(model).where(model.id.in_(ids)))).scalars())  # type: ignore[attr-defined]
    return records
