"""Privacy-requests API: the deadline-ordered list, one request with its history, registering a
request, the small updates of its early steps (state up to "in progress", handler, linked
ticket, notes), the workflow steps (identity request and verification, extension, completion,
refusal) and finding a data subject by what they know.

Every endpoint needs Permission.HANDLE_PRIVACY (privacy officers and administrators); events go
out with scope "privacy". Reading requests and looking up subjects is recorded in the audit
trail, as they name data subjects; every step is audited as `privacy_request.<step>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, get_args

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy import ColumnElement, case, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server import privacy_requests as rules
from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import Conflict, FieldInvalid, NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import (
    MAX_OFFSET,
    MAX_TEXT,
    NO_NUL,
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
from ema_server.db.models import Erasure, Operator, PrivacyRequest, PrivacyRequestEntry, Ticket, utcnow
from ema_server.db.models.privacy import (
    CONSENT_PURPOSES,
    IDENTITY_CHECKS,
    PRIVACY_CHANNELS,
    PRIVACY_RIGHTS,
    PRIVACY_STATES,
    REQUESTER_RELATIONS,
)
from ema_server.domain.deadlines import WarningLevel
from ema_server.domain.permissions import Permission
from ema_server.privacy import lookup
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
Purpose = Literal["marketing_email", "marketing_push", "analytics", "location", "camera"]
IdentityCheck = Literal[
    "signed_in_app", "registered_email_reply", "rfid_and_last_session", "customer_details_on_call",
    "in_person_document_seen", "guardian_authority", "representative_mandate",
]
AnswerChannel = Literal["email", "letter", "in_app", "phone"]
assert set(get_args(Purpose)) == set(CONSENT_PURPOSES)
assert set(get_args(IdentityCheck)) == set(IDENTITY_CHECKS)
assert set(get_args(AnswerChannel)) == set(rules.ANSWER_CHANNELS)
Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


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
    """The ticket the request was started from; its history notes the request."""
    subject_account_id: Id | None = None
    """The customer's app account the request concerns or came from (must belong to customer_id)."""
    purposes: Annotated[list[Purpose] | None, Field(max_length=len(CONSENT_PURPOSES) * 2)] = None
    """Consent withdrawal (required) and objection: the purposes concerned. An objection to the
    marketing purposes is the absolute Art. 21(3) objection."""


class IdentityRequestIn(Body):
    how: Annotated[str, Field(min_length=1, max_length=500)]
    """What proof was asked for and how ("asked by e-mail to reply from the registered address")."""


class IdentityVerificationIn(Body):
    check: IdentityCheck
    """Which check passed."""
    detail: Annotated[str, Field(min_length=1, max_length=1000)]
    """What was compared, in words; never a copy of a document."""


class ExtensionIn(Body):
    reason: Reason
    months: Literal[1, 2] = 2
    notified_at: Moment | None = None
    """When the subject was told of the extension and why (default now); within the first month."""


class CompletionIn(Body):
    outcome: Reason
    """What was done, as told to the subject."""
    answer_channel: AnswerChannel
    answer_sent_at: Moment | None = None
    """Default now."""


class RefusalIn(Body):
    reason: Reason
    """Why, as told to the subject."""
    authority_notice: bool
    """The subject was told they may complain to ÚOOÚ and go to court; must be true."""
    answer_channel: AnswerChannel
    answer_sent_at: Moment | None = None


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
    identity_check_detail: str | None
    identity_requested_at: UtcDateTime | None
    waiting_for_identity: bool
    """Proof of identity was asked for and has not come yet (the due date does not move)."""
    subject_account_id: str | None
    purposes: list[str] | None
    authority_notice: bool
    answer_sent_at: UtcDateTime | None
    answer_channel: str | None
    ticket_id: str | None
    handler_id: str | None
    closed_at: UtcDateTime | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    version: int
    overdue: bool
    warning: WarningLevel | None
    """Seven days ahead of the effective due date; null once completed or refused."""
    notice_warning: WarningLevel | None
    """Seven days ahead of the last day to tell the subject of an extension; null once extended or closed."""


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


class SubjectAccountOut(Output):
    id: str
    display_name: str
    login_email: str
    role: str


class SubjectOut(Output):
    customer_id: str
    customer_number: str
    name: str
    company_name: str | None
    email: str | None
    phone: str | None
    status: str
    restricted: bool
    erased: bool
    matched_by: list[str]
    """What the query matched: name, email, phone, customer_number, ico, contract, id_tag, station,
    account_login."""
    accounts: list[SubjectAccountOut]


class SubjectPage(Output):
    items: list[SubjectOut]


class StepRefusedProblem(Conflict):
    """A workflow step the request's state does not allow (code from the rules)."""

    def __init__(self, exc: rules.StepRefused) -> None:
        super().__init__(str(exc), errors=[{"field": e.field, "message": e.message, "code": e.code}
                                           for e in exc.missing])
        self.code = exc.code


_T = TypeVar("_T", bound=PrivacyRequestListItemOut)


def _out(model: type[_T], request: PrivacyRequest, now: datetime, **extra: Any) -> _T:
    values = {name: getattr(request, name) for name in model.model_fields if hasattr(request, name)}
    values.update(
        extension_notice_due_at=rules.extension_notice_due_at(request),
        overdue=rules.is_overdue(request, now),
        warning=rules.warning(request, now),
        notice_warning=rules.notice_warning(request, now),
        waiting_for_identity=rules.waiting_for_identity(request),
        **extra,
    )
    return model.model_validate(values)


def _event(request: PrivacyRequest) -> dict[str, Any]:
    return {"id": request.id, "number": request.number, "version": request.version, "state": request.state,
            "right": request.right, "handler_id": request.handler_id}


async def _publish_ticket(caller: Caller, ticket_id: str | None) -> None:
    """The linked ticket got a history entry: consoles showing it hear of its new version."""
    ticket = await caller.session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is not None:
        # The same fields as the tickets API publishes: ids, versions and states only.
        publish(caller.session, "ticket.updated", {
            "id": ticket.id, "number": ticket.number, "version": ticket.version, "state": ticket.state,
            "priority": ticket.priority, "owner_id": ticket.owner_id, "customer_id": ticket.customer_id})


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
    await caller.audit("privacy_request.read", "privacy_request", request.id,
                       subject_id=await _subject_id(session, request))
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
            subject_account_id=body.subject_account_id, purposes=list(body.purposes) if body.purposes else None,
        )
        try:
            request = await rules.create_request(caller.session, data, caller.operator.id, now)
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        publish(caller.session, "privacy_request.created", _event(request), scope=SCOPE)
        await _publish_ticket(caller, request.ticket_id)
        await caller.audit("privacy_request.create", "privacy_request", request.id,
                           {"right": request.right, "channel": request.channel, "customer_id": request.customer_id,
                            "ticket_id": request.ticket_id}, subject_id=request.customer_id)
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
            if "ticket_id" in changed:
                await _publish_ticket(caller, request.ticket_id)
            await caller.audit("privacy_request.update", "privacy_request", request.id, {"fields": changed},
                               subject_id=request.customer_id)
        return 200, _out(PrivacyRequestOut, request, now).model_dump(mode="json"), {"ETag": etag(request.version)}

    return await idempotent(caller, produce)


# --- workflow steps -----------------------------------------------------------------------------


async def _subject_id(session: AsyncSession, request: PrivacyRequest) -> str | None:
    """The customer the request is about, also once an erasure removed the customer row (the
    request's link is then gone, the erasure keeps the id): the subject's audit trail stays whole."""
    if request.customer_id is not None:
        return request.customer_id
    erased = await session.execute(select(Erasure.customer_id).where(Erasure.request_id == request.id))
    return erased.scalar_one_or_none()


Step = Callable[[PrivacyRequest, datetime], Awaitable[dict[str, Any]]]


async def _step(request_id: str, caller: Caller, step: str, apply: Step) -> Response:
    """Run one workflow step under the request's lock: If-Match is optional (a step is refused by
    the state anyway), the answer is the updated request with its ETag."""

    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        now = utcnow()
        request = await _request_or_404(session, request_id, for_update=True)
        if "if-match" in caller.request.headers:
            check_if_match(caller.request, request.version,
                           _out(PrivacyRequestOut, request, now).model_dump(mode="json"))
        previous = request.state
        try:
            detail = await apply(request, now)
        except rules.StepRefused as exc:
            raise StepRefusedProblem(exc) from None
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        publish(session, "privacy_request.updated", _event(request), scope=SCOPE)
        await caller.audit(f"privacy_request.{step}", "privacy_request", request.id,
                           {"from_state": previous, "state": request.state, **detail},
                           subject_id=await _subject_id(session, request))
        return 200, _out(PrivacyRequestOut, request, now).model_dump(mode="json"), {"ETag": etag(request.version)}

    return await idempotent(caller, produce)


@router.post("/privacy-requests/{request_id}/identity-request", response_model=PrivacyRequestOut)
async def request_identity(request_id: str, body: IdentityRequestIn, caller: Caller = HandlePrivacy) -> Response:
    """Proof of identity was asked for: the request waits in identity_verification, due date unchanged."""

    async def apply(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
        await rules.request_identity(caller.session, request, body.how, caller.operator.id, now)
        return {}

    return await _step(request_id, caller, "identity_request", apply)


@router.post("/privacy-requests/{request_id}/identity-verification", response_model=PrivacyRequestOut)
async def verify_identity(request_id: str, body: IdentityVerificationIn, caller: Caller = HandlePrivacy) -> Response:
    """Record the identity check that passed; the request is then worked on."""

    async def apply(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
        await rules.verify_identity(caller.session, request, body.check, body.detail, caller.operator.id, now)
        return {"check": body.check}

    return await _step(request_id, caller, "identity_verification", apply)


@router.post("/privacy-requests/{request_id}/extension", response_model=PrivacyRequestOut)
async def extend_request(request_id: str, body: ExtensionIn, caller: Caller = HandlePrivacy) -> Response:
    """Extend by one or two months; the subject must have been told within the first month."""

    async def apply(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
        await rules.extend(caller.session, request, body.reason, body.months, body.notified_at,
                           caller.operator.id, now)
        return {"months": body.months}

    return await _step(request_id, caller, "extension", apply)


@router.post("/privacy-requests/{request_id}/completion", response_model=PrivacyRequestOut)
async def complete_request(request_id: str, body: CompletionIn, caller: Caller = HandlePrivacy) -> Response:
    """Close the request answered; needs verified identity and the evidence its right asks for."""

    async def apply(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
        await rules.complete(caller.session, request, body.outcome, body.answer_channel, body.answer_sent_at,
                             caller.operator.id, now)
        return {"answer_channel": body.answer_channel}

    return await _step(request_id, caller, "completion", apply)


@router.post("/privacy-requests/{request_id}/refusal", response_model=PrivacyRequestOut)
async def refuse_request(request_id: str, body: RefusalIn, caller: Caller = HandlePrivacy) -> Response:
    """Close the request refused, with the reason and the notice of the right to complain (Art. 12(4))."""

    async def apply(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
        await rules.refuse(caller.session, request, body.reason, body.authority_notice, body.answer_channel,
                           body.answer_sent_at, caller.operator.id, now)
        return {"answer_channel": body.answer_channel}

    return await _step(request_id, caller, "refusal", apply)


# --- finding the subject ------------------------------------------------------------------------


@router.get("/privacy/subjects", response_model=SubjectPage)
async def find_subjects(
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL,
                            description="Name, e-mail, phone, customer number, IČO, contract, RFID tag, "
                                        "station serial or OCPP identity, app login.")],
    caller: Caller = HandlePrivacy,
    limit: Annotated[int, Query(ge=1, le=lookup.MAX_RESULTS)] = 20,
) -> SubjectPage:
    if len(q.strip()) < 2:
        raise FieldInvalid("q", "Type at least two characters.", "query_too_short")
    matches = await lookup.find_subjects(caller.session, q, limit)
    page = SubjectPage(items=[
        SubjectOut(
            customer_id=m.customer.id, customer_number=m.customer.customer_number, name=m.customer.name,
            company_name=m.customer.company_name, email=m.customer.email, phone=m.customer.phone,
            status=m.customer.status, restricted=m.customer.restricted_at is not None,
            erased=m.customer.erased_at is not None, matched_by=m.matched_by,
            accounts=[SubjectAccountOut(id=a.id, display_name=a.display_name, login_email=a.login_email, role=a.role)
                      for a in m.accounts],
        )
        for m in matches
    ])
    # Whose data was shown, one record per subject so the audit trail filters by them; never the query.
    for m in matches:
        await caller.audit("privacy_subject.lookup", "customer", m.customer.id, {"matched_by": m.matched_by},
                           subject_id=m.customer.id)
    if not matches:
        await caller.audit("privacy_subject.lookup", "customer", None, {"results": 0})
    await caller.session.commit()
    return page
