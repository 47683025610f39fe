"""Tickets of the demo: faults, complaints, service requests, service events and questions, each
with the history the ticket rules (ema_server/tickets.py) would have left.

Tickets are drafted first (when, what, how urgent, how far along), then written in creation
order so their numbers run ``T-<year>-000001`` upwards like the API's. Age decides the state:
last week's tickets are mostly still open, last year's closed; an open ticket whose deadlines
have passed is overdue, as some are in any real queue. Every faulted device has an open fault
ticket with its error code.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ema_server.attachments import PNG, TEXT
from ema_server.db.models import Attachment, AttachmentContent, Ticket, TicketEntry
from ema_server.db.models.tickets import OPEN_TICKET_STATES, TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATES
from ema_server.domain.deadlines import PRAGUE, complaint_due_at, sla_due_at
from ema_server.seed import texts
from ema_server.seed.draws import Rows, new_uuid
from ema_server.seed.equipment import DeviceInfo
from ema_server.seed.plan import CustomerInfo, Planner

_KIND_WEIGHTS = (34, 10, 20, 16, 20)
_PRIORITY_WEIGHTS = (20, 55, 18, 7)
# State weights by age: (up to days, weights over TICKET_STATES).
_STATE_BY_AGE = (
    (2, (35, 25, 25, 10, 5, 0)),
    (14, (5, 10, 30, 20, 25, 10)),
    (60, (1, 3, 6, 5, 15, 70)),
    (100_000, (0.2, 0.3, 0.5, 0.5, 1.5, 97)),
)


@dataclass(frozen=True)
class Staff:
    """Operator ids by what they do in the demo."""

    hotline: list[str]
    technicians: list[str]
    privacy: list[str]
    admin: str


@dataclass(frozen=True)
class HistoryDetail:
    """How much of a ticket's life its history shows, as shares of tickets."""

    skip_open: float
    """Taken straight from new to in progress, without passing through open."""
    owner_entry: float
    """Owner assigned after creation (a change entry) rather than at creation."""
    resolved_reply: float
    note: float
    priority_change: float


RICH_HISTORY = HistoryDetail(skip_open=0.3, owner_entry=1.0, resolved_reply=1.0, note=0.4, priority_change=0.1)
LEAN_HISTORY = HistoryDetail(skip_open=0.9, owner_entry=0.2, resolved_reply=0.2, note=0.05, priority_change=0.02)


@dataclass(slots=True)
class _Draft:
    created: datetime
    kind: str
    priority: str
    state: str
    device: int | None = None
    error_code: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def tiny_png(rgb: tuple[int, int, int]) -> bytes:
    """An 8 by 8 single-colour PNG: a photo stand-in that image viewers really open."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _czech_day(moment: datetime) -> str:
    local = moment.astimezone(PRAGUE)
    return f"{local.day}. {local.month}. {local.year}"


class Helpdesk:
    def __init__(self, rng: random.Random, planner: Planner, staff: Staff, now: datetime, *, total: int, days: int,
                 attachment_share: float, history: HistoryDetail = RICH_HISTORY) -> None:  # fmt: skip
        self.rng = rng
        self.planner = planner
        self.staff = staff
        self.now = now
        self.total = total
        self.days = days
        self.attachment_share = attachment_share
        self.history = history
        self._consumers = [i for i, c in enumerate(planner.customers) if c.kind == "consumer"]
        self._organisations = [i for i, c in enumerate(planner.customers) if c.kind != "consumer"]
        self._chargers = [i for i, d in enumerate(planner.devices) if d.outlets]
        self._others = [i for i, d in enumerate(planner.devices) if not d.outlets]
        self._year_numbers: Counter[int] = Counter()
        self._attachments = 0

    # --- drafts ----------------------------------------------------------------------------------

    def drafts(self) -> list[_Draft]:
        rng, now = self.rng, self.now
        drafts = []
        for index, device in enumerate(self.planner.devices):
            customer = self.planner.customers[device.customer]
            if device.status == "Faulted" and customer.status != "closed":
                since = device.status_since or now - timedelta(hours=1)
                created = min(now - timedelta(minutes=1), since + timedelta(minutes=rng.randint(5, 90)))
                state = rng.choices(OPEN_TICKET_STATES, weights=(30, 25, 35, 10))[0]
                priority = rng.choice(("high", "critical")) if device.public else rng.choice(("normal", "high"))
                drafts.append(_Draft(created, "fault", priority, state, index, device.error_code))
        for _ in range(max(0, self.total - len(drafts))):
            age_days = rng.uniform(0, self.days)
            created = now - timedelta(seconds=int(age_days * 86400) + 60)
            weights = next(w for limit, w in _STATE_BY_AGE if age_days <= limit)
            drafts.append(_Draft(created, rng.choices(TICKET_KINDS, weights=_KIND_WEIGHTS)[0],
                                 rng.choices(TICKET_PRIORITIES, weights=_PRIORITY_WEIGHTS)[0],
                                 rng.choices(TICKET_STATES, weights=weights)[0]))  # fmt: skip
        drafts = drafts[: self.total] if len(drafts) > self.total else drafts
        # Even a small demo shows every kind, priority and state.
        for attribute, values in (("kind", TICKET_KINDS), ("priority", TICKET_PRIORITIES), ("state", TICKET_STATES)):
            present = {getattr(d, attribute) for d in drafts}
            for value in values:
                if value not in present:
                    candidates = [d for d in drafts if d.device is None]
                    setattr(rng.choice(candidates), attribute, value)
        drafts.sort(key=lambda d: d.created)
        return drafts

    # --- rows ------------------------------------------------------------------------------------

    def rows(self, drafts: list[_Draft]) -> Rows:
        rows: Rows = {Ticket: [], TicketEntry: [], Attachment: [], AttachmentContent: []}
        for draft in drafts:
            self._ticket(rows, draft)
        return rows

    def _pick_device(self, pool: list[int]) -> DeviceInfo | None:
        return self.planner.devices[self.rng.choice(pool)] if pool else None

    def _own_charger(self, customer: CustomerInfo) -> DeviceInfo | None:
        chargers = [self.planner.devices[i] for i in customer.devices if self.planner.devices[i].outlets]
        return self.rng.choice(chargers) if chargers else None

    def _subject(self, draft: _Draft) -> tuple[CustomerInfo | None, DeviceInfo | None]:
        rng, customers = self.rng, self.planner.customers
        if draft.device is not None:
            linked = self.planner.devices[draft.device]
            return customers[linked.customer], linked
        if draft.kind in ("fault", "service_event"):
            chargers_only = draft.kind == "service_event" or rng.random() < 0.85 or not self._others
            picked = self._pick_device(self._chargers if chargers_only else self._others)
            return (customers[picked.customer] if picked else None), picked
        if draft.kind == "complaint":
            pool = self._consumers if rng.random() < 0.85 or not self._organisations else self._organisations
            customer = customers[rng.choice(pool)]
            return customer, self._own_charger(customer) if rng.random() < 0.6 else None
        customer = customers[rng.randrange(len(customers))]
        share = 0.5 if draft.kind == "service_request" else 0.1
        return customer, self._own_charger(customer) if rng.random() < share else None

    def _texts(self, draft: _Draft, customer: CustomerInfo | None, device: DeviceInfo | None,
               connector: int | None) -> tuple[str, str]:  # fmt: skip
        rng = self.rng
        ident = (device.ocpp_identity or device.serial) if device else "stanice"
        if draft.kind == "fault":
            if device is not None and device.outlets and draft.error_code:
                return texts.fault_text(rng, draft.error_code, ident, device.model, connector or 1)
            kind = device.kind if device else "wallbox"
            return texts.generic_fault_text(
                rng, kind, ident, device.serial if device else "", _czech_day(draft.created)
            )
        invoice = customer.invoice if customer and customer.invoice else None
        number, amount, issued = invoice if invoice else (f"FV{draft.created.year}000999", 890, draft.created.date())
        return texts.ticket_text(
            rng,
            draft.kind,
            ident=ident,
            invoice=number,
            amount=str(amount),
            month=texts.MONTHS[issued.month - 1],
            year=str(issued.year),
            day=_czech_day(draft.created - timedelta(days=rng.randint(1, 10))),
        )

    def _ticket(self, rows: Rows, draft: _Draft) -> None:
        rng, now, staff = self.rng, self.now, self.staff
        customer, device = self._subject(draft)
        if (
            draft.kind == "fault"
            and draft.error_code is None
            and device is not None
            and device.outlets
            and rng.random() < 0.8
        ):
            draft.error_code = rng.choice(texts.ERROR_CODES)
        connector = None
        if device is not None and device.outlets and draft.kind in ("fault", "service_event", "complaint"):
            faulted = [n for n, s in enumerate(device.connectors, start=1) if s == "Faulted"]
            connector = faulted[0] if faulted and draft.device is not None else rng.randint(1, len(device.outlets))
        title, description = self._texts(draft, customer, device, connector)
        technical = draft.kind in ("fault", "service_event", "service_request")
        owners = staff.technicians if technical else staff.hotline
        owner = None if draft.state == "new" and rng.random() < 0.7 else rng.choice(owners)
        if draft.kind == "service_event":
            created_by: str | None = rng.choice(staff.technicians)
        else:
            created_by = rng.choice(staff.hotline) if rng.random() < 0.8 else None
        ticket_id = new_uuid(rng)
        created = draft.created
        local_year = created.astimezone(PRAGUE).year
        self._year_numbers[local_year] += 1
        number = f"T-{local_year}-{self._year_numbers[local_year]:06d}"
        priority = draft.priority
        entries: list[dict[str, Any]] = []

        def entry(at: datetime, kind: str, author: str | None, **values: Any) -> None:
            entries.append({"id": new_uuid(rng), "ticket_id": ticket_id, "at": at, "author_id": author, "kind": kind,
                            "field": None, "old_value": None, "new_value": None, "body": None, "public": False,
                            **values})  # fmt: skip

        entry(created, "created", created_by, new_value="new")
        filed = agreed = legal_due = None
        if draft.kind == "complaint":
            filed = created - timedelta(hours=rng.randint(0, 48))
            agreed = rng.choice((45, 60)) if rng.random() < 0.05 else None
            if customer is not None and customer.kind == "consumer":
                legal_due = complaint_due_at(filed, agreed).astimezone(UTC)
        response_due, resolution_due = (d.astimezone(UTC) for d in sla_due_at(priority, created))
        resolution_hours = (resolution_due - created).total_seconds() / 3600
        response_hours = (response_due - created).total_seconds() / 3600
        path = self._path(draft.state)
        resolved_at = closed_at = None
        if draft.state in ("resolved", "closed") and "resolved" in path:
            target = created + timedelta(hours=resolution_hours * rng.uniform(0.15, 1.3))
            if target >= now:
                target = created + (now - created) * rng.uniform(0.5, 0.95)
            resolved_at = target
            horizon = resolved_at
        elif draft.state == "closed":
            horizon = min(now, created + timedelta(hours=rng.uniform(0.2, 6)))
        else:
            horizon = min(now, created + timedelta(hours=resolution_hours * rng.uniform(0.3, 3)))
        if draft.state == "closed":
            base = resolved_at or horizon
            closed_at = min(now, base + timedelta(days=rng.uniform(1, 7))) if resolved_at else horizon
        # Timeline: first reply within (mostly) the response deadline, the rest spread until the horizon.
        responded = draft.state != "new" and path != ["closed"] and rng.random() < 0.92
        first_reply = min(horizon, created + timedelta(hours=response_hours * rng.uniform(0.1, 1.25)))
        start = first_reply if responded else created
        steps = [s for s in path if s not in ("resolved", "closed")]
        moments = sorted(start + (horizon - start) * rng.random() for _ in range(len(steps) + 2))
        actor = owner or rng.choice(staff.hotline)
        if owner is not None and rng.random() < self.history.owner_entry:
            entry(created + (start - created) * rng.uniform(0.1, 0.9) if start > created else created, "change",
                  actor, field="owner_id", new_value=owner)  # fmt: skip
        if rng.random() < self.history.priority_change:
            old = rng.choice([p for p in TICKET_PRIORITIES if p != priority])
            entry(
                created + (start - created) * 0.5, "change", actor, field="priority", old_value=old, new_value=priority
            )
        first_responded_at = None
        if responded:
            template = "complaint" if draft.kind == "complaint" else "first"
            body = rng.choice(texts.REPLIES[template]).format(number=number, day=_czech_day(filed or created))
            entry(first_reply, "reply", actor, body=body, public=True)
            first_responded_at = first_reply
        state = "new"
        for step, at in zip(steps, moments, strict=False):
            if step == "waiting_customer":
                entry(at, "reply", actor, body=rng.choice(texts.REPLIES["waiting"]), public=True)
            entry(at, "change", actor, field="state", old_value=state, new_value=step)
            state = step
        if rng.random() < self.history.note and moments:
            entry(moments[-1], "note", actor, body=rng.choice(texts.NOTES))
        if resolved_at is not None:
            if draft.kind == "complaint" or rng.random() < self.history.resolved_reply:
                # A complaint's outcome must reach the consumer in writing.
                template = "complaint_resolved" if draft.kind == "complaint" else "resolved"
                entry(resolved_at, "reply", actor, body=rng.choice(texts.REPLIES[template]), public=True)
            entry(resolved_at, "change", actor, field="state", old_value=state, new_value="resolved")
            state = "resolved"
        if closed_at is not None:
            entry(closed_at, "change", actor, field="state", old_value=state, new_value="closed")
        if rng.random() < self.attachment_share or self._attachments == 0:
            self._attachment(rows, ticket_id, entries, created, horizon, device, draft.error_code, entry)
        entries.sort(key=lambda e: e["at"])
        updated = max(e["at"] for e in entries)
        rows[Ticket].append({
            "id": ticket_id, "number": number, "kind": draft.kind, "title": title, "description": description,
            "customer_id": customer.id if customer else None, "device_id": device.id if device else None,
            "connector_no": connector, "error_code": draft.error_code if draft.kind == "fault" else None,
            "priority": priority, "state": draft.state, "owner_id": owner, "created_by_id": created_by,
            "first_response_due_at": response_due, "resolution_due_at": resolution_due, "legal_due_at": legal_due,
            "complaint_filed_at": filed, "complaint_agreed_days": agreed,
            "first_responded_at": first_responded_at,
            "resolved_at": resolved_at if draft.state in ("resolved", "closed") else None,
            "closed_at": closed_at, "version": 1, "created_at": created, "updated_at": updated,
        })  # fmt: skip
        rows[TicketEntry].extend(entries)

    def _path(self, state: str) -> list[str]:
        rng = self.rng
        if state == "new":
            return []
        if state == "open":
            return ["open"]
        direct = rng.random() < self.history.skip_open
        if state == "in_progress":
            return ["in_progress"] if direct else ["open", "in_progress"]
        if state == "waiting_customer":
            return rng.choice((["open", "in_progress", "waiting_customer"], ["open", "waiting_customer"]))
        if rng.random() < 0.1:
            resolved = ["open", "in_progress", "waiting_customer", "in_progress", "resolved"]
        else:
            resolved = ["in_progress", "resolved"] if direct else ["open", "in_progress", "resolved"]
        if state == "resolved":
            return resolved
        # A few tickets are closed straight away (duplicates, spam).
        return ["closed"] if rng.random() < 0.05 else [*resolved, "closed"]

    def _attachment(self, rows: Rows, ticket_id: str, entries: list[dict[str, Any]], created: datetime,
                    horizon: datetime, device: DeviceInfo | None, code: str | None, entry: Any) -> None:  # fmt: skip
        rng = self.rng
        self._attachments += 1
        at = created + (horizon - created) * rng.random()
        author = rng.choice(self.staff.technicians) if rng.random() < 0.5 else None
        if self._attachments % 2:
            content = tiny_png(rng.choice(((200, 40, 40), (40, 160, 60), (30, 90, 200))))
            filename, content_type = rng.choice(("foto_stanice.png", "fotka_štítku.png", "poškozený_kabel.png")), PNG
        else:
            ident = (device.ocpp_identity or device.serial) if device else "CZ-SEC-00000"
            stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            lines = [f"{stamp} {ident} BootNotification přijat",
                     f"{stamp} {ident} StatusNotification connector=1 status=Faulted errorCode={code or 'OtherError'}",
                     f"{stamp} {ident} Reset Soft → Accepted"]  # fmt: skip
            content = ("\n".join(lines) + "\n").encode()
            filename, content_type = "log_stanice.txt", TEXT
        attachment_id = new_uuid(rng)
        rows[Attachment].append({"id": attachment_id, "ticket_id": ticket_id, "filename": filename,
                                 "content_type": content_type, "size": len(content),
                                 "sha256": hashlib.sha256(content).hexdigest(), "uploaded_by_id": author,
                                 "uploaded_at": at})  # fmt: skip
        rows[AttachmentContent].append({"attachment_id": attachment_id, "content": content})
        entry(at, "attachment", author, new_value=attachment_id, body=filename)


def batches(drafts: list[_Draft], size: int) -> Iterator[list[_Draft]]:
    for start in range(0, len(drafts), size):
        yield drafts[start : start + size]
