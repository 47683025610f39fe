"""Sign-in: login with optional TOTP, rotating refresh tokens, logout, and who am I.

Tokens are opaque random strings stored only as SHA-256 hashes. A refresh token works once; a
second use means it was copied, so the whole sign-in session is revoked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, ClassVar

from fastapi import APIRouter, Request, Response
from pydantic import Field
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ema_server.api.context import CurrentCaller, Session, client_address
from ema_server.api.problems import (
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    SessionRevoked,
    TooManyAttempts,
    TotpRequired,
)
from ema_server.api.schemas import Input, Output
from ema_server.db.audit import append_audit
from ema_server.db.models import AuthSession, AuthToken, LoginAttempt, Operator, utcnow
from ema_server.security import hash_password, needs_rehash, new_token, token_hash, verify_password, verify_totp

router = APIRouter(prefix="/auth", tags=["auth"])

ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
# Field laptops stay offline for days; a refresh token is usable for two weeks, once.
REFRESH_TOKEN_LIFETIME = timedelta(days=14)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginIn(Input):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    totp: Annotated[str | None, Field(max_length=12)] = None

    opaque_fields: ClassVar[frozenset[str]] = frozenset({"password"})


class RefreshIn(Input):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class TokensOut(Output):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int


class MeOut(Output):
    id: str
    username: str
    display_name: str
    email: str | None
    roles: list[str]
    permissions: list[str]
    totp_enabled: bool


async def _recent_failures(session: AsyncSession, column: InstrumentedAttribute[str], value: str) -> int:
    since = utcnow() - THROTTLE_WINDOW
    query = select(func.count()).select_from(LoginAttempt).where(
        column == value,
        LoginAttempt.at >= since,
        LoginAttempt.succeeded.is_(False),
    )
    return int((await session.execute(query)).scalar_one())


async def _issue_tokens(session: AsyncSession, auth_session_id: str) -> TokensOut:
    access, refresh, now = new_token(), new_token(), utcnow()
    session.add_all(
        [
            AuthToken(token_hash=token_hash(access), session_id=auth_session_id, kind="access",
                      expires_at=now + ACCESS_TOKEN_LIFETIME),
            AuthToken(token_hash=token_hash(refresh), session_id=auth_session_id, kind="refresh",
                      expires_at=now + REFRESH_TOKEN_LIFETIME),
        ]
    )
    return TokensOut(
        access_token=access, refresh_token=refresh, expires_in=int(ACCESS_TOKEN_LIFETIME.total_seconds())
    )


@router.post("/login", response_model=TokensOut)
async def login(body: LoginIn, request: Request, session: Session) -> TokensOut:
    address = client_address(request)
    username = body.username.strip().lower()
    if await _recent_failures(session, LoginAttempt.username, username) >= MAX_FAILURES_PER_USERNAME or (
        await _recent_failures(session, LoginAttempt.client_address, address) >= MAX_FAILURES_PER_ADDRESS
    ):
        raise TooManyAttempts(
            "Too many failed sign-ins; wait 15 minutes and try again.",
            headers={"Retry-After": str(int(THROTTLE_WINDOW.total_seconds()))},
        )
    operator = (await session.execute(select(Operator).where(Operator.username == username))).scalar_one_or_none()
    password_ok = verify_password(operator.password_hash if operator else None, body.password)
    if operator is None or not operator.active or not password_ok:
        await _fail(session, username, address, "wrong_password")
        raise InvalidCredentials()
    if operator.totp_secret:
        if not body.totp:
            raise TotpRequired()
        if not verify_totp(operator.totp_secret, body.totp):
            await _fail(session, username, address, "wrong_totp")
            raise InvalidCredentials()
    if needs_rehash(operator.password_hash):
        operator.password_hash = hash_password(body.password)
    session.add(LoginAttempt(username=username, client_address=address, succeeded=True))
    auth_session = AuthSession(operator_id=operator.id, client_address=address)
    session.add(auth_session)
    await session.flush()
    tokens = await _issue_tokens(session, auth_session.id)
    await append_audit(session, action="auth.login", operator_id=operator.id, operator_username=operator.username,
                       client_address=address, entity="operator", entity_id=operator.id)
    await session.commit()
    return tokens


async def _fail(session: AsyncSession, username: str, address: str, reason: str) -> None:
    session.add(LoginAttempt(username=username, client_address=address, succeeded=False))
    await append_audit(session, action="auth.login_failed", client_address=address, detail={"reason": reason})
    await session.commit()


@router.post("/refresh", response_model=TokensOut)
async def refresh(body: RefreshIn, request: Request, session: Session) -> TokensOut:
    now = utcnow()
    row = (
        await session.execute(
            select(AuthToken, AuthSession)
            .join(AuthSession, AuthSession.id == AuthToken.session_id)
            .where(AuthToken.token_hash == token_hash(body.refresh_token), AuthToken.kind == "refresh")
        )
    ).first()
    if row is None:
        raise InvalidToken()
    token, auth_session = row
    if token.used_at is not None:
        if auth_session.revoked_at is None:
            auth_session.revoked_at, auth_session.revoked_reason = now, "refresh_token_reused"
            await append_audit(session, action="auth.refresh_reused", operator_id=auth_session.operator_id,
                               client_address=client_address(request), entity="auth_session",
                               entity_id=auth_session.id)
            await session.commit()
        raise RefreshTokenReused("This refresh token was already used; the session was ended. Sign in again.")
    if auth_session.revoked_at is not None and auth_session.revoked_reason not in ("logout", "refresh_token_reused"):
        raise SessionRevoked()
    if auth_session.revoked_at is not None or token.expires_at <= now:
        raise InvalidToken()
    operator = await session.get(Operator, auth_session.operator_id)
    if operator is None or not operator.active:
        raise SessionRevoked("The operator account is disabled.")
    token.used_at = now
    tokens = await _issue_tokens(session, auth_session.id)
    await session.commit()
    return tokens


@router.post("/logout", status_code=204)
async def logout(caller: CurrentCaller) -> Response:
    now = utcnow()
    await caller.session.execute(
        update(AuthSession)
        .where(AuthSession.id == caller.auth_session_id)
        .values(revoked_at=now, revoked_reason="logout")
    )
    await caller.audit("auth.logout", "operator", caller.operator.id)
    await caller.session.commit()
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
async def me(caller: CurrentCaller) -> MeOut:
    op = caller.operator
    return MeOut(
        id=op.id, username=op.username, display_name=op.display_name, email=op.email, roles=caller.roles,
        permissions=sorted(p.value for p in caller.permissions), totp_enabled=op.totp_secret is not None,
    )
