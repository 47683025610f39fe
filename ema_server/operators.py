"""Creating and changing operator accounts, shared by the CLI and the admin API."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.audit import append_audit
from ema_server.db.models import Operator, OperatorRole
from ema_server.domain.permissions import Role
from ema_server.security import hash_password, new_totp_secret, password_problem


class OperatorExists(Exception):
    pass


async def create_operator(
    session: AsyncSession,
    *,
    username: str,
    roles: Sequence[str],
    password: str,
    display_name: str | None = None,
    email: str | None = None,
    with_totp: bool = False,
    created_by: Operator | None = None,
) -> tuple[Operator, str | None]:
    """Add an operator in the caller's transaction; returns it and its TOTP secret if enabled."""
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise ValueError("username must be 1 to 64 characters")
    if problem := password_problem(password):
        raise ValueError(f"password {problem}")
    role_values = sorted({Role(r).value for r in roles})
    if not role_values:
        raise ValueError("an operator needs at least one role")
    if (await session.execute(select(Operator.id).where(Operator.username == username))).first():
        raise OperatorExists(username)
    totp_secret = new_totp_secret() if with_totp else None
    operator = Operator(
        username=username,
        display_name=display_name or username,
        email=email,
        password_hash=hash_password(password),
        totp_secret=totp_secret,
        roles=[OperatorRole(role=r) for r in role_values],
    )
    session.add(operator)
    await session.flush()
    await append_audit(
        session,
        action="operator.create",
        operator_id=created_by.id if created_by else None,
        operator_username=created_by.username if created_by else "cli",
        entity="operator",
        entity_id=operator.id,
        detail={"roles": role_values},
    )
    return operator, totp_secret
