"""SECTRON staff accounts, their sign-in sessions and tokens, and login throttling records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ema_server.db.models.base import Base, Timestamps, new_id, utcnow, version_column


class Operator(Timestamps, Base):
    __tablename__ = "operators"
    __entity__ = "operator"
    __change_scope__ = "general"
    # Every role syncs operators (ticket owners); their contact details stay with the admin API.
    __secret_columns__ = frozenset({"password_hash", "totp_secret", "email"})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = version_column()

    roles: Mapped[list[OperatorRole]] = relationship(
        back_populates="operator", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def role_names(self) -> list[str]:
        return sorted(r.role for r in self.roles)

    def to_record(self) -> dict[str, object]:
        record = super().to_record()
        record["roles"] = self.role_names
        record["totp_enabled"] = self.totp_secret is not None
        return record


class OperatorRole(Base):
    __tablename__ = "operator_roles"

    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    operator: Mapped[Operator] = relationship(back_populates="roles")


class AuthSession(Base):
    """One sign-in: every refresh token rotated from it belongs to it, so revoking it ends them all."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_address: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(64))


class AuthToken(Base):
    """An opaque bearer token, stored only as its SHA-256."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # access | refresh
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    """For refresh tokens: when it was exchanged. A second exchange is a theft signal."""


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client_address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool]


class IdempotencyRecord(Base):
    """The stored answer to a write (POST, PATCH, DELETE) made with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("operator_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    operator_id: Mapped[str] = mapped_column(String(36))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str]
    response_headers: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
