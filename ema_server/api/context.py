"""What every API handler stands on: the database session, the signed-in operator and what they
may do, the client address, audit records, ETags and idempotent writes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.problems import (
    FieldInvalid,
    IdempotencyKeyReused,
    InvalidToken,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    PreconditionRequired,
    StaleVersion,
)
from ema_server.api.schemas import UNSTORABLE
from ema_server.db.audit import append_audit
from ema_server.db.engine import Database
from ema_server.db.models import AuthSession, AuthToken, IdempotencyRecord, Operator, utcnow
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.permissions import Permission, permissions_for
from ema_server.security import token_hash

IDEMPOTENCY_TTL = timedelta(hours=24)


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with database(request).sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(db_session)]


async def storable_parameters(request: Request) -> None:
    """Refuse control characters in path and query parameters before a handler compares them in
    the database, where NUL is an error on PostgreSQL: no record has such an id (404), and a filter
    with one is a 422 naming the parameter.

    A coroutine although it awaits nothing: FastAPI runs a plain function dependency in a worker
    thread, and this one runs for every request."""
    for value in request.path_params.values():
        if isinstance(value, str) and UNSTORABLE.search(value):
            raise NotFound("No record has this id.")
    for name, value in request.query_params.multi_items():
        if UNSTORABLE.search(value):
            raise FieldInvalid(name, "contains control characters")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass
class Caller:
    """The signed-in operator behind a request, with the open database session."""

    session: AsyncSession
    operator: Operator
    roles: list[str]
    permissions: frozenset[Permission]
    auth_session_id: str
    client_address: str
    request: Request
    _audit_pending: list[dict[str, Any]] = field(default_factory=list)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise PermissionDenied(f"Your role does not allow: {permission.value}")

    async def audit(
        self,
        action: str,
        entity: str | None = None,
        entity_id: str | None = None,
        detail: dict[str, Any] | None = None,
        *,
        subject_id: str | None = None,
    ) -> None:
        """Record in the audit trail, in this request's transaction; `subject_id` is the customer
        whose personal data this concerns, when there is one."""
        await append_audit(
            self.session,
            action=action,
            operator_id=self.operator.id,
            operator_username=self.operator.username,
            entity=entity,
            entity_id=entity_id,
            client_address=self.client_address,
            detail=detail,
            subject_id=subject_id,
        )


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send the access token as 'Authorization: Bearer <token>'.")
    return token.strip()


async def current_caller(request: Request, session: Session) -> Caller:
    token = bearer_token(request)
    row = (
        await session.execute(
            select(AuthToken, AuthSession)
            .join(AuthSession, AuthSession.id == AuthToken.session_id)
            .where(AuthToken.token_hash == token_hash(token), AuthToken.kind == "access")
        )
    ).first()
    now = utcnow()
    if row is None or row[1].revoked_at is not None or row[0].expires_at <= now:
        raise InvalidToken()
    operator = await session.get(Operator, row[1].operator_id)
    if operator is None or not operator.active:
        raise InvalidToken("The operator account is disabled.")
    roles = operator.role_names
    return Caller(
        session=session,
        operator=operator,
        roles=roles,
        permissions=permissions_for(roles),
        auth_session_id=row[1].id,
        client_address=client_address(request),
        request=request,
    )


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def requires(*needed: Permission) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency giving the caller once they hold every permission in `needed`."""

    async def _check(caller: CurrentCaller) -> Caller:
        for permission in needed:
            caller.require(permission)
        return caller

    return _check


# --- optimistic concurrency -------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(request: Request, current_version: int, current: dict[str, Any] | None = None) -> None:
    """Refuse a write made against another version than the stored one (412 with the current one)."""
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired()
    wanted = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    if "*" in wanted or str(current_version) in wanted:
        return
    raise StaleVersion(
        f"You edited version {', '.join(sorted(wanted))}; the current version is {current_version}.",
        headers={"ETag": etag(current_version)},
        extra={"current": current} if current is not None else None,
    )


# --- idempotent writes ------------------------------------------------------------------------


async def idempotent(
    caller: Caller,
    produce: Callable[[], Awaitable[tuple[int, Any, dict[str, str]]]],
    content: bytes | None = None,
) -> Response:
    """Run a write — a POST, or a PATCH or DELETE of a versioned record — once per Idempotency-Key.

    `produce` does the work in `caller.session` and returns (status, JSON body or None for no
    content, headers); the answer is stored with the work in one transaction, so a retry after
    any failure either replays the stored answer (with `Idempotent-Replayed: true`) or does the
    work for the first time — never twice. A problem `produce` raises (412, 409, 422...) is not
    stored: nothing was done, so a retry runs again. Without the header the work simply runs.

    A PATCH or DELETE checks If-Match inside `produce`, after a replay had its chance: the resend
    of an applied change carries the version it changed, which has moved on since, and must get
    the first answer, not a 412 (a false conflict in an offline console's outbox).

    A retry counts as the same request when its method, path and `content` (default: the raw
    body) are equal; uploads pass their parsed content, since every multipart encoding of the
    same file uses a new random boundary. Another request with a used key is a 422.
    """
    request = caller.request
    key = request.headers.get("idempotency-key")
    if not key:
        status, body, headers = await produce()
        await caller.session.commit()
        return _answer(status, body, headers)
    if len(key) > 200:
        raise IdempotencyKeyReused("The Idempotency-Key is longer than 200 characters.")
    raw = content if content is not None else await request.body()
    fingerprint = hashlib.sha256(b"\n".join([request.method.encode(), request.url.path.encode(), raw])).hexdigest()
    # Read now: a rollback below expires the operator, and reloading it outside the greenlet fails.
    operator_id = caller.operator.id
    # On PostgreSQL a resend racing its first attempt (a client that gave up waiting) waits here
    # for that attempt's commit and then replays it, instead of finding the version moved (412).
    # Every writer takes this lock before its first write anyway; SQLite already holds its write
    # lock since the sign-in check began the transaction.
    await caller.session.run_sync(lambda session: take_ordering_lock(session.connection()))
    stored = await _stored_answer(caller.session, operator_id, key)
    if stored is not None:
        return _replay(stored, fingerprint)
    status, body, headers = await produce()
    caller.session.add(
        IdempotencyRecord(
            operator_id=operator_id,
            key=key,
            fingerprint=fingerprint,
            status_code=status,
            response_body=json.dumps(body, ensure_ascii=False),
            response_headers=json.dumps(headers),
        )
    )
    try:
        await caller.session.commit()
    except IntegrityError:
        # The same key raced in from a retry that committed first: its answer stands.
        await caller.session.rollback()
        stored = await _stored_answer(caller.session, operator_id, key)
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return _answer(status, body, headers)


def _answer(status: int, body: Any, headers: dict[str, str]) -> Response:
    # A DELETE answers 204 with no content at all: a JSON `null` would be a body it must not have.
    if body is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


async def _stored_answer(session: AsyncSession, operator_id: str, key: str) -> IdempotencyRecord | None:
    return (
        await session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.operator_id == operator_id, IdempotencyRecord.key == key)
        )
    ).scalar_one_or_none()


def _replay(stored: IdempotencyRecord, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    headers = json.loads(stored.response_headers)
    headers["Idempotent-Replayed"] = "true"
    return _answer(stored.status_code, json.loads(stored.response_body), headers)
