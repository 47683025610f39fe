"""Append-only logs: the change feed behind /changes, the live event log behind /events, and the
hash-chained audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ema_server.db.models.base import Base, utcnow

# SQLite only auto-numbers an INTEGER PRIMARY KEY; AUTOINCREMENT stops it reusing numbers after
# the newest rows are pruned, which would make an old cursor point at new changes.
SEQUENCE = BigInteger().with_variant(Integer, "sqlite")


class ChangeRecord(Base):
    """One created, updated or deleted record, numbered in commit order."""

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # upsert | delete
    scope: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None]
    data: Mapped[str | None] = mapped_column(Text)
    """The record as JSON at this change; null for a tombstone."""
    at: Mapped[datetime] = mapped_column(default=utcnow)


class EventRecord(Base):
    """A live event, kept so that a client reconnecting with Last-Event-ID misses nothing."""

    __tablename__ = "event_log"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AuditRecord(Base):
    """Who did or saw what, when, from where. Never updated or deleted (database triggers refuse
    it); each record carries the hash of the one before, so a change or a gap is detectable."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    operator_id: Mapped[str | None] = mapped_column(String(36), index=True)
    operator_username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    """The customer whose personal data was read or changed, when there is one: the audit viewer
    filters by it. Part of the hash only when set, so records written before it existed verify."""
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
