"""Tickets (faults, complaints, service requests, service events, questions), their full history
with comments and replies, and attachments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, Timestamps, new_id, utcnow, version_column

TICKET_KINDS = ("fault", "complaint", "service_request", "service_event", "question")
TICKET_PRIORITIES = ("low", "normal", "high", "critical")
TICKET_STATES = ("new", "open", "in_progress", "waiting_customer", "resolved", "closed")
OPEN_TICKET_STATES = ("new", "open", "in_progress", "waiting_customer")


class Ticket(Timestamps, Base):
    __tablename__ = "tickets"
    __entity__ = "ticket"
    __change_scope__ = "general"
    __table_args__ = (Index("ix_tickets_state_priority", "state", "priority"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), index=True)
    connector_no: Mapped[int | None]
    error_code: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    state: Mapped[str] = mapped_column(String(20), default="new")
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    first_response_due_at: Mapped[datetime]
    resolution_due_at: Mapped[datetime]
    legal_due_at: Mapped[datetime | None]
    """Consumer complaints: the 30-day statutory deadline, separate from the SLA."""
    complaint_filed_at: Mapped[datetime | None]
    """Complaints: when the customer made it. Kept so the legal deadline can be recomputed when
    the ticket is linked to a (consumer) customer later."""
    complaint_agreed_days: Mapped[int | None]
    """Complaints: a longer settlement period agreed with the consumer, in days (at least 30)."""
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    @property
    def due_at(self) -> datetime:
        """The earliest deadline still running."""
        candidates = [self.resolution_due_at]
        if self.first_responded_at is None:
            candidates.append(self.first_response_due_at)
        if self.legal_due_at is not None:
            candidates.append(self.legal_due_at)
        return min(candidates)


class TicketEntry(Base):
    """One line of a ticket's history: a field change, an internal note or a customer-visible reply."""

    __tablename__ = "ticket_entries"
    __entity__ = "ticket_entry"
    __change_scope__ = "general"
    __table_args__ = (Index("ix_ticket_entries_ticket_at", "ticket_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # created|change|note|reply|attachment|system
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False)
    """True for replies the customer sees; notes are internal."""


class Attachment(Base):
    __tablename__ = "attachments"
    __entity__ = "attachment"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttachmentContent(Base):
    """The bytes, apart from the metadata so lists never load them; in the database so every
    server instance sharing it sees them and an upload is one transaction."""

    __tablename__ = "attachment_contents"

    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"),
                                               primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
