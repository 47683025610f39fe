"""What the data-protection workflows keep besides the requests themselves: consent history,
restrictions (Art. 18), legal holds, access packages, executed erasures and the records they kept,
retention settings and runs, and the recipients of customers' data with their notices (Art. 19).

None of these rows travels through the change feed: the privacy officer's console reads them
through the API (ema_server/api/data_protection.py and neighbours).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, new_id, utcnow, version_column

CONSENT_SOURCES = ("app", "web", "phone", "paper", "email", "privacy_request")
RESTRICTION_GROUNDS = ("art18_request", "erasure_kept", "objection_pending")
RECIPIENT_CATEGORIES = ("roaming_partner", "payment_provider", "mailing_tool", "helpdesk", "hosting", "authority")
NOTICE_ACTIONS = ("rectification", "erasure", "restriction")
NOTICE_STATES = ("pending", "notified", "acknowledged", "exempted")
RETENTION_ACTIONS = ("delete", "anonymise", "restrict")
PACKAGE_KINDS = ("access", "portability")


class ConsentEvent(Base):
    """One grant or withdrawal of consent to one purpose; the history behind `consents`."""

    __tablename__ = "consent_events"
    __table_args__ = (Index("ix_consent_events_customer_at", "customer_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    request_id: Mapped[str | None] = mapped_column(ForeignKey("privacy_requests.id", ondelete="SET NULL"))


class Restriction(Base):
    """Art. 18: while `lifted_at` is null the customer's data may only be stored."""

    __tablename__ = "restrictions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    ground: Mapped[str] = mapped_column(String(24))
    request_id: Mapped[str | None] = mapped_column(ForeignKey("privacy_requests.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    placed_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    subject_notified_at: Mapped[datetime | None]
    """Art. 18(3): when the subject was told the restriction will be lifted; required to lift it."""
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class LegalHold(Base):
    """Data kept for proceedings: nothing under a hold is erased or expires until it is lifted."""

    __tablename__ = "legal_holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(100))
    """The proceedings: case number, authority, court."""
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    placed_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class AccessPackage(Base):
    """An access (Art. 15) or portability (Art. 20) package: metadata here, the encrypted ZIP apart."""

    __tablename__ = "access_packages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("privacy_requests.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    size: Mapped[int]
    """Bytes of the ZIP before encryption."""
    sha256: Mapped[str] = mapped_column(String(64))
    """Of the ZIP before encryption, so the subject can check what they received."""
    categories: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    """Records per category in the package."""
    downloads: Mapped[int] = mapped_column(default=0)
    expired_at: Mapped[datetime | None]
    """When the content was deleted (at `expires_at` or later)."""


class AccessPackageContent(Base):
    __tablename__ = "access_package_contents"

    package_id: Mapped[str] = mapped_column(ForeignKey("access_packages.id", ondelete="CASCADE"), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16))
    """Which server key encrypted it (ema_server/privacy/sealing.py)."""
    content: Mapped[bytes] = mapped_column(LargeBinary)
    """AES-256-GCM: 12-byte nonce followed by the ciphertext and tag."""


class Erasure(Base):
    """One executed erasure: the plan as confirmed, the report, the letter, the verification."""

    __tablename__ = "erasures"
    __table_args__ = (UniqueConstraint("request_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("privacy_requests.id", ondelete="RESTRICT"))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    """No foreign key: the customer may be gone."""
    executed_at: Mapped[datetime] = mapped_column(default=utcnow)
    executed_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    plan: Mapped[dict[str, object]] = mapped_column(JSON)
    report: Mapped[dict[str, object]] = mapped_column(JSON)
    verification: Mapped[dict[str, object]] = mapped_column(JSON)
    letter_cs: Mapped[str] = mapped_column(Text)
    letter_en: Mapped[str] = mapped_column(Text)
    ledger_hash: Mapped[str] = mapped_column(String(64))
    """Hash of this erasure's entry in the erasure ledger file."""


class KeptRecord(Base):
    """A record an erasure (or a retention run) kept for a legal reason, restricted until `keep_until`."""

    __tablename__ = "kept_records"
    __table_args__ = (Index("ix_kept_records_until", "erased_at", "keep_until"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    erasure_id: Mapped[str | None] = mapped_column(ForeignKey("erasures.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    basis: Mapped[str] = mapped_column(String(32))
    """accounting | vat | legal_claims | legal_hold | contract | accountability"""
    keep_until: Mapped[date | None]
    """None while a legal hold lasts."""
    erased_at: Mapped[datetime | None]
    """When the scheduled erasure ran."""


class RetentionPolicy(Base):
    """The period of one retention category (BRIEF section 4), set by an administrator."""

    __tablename__ = "retention_policies"

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    period_days: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))


class RetentionRun(Base):
    __tablename__ = "retention_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    dry_run: Mapped[bool]
    trigger: Mapped[str] = mapped_column(String(16))  # cli|schedule|operator
    summary: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class DataRecipient(Base):
    """Someone outside SECTRON who receives customers' data (policy section on recipients)."""

    __tablename__ = "data_recipients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(24))
    country: Mapped[str] = mapped_column(String(2), default="CZ")
    purpose: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)


class RecipientDisclosure(Base):
    """A recipient received (some of) a customer's data."""

    __tablename__ = "recipient_disclosures"
    __table_args__ = (UniqueConstraint("recipient_id", "customer_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("data_recipients.id", ondelete="CASCADE"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecipientNotice(Base):
    """Art. 19: whether a recipient was told of a rectification, erasure or restriction."""

    __tablename__ = "recipient_notices"
    __table_args__ = (UniqueConstraint("request_id", "recipient_id", "action"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("privacy_requests.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("data_recipients.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    justification: Mapped[str | None] = mapped_column(Text)
    """Required when exempted: why telling them is impossible or disproportionate."""
    notified_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}
