"""Privacy-requests API: the deadline-ordered list, one request with its history, registering a
request, and the small updates of its early steps (state up to "in progress", handler, linked
ticket, notes).

Every endpoint needs Permission.HANDLE_PRIVACY (privacy officers and administrators); events go
out with scope "privacy". Extending, completing and refusing are separate workflow steps not
offered here. Reading requests is recorded in the audit trail, as they name data subjects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, get_args

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy import ColumnElement, case, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server import privacy_requests as rules
from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import (
    MAX_OFFSET,
    MAX_TEXT,
    Body,
    Id,
    IdQuery,
    InvalidTransition,
    Moment,
    UtcDateTime,
    field_problem,
    plausible_id,
)
from ema_server.db.events import publish
from ema_server.db.models import Operator, PrivacyRequest, PrivacyRequestEntry, utcnow
from ema_server.db.models.privacy import PRIVACY_CHANNELS, PRIVACY_RIGHTS, PRIVACY_STATES, REQUESTER_RELATIONS
from ema_server.domain.deadlines import WarningLevel
from ema_server.domain.permissions import Permission
from ema_server.tickets import FieldError, InvalidFields

router = APIRouter(tags=["privacy"])

HandlePrivacy = Depends(requires(Permission.HANDLE_PRIVACY))
SCOPE = "privacy"

PrivacyRight = Literal[
    "access", "rectification", "erasure", "restriction", "portability", "objection", "consent_withdrawal", "complaint"
]
PrivacyState = Literal["received", "identity_verification", "in_progress", "extended", "completed", "refused"]
Channel = Literal["email", "letter", "phone", "in_app", "in_person"]
Relation = Literal["subject", "app_user", "guardian", "representative"]
assert set(get_args(PrivacyRight)) == set(PRIVACY_RIGHTS)
assert set(get_args(PrivacyState)) == set(PRIVACY_STATES)
assert set(get_args(Channel)) == set(PRIVACY_CHANNELS)
assert set(get_args(Relation)) == set(REQUESTER_RELATIONS)


class PrivacyRequestIn(Body):
    right: PrivacyRight
    customer_id: Id | None = None
    subject_name: Annotated[str, Field(min_length=1, max_length=200)]
    subject_email: Annotated[str | None, Field(max_length=254)] = None
    subject_phone: Annotated[str | None, Field(max_length=32)] = None
    requester_name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    """Who asks, when not the subject themself (required then)."""
    requester_relation: Relation = "subject"
    channel: Channel
    original_text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    """The request as received (or a faithful summary of a call)."""
    received_at: Moment | None = None
    """Default: now. Not in the future."""
    ticket_id: Id | None = None


class PrivacyRequestPatch(Body):
    state: PrivacyState | None = None
    """Only received, identity_verification and in_progress; the rest are workflow steps."""
    handler_id: Id | None = None
    ticket_id: Id | None = None
    note: Annotated[str | None, Field(min_length=1, max_length=MAX_TEXT)] = None
    """Adds an internal note to the history."""


class PrivacyRequestListItemOut(Output):
    id: str
    number: str
    right: str
    customer_id: str | None
    subject_name: str
    subject_email: str | None
    subject_phone: str | None
    requester_name: str | None
    requester_relation: str
    channel: str
    received_at: UtcDateTime
    due_at: UtcDateTime
    """One month after receipt; never moves."""
    extended_due_at: UtcDateTime | None
    effective_due_at: UtcDateTime
    """The extended due date if the request was extended, otherwise `due_at`."""
    extension_notice_due_at: UtcDateTime
    """Latest moment to tell the subject of an extension and why (end of the first month)."""
    extension_notified_at: UtcDateTime | None
    state: str
    identity_check: str | None
    identity_verified_by_id: str | None
    identity_verified_at: UtcDateTime | None
    ticket_id: str | None
    handler_id: str | None
    closed_at: UtcDateTime | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    version: int
    overdue: bool
    warning: WarningLevel | None
    """Seven days ahead of the effective due date; null once completed or refused."""


class PrivacyRequestOut(PrivacyRequestListItemOut):
    original_text: str
    extension_reason: str | None
    outcome: str | None
    refusal_reason: str | None


class PrivacyEntryOut(Output):
    id: str
    at: UtcDateTime
    author_id: str | None
    author_name: str | None
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    body: str | None


class PrivacyRequestDetailOut(PrivacyRequestOut):
    history: list[PrivacyEntryOut]
    """Oldest first."""


class PrivacyRequestPage(Output):
    items: list[PrivacyRequestListItemOut]
    total: int
    limit: int
    offset: int


_T = TypeVar("_T", bound=PrivacyRequestListItemOut)


def _out(model: type[_T], request: PrivacyRequest, now: datetime, **extra: Any) -> _T:
    values = {name: getattr(request, name) for name in model.model_fields if hasattr(request, name)}
    values.update(
        extension_notice_due_at=rules.extension_notice_due_at(request),
        overdue=rules.is_overdue(request, now),
        warning=rules.warning(request, now),
        **extra,
    )
    return model.model_validate(values)


def _event(request: PrivacyRequest) -> dict[str, Any]:
    return {"id": request.id, "number": request.number, "version": request.version, "state": request.state,
            "right": request.right, "handler_id": request.handler_id}


async def _request_or_404(session: AsyncSession, request_id: str, *, for_update: bool = False) -> PrivacyRequest:
    request = None
    if plausible_id(request_id):
        if for_update:
            request = await rules.request_for_update(session, request_id)
        else:
            request = await session.get(PrivacyRequest, request_id)
    if request is None:
        raise NotFound("No privacy request with this id.")
    return request


@router.get("/privacy-requests", response_model=PrivacyRequestPage)
async def list_requests(
    caller: Caller = HandlePrivacy,
    state: Annotated[list[PrivacyState] | None, Query()] = None,
    right: Annotated[list[PrivacyRight] | None, Query()] = None,
    overdue: bool | None = None,
    due_before: Annotated[Moment | None, Query(description="Effective due date before this moment.")] = None,
    customer_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> PrivacyRequestPage:
    now = utcnow()
    effective_due = rules.effective_due_column()
    overdue_now = rules.overdue_condition(now)
    conditions: list[ColumnElement[bool]] = []
    if state:
        conditions.append(PrivacyRequest.state.in_(state))
    if right:
        conditions.append(PrivacyRequest.right.in_(right))
    if overdue is not None:
        conditions.append(overdue_now if overdue else not_(overdue_now))
    if due_before is not None:
        conditions.append(effective_due < due_before)
    if customer_id:
        conditions.append(PrivacyRequest.customer_id == customer_id)
    session = caller.session
    total = (
        await session.execute(select(func.count()).select_from(PrivacyRequest).where(*conditions))
    ).scalar_one()
    rows = (
        await session.execute(
            select(PrivacyRequest)
            .where(*conditions)
            .order_by(case((overdue_now, 0), else_=1), effective_due, PrivacyRequest.number)
            .limit(limit)
            .offset(offset)
        )
    ).scalars().all()
    page = PrivacyRequestPage(
        items=[_out(PrivacyRequestListItemOut, r, now) for r in rows], total=int(total), limit=limit, offset=offset
    )
    # The list names data subjects; record which requests were shown, not who they are.
    await caller.audit("privacy_request.list", "privacy_request", None, {"ids": [r.id for r in rows]})
    await session.commit()
    return page


@router.get("/privacy-requests/{request_id}", response_model=PrivacyRequestDetailOut, name="get_privacy_request")
async def get_request(request_id: str, response: Response, caller: Caller = HandlePrivacy) -> PrivacyRequestDetailOut:
    session = caller.session
    request = await _request_or_404(session, request_id)
    history = (
        await session.execute(
            select(PrivacyRequestEntry, Operator.display_name)
            .outerjoin(Operator, Operator.id == PrivacyRequestEntry.author_id)
            .where(PrivacyRequestEntry.request_id == request.id)
            .order_by(PrivacyRequestEntry.at, PrivacyRequestEntry.kind, PrivacyRequestEntry.field,
                      PrivacyRequestEntry.id)
        )
    ).all()
    out = _out(
        PrivacyRequestDetailOut,
        request,
        utcnow(),
        history=[
            PrivacyEntryOut.model_validate(
                {"id": e.id, "at": e.at, "author_id": e.author_id, "author_name": name, "kind": e.kind,
                 "field": e.field, "old_value": e.old_value, "new_value": e.new_value, "body": e.body}
            )
            for e, name in history
        ],
    )
    await caller.audit("privacy_request.read", "privacy_request", request.id)
    await session.commit()
    response.headers["ETag"] = etag(out.version)
    return out


@router.post("/privacy-requests", status_code=201, response_model=PrivacyRequestOut)
async def create_request(body: PrivacyRequestIn, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        now = utcnow()
        data = rules.NewPrivacyRequest(
            right=body.right, subject_name=body.subject_name, requester_relation=body.requester_relation,
            channel=body.channel, original_text=body.original_text, customer_id=body.customer_id,
            subject_email=body.subject_email, subject_phone=body.subject_phone,
            requester_name=body.requester_name, received_at=body.received_at, ticket_id=body.ticket_id,
        )
        try:
            request = await rules.create_request(caller.session, data, caller.operator.id, now)
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        publish(caller.session, "privacy_request.created", _event(request), scope=SCOPE)
        await caller.audit("privacy_request.create", "privacy_request", request.id,
                           {"right": request.right, "channel": request.channel, "customer_id": request.customer_id})
        location = str(caller.request.url_for("get_privacy_request", request_id=request.id))
        return 201, _out(PrivacyRequestOut, request, now).model_dump(mode="json"), {
            "Location": location, "ETag": etag(request.version)}

    return await idempotent(caller, produce)


@router.patch("/privacy-requests/{request_id}", response_model=PrivacyRequestOut)
async def update_request(request_id: str, body: PrivacyRequestPatch, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        now = utcnow()
        request = await _request_or_404(session, request_id, for_update=True)
        # Checked here, after a replay had its chance: a resent change carries the old version.
        check_if_match(caller.request, request.version, _out(PrivacyRequestOut, request, now).model_dump(mode="json"))
        changes = {name: getattr(body, name) for name in body.model_fields_set if name != "note"}
        if "state" in changes and changes["state"] is None:
            raise field_problem([FieldError("state", "Cannot be null.", "required")])
        try:
            changed = await rules.update_request(session, request, changes, body.note, caller.operator.id, now)
        except rules.StateNotAvailable as exc:
            raise InvalidTransition(
                f"{exc} From '{exc.current}' an update may set: {', '.join(exc.allowed) or 'nothing'}.",
                extra={"current_state": exc.current, "allowed": list(exc.allowed)},
            ) from None
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        if changed:
            publish(session, "privacy_request.updated", _event(request), scope=SCOPE)
            await caller.audit("privacy_request.update", "privacy_request", request.id, {"fields": changed})
        return 200, _out(PrivacyRequestOut, request, now).model_dump(mode="json"), {"ETag": etag(request.version)}

    return await idempotent(caller, produce)
