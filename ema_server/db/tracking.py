"""Records every change of a published table in the change log, in commit order.

A flush that touches published rows first takes the ordering lock (PostgreSQL: a transaction
advisory lock held to commit; SQLite: already serialised by BEGIN IMMEDIATE), so change and
event numbers are handed out in the order their transactions commit and a reader's cursor can
never step over a change that commits later with a smaller number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from ema_server.db.models.base import Base, utcnow
from ema_server.db.models.logs import ChangeRecord, EventRecord

ORDERING_LOCK_KEY = 7_340_001
_NUMBERED_LOGS = frozenset({ChangeRecord.__tablename__, EventRecord.__tablename__})


class TrackedSession(Session):
    """The sync session behind every AsyncSession of the server."""


def take_ordering_lock(connection: Connection) -> None:
    """Hold the ordering lock to the end of the current transaction (a no-op on SQLite)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ORDERING_LOCK_KEY})


def _published(obj: object) -> bool:
    return isinstance(obj, Base) and obj.__change_scope__ is not None


@event.listens_for(TrackedSession, "before_flush")
def _lock_before_publishing(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    touched = [*session.new, *session.dirty, *session.deleted]
    if any(_published(o) or isinstance(o, EventRecord) for o in touched):
        take_ordering_lock(session.connection())


@event.listens_for(TrackedSession, "do_orm_execute")
def _lock_before_bulk_logging(state: ORMExecuteState) -> None:
    # Rows written straight into the logs (demo data: `change_rows_for`) are numbered in commit
    # order too, like the ones written at flush.
    table = getattr(state.statement, "table", None) if state.is_insert else None
    if getattr(table, "name", None) in _NUMBERED_LOGS:
        take_ordering_lock(state.session.connection())


@event.listens_for(TrackedSession, "after_flush")
def _record_changes(session: Session, _ctx: UOWTransaction) -> None:
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if _published(obj):
            rows.append(_upsert(obj, now))
    for obj in session.dirty:
        if _published(obj) and session.is_modified(obj, include_collections=False):
            rows.append(_upsert(obj, now))
    for obj in session.deleted:
        if _published(obj):
            assert isinstance(obj, Base)
            rows.append(
                {
                    "entity": obj.__entity__,
                    "entity_id": str(getattr(obj, "id")),  # noqa: B009
                    "op": "delete",
                    "scope": obj.__change_scope__,
                    "version": None,
                    "data": None,
                    "at": now,
                }
            )
    if rows:
        session.connection().execute(insert(ChangeRecord), rows)


def _upsert(obj: object, now: Any) -> dict[str, Any]:
    assert isinstance(obj, Base)
    record = obj.to_record()
    return {
        "entity": obj.__entity__,
        "entity_id": str(record["id"]),
        "op": "upsert",
        "scope": obj.__change_scope__,
        "version": record.get("version"),
        "data": json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        "at": now,
    }


def tombstone_rows(records: Iterable[Base], scope: str) -> list[dict[str, Any]]:
    """Delete rows for records that still exist, in `scope`: tells the consoles reading that scope
    to drop their copies (a restriction of a customer's data: ema_server/privacy/visibility.py)."""
    now = utcnow()
    return [
        {"entity": r.__entity__, "entity_id": str(getattr(r, "id")), "op": "delete",  # noqa: B009
         "scope": scope, "version": None, "data": None, "at": now}
        for r in records
    ]  # fmt: skip


def republish_rows(records: Iterable[Base], scope: str) -> list[dict[str, Any]]:
    """Upsert rows with the current state of `records`, in `scope`: publishes them again to consoles
    that dropped them (the lifting of a restriction)."""
    now = utcnow()
    return [{**_upsert(r, now), "scope": scope} for r in records]


def change_rows_for(records: list[dict[str, Any]], entity: str, scope: str) -> list[dict[str, Any]]:
    """Change-log rows for records bulk-inserted without the ORM (demo data)."""
    now = utcnow()
    return [
        {
            "entity": entity,
            "entity_id": str(r["id"]),
            "op": "upsert",
            "scope": scope,
            "version": r.get("version"),
            "data": json.dumps(r, ensure_ascii=False, separators=(",", ":"), default=str),
            "at": now,
        }
        for r in records
    ]
