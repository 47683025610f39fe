"""Declarative base, column types and mixins shared by every table.

Each table class says whether its rows travel through the change feed (`__change_scope__`) and
which columns never leave the server (`__secret_columns__`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database.

    SQLite keeps no time zone, so values are stored as naive UTC and given their zone back on
    the way out; PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), str: String()}

    __change_scope__: ClassVar[str | None] = None
    """'general' or 'privacy' when rows of this table are published on /changes."""
    __secret_columns__: ClassVar[frozenset[str]] = frozenset()
    __entity__: ClassVar[str] = ""
    """The entity name used in the change feed, events and the audit trail."""

    def to_record(self) -> dict[str, Any]:
        """The row as JSON-ready data, without the columns that never leave the server."""
        out: dict[str, Any] = {}
        for column in self.__table__.columns:
            if column.key in self.__secret_columns__:
                continue
            out[column.key] = json_value(getattr(self, column.key))
        return out


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def version_column() -> Mapped[int]:
    """A row version for optimistic concurrency (ETag / If-Match); pair it with
    `__mapper_args__ = {"version_id_col": version}` so SQLAlchemy bumps and checks it."""
    return mapped_column(Integer, nullable=False, default=1)
