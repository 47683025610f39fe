"""Data-subject requests (GDPR rights, policy section 24) and their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, Timestamps, new_id, utcnow, version_column

PRIVACY_RIGHTS = (
    "access", "rectification", "erasure", "restriction", "portability",
    "objection", "consent_withdrawal", "complaint",
)  # fmt: skip
PRIVACY_STATES = ("received", "identity_verification", "in_progress", "extended", "completed", "refused")
PRIVACY_CHANNELS = ("email", "letter", "phone", "in_app", "in_person")
REQUESTER_RELATIONS = ("subject", "app_user", "guardian", "representative")
IDENTITY_CHECKS = (
    "signed_in_app",  # the request came from the subject's signed-in app account
    "registered_email_reply",  # a reply from the e-mail address registered with the customer
    "rfid_and_last_session",  # last digits of an RFID card plus the date of the last charging session
    "customer_details_on_call",  # customer number and contract details confirmed on a call back to the registered phone
    "in_person_document_seen",  # an identity document seen in person (no copy kept)
    "guardian_authority",  # the guardian's own check plus the child's account link
    "representative_mandate",  # a signed mandate of the representative, checked against the subject's details
)  # fmt: skip
CONSENT_PURPOSES = ("marketing_email", "marketing_push", "analytics", "location", "camera")


class PrivacyRequest(Timestamps, Base):
    __tablename__ = "privacy_requests"
    __entity__ = "privacy_request"
    __change_scope__ = "privacy"
    __table_args__ = (Index("ix_privacy_requests_state_due", "state", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    right: Mapped[str] = mapped_column(String(24))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    subject_email: Mapped[str | None] = mapped_column(String(254))
    subject_phone: Mapped[str | None] = mapped_column(String(20))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_relation: Mapped[str] = mapped_column(String(16), default="subject")
    channel: Mapped[str] = mapped_column(String(16))
    original_text: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    """One calendar month after receipt; moved by a recorded extension only."""
    extended_due_at: Mapped[datetime | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_notified_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(24), default="received")
    identity_check: Mapped[str | None] = mapped_column(String(64))
    """Which check passed (IDENTITY_CHECKS), never a copy of a document."""
    identity_check_detail: Mapped[str | None] = mapped_column(Text)
    """What was compared, in words ("card ending 4411, last session 3 Nov confirmed")."""
    identity_requested_at: Mapped[datetime | None]
    """When proof of identity was asked for: the request waits for it in `identity_verification`."""
    subject_account_id: Mapped[str | None] = mapped_column(ForeignKey("customer_accounts.id", ondelete="SET NULL"))
    """The app user the request is about or came from, when not the customer as a whole."""
    purposes: Mapped[list[str] | None] = mapped_column(JSON)
    """Objection and consent withdrawal: the purposes concerned (CONSENT_PURPOSES)."""
    identity_verified_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    identity_verified_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    """What was done, as told to the subject."""
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    authority_notice: Mapped[bool] = mapped_column(default=False)
    """Refusal: the subject was told they may complain to ÚOOÚ and go to court (Art. 12(4))."""
    answer_sent_at: Mapped[datetime | None]
    answer_channel: Mapped[str | None] = mapped_column(String(16))
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    handler_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    @property
    def effective_due_at(self) -> datetime:
        return self.extended_due_at or self.due_at


class PrivacyRequestEntry(Base):
    __tablename__ = "privacy_request_entries"
    __entity__ = "privacy_request_entry"
    __change_scope__ = "privacy"
    __table_args__ = (Index("ix_privacy_request_entries_request_at", "request_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("privacy_requests.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # created|change|note|step|rectification|erasure|package
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
