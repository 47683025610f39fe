"""The incremental sync feed: every created, updated and deleted published record, in commit order.

A client keeps the opaque `next_cursor` of its last page and asks for what came after it. Rows
are numbered under the ordering lock (see `ema_server.db.tracking`), so numbers follow commit
order; a page reads only up to the newest number committed when it started, so a change that
commits later never gets a number below a cursor already handed out.

Pages are built from the stored JSON texts without parsing them again: a pull of the whole feed
is hundreds of thousands of rows.

Records of a customer whose data is restricted (Art. 18) reach only callers with HANDLE_PRIVACY;
the others get tombstones instead (scope "withheld"): see ema_server.privacy.visibility.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import CurrentCaller
from ema_server.api.problems import FieldInvalid
from ema_server.api.schemas import Output
from ema_server.db.models.data_protection import Restriction
from ema_server.db.models.logs import ChangeRecord
from ema_server.domain.permissions import visible_scopes
from ema_server.privacy.visibility import sees_restricted, withheld_record_ids

router = APIRouter(tags=["changes"])

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
# Sequence numbers are BIGINT; a larger cursor must be refused before it reaches the database.
MAX_CURSOR = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")

# Staff accounts are published too, but they hold no customer's data: a page of only those is
# not a read of personal data of customers and is not audited.
_NOT_CUSTOMER_DATA = frozenset({"operator"})


def parse_cursor(raw: str, field: str) -> int:
    """A feed position sent by a client: a non-negative integer (sent as text), else 422."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text) or int(text) > MAX_CURSOR:
        raise FieldInvalid(field, "must be a cursor returned by the server (a non-negative integer)", "invalid_cursor")
    return int(text)


class ChangeOut(Output):
    seq: int
    entity: str
    id: str
    op: Literal["upsert", "delete"]
    version: int | None
    data: dict[str, Any] | None
    """The whole record after the change; null for a delete."""
    at: datetime


class ChangesOut(Output):
    changes: list[ChangeOut]
    next_cursor: str
    """Send as `since` to get the changes after this page."""
    has_more: bool
    latest: int
    """The newest change number when the page was read: how far a client has to go (progress)."""


def _iso(value: datetime | str) -> str:
    """A change's time as the rest of the API writes times (`json_value`)."""
    if isinstance(value, str):
        # SQLite hands back the stored text, "YYYY-MM-DD HH:MM:SS.ffffff" in UTC; rewriting it is
        # much cheaper than parsing it, and parsing remains for anything else.
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            fraction = value[20:]
            return f"{value[:10]}T{value[11:19]}{'' if fraction == '000000' else '.' + fraction}Z"
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value  # not ours to fail a whole page over
        value = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def _any_restriction(session: AsyncSession) -> bool:
    """Whether any customer is restricted now: without one a page needs no filter at all."""
    found = await session.execute(select(Restriction.id).where(Restriction.lifted_at.is_(None)).limit(1))
    return found.first() is not None


@router.get(
    "/changes",
    response_class=Response,
    responses={200: {"model": ChangesOut, "description": "Changes after the cursor, oldest first."}},
)
async def list_changes(
    caller: CurrentCaller,
    since: Annotated[
        str, Query(max_length=40, description="`next_cursor` of the previous page; 0 = from the start")
    ] = "0",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    cursor = parse_cursor(since, "since")
    scopes = visible_scopes(caller.permissions)
    session = caller.session

    newest = int((await session.execute(select(func.max(ChangeRecord.seq)))).scalar() or 0)
    rows: list[Any] = []
    if newest > cursor and scopes:
        query = select(
            ChangeRecord.seq, ChangeRecord.entity, ChangeRecord.entity_id, ChangeRecord.op,
            # The stored value as the driver returns it: see _iso.
            ChangeRecord.version, ChangeRecord.data, type_coerce(ChangeRecord.at, String()),
        ).where(ChangeRecord.seq > cursor, ChangeRecord.seq <= newest, ChangeRecord.scope.in_(scopes))  # fmt: skip
        if not sees_restricted(caller) and await _any_restriction(session):
            # Records of a customer restricted now reach privacy officers only; their tombstones
            # (scope "withheld") pass. One subquery per page: see ema_server.privacy.visibility.
            query = query.where(
                or_(ChangeRecord.op == "delete", ChangeRecord.entity_id.not_in(withheld_record_ids()))
            )
        # Core, not ORM execution: plain tuples, no per-row ORM bookkeeping.
        connection = await session.connection()
        rows = list((await connection.execute(query.order_by(ChangeRecord.seq).limit(limit))).all())

    # A full page ends at its last row; a short one scanned everything up to `newest`, rows the
    # caller may not see included, so the next page starts after them.
    full = len(rows) >= limit
    next_cursor = rows[-1][0] if full else max(newest, cursor)
    has_more = full and next_cursor < newest

    quote = encode_basestring_ascii
    items = [
        f'{{"seq":{seq},"entity":{quote(entity)},"id":{quote(entity_id)},"op":{quote(op)},'
        f'"version":{"null" if version is None else int(version)},"data":{data or "null"},"at":"{_iso(at)}"}}'
        for seq, entity, entity_id, op, version, data, at in rows
    ]
    more = "true" if has_more else "false"
    body = f'{{"changes":[{",".join(items)}],"next_cursor":"{next_cursor}","has_more":{more},"latest":{newest}}}'

    entities = Counter(row[1] for row in rows)
    if any(entity not in _NOT_CUSTOMER_DATA for entity in entities):
        await caller.audit(
            "changes.read",
            detail={
                "count": len(rows),
                "entities": dict(sorted(entities.items())),
                "since": cursor,
                "until": next_cursor,
            },
        )
        await session.commit()
    # A lone surrogate cannot be encoded as UTF-8; inside a JSON string "\udXXX" is its escape.
    return Response(body.encode("utf-8", "backslashreplace"), media_type="application/json")
