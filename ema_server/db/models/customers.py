"""Customers and what hangs off them: contacts, app accounts and their login history, contracts,
consents, documents and RFID cards (BRIEF section 3)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, Timestamps, new_id, utcnow, version_column

CUSTOMER_KINDS = ("consumer", "business", "municipality", "institution")
CUSTOMER_STATUSES = ("active", "restricted", "blocked", "closed")


class Customer(Timestamps, Base):
    __tablename__ = "customers"
    __entity__ = "customer"
    __change_scope__ = "general"
    __secret_columns__ = frozenset({"search_text"})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_number: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    """The person: the consumer, or the contact person of an organisation."""
    company_name: Mapped[str | None] = mapped_column(String(200))
    ico: Mapped[str | None] = mapped_column(String(8), index=True)
    dic: Mapped[str | None] = mapped_column(String(12))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    """E.164, e.g. +420601234567."""
    language: Mapped[str] = mapped_column(String(2), default="cs")
    birth_date: Mapped[date | None]
    billing_street: Mapped[str | None] = mapped_column(String(200))
    billing_city: Mapped[str | None] = mapped_column(String(100))
    billing_postal_code: Mapped[str | None] = mapped_column(String(10))
    billing_country: Mapped[str] = mapped_column(String(2), default="CZ")
    delivery_street: Mapped[str | None] = mapped_column(String(200))
    delivery_city: Mapped[str | None] = mapped_column(String(100))
    delivery_postal_code: Mapped[str | None] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    marketing_email: Mapped[bool] = mapped_column(default=False)
    marketing_push: Mapped[bool] = mapped_column(default=False)
    restricted_at: Mapped[datetime | None]
    """Art. 18 restriction in force since then: only storage; hidden from all but privacy officers
    and administrators (ema_server/privacy/restriction.py)."""
    erased_at: Mapped[datetime | None]
    """Set when an erasure left only what the law obliges keeping (the customer is then restricted)."""
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Folded name, company, e-mail, phone digits, numbers, serials and OCPP ids, for search."""
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class Contact(Timestamps, Base):
    __tablename__ = "contacts"
    __entity__ = "contact"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="general")  # general|billing|technical
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class CustomerAccount(Timestamps, Base):
    """A user of the customer's EMA app."""

    __tablename__ = "customer_accounts"
    __entity__ = "customer_account"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    login_email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="owner")  # owner|manager|driver|viewer
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    birth_date: Mapped[date | None]
    guardian_consent_at: Mapped[datetime | None]
    """Children under 15 use EMA only with a guardian's consent (policy section 26)."""
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class AccountLogin(Base):
    """Login history and security log of an app account (kept at most 12 months)."""

    __tablename__ = "account_logins"
    __table_args__ = (Index("ix_account_logins_account_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    event: Mapped[str] = mapped_column(String(32), default="login")  # login|failed_login|password_changed|mfa_enabled
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class Contract(Timestamps, Base):
    __tablename__ = "contracts"
    __entity__ = "contract"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    service: Mapped[str] = mapped_column(String(32))  # station_maintenance|sim_connectivity|ema_subscription
    price_czk: Mapped[int]
    """Price per billing period in whole CZK, VAT excluded."""
    billing_period: Mapped[str] = mapped_column(String(16))  # monthly|quarterly|yearly
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="active")  # active|ended|terminated
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class Consent(Timestamps, Base):
    __tablename__ = "consents"
    __entity__ = "consent"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # marketing_email|marketing_push|analytics|location|camera
    granted: Mapped[bool]
    granted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(16))  # app|web|phone|paper|email
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class Document(Timestamps, Base):
    __tablename__ = "documents"
    __entity__ = "document"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # invoice|contract|service_report|credit_note
    number: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    amount_czk: Mapped[int | None]
    retention_category: Mapped[str] = mapped_column(String(32))
    """accounting (5 y) | vat (10 y) | legal_claims (3 y) | contract (term) — policy section 18."""
    retain_until: Mapped[date | None]
    legal_hold: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}


class RfidCard(Timestamps, Base):
    __tablename__ = "rfid_cards"
    __entity__ = "rfid_card"
    __change_scope__ = "general"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    id_tag: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}
