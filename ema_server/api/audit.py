"""The audit trail for the privacy officer and administrators: who did or saw what, when and from
where, filtered by entity, operator, action and time; and a check of the hash chain.

Reading the trail is itself recorded: the supervisory authority may ask who looked."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select

from ema_server.api.context import Caller, requires
from ema_server.api.schemas import Limit, Offset, Output, UtcMoment
from ema_server.db.audit import verify_chain
from ema_server.db.models import AuditRecord
from ema_server.domain.permissions import Permission

router = APIRouter(prefix="/audit", tags=["audit"])

Auditor = Annotated[Caller, Depends(requires(Permission.VIEW_AUDIT))]


class AuditRecordOut(Output):
    seq: int
    at: datetime
    operator_id: str | None
    operator_username: str | None
    action: str
    entity: str | None
    entity_id: str | None
    client_address: str | None
    detail: dict[str, Any]
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


@router.get("", response_model=AuditPage)
async def list_audit_records(
    caller: Auditor,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    entity_id: Annotated[str | None, Query(max_length=36)] = None,
    operator_id: Annotated[str | None, Query(max_length=36)] = None,
    action: Annotated[str | None, Query(max_length=48)] = None,
    from_: Annotated[UtcMoment | None, Query(alias="from", description="ISO 8601 with an offset.")] = None,
    to: Annotated[UtcMoment | None, Query(description="ISO 8601 with an offset.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AuditPage:
    conditions = []
    for column, value in (
        (AuditRecord.entity, entity), (AuditRecord.entity_id, entity_id),
        (AuditRecord.operator_id, operator_id), (AuditRecord.action, action),
    ):
        if value is not None:
            conditions.append(column == value.replace("\x00", ""))
    if from_ is not None:
        conditions.append(AuditRecord.at >= from_)
    if to is not None:
        conditions.append(AuditRecord.at < to)
    session = caller.session
    total = int((await session.execute(select(func.count()).select_from(AuditRecord).where(*conditions))).scalar_one())
    rows = (
        await session.execute(
            select(AuditRecord).where(*conditions).order_by(AuditRecord.seq.desc()).limit(limit).offset(offset)
        )
    ).scalars().all()
    items = [
        AuditRecordOut(
            seq=r.seq, at=r.at, operator_id=r.operator_id, operator_username=r.operator_username, action=r.action,
            entity=r.entity, entity_id=r.entity_id, client_address=r.client_address, detail=json.loads(r.detail),
            hash=r.hash,
        )
        for r in rows
    ]
    await caller.audit(
        "audit.read", entity, entity_id,
        {"count": len(items), "filters": sorted(k for k, v in {"entity": entity, "entity_id": entity_id,
                                                              "operator_id": operator_id, "action": action,
                                                              "from": from_, "to": to}.items() if v)},
    )
    await session.commit()
    return AuditPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/verify", response_model=ChainCheckOut)
async def verify_audit_chain(caller: Auditor) -> ChainCheckOut:
    result = await verify_chain(caller.session)
    return ChainCheckOut(ok=result.ok, checked=result.checked, first_bad_seq=result.first_bad_seq,
                         problem=result.problem)
