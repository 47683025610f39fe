"""The audit trail: append a hash-chained record, and verify the chain.

Each record's hash covers its own fields and the previous record's hash; a head row keeps the
newest sequence number and hash, so a changed record, a removed one, or removed newest records
all show up in `verify`. Database triggers refuse UPDATE and DELETE on the trail itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, Column, Integer, MetaData, String, Table, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models.base import Base, json_value, utcnow
from ema_server.db.models.logs import AuditRecord
from ema_server.db.tracking import take_ordering_lock

GENESIS = "0" * 64

audit_head = Table(
    "audit_head",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(
        {k: json_value(v) for k, v in sorted(fields.items())}, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _fields(r: AuditRecord) -> dict[str, Any]:
    fields = {
        "seq": r.seq,
        "at": r.at,
        "operator_id": r.operator_id,
        "operator_username": r.operator_username,
        "action": r.action,
        "entity": r.entity,
        "entity_id": r.entity_id,
        "client_address": r.client_address,
        "detail": r.detail,
    }
    if r.subject_id is not None:
        fields["subject_id"] = r.subject_id
    return fields


async def append_audit(
    session: AsyncSession,
    *,
    action: str,
    operator_id: str | None = None,
    operator_username: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    client_address: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    subject_id: str | None = None,
) -> AuditRecord:
    """Add one record to the trail in the caller's transaction (committed with its work)."""
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    head = (await session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1))).first()
    prev_seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    record = AuditRecord(
        seq=prev_seq + 1,
        at=at or utcnow(),
        operator_id=operator_id,
        operator_username=operator_username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_address=client_address,
        subject_id=subject_id,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        prev_hash=prev_hash,
        hash="",
    )
    record.hash = record_hash(prev_hash, _fields(record))
    session.add(record)
    if head:
        await session.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=record.seq, hash=record.hash))
    else:
        await session.execute(audit_head.insert().values(id=1, seq=record.seq, hash=record.hash))
    await session.flush()
    return record


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


async def verify_chain(session: AsyncSession, batch: int = 5000) -> VerifyResult:
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    last_seq = 0
    while True:
        rows = (
            await session.execute(
                select(AuditRecord).where(AuditRecord.seq >= expected_seq).order_by(AuditRecord.seq).limit(batch)
            )
        ).scalars().all()
        if not rows:
            break
        for r in rows:
            if r.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"record {expected_seq} is missing")
            if r.prev_hash != prev_hash:
                return VerifyResult(False, checked, r.seq, "link to the previous record is broken")
            if record_hash(prev_hash, _fields(r)) != r.hash:
                return VerifyResult(False, checked, r.seq, "record content does not match its hash")
            prev_hash, last_seq = r.hash, r.seq
            expected_seq += 1
            checked += 1
        session.expunge_all()
    head = (await session.execute(select(audit_head.c.seq, audit_head.c.hash))).first()
    if head is not None and (head[0] != last_seq or head[1] != prev_hash):
        return VerifyResult(False, checked, last_seq + 1, f"records after {last_seq} up to {head[0]} are missing")
    if head is None and last_seq:
        return VerifyResult(False, checked, None, "the chain head is missing")
    return VerifyResult(True, checked)


# The trail is append-only in the database itself, not only by convention of this code.
_SQLITE_GUARDS = [
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
_POSTGRES_GUARDS = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def append_only_guards(dialect: str) -> list[str]:
    return _SQLITE_GUARDS if dialect == "sqlite" else _POSTGRES_GUARDS


def _install_guards(metadata: MetaData) -> None:
    table = metadata.tables["audit_log"]
    for statement in _SQLITE_GUARDS:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
    for statement in _POSTGRES_GUARDS:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))  # type: ignore[no-untyped-call]


_install_guards(Base.metadata)
