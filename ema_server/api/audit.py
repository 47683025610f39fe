"""The audit trail for the privacy officer and administrators: who did or saw what, when and from
where, filtered by subject (the customer whose data it concerns), entity, operator, action and
time; an export of it for the supervisory authority; and a check of the hash chain.

Reading or exporting the trail is itself recorded: the supervisory authority may ask who looked."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import Caller, database, requires
from ema_server.api.problems import FieldInvalid
from ema_server.api.schemas import Limit, Offset, Output, UtcMoment
from ema_server.db.audit import VerifyResult, verify_chain
from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Operator
from ema_server.db.models.base import json_value, utcnow
from ema_server.domain.permissions import Permission

router = APIRouter(prefix="/audit", tags=["audit"])

Auditor = Annotated[Caller, Depends(requires(Permission.VIEW_AUDIT))]

EXPORT_BATCH = 1000
EXPORT_COLUMNS = ("seq", "at", "operator_id", "operator", "operator_name", "action", "entity", "entity_id",
                  "subject_id", "client_address", "detail", "prev_hash", "hash")
_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class AuditRecordOut(Output):
    seq: int
    at: datetime
    operator_id: str | None
    operator_username: str | None
    operator_name: str | None
    """The operator's display name now (the username is the one recorded at the time)."""
    action: str
    entity: str | None
    entity_id: str | None
    subject_id: str | None
    client_address: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(Output):
    items: list[AuditRecordOut]
    total: int
    limit: int
    offset: int


class ChainCheckOut(Output):
    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str | None


# --- filtering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What the officer asks the trail for; every condition given must hold."""

    subject_id: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    operator_id: str | None = None
    action: str | None = None
    """An exact action ("customer.read") or a prefix ending in "*" ("privacy_request.*")."""
    from_: datetime | None = None
    to: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.subject_id is not None:
            # Records about the customer record itself name the customer as their entity, and a
            # search or list that showed the customer names its id in the detail: they concern the
            # subject just as much as those carrying it as their subject. (Ids are UUIDs: a quoted
            # id in the detail JSON is that id.)
            found.append(or_(AuditRecord.subject_id == self.subject_id,
                             and_(AuditRecord.entity == "customer", AuditRecord.entity_id == self.subject_id),
                             AuditRecord.detail.contains(f'"{self.subject_id}"', autoescape=True)))
        for column, value in ((AuditRecord.entity, self.entity), (AuditRecord.entity_id, self.entity_id),
                              (AuditRecord.operator_id, self.operator_id)):
            if value is not None:
                found.append(column == value)
        if self.action is not None and self.action != "*":
            if self.action.endswith("*"):
                found.append(AuditRecord.action.startswith(self.action[:-1], autoescape=True))
            else:
                found.append(AuditRecord.action == self.action)
        if self.from_ is not None:
            found.append(AuditRecord.at >= self.from_)
        if self.to is not None:
            found.append(AuditRecord.at < self.to)
        return found

    def given(self) -> dict[str, str]:
        """The filters set, by their query parameter names (ids, an action and times: no personal data)."""
        values = {"subject_id": self.subject_id, "entity": self.entity, "entity_id": self.entity_id,
                  "operator_id": self.operator_id, "action": self.action, "from": self.from_, "to": self.to}
        return {name: str(json_value(value)) for name, value in values.items() if value is not None}


async def audit_filter(
    subject_id: Annotated[str | None, Query(max_length=36, description="Customer whose data the records concern.")]
    = None,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    entity_id: Annotated[str | None, Query(max_length=36)] = None,
    operator_id: Annotated[str | None, Query(max_length=36)] = None,
    action: Annotated[str | None, Query(max_length=48, description='An action, or a prefix ending in "*".')] = None,
    from_: Annotated[UtcMoment | None, Query(alias="from", description="ISO 8601 with an offset.")] = None,
    to: Annotated[UtcMoment | None, Query(description="ISO 8601 with an offset.")] = None,
) -> AuditFilter:
    if action is not None and "*" in action[:-1]:
        raise FieldInvalid("action", 'only a trailing "*" is allowed (as in "privacy_request.*")')
    return AuditFilter(subject_id=subject_id, entity=entity, entity_id=entity_id, operator_id=operator_id,
                       action=action, from_=from_, to=to)


Filter = Annotated[AuditFilter, Depends(audit_filter)]


def _records(where: AuditFilter) -> Select[AuditRecord, str]:
    return (select(AuditRecord, Operator.display_name)
            .outerjoin(Operator, Operator.id == AuditRecord.operator_id)
            .where(*where.conditions()))


def _out(record: AuditRecord, operator_name: str | None) -> AuditRecordOut:
    return AuditRecordOut(
        seq=record.seq, at=record.at, operator_id=record.operator_id, operator_username=record.operator_username,
        operator_name=operator_name, action=record.action, entity=record.entity, entity_id=record.entity_id,
        subject_id=record.subject_id, client_address=record.client_address, detail=json.loads(record.detail),
        prev_hash=record.prev_hash, hash=record.hash,
    )


async def count_records(session: AsyncSession, where: AuditFilter, up_to_seq: int | None = None) -> int:
    query = select(func.count()).select_from(AuditRecord).where(*where.conditions())
    if up_to_seq is not None:
        query = query.where(AuditRecord.seq <= up_to_seq)
    return int((await session.execute(query)).scalar_one())


async def find_records(session: AsyncSession, where: AuditFilter, limit: int, offset: int) -> list[AuditRecordOut]:
    """The matching records, newest first."""
    rows = (await session.execute(_records(where).order_by(AuditRecord.seq.desc()).limit(limit).offset(offset))).all()
    return [_out(record, name) for record, name in rows]


async def export_batches(db: Database, where: AuditFilter, up_to_seq: int,
                         batch: int = EXPORT_BATCH) -> AsyncIterator[list[AuditRecordOut]]:
    """The matching records up to `up_to_seq`, oldest first, `batch` at a time, each batch read in
    its own short transaction (keyset paging on seq), so a long export holds no lock."""
    after = 0
    while True:
        async with db.sessions() as session:
            rows = (
                await session.execute(
                    _records(where).where(AuditRecord.seq > after, AuditRecord.seq <= up_to_seq)
                    .order_by(AuditRecord.seq).limit(batch)
                )
            ).all()
        if not rows:
            return
        yield [_out(record, name) for record, name in rows]
        if len(rows) < batch:
            return
        after = rows[-1][0].seq


def _export_row(record: AuditRecordOut) -> dict[str, Any]:
    return {
        "seq": record.seq, "at": json_value(record.at), "operator_id": record.operator_id,
        "operator": record.operator_username, "operator_name": record.operator_name, "action": record.action,
        "entity": record.entity, "entity_id": record.entity_id, "subject_id": record.subject_id,
        "client_address": record.client_address, "detail": record.detail, "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def _csv(records: Sequence[AuditRecordOut], header: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(EXPORT_COLUMNS)
    for record in records:
        row = _export_row(record)
        row["detail"] = json.dumps(record.detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        writer.writerow("" if row[column] is None else row[column] for column in EXPORT_COLUMNS)
    return out.getvalue()


def _json_records(records: Sequence[AuditRecordOut], first: bool) -> str:
    parts = (json.dumps(_export_row(r), ensure_ascii=False, separators=(",", ":")) for r in records)
    return ("" if first else ",\n") + ",\n".join(parts)


def _chain_out(result: VerifyResult) -> ChainCheckOut:
    return ChainCheckOut(ok=result.ok, checked=result.checked, first_bad_seq=result.first_bad_seq,
                         problem=result.problem)


# --- endpoints --------------------------------------------------------------------------------


@router.get("", response_model=AuditPage, summary="Audit records, newest first")
async def list_audit_records(caller: Auditor, where: Filter, limit: Limit = 50, offset: Offset = 0) -> AuditPage:
    """Who did or saw what. `subject_id` finds every record about a customer's data; `action` may
    be a prefix ending in "*". Recorded as `audit.read`."""
    session = caller.session
    total = await count_records(session, where)
    items = await find_records(session, where, limit, offset)
    await caller.audit("audit.read", where.entity, where.entity_id,
                       {"count": len(items), "filters": sorted(where.given())}, subject_id=where.subject_id)
    await session.commit()
    return AuditPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/export",
    response_class=StreamingResponse,
    summary="Export audit records for the supervisory authority",
    responses={200: {"description": "CSV with a header row, or a JSON document with the chain check and the records",
                     "content": {"text/csv": {}, "application/json": {}}}},
)
async def export_audit_records(
    caller: Auditor, where: Filter,
    export_format: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
) -> StreamingResponse:  # fmt: skip
    """The matching records oldest first, as a download named `audit-trail-<date>.<format>`.

    The chain is verified first; the export holds the matching records among those verified (the
    trail as it stood when the export began), and the JSON document says what the check found.
    Streamed in batches. Recorded as `audit.export` with the filters.
    """
    session = caller.session
    chain = await verify_chain(session)
    up_to = chain.checked if chain.ok else int(
        (await session.execute(select(func.max(AuditRecord.seq)))).scalar_one_or_none() or 0)
    count = await count_records(session, where, up_to)
    exported_at = utcnow()
    await caller.audit("audit.export", where.entity, where.entity_id,
                       {"format": export_format, "filters": where.given(), "count": count, "chain_ok": chain.ok},
                       subject_id=where.subject_id)
    await session.commit()
    db = database(caller.request)
    filename = f"audit-trail-{exported_at.date().isoformat()}.{export_format}"

    async def body() -> AsyncIterator[str]:
        if export_format == "csv":
            yield _csv([], header=True)
            async for records in export_batches(db, where, up_to):
                yield _csv(records, header=False)
            return
        head = {"exported_at": json_value(exported_at), "filters": where.given(), "count": count,
                "chain": _chain_out(chain).model_dump()}
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "records": [\n'
        first = True
        async for records in export_batches(db, where, up_to):
            yield _json_records(records, first)
            first = False
        yield "\n ]\n}\n"

    return StreamingResponse(body(), media_type=_MEDIA_TYPES[export_format],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/verify", response_model=ChainCheckOut, summary="Check the audit trail's hash chain")
async def verify_audit_chain(caller: Auditor) -> ChainCheckOut:
    return _chain_out(await verify_chain(caller.session))
