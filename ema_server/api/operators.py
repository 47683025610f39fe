"""Operator administration (admin only): list staff accounts, create them, change roles, names and
whether they may sign in. Disabling an operator ends all their sign-in sessions at once."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select, update

from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import Conflict, FieldInvalid, InvalidInput, NotFound
from ema_server.api.schemas import Input, Limit, Offset, Output
from ema_server.db.events import publish
from ema_server.db.models import AuthSession, Operator, OperatorRole, utcnow
from ema_server.domain.identifiers import is_valid_email
from ema_server.domain.permissions import Permission, Role
from ema_server.operators import OperatorExists, create_operator

router = APIRouter(prefix="/operators", tags=["operators"])

Admin = Annotated[Caller, Depends(requires(Permission.ADMINISTER))]
Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class OperatorOut(Output):
    id: str
    username: str
    display_name: str
    email: str | None
    roles: list[Role]
    active: bool
    totp_enabled: bool
    version: int


class OperatorPage(Output):
    items: list[OperatorOut]
    total: int
    limit: int
    offset: int


class OperatorIn(Input):
    username: Username
    display_name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str | None, Field(max_length=254)] = None
    roles: Annotated[list[Role], Field(min_length=1, max_length=4)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]

    opaque_fields: ClassVar[frozenset[str]] = frozenset({"password"})


class OperatorPatch(Input):
    """Send only what changes; null clears `email` and is refused for the other fields."""

    display_name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    email: Annotated[str | None, Field(max_length=254)] = None
    roles: Annotated[list[Role] | None, Field(min_length=1, max_length=4)] = None
    active: bool | None = None


# Fields of OperatorPatch that may be left out but not cleared.
_NOT_NULL = ("display_name", "roles", "active")


class ColleagueOut(Output):
    """An active operator as colleagues see them: to show a ticket's owner or assign it."""

    id: str
    display_name: str
    roles: list[Role]


class DirectoryOut(Output):
    items: list[ColleagueOut]


def _out(op: Operator) -> dict[str, Any]:
    return OperatorOut(
        id=op.id, username=op.username, display_name=op.display_name, email=op.email,
        roles=[Role(r) for r in op.role_names], active=op.active, totp_enabled=op.totp_secret is not None,
        version=op.version,
    ).model_dump(mode="json")


def _check_email(email: str | None) -> None:
    if email is not None and not is_valid_email(email):
        raise FieldInvalid("email", "is not a valid e-mail address", "invalid_email")


@router.get("", response_model=OperatorPage)
async def list_operators(caller: Admin, limit: Limit = 50, offset: Offset = 0) -> OperatorPage:
    total = int((await caller.session.execute(select(func.count()).select_from(Operator))).scalar_one())
    rows = (
        await caller.session.execute(select(Operator).order_by(Operator.username).limit(limit).offset(offset))
    ).scalars().all()
    return OperatorPage(items=[OperatorOut(**_out(op)) for op in rows], total=total, limit=limit, offset=offset)


@router.get("/directory", response_model=DirectoryOut,
            summary="Active operators by name, for ticket owners and assignment")
async def operator_directory(caller: Annotated[Caller, Depends(requires(Permission.WORK_TICKETS))]) -> DirectoryOut:
    rows = (
        await caller.session.execute(
            select(Operator).where(Operator.active.is_(True)).order_by(Operator.display_name, Operator.id)
        )
    ).scalars().all()
    return DirectoryOut(
        items=[ColleagueOut(id=op.id, display_name=op.display_name, roles=[Role(r) for r in op.role_names])
               for op in rows]
    )


@router.post("", status_code=201, response_model=OperatorOut)
async def add_operator(body: OperatorIn, caller: Admin, request: Request) -> Response:
    _check_email(body.email)

    async def produce() -> tuple[int, Any, dict[str, str]]:
        try:
            operator, _ = await create_operator(
                caller.session, username=body.username, roles=[r.value for r in body.roles],
                password=body.password, display_name=body.display_name, email=body.email,
                created_by=caller.operator,
            )
        except OperatorExists as exc:
            raise Conflict(f"The username {body.username.lower()!r} is taken.",
                           errors=[{"field": "username", "message": "already exists"}]) from exc
        except ValueError as exc:
            raise FieldInvalid("password", str(exc).removeprefix("password "), "weak_password") from exc
        location = str(request.url_for("get_operator", operator_id=operator.id))
        return 201, _out(operator), {"Location": location, "ETag": etag(operator.version)}

    return await idempotent(caller, produce)


@router.get("/{operator_id}", response_model=OperatorOut)
async def get_operator(operator_id: str, caller: Admin) -> JSONResponse:
    operator = await caller.session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("No such operator.")
    return JSONResponse(_out(operator), headers={"ETag": etag(operator.version)})


@router.patch("/{operator_id}", response_model=OperatorOut)
async def change_operator(operator_id: str, body: OperatorPatch, caller: Admin) -> JSONResponse:
    operator = await caller.session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("No such operator.")
    check_if_match(caller.request, operator.version, _out(operator))
    _check_email(body.email)
    changes = body.model_dump(exclude_unset=True)
    nulls = [name for name in _NOT_NULL if name in changes and changes[name] is None]
    if nulls:
        raise InvalidInput(f"Invalid fields: {', '.join(nulls)}",
                           errors=[{"field": name, "message": "may not be null"} for name in nulls])
    if operator.id == caller.operator.id and (
        changes.get("active") is False or ("roles" in changes and Role.ADMIN not in changes["roles"])
    ):
        raise Conflict("You cannot disable yourself or take away your own administrator role.")
    changed: list[str] = []
    for name in ("display_name", "email", "active"):
        if name in changes and changes[name] != getattr(operator, name):
            setattr(operator, name, changes[name])
            changed.append(name)
    if "roles" in changes and sorted({r.value for r in changes["roles"]}) != operator.role_names:
        operator.roles = [OperatorRole(role=r) for r in sorted({r.value for r in changes["roles"]})]
        operator.updated_at = utcnow()  # the role list lives in another table; bump the version here
        changed.append("roles")
    if changes.get("active") is False:
        await caller.session.execute(
            update(AuthSession)
            .where(AuthSession.operator_id == operator.id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason="operator_disabled")
        )
    if changed:
        await caller.session.flush()
        await caller.audit("operator.update", "operator", operator.id, {"fields": changed})
        publish(caller.session, "operator.updated", {"id": operator.id, "version": operator.version})
    await caller.session.commit()
    return JSONResponse(_out(operator), headers={"ETag": etag(operator.version)})


class RevokedOut(BaseModel):
    revoked: int
    """How many open sign-in sessions were ended."""


@router.post("/{operator_id}/sessions/revoke", response_model=RevokedOut,
             summary="End every sign-in session of an operator (a lost or stolen laptop)")
async def revoke_sessions(operator_id: str, caller: Admin) -> RevokedOut:
    """The operator's consoles are refused at their next request and delete their local data once
    their unsent work has been sent or exported; the account itself stays usable."""
    operator = await caller.session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("No such operator.")
    result = await caller.session.execute(
        update(AuthSession)
        .where(AuthSession.operator_id == operator.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="revoked_by_admin")
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    await caller.audit("operator.sessions_revoke", "operator", operator.id, {"sessions": count})
    await caller.session.commit()
    return RevokedOut(revoked=count)
